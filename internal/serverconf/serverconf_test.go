package serverconf

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"
)

// headers is a _headers as layouts/home.headers makes it (values shortened).
const headers = `/*
  Content-Security-Policy: default-src 'self'; style-src 'self' 'sha256-SPU6IYK2pxZOS8vUcqi/arAfCHQfFwzQS1moU2HXZhA='; frame-ancestors 'none'
  Strict-Transport-Security: max-age=31536000; includeSubDomains
  Referrer-Policy: no-referrer
  Permissions-Policy: camera=(), microphone=()
  X-Content-Type-Options: nosniff
  X-Frame-Options: DENY
/js/*
  Cache-Control: public, max-age=31536000, immutable
/downloads/*
  Content-Disposition: attachment
`

// set is what a snippet sets, by the path it is for: "/*", "/js/*"; name → value.
type set map[string]map[string]string

func (s set) add(path, name, value string) {
	if s[path] == nil {
		s[path] = map[string]string{}
	}
	s[path][name] = value
}

var (
	nginxLocation = regexp.MustCompile(`^location (= )?(/\S*) \{$`)
	nginxHeader   = regexp.MustCompile(`^add_header ([\w-]+) "([^"]*)" always;$`)
	caddyHeader   = regexp.MustCompile(`^header(?: (/\S*))? \{$`)
	caddyField    = regexp.MustCompile(`^([\w-]+) "([^"]*)"$`)
	apacheIf      = regexp.MustCompile(`^<If "%\{REQUEST_URI\} =~ m#\^(/\S*)#">$`)
	apacheHeader  = regexp.MustCompile(`^Header always set ([\w-]+) "([^"]*)"$`)
	apacheError   = regexp.MustCompile(`^ErrorDocument 404 (/\S*)$`)
	nginxRewrite  = regexp.MustCompile(`^rewrite \^(/\S*) (/\S*) break;$`)
	caddyRewrite  = regexp.MustCompile(`^rewrite (\*|/\S*) (/\S*)$`)
)

// notFound are 404 pages as a site of three languages has them.
var notFound = []NotFound{{"/", "/404.html"}, {"/en/", "/en/404.html"}, {"/ar/", "/ar/404.html"}}

// parseSnippet reads what a snippet sets, and the 404 page it gives each path prefix (nginx's
// @notfound location's headers are under "@notfound"); every line that is not a comment, blank
// or known is an error.
func parseSnippet(t *testing.T, name, text string) (set, map[string]string) {
	t.Helper()
	got, notFound := set{}, map[string]string{}
	path, errors, errPrefix := "", false, ""
	for i, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		bad := func() { t.Errorf("%s:%d: unexpected %q", name, i+1, line) }
		switch name {
		case NginxFile:
			if m := nginxLocation.FindStringSubmatch(line); m != nil {
				path = m[2] + "*"
			} else if line == "error_page 404 @notfound;" {
				got.add("@error_page", "404", "@notfound")
			} else if line == "location @notfound {" {
				path = "@notfound"
			} else if m := nginxRewrite.FindStringSubmatch(line); m != nil && path == "@notfound" {
				notFound[regexp.MustCompile(`\\(.)`).ReplaceAllString(m[1], "$1")] = m[2]
			} else if m := nginxHeader.FindStringSubmatch(line); m != nil && path != "" {
				got.add(path, m[1], m[2])
			} else if line == "}" {
				path = ""
			} else {
				bad()
			}
		case CaddyFile:
			if m := caddyHeader.FindStringSubmatch(line); m != nil {
				path = m[1]
				if path == "" {
					path = "/*"
				}
			} else if line == "handle_errors 404 {" {
				errors = true
			} else if m := caddyRewrite.FindStringSubmatch(line); m != nil && errors {
				prefix := strings.TrimSuffix(m[1], "*")
				if prefix == "" {
					prefix = "/"
				}
				notFound[prefix] = m[2]
			} else if line == "file_server" && errors {
			} else if m := caddyField.FindStringSubmatch(line); m != nil && path != "" {
				got.add(path, m[1], m[2])
			} else if line == "}" {
				path, errors = "", false
			} else {
				bad()
			}
		case ApacheFile:
			if line == "<IfModule mod_headers.c>" {
				path = "/*"
			} else if m := apacheIf.FindStringSubmatch(line); m != nil && path == "" {
				errPrefix = m[1]
			} else if m := apacheIf.FindStringSubmatch(line); m != nil {
				path = m[1] + "*"
			} else if m := apacheError.FindStringSubmatch(line); m != nil && path == "" {
				prefix := errPrefix
				if prefix == "" {
					prefix = "/"
				}
				notFound[prefix] = m[1]
			} else if m := apacheHeader.FindStringSubmatch(line); m != nil && path != "" {
				got.add(path, m[1], strings.ReplaceAll(m[2], "%%", "%"))
			} else if line == "</If>" && path == "" {
				errPrefix = ""
			} else if line == "</If>" {
				path = "/*"
			} else if line == "</IfModule>" {
				path = ""
			} else {
				bad()
			}
		}
	}
	return got, notFound
}

// Every snippet sets every header of every rule of _headers, for the rule's paths; nginx,
// whose location blocks do not add to each other, repeats those of "/*" in each.
func TestEverySnippetCarriesEveryHeader(t *testing.T) {
	testSnippets(t, []byte(headers))
}

// The same for the _headers the site's template makes, as last built, when there is one.
func TestBuiltHeaders(t *testing.T) {
	_, file, _, _ := runtime.Caller(0)
	data, err := os.ReadFile(filepath.Join(filepath.Dir(file), "..", "..", "public", "_headers"))
	if err != nil {
		t.Skip("no public/_headers: not built")
	}
	testSnippets(t, data)
}

