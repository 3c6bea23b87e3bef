package preview

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/veiviser/veiviser/internal/check"
	"github.com/veiviser/veiviser/internal/pipeline"
	"github.com/veiviser/veiviser/internal/render"
	"github.com/veiviser/veiviser/internal/sitegen"
)

// An editor edits a page, breaks it, and fixes it: the preview serves each state (the error
// while the page is broken), prints the rules' findings, and writes nothing into public/ or
// dist/, which stay byte for byte what they were.
func TestEditBreakFix(t *testing.T) {
	dir := project(t)
	// What an earlier `make` published.
	sitegen.Write(t, dir, "-- public/index.html --\n<p>published</p>\n-- public/om/index.html --\n<p>Om.</p>\n-- dist/veiviser-offline-0123456789ab.zip --\nPK\x05\x06zip\n")
	before := snapshot(t, dir, "public", "dist")

	var log syncBuffer
	s, err := startServer(Options{Dir: dir, Addr: "127.0.0.1:0", Log: &log})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	page := s.URL() + "om/"
	if !strings.HasPrefix(page, "http://127.0.0.1:") {
		t.Fatalf("URL = %q", s.URL())
	}
	if !strings.Contains(log.String(), "public/ and dist/ are not touched") || !strings.Contains(log.String(), s.URL()) {
		t.Errorf("the start does not say where the preview lives and that public/ is not touched:\n%s", log.String())
	}
	body := waitPage(t, page, http.StatusOK, "Om.")
	if !strings.Contains(body, `<script src="/__veiviser/reload.js?build=`) {
		t.Errorf("the page has no reload script:\n%s", body)
	}

	// An edit the rules refuse (checked long ago): the new text is served, the finding printed.
	writePage(t, dir, "checked: 2020-01-01", "Endret tekst.")
	waitPage(t, page, http.StatusOK, "Endret tekst.")
	waitLog(t, &log, "content/nb/om.md:1: error: last checked 2020-01-01")
	st := waitStatus(t, s, func(st status) bool { return st.Checked && len(st.Errors) > 0 })
	if !strings.Contains(strings.Join(st.Errors, "\n"), "content/nb/om.md") {
		t.Errorf("status errors = %q, want the finding about content/nb/om.md", st.Errors)
	}

	// Malformed front matter: Hugo fails; the preview serves the error, naming file and line.
	if err := os.WriteFile(filepath.Join(dir, "content/nb/om.md"), []byte("---\ntitle: [Om\ntranslationKey: about\n---\nOm.\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	body = waitPage(t, page, http.StatusInternalServerError, "content/nb/om.md:")
	if !strings.Contains(body, "The site cannot be built") || !strings.Contains(body, "/__veiviser/reload.js?build=") {
		t.Errorf("the error page does not say what is wrong or does not reload:\n%s", body)
	}
	waitPage(t, s.URL(), http.StatusInternalServerError, "content/nb/om.md:") // every page shows it
	waitLog(t, &log, "the preview shows this error until the file is fixed")

	// Fixed: the site is back, with the new text, and the rules find nothing more.
	writePage(t, dir, "checked: 2026-11-01", "Fikset tekst.")
	waitPage(t, page, http.StatusOK, "Fikset tekst.")
	waitLog(t, &log, "fixed, the preview shows the site again")
	waitStatus(t, s, func(st status) bool { return st.Checked && len(st.Errors) == 0 && st.Error == "" })
	waitPage(t, s.URL()+"en/about/", http.StatusOK, "About.")

	if err := s.Close(); err != nil {
		t.Error(err)
	}
	if after := snapshot(t, dir, "public", "dist"); !equal(before, after) {
		t.Errorf("public/ or dist/ changed:\nbefore %v\nafter  %v", keys(before), keys(after))
	}
	// The reload script is added as pages are served: no file anywhere in the project has it.
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || d.Type()&fs.ModeSymlink != 0 {
			return err
		}
		if b, _ := os.ReadFile(p); bytes.Contains(b, []byte("__veiviser")) {
			t.Errorf("%s holds the preview's script", p)
		}
		return nil
	})
	t.Logf("terminal:\n%s", log.String())
}

// A panic in Hugo does not stop the preview: it rebuilds from scratch; when that panics too,
// the error is served, naming the file that changed, and the next save brings the site back.
func TestPanicRecovers(t *testing.T) {
	dir := project(t)
	var log syncBuffer
	s, err := newServer(Options{Dir: dir, Addr: "127.0.0.1:0", Log: &log})
	if err != nil {
		t.Fatal(err)
	}
	var panics atomic.Int32
	s.build = func(o pipeline.CheckOptions) (*render.Result, *check.Report, error) {
		if panics.Add(-1) >= 0 {
			// A panic in a step of the pipeline, before the site is served, as Hugo's would be.
			o.Rendered = func(*render.Result) {
				panic("interface conversion: *hugolib.pageMetaSource is not hugolib.contentNodeLookupContentNode")
			}
		}
		return pipeline.CheckSite(o)
	}
	if err := s.start(); err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	page := s.URL() + "om/"
	waitPage(t, page, http.StatusOK, "Om.")

	panics.Store(1) // the rebuild panics, the one from scratch after it does not
	writePage(t, dir, "checked: 2026-11-01", "Etter én panikk.")
	waitPage(t, page, http.StatusOK, "Etter én panikk.")
	waitLog(t, &log, "rebuilding from scratch")

	panics.Store(2) // both panic: the error is served
	writePage(t, dir, "checked: 2026-11-01", "Etter to.")
	waitPage(t, page, http.StatusInternalServerError, "content/nb/om.md: Hugo stopped with an internal error (panic: interface conversion")

	writePage(t, dir, "checked: 2026-11-01", "Tilbake.")
	waitPage(t, page, http.StatusOK, "Tilbake.")
}

