package host

import (
	"bytes"
	"io"
	"io/fs"
	"mime"
	"net/http"
	"net/url"
	"path"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
)

// Counts are what the handler has served: numbers only, never who asked or for what.
type Counts struct {
	pages, files atomic.Int64
}

// Pages is the number of pages (HTML documents) served, Files the number of every file
// served, pages included.
func (c *Counts) Pages() int64 { return c.pages.Load() }
func (c *Counts) Files() int64 { return c.files.Load() }

// Handler serves the bundle: GET and HEAD only (405 for anything else), a folder's index.html
// for the folder and nothing for a folder without one (no listings), the bundle's 404.html
// with status 404 for any other address, and the security headers with every response.
// Counts, when not nil, counts what is served.
func (b *Bundle) Handler(counts *Counts) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		b.setHeaders(h, "")
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			h.Set("Allow", "GET, HEAD")
			plain(w, http.StatusMethodNotAllowed)
			return
		}
		name, folder, ok := b.lookup(r.URL.Path)
		if !ok {
			b.serveNotFound(w, r, r.URL.Path)
			return
		}
		if folder {
			// A folder asked for without its slash: the browser must come to the folder's
			// address, or the page's relative links would miss.
			// The address is made from the folder's name, not from what was asked: "//en"
			// would send the browser to a host named en.
			u := url.URL{Path: "/" + path.Dir(name) + "/", RawQuery: r.URL.RawQuery}
			http.Redirect(w, r, u.String(), http.StatusMovedPermanently)
			return
		}
		body, err := b.read(name)
		if err != nil {
			plain(w, http.StatusInternalServerError)
			return
		}
		if strings.HasPrefix(r.URL.Path, ImmutablePrefix) {
			h.Set("Cache-Control", Immutable)
		}
		h.Set("Content-Type", contentType(name))
		if etag, ok := b.etags[name]; ok {
			h.Set("ETag", etag)
		}
		// ServeContent answers If-None-Match (304) and Range requests (a PDF on a phone).
		http.ServeContent(w, r, name, time.Time{}, bytes.NewReader(body))
		if counts != nil {
			counts.files.Add(1)
			if path.Ext(name) == ".html" {
				counts.pages.Add(1)
			}
		}
	})
}

// lookup finds the file of the bundle that URL path p names: index.html for "/" and for a
// folder's address with its slash. folder reports a folder with an index.html asked for
// without its slash; ok is false when there is no such file.
func (b *Bundle) lookup(p string) (name string, folder, ok bool) {
	if !strings.HasPrefix(p, "/") || strings.ContainsAny(p, "\\\x00") {
		return "", false, false
	}
	name = strings.TrimPrefix(path.Clean(p), "/")
	if name == "" {
		name = "."
	}
	if !fs.ValidPath(name) {
		return "", false, false
	}
	fi, err := fs.Stat(b.site, name)
	if err != nil {
		return "", false, false
	}
	if !fi.IsDir() {
		// A file is its own address only: "/index.html/" names nothing.
		return name, false, !strings.HasSuffix(p, "/")
	}
	index := path.Join(name, "index.html")
	if fi, err := fs.Stat(b.site, index); err != nil || fi.IsDir() {
		return "", false, false
	}
	if name != "." && !strings.HasSuffix(p, "/") {
		return index, true, true
	}
	return index, false, true
}

// serveNotFound answers 404 with the 404.html of the nearest folder above p that has one (a
// language's own), or a short plain text.
func (b *Bundle) serveNotFound(w http.ResponseWriter, r *http.Request, p string) {
	dir := path.Dir(strings.TrimPrefix(path.Clean("/"+p), "/"))
	for {
		if page, ok := b.notFound[dir]; ok {
			w.Header().Set("Content-Type", contentType("404.html"))
			w.Header().Set("Content-Length", strconv.Itoa(len(page)))
			w.WriteHeader(http.StatusNotFound)
			if r.Method != http.MethodHead {
				w.Write(page)
			}
			return
		}
		if dir == "." || dir == "/" || dir == "" {
			break
		}
		dir = path.Dir(dir)
	}
	plain(w, http.StatusNotFound)
}

// plain answers with status and its text, as plain text.
func plain(w http.ResponseWriter, status int) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.WriteHeader(status)
	io.WriteString(w, strconv.Itoa(status)+" "+http.StatusText(status)+"\n")
}

// types are the content types of the files a bundle holds, fixed here rather than taken
// from the system (Windows' registry has been known to call .js text/plain, which nosniff
// then refuses to run).
var types = map[string]string{
	".html":        "text/html; charset=utf-8",
	".css":         "text/css; charset=utf-8",
	".js":          "text/javascript; charset=utf-8",
	".mjs":         "text/javascript; charset=utf-8",
	".json":        "application/json",
	".webmanifest": "application/manifest+json",
	".txt":         "text/plain; charset=utf-8",
	".xml":         "application/xml",
	".svg":         "image/svg+xml",
	".png":         "image/png",
	".jpg":         "image/jpeg",
	".jpeg":        "image/jpeg",
	".gif":         "image/gif",
	".webp":        "image/webp",
	".avif":        "image/avif",
	".ico":         "image/x-icon",
	".pdf":         "application/pdf",
	".woff":        "font/woff",
	".woff2":       "font/woff2",
	"":             "text/plain; charset=utf-8", // SHA256SUMS, VERSION
}

// contentType is the content type of the file name.
func contentType(name string) string {
	ext := strings.ToLower(path.Ext(name))
	if t, ok := types[ext]; ok {
		return t
	}
	if t := mime.TypeByExtension(ext); t != "" {
		return t
	}
	return "application/octet-stream"
}

// Files up to cacheFile bytes are kept unpacked in memory once read, up to cacheTotal bytes
// in all: a real bundle's pages and scripts all fit (some MiB), and a busy evening's requests
// then cost no unpacking.
const (
	cacheFile  = 1 << 20
	cacheTotal = 64 << 20
)

// read returns the bytes of file name of the bundle, from the cache when it is there.
func (b *Bundle) read(name string) ([]byte, error) {
	if v, ok := b.cache.Load(name); ok {
		return v.([]byte), nil
	}
	body, err := fs.ReadFile(b.site, name)
	if err != nil {
		return nil, err
	}
	if n := int64(len(body)); n <= cacheFile {
		if b.cached.Add(n) > cacheTotal {
			b.cached.Add(-n)
		} else if _, loaded := b.cache.LoadOrStore(name, body); loaded {
			b.cached.Add(-n) // read twice at once: kept once
		}
	}
	return body, nil
}
