package host

import (
	"fmt"
	"io"
	"net"
	"net/netip"
	"sort"
	"strconv"
	"strings"

	"rsc.io/qr"
)

// URLs are the addresses to open the server listening on addr at. For a server listening
// on every interface (0.0.0.0, ::, or no host) they are those of the machine's non-loopback
// IPv4 addresses ifaces (net.InterfaceAddrs) — typical Wi-Fi networks first (192.168/16,
// then 10/8, then 172.16/12) — or, when it has none, the loopback address. all reports
// whether the server listens on every interface, local whether the only address is this
// machine's own (no phone can reach it).
func URLs(addr net.Addr, ifaces []net.Addr) (urls []string, all, local bool) {
	host, port, err := net.SplitHostPort(addr.String())
	if err != nil {
		return []string{"http://" + addr.String() + "/"}, false, false
	}
	url := func(ip string) string { return "http://" + net.JoinHostPort(ip, port) + "/" }
	ip, err := netip.ParseAddr(host)
	if host != "" && err == nil && !ip.IsUnspecified() {
		return []string{url(ip.Unmap().String())}, false, ip.IsLoopback()
	}
	if host != "" && err != nil { // a name
		return []string{url(host)}, false, host == "localhost"
	}
	var ips []netip.Addr
	for _, a := range ifaces {
		var ip netip.Addr
		switch a := a.(type) {
		case *net.IPNet:
			ip, _ = netip.AddrFromSlice(a.IP)
		case *net.IPAddr:
			ip, _ = netip.AddrFromSlice(a.IP)
		default:
			ip, _ = netip.ParseAddr(strings.Split(a.String(), "/")[0])
		}
		ip = ip.Unmap()
		if ip.Is4() && !ip.IsLoopback() && !ip.IsLinkLocalUnicast() && !ip.IsUnspecified() && !ip.IsMulticast() {
			ips = append(ips, ip)
		}
	}
	sort.SliceStable(ips, func(i, j int) bool { return rank(ips[i]) < rank(ips[j]) })
	for _, ip := range ips {
		if u := url(ip.String()); !contains(urls, u) {
			urls = append(urls, u)
		}
	}
	if len(urls) == 0 {
		return []string{url("127.0.0.1")}, true, true
	}
	return urls, true, false
}

// rank orders addresses: the private ranges Wi-Fi routers hand out most, then the others.
func rank(ip netip.Addr) int {
	for i, p := range []string{"192.168.0.0/16", "10.0.0.0/8", "172.16.0.0/12"} {
		if netip.MustParsePrefix(p).Contains(ip) {
			return i
		}
	}
	return 3
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// Addr is the address to listen on for the -addr value s: a host without a port gets port,
// ":8080" listens on every interface.
func Addr(s string, port int) (string, error) {
	if s == "" {
		return net.JoinHostPort("127.0.0.1", strconv.Itoa(port)), nil
	}
	if _, _, err := net.SplitHostPort(s); err == nil {
		return s, nil
	}
	host := strings.TrimSuffix(strings.TrimPrefix(s, "["), "]")
	if _, err := netip.ParseAddr(host); err != nil && strings.Contains(host, ":") {
		return "", fmt.Errorf("-addr %q: want HOST:PORT, e.g. 0.0.0.0:%d", s, port)
	}
	return net.JoinHostPort(host, strconv.Itoa(port)), nil
}

// TerminalQR writes the QR code of text for a terminal: two rows of modules to a line, drawn
// with the half blocks ▀ ▄ █ and spaces, inside the quiet zone of four modules readers need.
// The light modules are the drawn ones, so the code reads on a terminal with a dark
// background (the usual one), where what is drawn is light and the rest dark.
func TerminalQR(w io.Writer, text string) error {
	code, err := qr.Encode(text, qr.M)
	if err != nil {
		return fmt.Errorf("qr code for %q: %w", text, err)
	}
	const quiet = 4
	n := code.Size + 2*quiet
	light := func(x, y int) bool {
		x, y = x-quiet, y-quiet
		if x < 0 || y < 0 || x >= code.Size || y >= code.Size {
			return true
		}
		return !code.Black(x, y)
	}
	var b strings.Builder
	for y := 0; y < n; y += 2 {
		for x := 0; x < n; x++ {
			// Past the last row is the terminal's own dark background.
			top, bottom := light(x, y), y+1 < n && light(x, y+1)
			switch {
			case top && bottom:
				b.WriteString("█")
			case top:
				b.WriteString("▀")
			case bottom:
				b.WriteString("▄")
			default:
				b.WriteString(" ")
			}
		}
		b.WriteString("\n")
	}
	_, err = io.WriteString(w, b.String())
	return err
}
