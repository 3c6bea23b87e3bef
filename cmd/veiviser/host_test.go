package main

import (
	"archive/zip"
	"bufio"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/rogpeppe/go-internal/testscript"
	"github.com/veiviser/veiviser/internal/bundle"
	"github.com/veiviser/veiviser/internal/host"
	"github.com/veiviser/veiviser/internal/tree"
	"github.com/veiviser/veiviser/internal/ziptest"
)

// hostCheck serves a real build's zip as veiviser host does and checks it against the web
// site of the same build: host-check ZIP public/_headers. Every file is served with 200, each
// with the headers _headers gives its path (the host keeps its own list: the bundle has no
// _headers), scripts as JavaScript, and the home pages' exit buttons lead to a page of the
// bundle, not to the internet (as does every other exit button that is local: the minimal
// content's sheet languages have no neutral page, and theirs go to the web site's exitURL).
func hostCheck(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: host-check ZIP _headers")
	}
	b, err := host.Open(ts.MkAbs(args[0]))
	ts.Check(err)
	rules := parseHeaders(ts.ReadFile(args[1]))
	if len(rules) == 0 {
		ts.Fatalf("%s: no rules", args[1])
	}
	zr, err := zip.OpenReader(ts.MkAbs(args[0]))
	ts.Check(err)
	defer zr.Close()
	h := b.Handler(nil)
	files, scripts, pages, external := 0, 0, 0, 0
	for _, f := range zr.File {
		_, name, _ := strings.Cut(f.Name, "/")
		if name == "" || strings.HasSuffix(name, "/") {
			continue
		}
		files++
		urlPath := "/" + name
		w := httptest.NewRecorder()
		h.ServeHTTP(w, httptest.NewRequest("GET", urlPath, nil))
		res := w.Result()
		if res.StatusCode != 200 {
			ts.Fatalf("%s: %d", urlPath, res.StatusCode)
		}
		// Every header the web site sends for this path, the host sends the same.
		want := map[string]string{}
		for _, r := range rules {
			if r.matches(urlPath) {
				for k, v := range r.headers {
					want[k] = v
				}
			}
		}
		for k, v := range want {
			if _, skip := host.NotSent[k]; skip {
				continue
			}
			if got := res.Header.Values(k); len(got) != 1 || got[0] != v {
				ts.Fatalf("%s: %s: host sends %q, the web site %q", urlPath, k, got, v)
			}
		}
		// And no security header the web site does not.
		for _, kv := range host.SecurityHeaders {
			if _, ok := want[http.CanonicalHeaderKey(kv[0])]; !ok {
				ts.Fatalf("%s: host sends %s, the web site does not", urlPath, kv[0])
			}
		}
		switch path.Ext(name) {
		case ".js":
			scripts++
			if ct := res.Header.Get("Content-Type"); ct != "text/javascript; charset=utf-8" {
				ts.Fatalf("%s: Content-Type %q", urlPath, ct)
			}
		case ".html":
			pages++
			body, _ := io.ReadAll(res.Body)
			href := host.ExitHref(body)
			local := href != "" && !strings.Contains(href, ":") && !strings.HasPrefix(href, "/")
			if !local && (urlPath == "/index.html" || urlPath == "/en/index.html") {
				ts.Fatalf("%s: the exit button leads to %q, not a page of the bundle", urlPath, href)
			}
			if !local {
				external++ // a sheet language of the test content without a neutral page
			} else {
				w := httptest.NewRecorder()
				h.ServeHTTP(w, httptest.NewRequest("GET", path.Join(path.Dir(urlPath), href), nil))
				if w.Code != 200 {
					ts.Fatalf("%s: its exit page %s: %d", urlPath, href, w.Code)
				}
			}
		}
	}
	if scripts == 0 || pages == 0 {
		ts.Fatalf("served %d scripts, %d pages", scripts, pages)
	}
	ts.Logf("host-check: %d files (%d pages, %d scripts) served with the web site's headers; %d pages' exit button leads out of the bundle",
		files, pages, scripts, external)
}

// headerRule is one path pattern of a _headers file and its headers.
type headerRule struct {
	pattern string
	headers map[string]string
}

// matches reports whether urlPath matches the rule's pattern ("/*", "/js/*", "/about/").
func (r headerRule) matches(urlPath string) bool {
	if prefix, ok := strings.CutSuffix(r.pattern, "*"); ok {
		return strings.HasPrefix(urlPath, prefix)
	}
	return urlPath == r.pattern
}

// parseHeaders reads a _headers file (Netlify's and Cloudflare Pages' format).
func parseHeaders(text string) []headerRule {
	var rules []headerRule
	for _, line := range strings.Split(text, "\n") {
		if strings.TrimSpace(line) == "" || strings.HasPrefix(strings.TrimSpace(line), "#") {
			continue
		}
		if !strings.HasPrefix(line, " ") && !strings.HasPrefix(line, "\t") {
			rules = append(rules, headerRule{pattern: strings.TrimSpace(line), headers: map[string]string{}})
			continue
		}
		if k, v, ok := strings.Cut(strings.TrimSpace(line), ":"); ok && len(rules) > 0 {
			rules[len(rules)-1].headers[http.CanonicalHeaderKey(strings.TrimSpace(k))] = strings.TrimSpace(v)
		}
	}
	return rules
}