func testSnippets(t *testing.T, data []byte) {
	rules, err := Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	if len(rules) < 2 {
		t.Fatalf("%d rules parsed", len(rules))
	}
	files, err := Files(data, notFound)
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != 4 {
		t.Fatalf("%d files, want 4", len(files))
	}
	for _, f := range files {
		if f.Name == CloudFrontFile {
			testCloudFront(t, rules, f.Data)
			if !strings.Contains(string(f.Data), "response page path /404.html and the response code 404") {
				t.Errorf("%s does not say how to set the 404 page", f.Name)
			}
			continue
		}
		got, pages := parseSnippet(t, f.Name, string(f.Data))
		// Each language's folder gets its own 404 page, the rest the default language's.
		for _, n := range notFound {
			if pages[n.Prefix] != n.Page {
				t.Errorf("%s: a missing path under %s gets %q, want %s", f.Name, n.Prefix, pages[n.Prefix], n.Page)
			}
		}
		if len(pages) != len(notFound) {
			t.Errorf("%s: 404 pages %v, want %v", f.Name, pages, notFound)
		}
		if f.Name == NginxFile {
			// The 404 page is sent with the headers of its path, the security headers above all.
			want := For(rules, "/404.html")
			if got["@error_page"]["404"] != "@notfound" || len(got["@notfound"]) != len(want) {
				t.Errorf("%s: the @notfound location sets %v, want %v", f.Name, got["@notfound"], want)
			}
			for _, h := range want {
				if got["@notfound"][h.Name] != h.Value {
					t.Errorf("%s: @notfound: %s is %q, want %q", f.Name, h.Name, got["@notfound"][h.Name], h.Value)
				}
			}
			delete(got, "@error_page")
			delete(got, "@notfound")
		}
		for _, r := range rules {
			want := map[string]string{}
			if f.Name == NginxFile {
				for _, h := range applying(rules, r) {
					want[h.Name] = h.Value
				}
				for _, h := range rules[0].Headers { // "/*" in every block
					if _, ok := want[h.Name]; !ok {
						t.Errorf("%s: %s lacks %s of /*", f.Name, r.Path, h.Name)
					}
				}
			}
			for _, h := range r.Headers {
				want[h.Name] = h.Value
			}
			for name, value := range want {
				if got[r.Path][name] != value {
					t.Errorf("%s: %s: %s is %q, want %q", f.Name, r.Path, name, got[r.Path][name], value)
				}
			}
			if len(got[r.Path]) != len(want) {
				t.Errorf("%s: %s sets %d headers, want %d: %v", f.Name, r.Path, len(got[r.Path]), len(want), got[r.Path])
			}
		}
		if len(got) != len(rules) {
			t.Errorf("%s: %d paths, want %d", f.Name, len(got), len(rules))
		}
	}
}

func TestParseRefusesWhatServersReadOtherwise(t *testing.T) {
	for _, bad := range []string{
		"/a/*/b\n  X: y\n",
		"/:lang/*\n  X: y\n",
		"  X: y\n",
		"/*\n  X-Var: $host\n",
		"/*\n  X: {path}\n",
		"/*\n  no colon\n",
	} {
		if _, err := Parse([]byte(bad)); err == nil {
			t.Errorf("%q: no error", bad)
		}
	}
}

// testCloudFront runs the CloudFront Function in Node.js for paths of each rule and others:
// for each it must set exactly the headers the hosts of _headers send (For), in lower case.
func testCloudFront(t *testing.T, rules []Rule, js []byte) {
	t.Helper()
	node, err := exec.LookPath("node")
	if err != nil {
		t.Log("no node: the CloudFront Function is not run")
		return
	}
	uris := []string{"/", "/index.html", "/nb/er-dette-meg/", "/js/search.3f2a9c1b.js", "/js", "/downloads/veiviser-offline.zip", "/downloadsx"}
	for _, r := range rules {
		p, _ := r.prefix()
		uris = append(uris, p, p+"x/y.html")
	}
	q, _ := json.Marshal(uris)
	script := filepath.Join(t.TempDir(), "f.js")
	program := string(js) + "\nconsole.log(JSON.stringify(" + string(q) +
		".map(function (u) { return handler({request: {uri: u}, response: {headers: {}}}).headers; })));\n"
	if err := os.WriteFile(script, []byte(program), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(node, script).Output()
	if err != nil {
		t.Fatalf("node %s: %v", CloudFrontFile, err)
	}
	var got []map[string]struct{ Value string }
	if err := json.Unmarshal(out, &got); err != nil || len(got) != len(uris) {
		t.Fatalf("%s printed %q: %v", CloudFrontFile, out, err)
	}
	for i, uri := range uris {
		want := map[string]string{}
		for _, h := range For(rules, uri) {
			want[strings.ToLower(h.Name)] = h.Value
		}
		if len(got[i]) != len(want) {
			t.Errorf("%s: %s gets %d headers, want %d", CloudFrontFile, uri, len(got[i]), len(want))
		}
		for name, value := range want {
			if got[i][name].Value != value {
				t.Errorf("%s: %s: %s is %q, want %q", CloudFrontFile, uri, name, got[i][name].Value, value)
			}
		}
	}
}

// An exact path applies to that path only, after the rules before it.
func TestCloudFrontExactPath(t *testing.T) {
	rules, err := Parse([]byte(headers + "/search-index.js\n  Cache-Control: public, max-age=60\n/js/*\n  X-Frame-Options: SAMEORIGIN\n"))
	if err != nil {
		t.Fatal(err)
	}
	testCloudFront(t, rules, CloudFront(rules, nil))
}
