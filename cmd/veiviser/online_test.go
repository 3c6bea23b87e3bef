package main

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
	"github.com/veiviser/veiviser/internal/check"
	"github.com/veiviser/veiviser/internal/linkcheck"
)

// linkServers are the servers linkserver started, by script (its work folder).
var linkServers sync.Map // work dir → *linkServer

type linkServer struct {
	srv  *httptest.Server
	mu   sync.Mutex
	hits map[string]int // "HEAD /path" → requests
}

// linkServer starts a web server for check -online to fetch, for the rest of the script, and
// points the external links of the project at it, so that nothing is fetched from the
// Internet: every http(s):// address in content/ and data/contacts.yaml becomes one on the
// server under /ok/ (which answers 200), but http://linkserver/PATH, which becomes the
// server's PATH. The server answers /gone 404, /moved 301 to /ok/, /slow not at all until the
// request gives up, /nohead 405 to HEAD and 200 to GET.
func linkServerCmd(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 0 {
		ts.Fatalf("usage: linkserver")
	}
	ls := &linkServer{hits: map[string]int{}}
	done := make(chan struct{})
	ls.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ls.mu.Lock()
		ls.hits[r.Method+" "+r.URL.Path]++
		ls.mu.Unlock()
		switch p := r.URL.Path; {
		case strings.HasPrefix(p, "/ok/"):
		case p == "/gone":
			w.WriteHeader(http.StatusNotFound)
		case p == "/moved":
			http.Redirect(w, r, "/ok/new", http.StatusMovedPermanently)
		case p == "/slow":
			select {
			case <-r.Context().Done():
			case <-done:
			}
		case p == "/nohead":
			if r.Method == http.MethodHead {
				w.WriteHeader(http.StatusMethodNotAllowed)
			}
		default:
			w.WriteHeader(http.StatusInternalServerError)
		}
	}))
	ts.Defer(func() { close(done); ls.srv.Close() })
	linkServers.Store(ts.Getenv("WORK"), ls)
	ts.Setenv("LINKSERVER", ls.srv.URL)

	addr := regexp.MustCompile(`https?://(linkserver/)?`)
	rewrite := func(p string) {
		b, err := os.ReadFile(p)
		ts.Check(err)
		s := addr.ReplaceAllStringFunc(string(b), func(m string) string {
			if strings.HasSuffix(m, "linkserver/") {
				return ls.srv.URL + "/"
			}
			return ls.srv.URL + "/ok/"
		})
		ts.Check(os.WriteFile(p, []byte(s), 0o644))
	}
	rewrite(ts.MkAbs("data/contacts.yaml"))
	ts.Check(filepath.WalkDir(ts.MkAbs("content"), func(p string, e os.DirEntry, err error) error {
		if err == nil && !e.IsDir() && strings.HasSuffix(p, ".md") {
			rewrite(p)
		}
		return err
	}))
}

// linkHits fails unless the server of linkserver had N requests METHOD PATH: linkhits HEAD /gone 1.
func linkHits(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 3 {
		ts.Fatalf("usage: linkhits METHOD PATH N")
	}
	v, ok := linkServers.Load(ts.Getenv("WORK"))
	if !ok {
		ts.Fatalf("no linkserver")
	}
	ls := v.(*linkServer)
	want, err := strconv.Atoi(args[2])
	ts.Check(err)
	ls.mu.Lock()
	got := ls.hits[args[0]+" "+args[1]]
	ls.mu.Unlock()
	if got != want {
		ts.Fatalf("%s %s: %d requests, want %d", args[0], args[1], got, want)
	}
}

// Each link's finding is where the link is written, whichever page or contact it comes from.
func TestOnlineFindingsNameFileAndLine(t *testing.T) {
	ext := []check.PageLinks{
		{File: "content/nb/a.md", Links: []check.ExternalLink{{URL: "https://gone/", Line: 7}, {URL: "https://ok/", Line: 8}, {URL: "https://moved/", Line: 9}}},
		{File: "content/en/b.md", Links: []check.ExternalLink{{URL: "https://gone/", Line: 3, Via: "udi"}}},
		{File: "data/contacts.yaml", Links: []check.ExternalLink{{URL: "https://moved-gone/", Line: 61, Via: "udi"}}},
	}
	results := map[string]linkcheck.Result{
		"https://gone/":       {URL: "https://gone/", Status: 404, Problem: "404 Not Found"},
		"https://ok/":         {URL: "https://ok/", Status: 200},
		"https://moved/":      {URL: "https://moved/", Status: 200, Final: "https://new/"},
		"https://moved-gone/": {URL: "https://moved-gone/", Status: 404, Final: "https://x/", Problem: "404 Not Found"},
	}
	var got []string
	for _, f := range onlineFindings(ext, results) {
		got = append(got, f.String()+" ["+f.Rule+"]")
	}
	want := []string{
		"content/nb/a.md:7: warning: dead link https://gone/: 404 Not Found [dead-link]",
		"content/nb/a.md:9: warning: link https://moved/ redirects to https://new/: link to the new address [redirect]",
		"content/en/b.md:3: warning: dead link https://gone/ (contact udi): 404 Not Found [dead-link]",
		"data/contacts.yaml:61: warning: dead link https://moved-gone/ (contact udi): redirects to https://x/, which fails: 404 Not Found [dead-link]",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