// hostZip writes a small bundle made of tr into dir and returns its path.
func hostZip(t *testing.T, dir string, tr tree.Tree) string {
	t.Helper()
	const version = "0123456789ab"
	b, err := bundle.Zip(tr, bundle.Folder(version), version, time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC), "112")
	if err != nil {
		t.Fatal(err)
	}
	name := filepath.Join(dir, "dist", bundle.Folder(version)+".zip")
	os.MkdirAll(filepath.Dir(name), 0o755)
	if err := os.WriteFile(name, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return name
}

var smallSite = tree.Tree{
	"index.html":      []byte(`<!doctype html><title>Veiviser</title><a class=exit-button href=vaer/index.html>Forlat siden</a>`),
	"vaer/index.html": []byte(`<!doctype html><title>Været</title>`),
	"404.html":        []byte(`<!doctype html><title>Ikke funnet</title>`),
}

// The real program, as a shelter runs it: it serves the newest zip of dist/ (found by -dir),
// prints where, counts when asked, and stops cleanly on SIGTERM with exit 0.
func TestHostCommand(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no SIGTERM to send on Windows")
	}
	t.Parallel()
	dir := t.TempDir()
	hostZip(t, dir, smallSite)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, filepath.Join(binDir, "veiviser"), "host", "-dir", dir, "-addr", "127.0.0.1:0", "-count")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	out := bufio.NewScanner(stdout)
	var printed []string
	url := ""
	for url == "" && out.Scan() {
		printed = append(printed, out.Text())
		if m := regexp.MustCompile(`^  (http://127\.0\.0\.1:\d+/)$`).FindStringSubmatch(out.Text()); m != nil {
			url = m[1]
		}
	}
	if url == "" {
		cmd.Process.Kill()
		cmd.Wait()
		t.Fatalf("no address printed:\n%s\n%s", strings.Join(printed, "\n"), stderr.String())
	}
	for _, p := range []string{"", "vaer/index.html", "nope"} {
		res, err := http.Get(url + p)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if want := map[string]int{"nope": 404}[p]; res.StatusCode != max(want, 200) {
			t.Errorf("/%s: %d", p, res.StatusCode)
		}
	}
	cmd.Process.Signal(syscall.SIGTERM)
	rest, _ := io.ReadAll(stdout)
	err = cmd.Wait()
	all := strings.Join(printed, "\n") + "\n" + string(rest)
	if err != nil {
		t.Fatalf("after SIGTERM: %v\n%s\n%s", err, all, stderr.String())
	}
	for _, want := range []string{"Serving " + filepath.Join(dir, "dist", bundle.Folder("0123456789ab")+".zip") + " (", "served 2 page(s), 2 file(s) in all", "Stopped."} {
		if !strings.Contains(all, want) {
			t.Errorf("stdout lacks %q:\n%s", want, all)
		}
	}
	if stderr.Len() > 0 {
		t.Errorf("stderr: %s", stderr.String())
	}
	// Nothing printed names who asked, or for what.
	if strings.Contains(all, "vaer") || strings.Contains(all, "nope") || regexp.MustCompile(`127\.0\.0\.1:\d+ `).MatchString(all) {
		t.Errorf("stdout tells what was asked for or by whom:\n%s", all)
	}
}

// A zip that is not whole: one line naming it and the problem, exit 1, nothing served.
func TestHostRefuses(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	name := hostZip(t, dir, smallSite)
	data, _ := os.ReadFile(name)
	bad := filepath.Join(dir, "bad.zip")
	tr := smallSite.Clone()
	tr["vaer/index.html"] = []byte("changed")
	b, _ := bundle.Zip(tr, bundle.Folder("0123456789ab"), "0123456789ab", time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC), "112")
	// Take SHA256SUMS from the good zip: the changed file no longer matches it.
	os.WriteFile(bad, swapEntry(t, b, data, "SHA256SUMS"), 0o644)
	cmd := exec.Command(filepath.Join(binDir, "veiviser"), "host", "-addr", "127.0.0.1:0", bad)
	var stdout, stderr strings.Builder
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	if code := cmd.ProcessState.ExitCode(); code != 1 {
		t.Fatalf("exit %d (%v), want 1", code, err)
	}
	lines := strings.Split(strings.TrimSpace(stderr.String()), "\n")
	if len(lines) != 1 || !strings.HasPrefix(lines[0], "veiviser host: "+bad) || !strings.Contains(lines[0], "vaer/index.html: changed") {
		t.Errorf("stderr: %q", stderr.String())
	}
	if stdout.Len() > 0 {
		t.Errorf("stdout: %q", stdout.String())
	}
}

// swapEntry returns zip data with its entry whose name ends in suffix taken from zip from.
func swapEntry(t *testing.T, data, from []byte, suffix string) []byte {
	t.Helper()
	src := ziptest.Files(t, from)
	return ziptest.Rewrite(t, data, func(name string, b []byte) (string, []byte, bool) {
		if strings.HasSuffix(name, suffix) {
			b = src[name]
		}
		return name, b, true
	}, nil)
}
