//go:build withdeploy

package deploy_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"
	"github.com/veiviser/veiviser/internal/deploy"
	"github.com/veiviser/veiviser/internal/tree"
	"gocloud.dev/blob"
)

// headers is a _headers as layouts/home.headers makes it (shortened).
const headers = `/*
  Content-Security-Policy: default-src 'self'; frame-ancestors 'none'
  Referrer-Policy: no-referrer
  X-Content-Type-Options: nosniff
/js/*
  Cache-Control: public, max-age=31536000, immutable
/downloads/*
  Content-Disposition: attachment
`

func site() tree.Tree {
	return tree.Tree{
		"_headers":                       []byte(headers),
		"index.html":                     []byte("<!doctype html><title>Veiviser</title>" + strings.Repeat("<p>Ring 02800", 50)),
		"nb/index.html":                  []byte("<!doctype html><title>Norsk</title>"),
		"en/get-help/index.html":         []byte("<!doctype html><title>Get help</title>"),
		"js/search.3f2a9c1b.js":          []byte("console.log('søk')"),
		"search-index.js":                []byte("var index = {};"),
		"hjelpeark/hjelpeark-nb.pdf":     []byte("%PDF-1.7 not really"),
		"downloads/veiviser-offline.zip": []byte("PK\x03\x04 not really"),
		"downloads/SHA256SUMS":           []byte("abc  veiviser-offline.zip\n"),
		"sitemap.xml":                    []byte("<?xml version=\"1.0\"?><urlset/>"),
	}
}

// project writes a hugo.toml whose only target is at u.
func project(t *testing.T, u string, extra string) string {
	t.Helper()
	dir := t.TempDir()
	cfg := "baseURL = \"https://veiviser.example/\"\n" + extra + "\n[deployment]\n[[deployment.targets]]\nname = \"test\"\nurl = \"" + u + "\"\n"
	if err := os.WriteFile(filepath.Join(dir, "hugo.toml"), []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

// sent is the headers a file was stored with, as the target was told them.
type sent struct {
	typ, cache, encoding, disposition string
	meta                              map[string]string
}

// fakeS3 starts an S3-compatible server on 127.0.0.1 with an empty bucket "site", and returns
// the target URL for it and the headers of the last upload of each file, as S3 received them
// (the fake keeps Content-Type, Content-Encoding and Content-Disposition, not Cache-Control).
func fakeS3(t *testing.T) (target string, server *httptest.Server, headersOf func(key string) *sent, order *[]string) {
	t.Helper()
	backend := s3mem.New()
	var mu sync.Mutex
	puts := map[string]http.Header{}
	order = new([]string)
	fake := gofakes3.New(backend).Server()
	server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPut {
			mu.Lock()
			key := strings.TrimPrefix(r.URL.Path, "/site/")
			puts[key] = r.Header.Clone()
			*order = append(*order, key)
			mu.Unlock()
		}
		fake.ServeHTTP(w, r)
	}))
	t.Cleanup(server.Close)
	if err := backend.CreateBucket("site"); err != nil {
		t.Fatal(err)
	}
	// The SDK reads credentials from the environment, as in real use; no other source is asked.
	t.Setenv("AWS_ACCESS_KEY_ID", "test")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "test")
	t.Setenv("AWS_EC2_METADATA_DISABLED", "true")
	t.Setenv("AWS_CONFIG_FILE", filepath.Join(t.TempDir(), "none"))
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", filepath.Join(t.TempDir(), "none"))
	headersOf = func(key string) *sent {
		mu.Lock()
		defer mu.Unlock()
		h := puts[key]
		if h == nil {
			return nil
		}
		s := &sent{h.Get("Content-Type"), h.Get("Cache-Control"), h.Get("Content-Encoding"), h.Get("Content-Disposition"), map[string]string{}}
		for name := range h {
			if m, ok := strings.CutPrefix(strings.ToLower(name), "x-amz-meta-"); ok {
				v, err := url.PathUnescape(h.Get(name)) // gocloud.dev escapes what S3 may not carry
				if err != nil {
					t.Fatal(err)
				}
				s.meta[m] = v
			}
		}
		return s
	}
	return "s3://site?region=eu-north-1&use_path_style=true&endpoint=" + url.QueryEscape(server.URL), server, headersOf, order
}

func run(t *testing.T, dir string, s tree.Tree, opts deploy.Options) (*deploy.Plan, string, error) {
	t.Helper()
	var out bytes.Buffer
	opts.Dir, opts.Site, opts.Out = dir, s, &out
	if opts.In == nil {
		opts.In = strings.NewReader("")
	}
	plan, err := deploy.Run(context.Background(), opts)
	return plan, out.String(), err
}

