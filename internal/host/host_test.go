package host

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"io"
	"io/fs"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/veiviser/veiviser/internal/bundle"
	"github.com/veiviser/veiviser/internal/tree"
	"github.com/veiviser/veiviser/internal/ziptest"
)

const testCSP = "default-src 'self'; script-src 'self'; style-src 'self' 'sha256-abc='; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'"

func htmlPage(title, body string) []byte {
	return []byte(`<!doctype html><html lang=nb><meta charset=utf-8><meta http-equiv=Content-Security-Policy content="` + testCSP + `"><title>` + title + `</title>` +
		`<script src=js/exit.min.0123abcd.js defer></script>` + body + `</html>`)
}

// site is a small offline tree: pages in folders, a folder without an index.html, scripts,
// a search index, PDFs, and 404 pages with relative links.
func site() tree.Tree {
	return tree.Tree{
		"index.html":                   htmlPage("Veiviser", `<a class=exit-button href=vaer/index.html>Forlat siden</a><a href=en/index.html>English</a>`),
		"vaer/index.html":              htmlPage("Været", "Oslo: 3 °C"),
		"en/index.html":                htmlPage("Veiviser", `<a class=exit-button href=../weather/index.html>Leave</a>`),
		"en/about/index.html":          htmlPage("About", "about"),
		"weather/index.html":           htmlPage("Weather", "sun"),
		"404.html":                     htmlPage("Ikke funnet", `<a href=index.html>Til forsiden</a><img src=img/logo.svg alt=""><a href=#main>Hopp</a><a href="https://example.org/">ut</a>`),
		"en/404.html":                  htmlPage("Not found", `<a href=index.html>Home</a><a href=../404.html>Norsk</a>`),
		"js/exit.min.0123abcd.js":      []byte(`document.documentElement.dataset.js="1"`),
		"search-index.js":              []byte(`window.searchIndex=[]`),
		"img/logo.svg":                 []byte(`<svg xmlns="http://www.w3.org/2000/svg"/>`),
		"ark/veiviser-pl.pdf":          []byte("%PDF-1.4 not really\n"),
		"style.css":                    []byte("body{color:#000}"),
		"deep/er/index.html":           htmlPage("Deep", "deep"),
		"data.json":                    []byte(`{}`),
		"ark/sheet-without-index.html": htmlPage("Sheet", "sheet"),
	}
}

const testVersion = "0123456789ab"

