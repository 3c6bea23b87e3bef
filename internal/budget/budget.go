// Package budget weighs pages as a reader's browser receives them, gzipped: the home page's
// HTML and CSS, which must arrive in the first round trip (14 KiB), and every page with
// everything it loads (50 KiB). A search index, loaded only when a reader searches, is left out.
package budget

import (
	"compress/gzip"
	"fmt"
	"io"
	"path"
	"sync"

	"github.com/veiviser/veiviser/internal/links"
	"github.com/veiviser/veiviser/internal/tree"
)

// Limits in bytes.
const (
	FirstRoundTrip = 14 * 1024
	PageWeight     = 50 * 1024
)

// Report is what the site weighs.
type Report struct {
	Home      int    // the home page's HTML and stylesheets, gzipped
	Heaviest  int    // the heaviest page with everything it loads, gzipped
	HeaviestP string // which page that is
}

// String is the report as the build prints it.
func (r Report) String() string {
	return fmt.Sprintf("home page HTML+CSS %s gzipped (limit %s); heaviest page %s with all it loads %s (limit %s)",
		kib(r.Home), kib(FirstRoundTrip), r.HeaviestP, kib(r.Heaviest), kib(PageWeight))
}

// Over lists the limits the report breaks.
func (r Report) Over() []string {
	var over []string
	if r.Home > FirstRoundTrip {
		over = append(over, fmt.Sprintf("home page HTML+CSS is %s gzipped, over %s", kib(r.Home), kib(FirstRoundTrip)))
	}
	if r.Heaviest > PageWeight {
		over = append(over, fmt.Sprintf("%s with all it loads is %s gzipped, over %s", r.HeaviestP, kib(r.Heaviest), kib(PageWeight)))
	}
	return over
}

// Weigh weighs the pages of web tree t; home is the home page's path ("index.html").
func Weigh(t tree.Tree, home string) Report {
	var pages []string
	for _, p := range t.Paths() {
		if path.Ext(p) == ".html" {
			pages = append(pages, p)
		}
	}
	// Every page is gzipped once, side by side; the stylesheets and scripts pages share are
	// gzipped once for all of them.
	var (
		mu     sync.Mutex
		shared = map[string]int{}
	)
	sharedSize := func(p string) int {
		mu.Lock()
		defer mu.Unlock()
		n, ok := shared[p]
		if !ok {
			n = Gzipped(t[p])
			shared[p] = n
		}
		return n
	}
	type weight struct{ html, css, other int }
	weights := make([]weight, len(pages))
	idx := make(map[string]int, len(pages))
	for i, p := range pages {
		idx[p] = i
	}
	resolver := links.ForWeb(t, "") // (pages load their files by path, not by the full address)
	tree.Each(pages, func(p string) error {
		w := weight{html: Gzipped(t[p])}
		for _, res := range resources(resolver, t, p) {
			if path.Ext(res) == ".css" {
				w.css += sharedSize(res)
			} else {
				w.other += sharedSize(res)
			}
		}
		weights[idx[p]] = w
		return nil
	})
	var r Report
	for i, p := range pages {
		w := weights[i]
		if p == home {
			r.Home = w.html + w.css
		}
		if total := w.html + w.css + w.other; total > r.Heaviest {
			r.Heaviest, r.HeaviestP = total, p
		}
	}
	return r
}

// resources lists the files of t that page p makes the browser load (stylesheets, scripts,
// images), as paths in t. Links to files outside the site are not counted.
func resources(r *links.Resolver, t tree.Tree, page string) []string {
	seen := map[string]bool{}
	var out []string
	links.Walk(t[page], func(e *links.Element, ref links.Ref) {
		if !ref.Resource {
			return
		}
		if res := r.Resolve(page, ref.URL); res.Kind == links.File && !res.InPage && !seen[res.Path] {
			seen[res.Path] = true
			out = append(out, res.Path)
		}
	})
	return out
}

// writers keeps gzip writers for reuse: a new one allocates about a megabyte of tables,
// which costs more than compressing a page.
var writers = sync.Pool{New: func() any {
	w, _ := gzip.NewWriterLevel(io.Discard, gzip.DefaultCompression)
	return w
}}

// Gzipped is the size of b gzipped at the level web servers commonly use.
func Gzipped(b []byte) int {
	var n countingWriter
	w := writers.Get().(*gzip.Writer)
	defer writers.Put(w)
	w.Reset(&n)
	w.Write(b)
	w.Close()
	return int(n)
}

// countingWriter counts the bytes written to it and drops them.
type countingWriter int

func (c *countingWriter) Write(p []byte) (int, error) {
	*c += countingWriter(len(p))
	return len(p), nil
}

func kib(n int) string { return fmt.Sprintf("%.1f KiB", float64(n)/1024) }