func keys(t *testing.T, u string) map[string]*blob.Attributes {
	t.Helper()
	ctx := context.Background()
	b, err := blob.OpenBucket(ctx, u)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	out := map[string]*blob.Attributes{}
	iter := b.List(nil)
	for {
		obj, err := iter.Next(ctx)
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if out[obj.Key], err = b.Attributes(ctx, obj.Key); err != nil {
			t.Fatal(err)
		}
	}
	return out
}

func TestDeployS3(t *testing.T) {
	u, server, headersOf, order := fakeS3(t)
	testDeploy(t, u, headersOf)

	// The first deploy sent every other file before the first page, so that no page names a
	// script or download the target does not have yet.
	first := (*order)[:len(site())-1]
	pages := slices.IndexFunc(first, func(k string) bool { return strings.HasSuffix(k, ".html") })
	if pages != len(first)-3 || slices.ContainsFunc(first[pages:], func(k string) bool { return !strings.HasSuffix(k, ".html") }) {
		t.Errorf("upload order: %v, want the other files before the 3 pages", first)
	}

	// What a browser gets from the store itself: the headers it sends for the file's metadata.
	res, err := http.Get(server.URL + "/site/downloads/veiviser-offline.zip")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if got := res.Header.Get("Content-Disposition"); got != "attachment" {
		t.Errorf("GET downloads/veiviser-offline.zip: Content-Disposition %q, want attachment", got)
	}
	if got, _ := url.PathUnescape(res.Header.Get("X-Amz-Meta-Content-Security-Policy")); !strings.Contains(got, "frame-ancestors 'none'") {
		t.Errorf("GET downloads/veiviser-offline.zip: x-amz-meta-content-security-policy %q", got)
	}
}

func TestDeployFolder(t *testing.T) {
	u := "file://" + filepath.ToSlash(t.TempDir())
	testDeploy(t, u, func(key string) *sent {
		a := keys(t, u)[key]
		if a == nil {
			return nil
		}
		return &sent{a.ContentType, a.CacheControl, a.ContentEncoding, a.ContentDisposition, a.Metadata}
	})
}

