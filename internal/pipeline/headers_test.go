package pipeline_test

import (
	"strings"
	"testing"
)

// The _headers file static hosts read carries the OWASP secure headers, and every header is
// there once; the bundle, which no server reads, has none.
func TestSecurityHeaders(t *testing.T) {
	res := mustBuild(t, project(t, ""))
	headers := string(res.Web["_headers"])
	if headers == "" {
		t.Fatal("no _headers in the web site")
	}
	got := map[string]string{}
	for _, line := range strings.Split(headers, "\n") {
		name, value, ok := strings.Cut(strings.TrimSpace(line), ": ")
		if !ok {
			continue
		}
		if _, dup := got[name]; dup {
			t.Errorf("%s twice", name)
		}
		got[name] = value
	}
	for name, want := range map[string][]string{
		"Content-Security-Policy":           {"default-src 'self'", "frame-ancestors 'none'", "object-src 'none'", "base-uri 'none'"},
		"Strict-Transport-Security":         {"max-age=31536000", "includeSubDomains"},
		"Referrer-Policy":                   {"no-referrer"},
		"Permissions-Policy":                {"camera=()", "microphone=()", "geolocation=()", "payment=()", "usb=()", "display-capture=()", "browsing-topics=()"},
		"Cross-Origin-Opener-Policy":        {"same-origin"},
		"Cross-Origin-Resource-Policy":      {"same-origin"},
		"X-Permitted-Cross-Domain-Policies": {"none"},
		"X-Content-Type-Options":            {"nosniff"},
		"X-Frame-Options":                   {"DENY"},
		"Cache-Control":                     {"immutable"}, // for the fingerprinted scripts
	} {
		for _, w := range want {
			if !strings.Contains(got[name], w) {
				t.Errorf("%s: %q lacks %q", name, got[name], w)
			}
		}
	}
	if _, ok := res.Offline["_headers"]; ok {
		t.Error("the offline bundle has a _headers file")
	}
}
