// Package budget weighs pages as a reader's browser receives them, gzipped: the home page's
// HTML and CSS, which must arrive in the first round trip (14 KiB), and every page with
// everything it loads (50 KiB). A search index, loaded only when a reader searches, is left out.
package budget

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"path"
	"sort"
	"strings"
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
	gz := sizer()
	var r Report
	pages := []string{}
	for _, p := range t.Paths() {
		if path.Ext(p) == ".html" {
			pages = append(pages, p)
		}
	}
	sort.Strings(pages)
	for _, p := range pages {
		html, css, other := gz(p, t[p]), 0, 0
		for _, res := range resources(t, p) {
			n := gz(res, t[res])
			if path.Ext(res) == ".css" {
				css += n
			} else {
				other += n
			}
		}
		if p == home {
			r.Home = html + css
		}
		if total := html + css + other; total > r.Heaviest {
			r.Heaviest, r.HeaviestP = total, p
		}
	}
	return r
}

// resources lists the files of t that page p makes the browser load (stylesheets, scripts,
// images), as paths in t. Links to files outside the site are not counted.
func resources(t tree.Tree, page string) []string {
	seen := map[string]bool{}
	var out []string
	links.Walk(t[page], func(e *links.Element, r links.Ref) {
		if !r.Resource || strings.Contains(r.URL, ":") || strings.HasPrefix(r.URL, "//") {
			return
		}
		u := strings.SplitN(strings.SplitN(r.URL, "#", 2)[0], "?", 2)[0]
		var p string
		if strings.HasPrefix(u, "/") {
			p = strings.TrimPrefix(u, "/")
		} else {
			p = path.Join(path.Dir(page), u)
		}
		if _, ok := t[p]; ok && !seen[p] {
			seen[p] = true
			out = append(out, p)
		}
	})
	return out
}

// sizer returns a function giving the gzipped size of a file, computing each file once.
func sizer() func(name string, b []byte) int {
	var mu sync.Mutex
	cache := map[string]int{}
	return func(name string, b []byte) int {
		mu.Lock()
		defer mu.Unlock()
		if n, ok := cache[name]; ok {
			return n
		}
		var buf bytes.Buffer
		w, _ := gzip.NewWriterLevel(&buf, gzip.DefaultCompression)
		w.Write(b)
		w.Close()
		cache[name] = buf.Len()
		return buf.Len()
	}
}

func kib(n int) string { return fmt.Sprintf("%.1f KiB", float64(n)/1024) }
