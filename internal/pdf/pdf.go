// Package pdf prints the print products (the emergency sheets, the posters, the wallet cards)
// to PDF files with headless Chromium, so a shelter can print them from any device. A page asks
// for a PDF with an element such as <a data-pdf="veiviser-pl.pdf" hidden>…</a>: the PDF is put
// beside the page under that name and the element becomes a visible link to it. A page may ask
// for several, each on a paper of its own: data-pdf-paper="A3" prints it on A3 (the default is
// A4). While a PDF is printed, the page's root element has data-pdf-paper set to its paper, so
// the page's CSS can lay it out for that paper (the poster's scales its A4 layout by √2 onto a
// named A3 page: assets/css/components/poster.css); the paper is the size Chromium uses where
// the CSS asks for none. Another page
// can link to a PDF with <a data-pdf-link="/pl/sheet/veiviser-pl.pdf" hidden>: the link is
// turned on only if that PDF was made. Without Chromium the build goes on and the links stay
// hidden. PDFs are cached by the bytes they are printed from and the paper, and stamped with
// the build's time, so two builds of the same content give the same bytes.
package pdf

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math"
	"net"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/veiviser/veiviser/internal/chromium"
	"github.com/veiviser/veiviser/internal/links"
	"github.com/veiviser/veiviser/internal/publish"
	"github.com/veiviser/veiviser/internal/tree"
)

// Result says what happened.
type Result struct {
	Printed, Cached int      // PDFs printed now, and taken from the cache
	Skipped         string   // why no PDFs were made, or ""
	Warnings        []string // what went wrong without stopping the build (the cache), one line each
}

// Paper is a paper size a page can ask for with data-pdf-paper, in inches, as Chromium takes it.
type Paper struct{ Width, Height float64 }

// Papers are the paper sizes a page can ask for.
var Papers = map[string]Paper{
	"A4": {Width: 8.27, Height: 11.69},
	"A3": {Width: 11.69, Height: 16.54},
}

// job is one PDF a page asks for.
type job struct {
	page  string // the page's path in the tree
	name  string // the PDF's path in the tree, beside the page
	paper string // a key of Papers
}

