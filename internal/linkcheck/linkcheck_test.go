package linkcheck

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// server answers: /ok 200, /gone 404, /moved 301 to /ok, /chain 302 to /moved, /slow never
// (until the request gives up), /nohead 405 to HEAD and 200 to GET; it counts the requests
// to each path and records the user agents and cookies it saw.
func server(t *testing.T) (*httptest.Server, func(path string) int, *[]string) {
	var mu sync.Mutex
	counts := map[string]int{}
	var agents []string
	done := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		counts[r.Method+" "+r.URL.Path]++
		agents = append(agents, r.UserAgent())
		mu.Unlock()
		http.SetCookie(w, &http.Cookie{Name: "tracker", Value: "x"})
		if r.Header.Get("Cookie") != "" {
			t.Errorf("%s %s sent a cookie", r.Method, r.URL)
		}
		switch r.URL.Path {
		case "/ok":
		case "/gone":
			w.WriteHeader(http.StatusNotFound)
		case "/moved":
			http.Redirect(w, r, "/ok", http.StatusMovedPermanently)
		case "/chain":
			http.Redirect(w, r, "/moved", http.StatusFound)
		case "/moved-gone":
			http.Redirect(w, r, "/gone", http.StatusMovedPermanently)
		case "/loop":
			http.Redirect(w, r, "/loop", http.StatusFound)
		case "/slow":
			select {
			case <-r.Context().Done():
			case <-done:
			}
		case "/nohead":
			if r.Method == http.MethodHead {
				w.WriteHeader(http.StatusMethodNotAllowed)
			}
		default:
			w.WriteHeader(http.StatusInternalServerError)
		}
	}))
	t.Cleanup(func() { close(done); srv.Close() })
	count := func(key string) int {
		mu.Lock()
		defer mu.Unlock()
		return counts[key]
	}
	return srv, count, &agents
}

func TestCheck(t *testing.T) {
	srv, count, agents := server(t)
	u := func(p string) string { return srv.URL + p }
	start := time.Now()
	got := Check(context.Background(), []string{
		u("/ok"), u("/gone"), u("/moved"), u("/chain"), u("/moved-gone"), u("/loop"), u("/slow"), u("/nohead"), u("/ok"), u("/ok"),
	}, Options{Client: srv.Client(), Timeout: time.Second, MaxRedirects: 3})
	// /slow never answers: only the timeout ends it. A second is long enough for the others on
	// a loaded machine, where the test binaries run side by side.
	if d := time.Since(start); d > 8*time.Second {
		t.Errorf("took %s: the timeout did not hold", d)
	}
	for _, c := range []struct {
		path              string
		dead, redirected  bool
		status            int
		final, problemHas string
	}{
		{path: "/ok", status: 200},
		{path: "/gone", dead: true, status: 404, problemHas: "404 Not Found"},
		{path: "/moved", redirected: true, status: 200, final: u("/ok")},
		{path: "/chain", redirected: true, status: 200, final: u("/ok")},
		{path: "/moved-gone", dead: true, status: 404, final: u("/gone"), problemHas: "404"},
		{path: "/loop", dead: true, problemHas: "more than 3 redirects"},
		{path: "/slow", dead: true, problemHas: "timed out after 1s"},
		{path: "/nohead", status: 200},
	} {
		r, ok := got[u(c.path)]
		if !ok {
			t.Errorf("%s: no result", c.path)
			continue
		}
		if r.Dead() != c.dead || r.Redirected() != c.redirected || (c.status != 0 && r.Status != c.status) ||
			(c.final != "" && r.Final != c.final) || !strings.Contains(r.Problem, c.problemHas) {
			t.Errorf("%s: got %+v (dead %v, redirected %v), want dead %v redirected %v status %d final %q problem with %q",
				c.path, r, r.Dead(), r.Redirected(), c.dead, c.redirected, c.status, c.final, c.problemHas)
		}
	}
	if len(got) != 8 {
		t.Errorf("%d results for 8 addresses", len(got))
	}
	// Each address fetched once, though given three times (and reached again by redirects).
	if n := count("HEAD /ok") + count("GET /ok"); n != 3 { // /ok itself, /moved and /chain lead there
		t.Errorf("/ok fetched %d times, want 3 (once, and once at the end of each of 2 redirects)", n)
	}
	if n := count("HEAD /gone"); n != 2 { // /gone and /moved-gone
		t.Errorf("HEAD /gone %d times, want 2", n)
	}
	if count("GET /gone") != 0 || count("GET /ok") != 0 {
		t.Error("GET where HEAD answered")
	}
	// HEAD refused: GET instead.
	if count("HEAD /nohead") != 1 || count("GET /nohead") != 1 {
		t.Errorf("/nohead: HEAD %d, GET %d, want 1 and 1", count("HEAD /nohead"), count("GET /nohead"))
	}
	for _, a := range *agents {
		if a != UserAgent {
			t.Errorf("user agent %q, want %q", a, UserAgent)
			break
		}
	}
}

func TestOneAddressFetchedOnce(t *testing.T) {
	srv, count, _ := server(t)
	Check(context.Background(), []string{srv.URL + "/ok", srv.URL + "/ok"}, Options{Client: srv.Client()})
	if n := count("HEAD /ok"); n != 1 {
		t.Errorf("fetched %d times, want 1", n)
	}
}

func TestNoSuchHost(t *testing.T) {
	r := Check(context.Background(), []string{"https://no-such-host.invalid/"}, Options{Timeout: 5 * time.Second})["https://no-such-host.invalid/"]
	if !r.Dead() || !(strings.Contains(r.Problem, "no such host") || strings.Contains(r.Problem, "DNS")) {
		t.Errorf("got %+v, want dead: no such host (or a DNS failure, offline)", r)
	}
}

func TestNotAWebAddress(t *testing.T) {
	if r := Check(context.Background(), []string{"ftp://x/"}, Options{})["ftp://x/"]; !r.Dead() {
		t.Errorf("got %+v, want dead", r)
	}
}