func testDeploy(t *testing.T, u string, headersOf func(key string) *sent) {
	dir := project(t, u, "")
	s := site()
	files := len(s) - 1 // all but _headers

	// The first deploy uploads every file, each with its headers.
	plan, out, err := run(t, dir, s, deploy.Options{})
	if err != nil {
		t.Fatalf("first deploy: %v\n%s", err, out)
	}
	if len(plan.Uploads) != files || len(plan.Updates)+len(plan.Deletes) != 0 {
		t.Fatalf("first deploy: plan %+v, want %d uploads", plan, files)
	}
	if !strings.Contains(out, "upload  nb/index.html\n") || !strings.Contains(out, "Done: test has the site (9 files).") {
		t.Errorf("first deploy printed:\n%s", out)
	}
	remote := keys(t, u)
	if len(remote) != files {
		t.Fatalf("the target has %d files, want %d", len(remote), files)
	}
	for key, want := range map[string]struct{ typ, cache, encoding, disposition string }{
		"index.html":                     {"text/html; charset=utf-8", deploy.ShortCache, "gzip", ""},
		"js/search.3f2a9c1b.js":          {"text/javascript; charset=utf-8", "public, max-age=31536000, immutable", "gzip", ""},
		"search-index.js":                {"text/javascript; charset=utf-8", deploy.ShortCache, "gzip", ""},
		"sitemap.xml":                    {"application/xml; charset=utf-8", deploy.ShortCache, "gzip", ""},
		"hjelpeark/hjelpeark-nb.pdf":     {"application/pdf", deploy.ShortCache, "", ""},
		"downloads/veiviser-offline.zip": {"application/zip", deploy.ShortCache, "", "attachment"},
		"downloads/SHA256SUMS":           {"text/plain; charset=utf-8", deploy.ShortCache, "gzip", "attachment"},
	} {
		a := headersOf(key)
		if a == nil {
			t.Errorf("%s: not at the target", key)
			continue
		}
		if a.typ != want.typ || a.cache != want.cache || a.encoding != want.encoding || a.disposition != want.disposition {
			t.Errorf("%s: Content-Type %q, Cache-Control %q, Content-Encoding %q, Content-Disposition %q; want %q", key,
				a.typ, a.cache, a.encoding, a.disposition, want)
		}
		if a.meta["content-security-policy"] != "default-src 'self'; frame-ancestors 'none'" ||
			a.meta["referrer-policy"] != "no-referrer" || a.meta["x-content-type-options"] != "nosniff" {
			t.Errorf("%s: security headers %v", key, a.meta)
		}
	}

	// A second deploy of the same site changes nothing.
	plan, out, err = run(t, dir, s, deploy.Options{})
	if err != nil || plan.Changes() != 0 || plan.Unchanged != files || !strings.Contains(out, "Nothing to change") {
		t.Fatalf("second deploy: %v, plan %+v\n%s", err, plan, out)
	}

	// One changed page is one upload.
	s["nb/index.html"] = []byte("<!doctype html><title>Norsk, endret</title>")
	before := keys(t, u)
	plan, out, err = run(t, dir, s, deploy.Options{})
	if err != nil || !slices.Equal(plan.Updates, []string{"nb/index.html"}) || len(plan.Uploads)+len(plan.Deletes) != 0 {
		t.Fatalf("one page changed: %v, plan %+v\n%s", err, plan, out)
	}
	after := keys(t, u)
	for key := range after {
		if changed := !after[key].ModTime.Equal(before[key].ModTime) || !bytes.Equal(after[key].MD5, before[key].MD5); changed != (key == "nb/index.html") {
			t.Errorf("one page changed: %s rewritten: %v", key, changed)
		}
	}

	// A dry run, a "no" to -confirm and more deletions than allowed change nothing: here a
	// changed page and two removed ones.
	s["index.html"] = []byte("<!doctype html><title>Veiviser, endret</title>")
	delete(s, "en/get-help/index.html")
	delete(s, "sitemap.xml")
	before = keys(t, u)
	one := 1
	for name, opts := range map[string]deploy.Options{
		"dry run":         {DryRun: true},
		"not confirmed":   {Confirm: true, In: strings.NewReader("n\n")},
		"max deletes":     {MaxDeletes: &one},
		"max deletes dry": {MaxDeletes: &one, DryRun: true},
	} {
		plan, out, err := run(t, dir, s, opts)
		if len(plan.Updates) != 1 || len(plan.Deletes) != 2 {
			t.Errorf("%s: plan %+v", name, plan)
		}
		switch {
		case name == "dry run" && (err != nil || !strings.Contains(out, "Dry run: nothing was changed.")):
			t.Errorf("%s: %v\n%s", name, err, out)
		case name == "not confirmed" && !errors.Is(err, deploy.ErrNotConfirmed):
			t.Errorf("%s: %v, want ErrNotConfirmed", name, err)
		case strings.HasPrefix(name, "max deletes") && (err == nil || !strings.Contains(err.Error(), "2 files would be deleted, more than -max-deletes allows (1): nothing was changed")):
			t.Errorf("%s: %v", name, err)
		}
		if after := keys(t, u); !sameFiles(before, after) {
			t.Errorf("%s changed the target", name)
		}
	}

	// Confirmed, with the deletions allowed: both pages go, the changed one is uploaded.
	plan, out, err = run(t, dir, s, deploy.Options{Confirm: true, In: strings.NewReader("y\n")})
	if err != nil {
		t.Fatalf("confirmed: %v\n%s", err, out)
	}
	if after := keys(t, u); len(after) != files-2 || after["sitemap.xml"] != nil || bytes.Equal(after["index.html"].MD5, before["index.html"].MD5) {
		t.Errorf("confirmed: the target has %d files", len(after))
	}

	// -force uploads every file again.
	plan, out, err = run(t, dir, s, deploy.Options{Force: true})
	if err != nil || len(plan.Updates) != files-2 {
		t.Errorf("force: %v, plan %+v\n%s", err, plan, out)
	}
}

func sameFiles(a, b map[string]*blob.Attributes) bool {
	if len(a) != len(b) {
		return false
	}
	for k, x := range a {
		y := b[k]
		if y == nil || !bytes.Equal(x.MD5, y.MD5) || !x.ModTime.Equal(y.ModTime) {
			return false
		}
	}
	return true
}

func TestDeployTargets(t *testing.T) {
	folder := "file://" + filepath.ToSlash(t.TempDir())
	for name, c := range map[string]struct {
		config, target, want string
	}{
		"no deployment": {"", "", "hugo.toml: no deployment target: add one under [[deployment.targets]]"},
		"unknown":       {"[deployment]\n[[deployment.targets]]\nname = \"production\"\nurl = \"" + folder + "\"\n", "staging", `hugo.toml: no deployment target "staging" (the targets are: production)`},
		"bad scheme":    {"[deployment]\n[[deployment.targets]]\nname = \"production\"\nurl = \"ftp://example.org/site\"\n", "", `hugo.toml: deployment target "production": url "ftp://example.org/site": want s3://, gs://, azblob:// or file://`},
	} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			if err := os.WriteFile(filepath.Join(dir, "hugo.toml"), []byte("baseURL = \"https://veiviser.example/\"\n"+c.config), 0o644); err != nil {
				t.Fatal(err)
			}
			_, _, err := run(t, dir, site(), deploy.Options{Target: c.target})
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("got %v, want %q", err, c.want)
			}
		})
	}
}
