package main

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"io"
	"net"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"strings"
)

// serve serves folder public on a free port of 127.0.0.1 as a static host serves it: with
// the headers of its _headers file (layouts/home.headers) and gzipped. It returns the site's
// address and a function that stops the server.
func serve(public string) (root string, stop func(), err error) {
	rules, err := readHeaders(filepath.Join(public, "_headers"))
	if err != nil {
		return "", nil, err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, err
	}
	files := gzipped(http.FileServer(http.Dir(public)))
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		for _, rule := range rules {
			if rule.matches(r.URL.Path) {
				for _, h := range rule.headers {
					w.Header().Set(h[0], h[1])
				}
			}
		}
		files.ServeHTTP(w, r)
	})}
	go srv.Serve(ln)
	return "http://" + ln.Addr().String() + "/", func() { srv.Close() }, nil
}

// headerRule is one block of a _headers file: a path (a trailing * matches any rest) and
// the headers of the responses it matches.
type headerRule struct {
	path    string
	headers [][2]string
}

func (h headerRule) matches(p string) bool {
	if prefix, ok := strings.CutSuffix(h.path, "*"); ok {
		return strings.HasPrefix(p, prefix)
	}
	return p == h.path
}

// readHeaders reads the _headers file name (Netlify's and Cloudflare Pages' format: a path on
// a line of its own, then its headers indented, "Name: value"); no file is no rules.
func readHeaders(name string) ([]headerRule, error) {
	b, err := os.ReadFile(name)
	if os.IsNotExist(err) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var rules []headerRule
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		line := sc.Text()
		switch trimmed := strings.TrimSpace(line); {
		case trimmed == "" || strings.HasPrefix(trimmed, "#"):
		case trimmed == line:
			rules = append(rules, headerRule{path: trimmed})
		case len(rules) > 0:
			if k, v, ok := strings.Cut(trimmed, ":"); ok {
				last := &rules[len(rules)-1]
				last.headers = append(last.headers, [2]string{strings.TrimSpace(k), strings.TrimSpace(v)})
			}
		}
	}
	return rules, sc.Err()
}

// gzipped serves what h serves, gzipped for a browser that accepts it where a static host
// compresses (HTML, CSS, JavaScript, SVG, JSON, XML, text).
func gzipped(h http.Handler) http.Handler {
	compressible := map[string]bool{"": true, ".html": true, ".css": true, ".js": true, ".svg": true, ".json": true, ".xml": true, ".txt": true}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !strings.Contains(r.Header.Get("Accept-Encoding"), "gzip") || !compressible[path.Ext(r.URL.Path)] {
			h.ServeHTTP(w, r)
			return
		}
		w.Header().Set("Content-Encoding", "gzip")
		w.Header().Add("Vary", "Accept-Encoding")
		zw := gzip.NewWriter(w)
		defer zw.Close()
		h.ServeHTTP(gzipWriter{w, zw}, r)
	})
}

// gzipWriter is a ResponseWriter whose body goes through a gzip writer; the length of the
// uncompressed file is dropped.
type gzipWriter struct {
	http.ResponseWriter
	body io.Writer
}

func (g gzipWriter) WriteHeader(code int) {
	g.Header().Del("Content-Length")
	g.ResponseWriter.WriteHeader(code)
}

func (g gzipWriter) Write(b []byte) (int, error) {
	g.Header().Del("Content-Length")
	return g.body.Write(b)
}
