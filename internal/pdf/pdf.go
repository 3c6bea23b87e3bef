// Package pdf prints the emergency sheets to PDF files with headless Chromium, so a shelter
// can print them from any device. A page asks for its PDF with an element such as
// <a data-pdf="veiviser-pl.pdf" hidden>…</a>: the PDF is put beside the page under that name
// and the element becomes a visible link to it. Without Chromium the build goes on and the
// links stay hidden. PDFs are cached by the bytes they are printed from, and stamped with
// the build's time, so two builds of the same content give the same bytes.
package pdf

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"regexp"
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

// Sheets finds the pages of web tree t that ask for a PDF, prints them (or takes them from
// the cache), adds the PDFs to t and turns on the links to them. stamp is the time written
// into the PDFs. When ctx ends (another step of the build failed) it stops before the next
// sheet and returns ctx's error.
func Sheets(ctx context.Context, t tree.Tree, stamp time.Time) (Result, error) {
	var res Result
	wanted := map[string]string{} // page → PDF name
	for _, p := range t.Paths() {
		if strings.HasSuffix(p, ".html") && strings.Contains(string(t[p]), "data-pdf") {
			links.HTML(t[p], func(e *links.Element) {
				if a := e.Get("data-pdf"); a != nil {
					wanted[p] = a.Val
				}
			}, nil)
		}
	}
	if len(wanted) == 0 {
		return res, nil
	}
	exe := chromium.Find()
	browser := exe // what the cache is keyed by: the path and, where it answers, the version
	if exe != "" {
		if v, err := chromium.Version(exe); err == nil {
			browser += "\x00" + v
		} else {
			res.Warnings = append(res.Warnings, fmt.Sprintf("the sheets' PDF cache is keyed by Chromium's path only: %v", err))
		}
	}
	cache := cacheDir()
	pdfs := map[string][]byte{}
	var missing []string
	for p := range wanted {
		if b, err := os.ReadFile(filepath.Join(cache, key(t, p, browser)+".pdf")); err == nil && exe != "" {
			pdfs[p] = b
			res.Cached++
		} else {
			missing = append(missing, p)
		}
	}
	if len(missing) > 0 {
		if exe == "" {
			res.Skipped = "no Chromium found (apt-get install chromium-headless-shell); the sheets' PDFs were skipped"
			return res, nil
		}
		printed, err := print(ctx, t, missing, exe)
		if err != nil {
			return res, err
		}
		cleanCache(cache, time.Now().Add(-time.Hour))
		for p, b := range printed {
			pdfs[p] = b
			res.Printed++
			// Written whole or not at all: builds running side by side share the cache.
			if err := os.MkdirAll(cache, 0o755); err != nil {
				res.Warnings = append(res.Warnings, fmt.Sprintf("the sheets' PDF cache: %v", err))
			} else if err := publish.File(filepath.Join(cache, key(t, p, browser)+".pdf"), b); err != nil {
				res.Warnings = append(res.Warnings, fmt.Sprintf("the sheets' PDF cache: %v", err))
			}
		}
	}
	for p, name := range wanted {
		t[path.Join(path.Dir(p), name)] = restamp(pdfs[p], stamp)
		t[p] = links.HTML(t[p], func(e *links.Element) {
			if a := e.Get("data-pdf"); a != nil {
				e.Set("href", a.Val)
				a.Drop()
				if h := e.Get("hidden"); h != nil {
					h.Drop()
				}
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

// key names what a PDF of page p is printed from: the page, every file it loads, and the
// browser that prints it (its path and version).
func key(t tree.Tree, p, browser string) string {
	h := sha256.New()
	fmt.Fprintf(h, "%s\x00%s\x00", browser, p)
	h.Write(t[p])
	links.Walk(t[p], func(e *links.Element, r links.Ref) {
		if r.Resource && strings.HasPrefix(r.URL, "/") {
			h.Write(t[strings.TrimPrefix(r.URL, "/")])
		}
	})
	return hex.EncodeToString(h.Sum(nil))
}

// print serves t on a loopback port and prints each page with Chromium, on A4.
func print(stop context.Context, t tree.Tree, pages []string, exe string) (map[string][]byte, error) {
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

	out := map[string][]byte{}
	for _, p := range pages {
		if err := stop.Err(); err != nil {
			return nil, err
		}
		url := "http://" + ln.Addr().String() + "/" + strings.TrimSuffix(p, "index.html")
		if err := chromedp.Do(ctx, chromedp.Navigate(url), chromedp.WaitReady("body")); err != nil {
			return nil, fmt.Errorf("pdf of %s: %w", p, err)
		}
		res, err := chromedp.Call(ctx, page.PrintToPDF, page.PrintToPDFParams{
			PaperWidth: 8.27, PaperHeight: 11.69, PreferCSSPageSize: new(true), PrintBackground: new(false),
		})
		if err != nil {
			return nil, fmt.Errorf("pdf of %s: %w", p, err)
		}
		out[p] = res.Data
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
