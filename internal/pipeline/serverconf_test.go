package pipeline_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The build writes the servers' header snippets to dist/server/ with the other outputs, made
// from the web site's _headers: each carries every value of it. A file an earlier build left
// there is removed.
func TestServerSnippetsInDist(t *testing.T) {
	dir := project(t, "")
	stale := filepath.Join(dir, "dist", "server", "lighttpd.conf")
	if err := os.MkdirAll(filepath.Dir(stale), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(stale, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	res := mustBuild(t, dir)
	headers := string(res.Web["_headers"])
	var values []string
	for _, line := range strings.Split(headers, "\n") {
		if name, value, ok := strings.Cut(strings.TrimSpace(line), ": "); ok && strings.HasPrefix(line, " ") {
			values = append(values, name+` "`+value+`"`)
		}
	}
	if len(values) < 10 {
		t.Fatalf("%d headers in _headers:\n%s", len(values), headers)
	}
	for _, name := range []string{"nginx.conf", "Caddyfile", "htaccess"} {
		b, err := os.ReadFile(filepath.Join(dir, "dist", "server", name))
		if err != nil {
			t.Error(err)
			continue
		}
		for _, v := range values {
			if !strings.Contains(string(b), v) {
				t.Errorf("dist/server/%s lacks %s", name, v)
			}
		}
	}
	// The CloudFront Function quotes the headers as JavaScript; internal/serverconf runs it.
	if b, err := os.ReadFile(filepath.Join(dir, "dist", "server", "cloudfront-function.js")); err != nil || !strings.Contains(string(b), `"x-frame-options": "DENY"`) {
		t.Errorf("dist/server/cloudfront-function.js: %v", err)
	}
	if _, err := os.Stat(stale); err == nil {
		t.Error("dist/server/lighttpd.conf of an earlier build is left")
	}
	if _, ok := res.Web["server/nginx.conf"]; ok {
		t.Error("the snippets are in the web site")
	}
}