// Sheets finds the pages of web tree t that ask for PDFs, prints them (or takes them from the
// cache), adds the PDFs to t and turns on the links to them, on those pages and on pages that
// link to them with data-pdf-link. stamp is the time written into the PDFs. When ctx ends
// (another step of the build failed) it stops before the next PDF and returns ctx's error.
func Sheets(ctx context.Context, t tree.Tree, stamp time.Time) (Result, error) {
	var res Result
	var jobs []job
	var linking []string         // pages with data-pdf-link
	names := map[string]string{} // PDF path → the page that asks for it
	for _, p := range t.Paths() {
		if !strings.HasSuffix(p, ".html") || !strings.Contains(string(t[p]), "data-pdf") {
			continue
		}
		var err error
		links.HTML(t[p], func(e *links.Element) {
			if e.Get("data-pdf-link") != nil && !slices.Contains(linking, p) {
				linking = append(linking, p)
			}
			a := e.Get("data-pdf")
			if a == nil || err != nil {
				return
			}
			j := job{page: p, name: path.Join(path.Dir(p), a.Val), paper: "A4"}
			if pa := e.Get("data-pdf-paper"); pa != nil {
				j.paper = pa.Val
			}
			switch _, known := Papers[j.paper]; {
			case a.Val == "" || strings.Contains(a.Val, "/") || !strings.HasSuffix(a.Val, ".pdf"):
				err = fmt.Errorf("%s: data-pdf=%q: want a file name ending in .pdf", p, a.Val)
			case !known:
				err = fmt.Errorf("%s: data-pdf-paper=%q: unknown paper (known: A4, A3)", p, j.paper)
			case names[j.name] != "":
				err = fmt.Errorf("%s: data-pdf=%q: asked for twice (also by %s)", p, a.Val, names[j.name])
			}
			names[j.name] = p
			jobs = append(jobs, j)
		}, nil)
		if err != nil {
			return res, err
		}
	}
	if len(jobs) == 0 {
		return res, nil
	}
	exe := chromium.Find()
	browser := exe // what the cache is keyed by: the path and, where it answers, the version
	if exe != "" {
		if v, err := chromium.Version(exe); err == nil {
			browser += "\x00" + v
		} else {
			res.Warnings = append(res.Warnings, fmt.Sprintf("the PDF cache is keyed by Chromium's path only: %v", err))
		}
	}
	cache := cacheDir()
	pdfs := map[string][]byte{} // PDF path → its bytes
	var missing []job
	for _, j := range jobs {
		if b, err := os.ReadFile(filepath.Join(cache, key(t, j.page, j.paper, browser)+".pdf")); err == nil && exe != "" {
			pdfs[j.name] = b
			res.Cached++
		} else {
			missing = append(missing, j)
		}
	}
	if len(missing) > 0 {
		if exe == "" {
			res.Skipped = "no Chromium found (apt-get install chromium-headless-shell); the PDFs were skipped"
			return res, nil
		}
		printed, err := print(ctx, t, missing, exe)
		if err != nil {
			return res, err
		}
		cleanCache(cache, time.Now().Add(-time.Hour))
		for _, j := range missing {
			b := printed[j.name]
			pdfs[j.name] = b
			res.Printed++
			// Written whole or not at all: builds running side by side share the cache.
			if err := os.MkdirAll(cache, 0o755); err != nil {
				res.Warnings = append(res.Warnings, fmt.Sprintf("the PDF cache: %v", err))
			} else if err := publish.File(filepath.Join(cache, key(t, j.page, j.paper, browser)+".pdf"), b); err != nil {
				res.Warnings = append(res.Warnings, fmt.Sprintf("the PDF cache: %v", err))
			}
		}
	}
	for name, b := range pdfs {
		t[name] = restamp(b, stamp)
	}
	for _, j := range jobs {
		t[j.page] = links.HTML(t[j.page], func(e *links.Element) {
			if a := e.Get("data-pdf"); a != nil {
				e.Set("href", a.Val)
				a.Drop()
				if pa := e.Get("data-pdf-paper"); pa != nil {
					pa.Drop()
				}
				if h := e.Get("hidden"); h != nil {
					h.Drop()
				}
			}
		}, nil)
	}
	for _, p := range linking {
		t[p] = links.HTML(t[p], func(e *links.Element) {
			a := e.Get("data-pdf-link")
			if a == nil {
				return
			}
			target := strings.TrimPrefix(a.Val, "/")
			if !strings.HasPrefix(a.Val, "/") {
				target = path.Join(path.Dir(p), a.Val)
			}
			if _, ok := pdfs[target]; !ok {
				return // no such PDF was made: the link stays hidden
			}
			e.Set("href", a.Val)
			a.Drop()
			if h := e.Get("hidden"); h != nil {
				h.Drop()
			}
		}, nil)
	}
	return res, nil
}

func cacheDir() string {
	dir, err := os.UserCacheDir()
	if err != nil {
		dir = os.TempDir()
	}
	return filepath.Join(dir, "veiviser", "pdf")
}

// cleanCache removes the temporary files that builds interrupted while writing to the cache
// left there before the time before. Builds of other projects share the cache, so a file
// being written now is left alone.
func cleanCache(dir string, before time.Time) {
	matches, _ := filepath.Glob(filepath.Join(dir, ".*.tmp-*"))
	for _, m := range matches {
		if fi, err := os.Lstat(m); err == nil && fi.ModTime().Before(before) {
			os.Remove(m)
		}
	}
}

// printing names how print prints: change it when that changes, so the cache prints anew.
const printing = "2: a page opened anew for each PDF, data-pdf-paper on its root element"

// key names what a PDF of page p is printed from: the page, every file it loads, the paper it
// is printed on, how it is printed, and the browser that prints it (its path and version).
func key(t tree.Tree, p, paper, browser string) string {
	h := sha256.New()
	fmt.Fprintf(h, "%s\x00%s\x00%s\x00%s\x00", printing, browser, p, paper)
	h.Write(t[p])
	links.Walk(t[p], func(e *links.Element, r links.Ref) {
		if r.Resource && strings.HasPrefix(r.URL, "/") {
			h.Write(t[strings.TrimPrefix(r.URL, "/")])
		}
	})
	return hex.EncodeToString(h.Sum(nil))
}