// A port in use is one line naming a free port, before anything is built.
func TestBusyPort(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	port := ln.Addr().(*net.TCPAddr).Port
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "hugo.toml"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	s, err := startServer(Options{Dir: dir, Addr: ln.Addr().String()})
	if err == nil {
		s.Close()
		t.Fatal("startServer on a port in use succeeded")
	}
	var busy *PortInUseError
	if !errors.As(err, &busy) {
		t.Fatalf("error = %v (%T), want a *PortInUseError", err, err)
	}
	if want := fmt.Sprintf("port %d is in use; try -port %d", port, busy.Free); err.Error() != want {
		t.Errorf("error = %q, want %q", err, want)
	}
	if busy.Free <= port || busy.Free > port+100 {
		t.Errorf("suggested port %d, want one above %d", busy.Free, port)
	}
}

func TestLookup(t *testing.T) {
	files := map[string][]byte{"index.html": nil, "en/index.html": nil, "en/about/index.html": nil, "css/a.css": nil,
		"404.html": nil, "en/404.html": nil}
	for _, c := range []struct {
		path, want string
		code       int
	}{
		{"/", "index.html", 200},
		{"/en/", "en/index.html", 200},
		{"/en", "/en/", 301},
		{"/en/about/", "en/about/index.html", 200},
		{"/css/a.css", "css/a.css", 200},
		{"/css/../css/a.css", "css/a.css", 200},
		{"/en/nope/", "en/404.html", 404},
		{"/nope", "404.html", 404},
	} {
		if got, code := lookup(files, c.path); got != c.want || code != c.code {
			t.Errorf("lookup(%q) = %q, %d; want %q, %d", c.path, got, code, c.want, c.code)
		}
	}
}

// project is a small project with the minimal content and the emergency sheets.
func project(t *testing.T) string {
	dir := sitegen.New(t, sitegen.Minimal)
	if err := sitegen.WriteSheets(dir); err != nil {
		t.Fatal(err)
	}
	return dir
}

// writePage writes content/nb/om.md with a checked line and a body.
func writePage(t *testing.T, dir, checked, body string) {
	t.Helper()
	page := "---\ntitle: Om nettstedet\ntranslationKey: about\n" + checked + "\nsources: [site]\n---\n" + body + "\n"
	if err := os.WriteFile(filepath.Join(dir, "content/nb/om.md"), []byte(page), 0o644); err != nil {
		t.Fatal(err)
	}
}

const deadline = 10 * time.Second

var client = &http.Client{Timeout: 5 * time.Second}

// waitPage polls url until it answers with code and a body holding text; it returns the body.
func waitPage(t *testing.T, url string, code int, text string) string {
	t.Helper()
	var got string
	for end := time.Now().Add(deadline); time.Now().Before(end); time.Sleep(50 * time.Millisecond) {
		resp, err := client.Get(url)
		if err != nil {
			got = err.Error()
			continue
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		got = fmt.Sprintf("%d %s", resp.StatusCode, b)
		if resp.StatusCode == code && strings.Contains(string(b), text) {
			return string(b)
		}
	}
	t.Fatalf("%s did not answer %d with %q in %s; last answer:\n%.2000s", url, code, text, deadline, got)
	return ""
}

func waitStatus(t *testing.T, s *server, ok func(status) bool) status {
	t.Helper()
	var st status
	for end := time.Now().Add(deadline); time.Now().Before(end); time.Sleep(50 * time.Millisecond) {
		resp, err := client.Get(s.URL() + "__veiviser/status")
		if err != nil {
			continue
		}
		st = status{}
		err = json.NewDecoder(resp.Body).Decode(&st)
		resp.Body.Close()
		if err == nil && ok(st) {
			return st
		}
	}
	t.Fatalf("status did not come as wanted in %s; last: %+v", deadline, st)
	return st
}

func waitLog(t *testing.T, log *syncBuffer, text string) {
	t.Helper()
	for end := time.Now().Add(deadline); time.Now().Before(end); time.Sleep(50 * time.Millisecond) {
		if strings.Contains(log.String(), text) {
			return
		}
	}
	t.Fatalf("the terminal did not show %q in %s:\n%s", text, deadline, log.String())
}

// snapshot reads every file below the folders of dir.
func snapshot(t *testing.T, dir string, folders ...string) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, f := range folders {
		filepath.WalkDir(filepath.Join(dir, f), func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				if !os.IsNotExist(err) {
					t.Fatal(err)
				}
				return nil
			}
			rel, _ := filepath.Rel(dir, p)
			if d.IsDir() {
				out[rel+"/"] = ""
				return nil
			}
			b, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			out[rel] = string(b)
			return nil
		})
	}
	return out
}

func equal(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}

func keys(m map[string]string) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// syncBuffer is a bytes.Buffer the preview and the test can use at once.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
