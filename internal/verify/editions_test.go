package verify

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestEditions(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	sum := func(body string) string { s := sha256.Sum256([]byte(body)); return hex.EncodeToString(s[:]) }
	write("veiviser-nb-v1.html", "nb")
	write("veiviser-en-v1.html", "en, changed")
	write("SHA256SUMS", sum("nb")+"  veiviser-nb-v1.html\n"+sum("en")+"  veiviser-en-v1.html\n"+sum("zim")+"  veiviser_v1.zim\n")
	eds, err := Editions(dir)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range eds {
		got = append(got, e.Name+": "+strings.Join(e.Problems, "; "))
	}
	want := []string{"veiviser-nb-v1.html: ", "veiviser-en-v1.html: changed: its SHA-256 differs from the one in SHA256SUMS", "veiviser_v1.zim: missing"}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}

	write("SHA256SUMS", sum("nb")+"  ../outside.html\n")
	if _, err := Editions(dir); err == nil || !strings.Contains(err.Error(), "SHA256SUMS:1: not a line of sha256sum") {
		t.Errorf("a name with a path: %v", err)
	}
}