func zipOf(t testing.TB, tr tree.Tree) []byte {
	t.Helper()
	b, err := bundle.Zip(tr, bundle.Folder(testVersion), testVersion, time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC), "112")
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func load(t testing.TB) *Bundle {
	t.Helper()
	b, err := Load("test.zip", zipOf(t, site()))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func get(h http.Handler, method, target string, hdr ...string) *http.Response {
	r := httptest.NewRequest(method, target, nil)
	for i := 0; i+1 < len(hdr); i += 2 {
		r.Header.Set(hdr[i], hdr[i+1])
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w.Result()
}

func body(t *testing.T, res *http.Response) string {
	t.Helper()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// checkHeaders fails unless res carries every security header.
func checkHeaders(t *testing.T, what string, res *http.Response) {
	t.Helper()
	if got, want := res.Header.Get("Content-Security-Policy"), testCSP+"; frame-ancestors 'none'"; got != want {
		t.Errorf("%s: Content-Security-Policy %q, want %q", what, got, want)
	}
	for _, kv := range SecurityHeaders {
		if got := res.Header.Values(kv[0]); len(got) != 1 || got[0] != kv[1] {
			t.Errorf("%s: %s %q, want %q", what, kv[0], got, kv[1])
		}
	}
	for _, name := range []string{"Permissions-Policy", "X-Content-Type-Options", "X-Frame-Options", "Referrer-Policy"} {
		if res.Header.Get(name) == "" {
			t.Errorf("%s: no %s", what, name)
		}
	}
}

// wantTypes are the content types of the files of site().
var wantTypes = map[string]string{
	".html": "text/html; charset=utf-8",
	".js":   "text/javascript; charset=utf-8", // the search and the exit button run only as scripts
	".css":  "text/css; charset=utf-8",
	".svg":  "image/svg+xml",
	".pdf":  "application/pdf",
	".json": "application/json",
	".txt":  "text/plain; charset=utf-8",
	"":      "text/plain; charset=utf-8", // SHA256SUMS, VERSION
}

// Every file of the bundle is served, with 200, its bytes, its type and the headers; a folder
// with an index.html by its index, at its address with the slash.
func TestServesEveryFile(t *testing.T) {
	b := load(t)
	h := b.Handler(nil)
	files := site()
	for _, name := range bundle.Added {
		files[name] = nil
	}
	for name, want := range files {
		for _, method := range []string{"GET", "HEAD"} {
			res := get(h, method, "/"+name)
			got := body(t, res)
			if res.StatusCode != 200 {
				t.Errorf("%s /%s: %d", method, name, res.StatusCode)
				continue
			}
			checkHeaders(t, method+" /"+name, res)
			if ct := res.Header.Get("Content-Type"); ct != wantTypes[path.Ext(name)] {
				t.Errorf("/%s: Content-Type %q, want %q", name, ct, wantTypes[path.Ext(name)])
			}
			if method == "GET" && want != nil && got != string(want) {
				t.Errorf("/%s: served %d bytes, not the file's %d", name, len(got), len(want))
			}
			if method == "HEAD" && got != "" {
				t.Errorf("HEAD /%s has a body", name)
			}
			if res.Header.Get("ETag") == "" {
				t.Errorf("/%s: no ETag", name)
			}
		}
	}
	for target, want := range map[string]string{"/": "index.html", "/en/": "en/index.html", "/en/about/": "en/about/index.html", "/deep/er/": "deep/er/index.html"} {
		res := get(h, "GET", target)
		if got := body(t, res); res.StatusCode != 200 || got != string(files[want]) {
			t.Errorf("%s: %d, not %s", target, res.StatusCode, want)
		}
	}
	for _, tc := range []struct{ name, want string }{
		{"x.js", "text/javascript; charset=utf-8"}, {"a.html", "text/html; charset=utf-8"}, {"a.css", "text/css; charset=utf-8"},
		{"a.pdf", "application/pdf"}, {"a.svg", "image/svg+xml"}, {"SHA256SUMS", "text/plain; charset=utf-8"},
	} {
		if got := contentType(tc.name); got != tc.want {
			t.Errorf("contentType(%q) = %q, want %q", tc.name, got, tc.want)
		}
	}
	// The scripts are fingerprinted: browsers may keep them. Everything else is asked again.
	if cc := get(h, "GET", "/js/exit.min.0123abcd.js").Header.Get("Cache-Control"); cc != Immutable {
		t.Errorf("/js/: Cache-Control %q", cc)
	}
	if cc := get(h, "GET", "/").Header.Get("Cache-Control"); cc != Revalidate {
		t.Errorf("/: Cache-Control %q", cc)
	}
	// A phone that has the page answers with its ETag, and gets 304.
	etag := get(h, "GET", "/en/").Header.Get("ETag")
	if res := get(h, "GET", "/en/", "If-None-Match", etag); res.StatusCode != http.StatusNotModified {
		t.Errorf("If-None-Match: %d, want 304", res.StatusCode)
	}
	// A PDF in pieces (phones' viewers ask for ranges).
	if res := get(h, "GET", "/ark/veiviser-pl.pdf", "Range", "bytes=0-3"); res.StatusCode != http.StatusPartialContent || body(t, res) != "%PDF" {
		t.Errorf("Range: %d", res.StatusCode)
	}
}

// No folder is listed: a folder without an index.html is not found; unknown addresses get
// the nearest 404.html, with status 404 and links that work from anywhere.
func TestNotFound(t *testing.T) {
	b := load(t)
	h := b.Handler(nil)
	for _, target := range []string{"/ark/", "/ark", "/js/", "/js", "/img/", "/nope", "/nope/", "/index.html/", "/en/about/index.html/x",
		"/../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd", "/ark/..%5c..%5cSHA256SUMS", "/en/nope.html", "/deep/er/nope/deeper/"} {
		res := get(h, "GET", target)
		got := body(t, res)
		if res.StatusCode != 404 {
			t.Errorf("%s: %d, want 404", target, res.StatusCode)
		}
		checkHeaders(t, target, res)
		if strings.Contains(got, "veiviser-pl.pdf") || strings.Contains(got, "<pre>") {
			t.Errorf("%s: lists a folder:\n%s", target, got)
		}
		if res.Header.Get("Cache-Control") == Immutable {
			t.Errorf("%s: a 404 kept for a year", target)
		}
	}
	res := get(h, "GET", "/nope/deeper/still")
	got := body(t, res)
	for _, want := range []string{"<title>Ikke funnet", `href=/index.html`, `src=/img/logo.svg`, `src=/js/exit.min.0123abcd.js`, `href=#main`, `href="https://example.org/"`} {
		if !strings.Contains(got, want) {
			t.Errorf("the 404 page lacks %s:\n%s", want, got)
		}
	}
	if res.Header.Get("Content-Type") != "text/html; charset=utf-8" {
		t.Errorf("404: Content-Type %q", res.Header.Get("Content-Type"))
	}
	got = body(t, get(h, "GET", "/en/nope/x"))
	for _, want := range []string{"<title>Not found", `href=/en/index.html`, `href=/404.html`} {
		if !strings.Contains(got, want) {
			t.Errorf("the English 404 page lacks %s:\n%s", want, got)
		}
	}
	// A folder asked for without its slash goes to its address with one (relative links).
	res = get(h, "GET", "/en/about?x=1")
	if res.StatusCode != http.StatusMovedPermanently || res.Header.Get("Location") != "/en/about/?x=1" {
		t.Errorf("/en/about: %d to %q", res.StatusCode, res.Header.Get("Location"))
	}
	for target, want := range map[string]string{"//en/about": "/en/about/", "/en/./about": "/en/about/", "/ark/../en": "/en/", "/%2fen": "/en/"} {
		if res := get(h, "GET", target); res.StatusCode != http.StatusMovedPermanently || res.Header.Get("Location") != want {
			t.Errorf("%s: %d to %q, want %q", target, res.StatusCode, res.Header.Get("Location"), want)
		}
	}
	// A bundle without any 404.html: a short plain text.
	tr := site()
	delete(tr, "404.html")
	delete(tr, "en/404.html")
	b2, err := Load("no404.zip", zipOf(t, tr))
	if err != nil {
		t.Fatal(err)
	}
	res = get(b2.Handler(nil), "GET", "/nope")
	if got := body(t, res); res.StatusCode != 404 || got != "404 Not Found\n" {
		t.Errorf("no 404.html: %d %q", res.StatusCode, got)
	}
}

// Read-only: only GET and HEAD.
func TestReadOnly(t *testing.T) {
	h := load(t).Handler(nil)
	for _, m := range []string{"POST", "PUT", "DELETE", "PATCH", "OPTIONS", "PROPFIND", "TRACE"} {
		res := get(h, m, "/")
		if res.StatusCode != http.StatusMethodNotAllowed || res.Header.Get("Allow") != "GET, HEAD" {
			t.Errorf("%s /: %d, Allow %q", m, res.StatusCode, res.Header.Get("Allow"))
		}
		checkHeaders(t, m, res)
	}
}

// The exit button leads to the bundle's own neutral page, not to the internet.
func TestExitIsLocal(t *testing.T) {
	h := load(t).Handler(nil)
	got := body(t, get(h, "GET", "/"))
	href := ExitHref([]byte(got))
	if href == "" || strings.Contains(href, ":") || strings.HasPrefix(href, "//") {
		t.Fatalf("the home page's exit link is %q, want a local path", href)
	}
	if res := get(h, "GET", path.Join("/", href)); res.StatusCode != 200 {
		t.Errorf("the exit page %s: %d", href, res.StatusCode)
	}
}

// Counts are numbers of pages and files, nothing else.
func TestCounts(t *testing.T) {
	var c Counts
	h := load(t).Handler(&c)
	for _, p := range []string{"/", "/en/", "/js/exit.min.0123abcd.js", "/nope", "/ark/veiviser-pl.pdf"} {
		get(h, "GET", p)
	}
	if c.Pages() != 2 || c.Files() != 4 {
		t.Errorf("counted %d pages, %d files; want 2, 4", c.Pages(), c.Files())
	}
}

// rezip copies a zip, changing the bytes of the entry named by suffix with change.
func rezip(t *testing.T, data []byte, suffix string, change func([]byte) []byte) []byte {
	t.Helper()
	changed := false
	out := ziptest.Rewrite(t, data, func(name string, b []byte) (string, []byte, bool) {
		if strings.HasSuffix(name, "/"+suffix) {
			b, changed = change(b), true
		}
		return name, b, true
	}, nil)
	if !changed {
		t.Fatalf("no %s in the zip", suffix)
	}
	return out
}

// A zip that is not whole is refused, with one line that names it and the problem.
func TestRefusesTamperedZip(t *testing.T) {
	good := zipOf(t, site())
	for _, tc := range []struct {
		name string
		zip  []byte
		want string
	}{
		{"one byte", rezip(t, good, "en/about/index.html", func(b []byte) []byte { b[len(b)/2] ^= 1; return b }),
			"en/about/index.html: changed"},
		{"sums", rezip(t, good, bundle.Sums, func(b []byte) []byte {
			return bytes.Replace(b, []byte("  search-index.js\n"), []byte("  search-index.jsx\n"), 1)
		}), "search-index.js"},
		{"cut short", good[:len(good)/2], "not a zip"},
	} {
		_, err := Load("bad.zip", tc.zip)
		if err == nil {
			t.Errorf("%s: served", tc.name)
			continue
		}
		msg := err.Error()
		if !strings.Contains(msg, "bad.zip") || !strings.Contains(msg, tc.want) || strings.Contains(msg, "\n") {
			t.Errorf("%s: %q names neither the zip nor %q on one line", tc.name, msg, tc.want)
		}
	}
	dir := t.TempDir()
	name := filepath.Join(dir, "bad.zip")
	os.WriteFile(name, rezip(t, good, "index.html", func(b []byte) []byte { return append(b, ' ') }), 0o644)
	if _, err := Open(name); err == nil || !strings.Contains(err.Error(), name) {
		t.Errorf("Open of a changed zip: %v", err)
	}
	if _, err := Open(filepath.Join(dir, "none.zip")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Open of no zip: %v", err)
	}
}

// serve runs Serve on a loopback port with lim until the test ends, and returns its address
// and a function that stops it and returns what Serve returned.
func serve(t *testing.T, lim Limits) (string, func() error) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- Serve(ctx, ln, load(t).Handler(nil), lim) }()
	stopped := false
	var serr error
	stop := func() error {
		if !stopped {
			stopped = true
			cancel()
			select {
			case serr = <-done:
			case <-time.After(5 * time.Second):
				t.Fatal("Serve did not return after its context ended")
			}
		}
		return serr
	}
	t.Cleanup(func() { stop() })
	return ln.Addr().String(), stop
}

// A client that sends its headers one byte at a time is cut off when ReadHeader is up, and
// others are served meanwhile.
func TestSlowClientCutOff(t *testing.T) {
	t.Parallel()
	lim := DefaultLimits
	lim.ReadHeader = 300 * time.Millisecond
	addr, _ := serve(t, lim)
	// The server's clock starts when it accepts the connection, which may be before Dial
	// returns here: start ours before dialling, so that it never starts later.
	start := time.Now()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.SetDeadline(start.Add(5 * time.Second))
	go func() {
		for _, ch := range []byte("GET / HTTP/1.1\r\nHost: x\r\nX-Slow: " + strings.Repeat("a", 100)) {
			if _, err := c.Write([]byte{ch}); err != nil {
				return
			}
			time.Sleep(25 * time.Millisecond) // forty bytes a second: the headers take seconds
		}
	}()
	// Meanwhile, a normal client is served.
	res, err := (&http.Client{Timeout: 2 * time.Second}).Get("http://" + addr + "/en/")
	if err != nil || res.StatusCode != 200 {
		t.Fatalf("a normal client beside the slow one: %v", err)
	}
	res.Body.Close()
	got, err := io.ReadAll(c) // until the server closes the connection
	took := time.Since(start)
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		t.Fatalf("the slow client was still connected after %v", took)
	}
	// Sending all its headers would take the client over three seconds; the server must
	// end it well before, but never before ReadHeader.
	if took < lim.ReadHeader || took > lim.ReadHeader+2*time.Second {
		t.Errorf("the slow client was cut off after %v, want about %v", took, lim.ReadHeader)
	}
	if strings.Contains(string(got), "200 OK") {
		t.Errorf("the slow client was served: %q", got)
	}
}

