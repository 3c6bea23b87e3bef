package budget

import (
	"bytes"
	"compress/gzip"
	"crypto/rand"
	"encoding/hex"
	"strings"
	"testing"

	"github.com/veiviser/veiviser/internal/tree"
)

// gz is the reference: a fresh writer at the default level.
func gz(b []byte) int {
	var buf bytes.Buffer
	w, _ := gzip.NewWriterLevel(&buf, gzip.DefaultCompression)
	w.Write(b)
	w.Close()
	return buf.Len()
}

// noise is hex digits, which gzip only halves, so a page carrying them is heavy gzipped too.
func noise(n int) string {
	b := make([]byte, n/2)
	rand.Read(b)
	return hex.EncodeToString(b)
}

func TestWeigh(t *testing.T) {
	css := []byte("body{margin:0;color:#111}" + strings.Repeat(".a{color:red}", 50))
	js := []byte("var x=1;" + noise(4000))
	home := []byte(`<!doctype html><link rel=stylesheet href=/css/site.css><p>Hjem`)
	heavy := []byte(`<!doctype html><link rel=stylesheet href=../css/site.css><script src=/js/app.js></script><img src=/img/a.png><p>` + noise(110*1024))
	light := []byte(`<!doctype html><link rel=stylesheet href=/css/site.css><a href=/js/app.js>not loaded</a>`)
	img := []byte(noise(2000))
	site := tree.Tree{
		"index.html":        home,
		"en/index.html":     heavy,
		"om/index.html":     light,
		"css/site.css":      css,
		"js/app.js":         js,
		"img/a.png":         img,
		"searchindex.nb.js": []byte(noise(500 * 1024)), // loaded on demand: never counted
	}
	r := Weigh(site, "index.html")

	if want := gz(home) + gz(css); r.Home != want {
		t.Errorf("Home = %d, want the home page and its stylesheet gzipped, %d", r.Home, want)
	}
	if want := gz(heavy) + gz(css) + gz(js) + gz(img); r.Heaviest != want || r.HeaviestP != "en/index.html" {
		t.Errorf("Heaviest = %d %s, want %d en/index.html", r.Heaviest, r.HeaviestP, want)
	}
	over := r.Over()
	if len(over) != 1 || !strings.Contains(over[0], "en/index.html") {
		t.Errorf("Over() = %q, want the heavy page alone", over)
	}

	// Weighing twice gives the same report: the reused writers carry nothing over.
	if again := Weigh(site, "index.html"); again != r {
		t.Errorf("second Weigh = %+v, first %+v", again, r)
	}
	delete(site, "en/index.html")
	if r := Weigh(site, "index.html"); len(r.Over()) != 0 {
		t.Errorf("without the heavy page Over() = %q, want nothing", r.Over())
	}
}
