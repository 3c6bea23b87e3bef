package host

import (
	"bytes"
	"context"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/veiviser/veiviser/internal/chromium"
	"rsc.io/qr"
)

func TestURLs(t *testing.T) {
	ifaces := []net.Addr{
		&net.IPNet{IP: net.ParseIP("127.0.0.1"), Mask: net.CIDRMask(8, 32)},
		&net.IPNet{IP: net.ParseIP("172.17.0.1"), Mask: net.CIDRMask(16, 32)},
		&net.IPNet{IP: net.ParseIP("fe80::1"), Mask: net.CIDRMask(64, 128)},
		&net.IPNet{IP: net.ParseIP("169.254.3.4"), Mask: net.CIDRMask(16, 32)},
		&net.IPNet{IP: net.ParseIP("10.1.2.3"), Mask: net.CIDRMask(8, 32)},
		&net.IPNet{IP: net.ParseIP("192.168.1.23"), Mask: net.CIDRMask(24, 32)},
		&net.IPNet{IP: net.ParseIP("2001:db8::5"), Mask: net.CIDRMask(64, 128)},
	}
	tcp := func(s string) net.Addr { a, _ := net.ResolveTCPAddr("tcp", s); return a }
	for _, tc := range []struct {
		addr       string
		ifaces     []net.Addr
		want       string
		all, local bool
	}{
		{"0.0.0.0:8080", ifaces, "http://192.168.1.23:8080/ http://10.1.2.3:8080/ http://172.17.0.1:8080/", true, false},
		{"[::]:8080", ifaces, "http://192.168.1.23:8080/ http://10.1.2.3:8080/ http://172.17.0.1:8080/", true, false},
		{"0.0.0.0:8080", ifaces[:1], "http://127.0.0.1:8080/", true, true},
		{"127.0.0.1:8099", ifaces, "http://127.0.0.1:8099/", false, true},
		{"192.168.1.23:80", ifaces, "http://192.168.1.23:80/", false, false},
		{"[::1]:8080", ifaces, "http://[::1]:8080/", false, true},
	} {
		urls, all, local := URLs(tcp(tc.addr), tc.ifaces)
		if got := strings.Join(urls, " "); got != tc.want || all != tc.all || local != tc.local {
			t.Errorf("URLs(%s) = %s, %v, %v; want %s, %v, %v", tc.addr, got, all, local, tc.want, tc.all, tc.local)
		}
	}
}

func TestAddr(t *testing.T) {
	for in, want := range map[string]string{
		"":             "127.0.0.1:8080",
		"0.0.0.0":      "0.0.0.0:8080",
		"0.0.0.0:9000": "0.0.0.0:9000",
		":8081":        ":8081",
		"::":           "[::]:8080",
		"[::1]":        "[::1]:8080",
		"localhost":    "localhost:8080",
	} {
		if got, err := Addr(in, 8080); err != nil || got != want {
			t.Errorf("Addr(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
}

// The terminal's code, read back (a drawn half is a light module), is the QR code of the
// address with a light quiet zone of four modules all round.
func TestTerminalQR(t *testing.T) {
	const text = "http://192.168.1.23:8080/"
	var out bytes.Buffer
	if err := TerminalQR(&out, text); err != nil {
		t.Fatal(err)
	}
	code, _ := qr.Encode(text, qr.M)
	n := code.Size + 8
	lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
	if len(lines) != (n+1)/2 {
		t.Fatalf("%d lines, want %d for %d rows", len(lines), (n+1)/2, n)
	}
	halves := map[rune][2]bool{'█': {true, true}, '▀': {true, false}, '▄': {false, true}, ' ': {false, false}}
	for i, line := range lines {
		cells := []rune(line)
		if len(cells) != n {
			t.Fatalf("line %d: %d columns, want %d", i, len(cells), n)
		}
		for x, c := range cells {
			h, ok := halves[c]
			if !ok {
				t.Fatalf("line %d: %q", i, c)
			}
			for k, y := range []int{2 * i, 2*i + 1} {
				if y >= n {
					if h[k] {
						t.Errorf("(%d,%d): drawn below the code", x, y)
					}
					continue
				}
				cx, cy := x-4, y-4
				light := cx < 0 || cy < 0 || cx >= code.Size || cy >= code.Size || !code.Black(cx, cy)
				if h[k] != light {
					t.Fatalf("module (%d,%d): drawn %v, light %v", x, y, h[k], light)
				}
			}
		}
	}
}

// The notice says what to do in both languages, with the address and its code, and says
// nothing a passer-by should not read.
func TestPosterHTML(t *testing.T) {
	doc := string(PosterHTML("http://192.168.1.23:8080/"))
	for _, want := range []string{"Skann for å åpne Veiviser på dette Wi-Fi-nettet", "Scan to open Veiviser on this Wi-Fi",
		">http://192.168.1.23:8080/<", "<svg", "<path", "size: A4", ".qr { width: 110mm"} {
		if !strings.Contains(doc, want) {
			t.Errorf("the notice lacks %q", want)
		}
	}
	for _, word := range []string{"traffick", "menneskehandel", "exploit", "utnytt", "victim", "offer", "script", "http-equiv"} {
		if strings.Contains(strings.ToLower(doc), word) {
			t.Errorf("the notice says %q", word)
		}
	}
}

// With Chromium, the notice prints to one A4 page.
func TestWritePoster(t *testing.T) {
	t.Parallel()
	if chromium.Find() == "" {
		t.Skip("no Chromium")
	}
	if testing.Short() {
		t.Skip("-short")
	}
	name := filepath.Join(t.TempDir(), "wifi.pdf")
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := WritePoster(ctx, name, "http://192.168.1.23:8080/"); err != nil {
		t.Fatal(err)
	}
	pdf, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(pdf, []byte("%PDF-")) || bytes.Count(pdf, []byte("/Count 1")) != 1 || bytes.Contains(pdf, []byte("/Count 2")) {
		t.Errorf("not a one-page PDF")
	}
	if !bytes.Contains(pdf, []byte("/MediaBox [0 0 594.9")) {
		t.Errorf("not an A4 page")
	}
}