// Headers beyond HeaderBytes are refused; connections beyond Conns wait their turn.
func TestLimits(t *testing.T) {
	t.Parallel()
	lim := DefaultLimits
	lim.Conns = 1
	lim.Idle = 200 * time.Millisecond
	addr, _ := serve(t, lim)
	req, _ := http.NewRequest("GET", "http://"+addr+"/", nil)
	req.Header.Set("X-Big", strings.Repeat("a", 16<<10))
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusRequestHeaderFieldsTooLarge {
		t.Errorf("16 KiB of headers: %d, want 431", res.StatusCode)
	}

	// One connection open and idle: a second is accepted only when the first is closed.
	c1, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c1.Close()
	io.WriteString(c1, "GET / HTTP/1.1\r\nHost: x\r\n\r\n")
	r1 := bufio.NewReader(c1)
	if res, err := http.ReadResponse(r1, nil); err != nil || res.StatusCode != 200 {
		t.Fatalf("first connection: %v", err)
	} else {
		io.Copy(io.Discard, res.Body)
	}
	start := time.Now()              // the first connection's idle time began before this
	c2, err := net.Dial("tcp", addr) // the kernel accepts it; the server does not yet
	if err != nil {
		t.Fatal(err)
	}
	defer c2.Close()
	c2.SetDeadline(start.Add(3 * time.Second))
	io.WriteString(c2, "GET /en/ HTTP/1.1\r\nHost: x\r\n\r\n")
	res, err = http.ReadResponse(bufio.NewReader(c2), nil)
	if err != nil || res.StatusCode != 200 {
		t.Fatalf("second connection: %v", err)
	}
	// It waited for the first to be closed as idle.
	if took := time.Since(start); took < lim.Idle/2 {
		t.Errorf("a second connection was served after %v, beside the first (Conns = 1)", took)
	}
}