// print serves t on a loopback port and prints the PDFs of jobs with Chromium.
func print(stop context.Context, t tree.Tree, jobs []job, exe string) (map[string][]byte, error) {
	if err := stop.Err(); err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := strings.TrimPrefix(r.URL.Path, "/")
		if p == "" || strings.HasSuffix(p, "/") {
			p += "index.html"
		}
		b, ok := t[p]
		if !ok {
			http.NotFound(w, r)
			return
		}
		http.ServeContent(w, r, p, time.Time{}, strings.NewReader(string(b)))
	})}
	go srv.Serve(ln)
	defer srv.Close()

	// Chromium's profile and every temporary folder it makes live in one folder of ours,
	// removed when it has exited, however it exits.
	scratch, err := chromium.NewScratch()
	if err != nil {
		return nil, err
	}
	defer scratch.Remove() // runs after Chromium has exited: acancel waits for it
	// Where the folder's name is too long for Chromium's socket, it would not start: it is
	// closed cleanly instead (below).
	actx, acancel := chromedp.NewExecAllocator(context.Background(), scratch.Options(exe)...)
	defer acancel()
	ctx, cancel := chromedp.NewContext(actx)
	defer cancel()
	defer chromedp.Cancel(ctx) // close the browser cleanly first, so it removes what it made
	ctx, tcancel := context.WithTimeout(ctx, 2*time.Minute)
	defer tcancel()

	out := map[string][]byte{} // PDF path → its bytes
	for _, j := range jobs {
		if err := stop.Err(); err != nil {
			return nil, err
		}
		// Opened anew for each PDF: a second print of the same document keeps the first's
		// page size in Chromium.
		url := "http://" + ln.Addr().String() + "/" + strings.TrimSuffix(j.page, "index.html")
		if err := chromedp.Do(ctx, chromedp.Navigate(url), chromedp.WaitReady(chromedp.CSS("body"))); err != nil {
			return nil, fmt.Errorf("pdf of %s: %w", j.page, err)
		}
		// The page's CSS sees the paper it is printed on (data-pdf-paper on the root element).
		if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](fmt.Sprintf(
			"document.documentElement.setAttribute('data-pdf-paper', %q), true", j.paper))); err != nil {
			return nil, fmt.Errorf("pdf %s of %s: %w", path.Base(j.name), j.page, err)
		}
		paper := Papers[j.paper]
		params := page.PrintToPDFParams{
			PaperWidth: paper.Width, PaperHeight: paper.Height, PreferCSSPageSize: new(true), PrintBackground: new(false),
		}
		res, err := chromedp.Call(ctx, page.PrintToPDF, params)
		if err != nil {
			return nil, fmt.Errorf("pdf %s of %s: %w", path.Base(j.name), j.page, err)
		}
		out[j.name] = res.Data
	}
	return out, nil
}

var pdfDate = regexp.MustCompile(`\(D:\d{14}[^)]*\)`)

// restamp writes stamp into the PDF's creation and modification dates. The new dates have
// the length of the old ones, so the file's offsets stay right.
func restamp(pdf []byte, stamp time.Time) []byte {
	return pdfDate.ReplaceAllFunc(pdf, func(old []byte) []byte {
		d := "(D:" + stamp.UTC().Format("20060102150405") + "+00'00')"
		if len(d) != len(old) {
			return old
		}
		return []byte(d)
	})
}

var (
	pageObject = regexp.MustCompile(`/Type\s*/Page\b`)
	mediaBox   = regexp.MustCompile(`/MediaBox\s*\[\s*([0-9.]+)\s+([0-9.]+)\s+([0-9.]+)\s+([0-9.]+)\s*\]`)
)

// PageSizes returns the size of each page of a PDF that Chromium printed, in whole points
// (width, height): A4 is 595×842, A3 842×1191. Chromium gives each page object its MediaBox;
// a PDF whose count of MediaBoxes is not its count of pages gives nil. The tests use it.
func PageSizes(pdf []byte) [][2]int {
	boxes := mediaBox.FindAllSubmatch(pdf, -1)
	if len(boxes) != len(pageObject.FindAll(pdf, -1)) {
		return nil
	}
	var out [][2]int
	for _, m := range boxes {
		var v [4]float64
		for i, b := range m[1:] {
			fmt.Sscan(string(b), &v[i])
		}
		out = append(out, [2]int{int(math.Round(v[2] - v[0])), int(math.Round(v[3] - v[1]))})
	}
	return out
}