// The server stops cleanly when its context ends: Serve returns nil, and the port is closed.
func TestShutdown(t *testing.T) {
	t.Parallel()
	addr, stop := serve(t, DefaultLimits)
	res, err := http.Get("http://" + addr + "/")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	start := time.Now()
	if err := stop(); err != nil {
		t.Errorf("Serve returned %v after a shutdown, want nil", err)
	}
	// An idle server closes at once; one that waited for its Shutdown limit did not.
	if took := time.Since(start); took >= DefaultLimits.Shutdown/2 {
		t.Errorf("shutting down took %v", took)
	}
	if c, err := net.DialTimeout("tcp", addr, time.Second); err == nil {
		c.Close()
		t.Error("still listening after the shutdown")
	}
}

func TestNewest(t *testing.T) {
	dir := t.TempDir()
	if _, err := Newest(dir); err == nil || !strings.Contains(err.Error(), "veiviser build") {
		t.Errorf("no zip: %v", err)
	}
	old := filepath.Join(dir, bundle.Folder("aaa")+".zip")
	newer := filepath.Join(dir, bundle.Folder("bbb-dirty")+".zip")
	os.WriteFile(old, nil, 0o644)
	os.WriteFile(newer, nil, 0o644)
	os.WriteFile(filepath.Join(dir, "other.zip"), nil, 0o644)
	now := time.Now()
	os.Chtimes(old, now, now)
	os.Chtimes(newer, now.Add(-time.Hour), now.Add(-time.Hour))
	if got, err := Newest(dir); err != nil || got != old {
		t.Errorf("Newest = %q, %v; want %q", got, err, old)
	}
}

// Many phones at once: every one gets each file whole (the unpacked files are shared).
func TestConcurrentReads(t *testing.T) {
	b := load(t)
	h := b.Handler(nil)
	files := site()
	errs := make(chan string, 1000)
	var wg sync.WaitGroup
	for range 20 {
		wg.Go(func() {
			for name, want := range files {
				w := httptest.NewRecorder()
				h.ServeHTTP(w, httptest.NewRequest("GET", "/"+name, nil))
				if w.Code != 200 || w.Body.String() != string(want) {
					errs <- name
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for name := range errs {
		t.Errorf("/%s: not served whole", name)
	}
	if n := b.cached.Load(); n <= 0 || n > int64(files.Size()) {
		t.Errorf("%d bytes cached, for files of %d", n, files.Size())
	}
}
