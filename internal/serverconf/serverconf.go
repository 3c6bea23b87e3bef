// Package serverconf turns the site's _headers file (the security headers and cache rules
// Netlify and Cloudflare Pages read, made from layouts/home.headers) into the same headers for
// servers that do not read it: an nginx snippet, a Caddyfile snippet and an Apache .htaccess
// (and a CloudFront Function). They are made from the built _headers, so the template stays the
// one source and the four cannot disagree. Each also answers an address that names no file with
// the 404 page of its language, which has the quick exit and the emergency numbers.
package serverconf

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strings"
)

// Header is one header line of a rule.
type Header struct{ Name, Value string }

// Rule is a path of _headers ("/*", "/js/*") and the headers it sets.
type Rule struct {
	Path    string
	Line    int // in _headers
	Headers []Header
}

// prefix is the path a rule applies to: all paths under it when wildcard, else only it.
func (r Rule) prefix() (path string, wildcard bool) {
	if p, ok := strings.CutSuffix(r.Path, "*"); ok {
		return p, true
	}
	return r.Path, false
}

// all reports whether the rule applies to every path ("/*").
func (r Rule) all() bool { return r.Path == "/*" }

// Parse reads a _headers file: a path at the start of a line, then its headers indented,
// "Name: Value"; blank lines and lines starting with # are skipped. Only what the servers can
// be told the same way is accepted: paths that are exact or end in one *, and values without
// the characters the servers' files would read as variables ($, {).
func Parse(data []byte) ([]Rule, error) {
	var rules []Rule
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	n := 0
	for sc.Scan() {
		n++
		line := sc.Text()
		trimmed := strings.TrimSpace(line)
		if trimmed == "" || strings.HasPrefix(trimmed, "#") {
			continue
		}
		if line[0] != ' ' && line[0] != '\t' {
			if !strings.HasPrefix(trimmed, "/") || strings.Contains(strings.TrimSuffix(trimmed, "*"), "*") || strings.Contains(trimmed, ":") || strings.ContainsAny(trimmed, " \t\"'") {
				return nil, fmt.Errorf("_headers:%d: path %q: want an absolute path, ending in * or not (no other wildcard or placeholder)", n, trimmed)
			}
			rules = append(rules, Rule{Path: trimmed, Line: n})
			continue
		}
		if len(rules) == 0 {
			return nil, fmt.Errorf("_headers:%d: header %q before any path", n, trimmed)
		}
		name, value, ok := strings.Cut(trimmed, ":")
		name, value = strings.TrimSpace(name), strings.TrimSpace(value)
		if !ok || name == "" || strings.ContainsAny(name, " \t\"") {
			return nil, fmt.Errorf("_headers:%d: %q: want Name: value", n, trimmed)
		}
		if strings.ContainsAny(value, "${}\"\\") {
			return nil, fmt.Errorf("_headers:%d: %s: the value has $, {, }, \" or \\, which the server files would read otherwise", n, name)
		}
		r := &rules[len(rules)-1]
		r.Headers = append(r.Headers, Header{name, value})
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	return rules, nil
}

// File is a server's configuration snippet.
type File struct {
	Name string // in dist/server/
	Data []byte
}

// Names of the files, in dist/server/.
const (
	NginxFile  = "nginx.conf"
	CaddyFile  = "Caddyfile"
	ApacheFile = "htaccess"
	// CloudFrontFile is for a site in object storage behind Amazon CloudFront (veiviser deploy).
	CloudFrontFile = "cloudfront-function.js"
)

// NotFound is the page a server sends, with status 404, for a path under Prefix that names no
// file: "/en/" and "/en/404.html" for a language's folder, "/" and "/404.html" for the rest.
// The page has the quick exit and the emergency numbers, as every page of the site.
type NotFound struct{ Prefix, Page string }

// Files makes the snippets from the _headers file and the site's 404 pages.
func Files(headers []byte, notFound []NotFound) ([]File, error) {
	rules, err := Parse(headers)
	if err != nil {
		return nil, err
	}
	nf := byPrefix(notFound)
	return []File{{NginxFile, Nginx(rules, nf)}, {CaddyFile, Caddy(rules, nf)}, {ApacheFile, Apache(rules, nf)},
		{CloudFrontFile, CloudFront(rules, nf)}}, nil
}

// byPrefix is the 404 pages, the longest prefix first, so that a language's folder comes before
// the site's root.
func byPrefix(nf []NotFound) []NotFound {
	out := slices.Clone(nf)
	slices.SortStableFunc(out, func(a, b NotFound) int {
		if c := len(b.Prefix) - len(a.Prefix); c != 0 {
			return c
		}
		return strings.Compare(a.Prefix, b.Prefix)
	})
	return out
}

const notFoundComment = "A path that names no file gets the 404 page of its language (status 404), which has the\nquick exit and the emergency numbers, as every page of the site."

const generated = "Made by veiviser build from the site's _headers (layouts/home.headers): change that\n" +
	"template and rebuild, not this file.\n\n"

func comment(b *strings.Builder, text string) {
	for _, l := range strings.Split(strings.TrimRight(text, "\n"), "\n") {
		b.WriteString(strings.TrimRight("# "+l, " ") + "\n")
	}
}

// Nginx is a snippet to include in the server block: a location block per rule. nginx
// applies the add_header lines of one level only (a location that has its own drops those
// of the server and of "location /"), so each block repeats the headers of every rule that
// applies to its paths, as the hosts of _headers combine them. A named location, @notfound,
// sends the 404 page of the address's language (error_page keeps the status 404) with the
// headers of its path.
func Nginx(rules []Rule, notFound []NotFound) []byte {
	var b strings.Builder
	comment(&b, generated+"Include it in the server { } block of the site, whose root is the published public/\nfolder (copy it to /etc/nginx/snippets/veiviser.conf, say):\n\n    include /etc/nginx/snippets/veiviser.conf;\n\nIt has the site's location blocks (/, /js/, /downloads/) and its 404 pages: the server\nblock needs no other.")
	if len(notFound) > 0 {
		b.WriteString("\n")
		comment(&b, notFoundComment)
		b.WriteString("error_page 404 @notfound;\n\nlocation @notfound {\n")
		for _, n := range notFound {
			fmt.Fprintf(&b, "    rewrite ^%s %s break;\n", regexp.QuoteMeta(n.Prefix), n.Page)
		}
		for _, h := range For(rules, notFound[len(notFound)-1].Page) {
			fmt.Fprintf(&b, "    add_header %s \"%s\" always;\n", h.Name, h.Value)
		}
		b.WriteString("}\n")
	}
	for _, r := range order(rules) {
		p, wild := r.prefix()
		if wild {
			fmt.Fprintf(&b, "\nlocation %s {\n", p)
		} else {
			fmt.Fprintf(&b, "\nlocation = %s {\n", p)
		}
		for _, h := range applying(rules, r) {
			fmt.Fprintf(&b, "    add_header %s \"%s\" always;\n", h.Name, h.Value)
		}
		b.WriteString("}\n")
	}
	return []byte(b.String())
}

// CloudFront is a CloudFront Function for the viewer response: an object store sends only the
// headers it stores (Content-Type, Cache-Control, Content-Encoding, Content-Disposition), so
// the CDN in front of it sets the rest. It applies the rules as the hosts of _headers do: every
// rule whose path matches the request's, in order, a later header replacing an earlier.
func CloudFront(rules []Rule, notFound []NotFound) []byte {
	var b strings.Builder
	b.WriteString("// " + strings.ReplaceAll(strings.TrimRight(generated, "\n"), "\n", "\n// ") + "\n")
	b.WriteString(`//
// A CloudFront Function (runtime cloudfront-js-2.0), associated with the distribution's
// viewer response: create it in the CloudFront console (Functions), paste this file, publish,
// and associate it with each cache behavior of the site ("Viewer response").
`)
	if len(notFound) > 0 {
		// CloudFront's error pages are set on the distribution, one for all paths.
		fmt.Fprintf(&b, `//
// A path that names no file: in the distribution's "Error pages", create a custom error
// response for 403 and for 404 (an S3 origin answers 403 for a missing object) with the
// response page path %s and the response code 404. That page has the quick exit and the
// emergency numbers; CloudFront gives the same page for every language's folder.
`, notFound[len(notFound)-1].Page)
	}
	b.WriteString(`
var rules = [
`)
	for _, r := range rules {
		p, wild := r.prefix()
		fmt.Fprintf(&b, "  {path: %s, prefix: %t, headers: {\n", quoteJS(p), wild)
		for i, h := range r.Headers {
			sep := ","
			if i == len(r.Headers)-1 {
				sep = ""
			}
			fmt.Fprintf(&b, "    %s: %s%s\n", quoteJS(strings.ToLower(h.Name)), quoteJS(h.Value), sep)
		}
		b.WriteString("  }},\n")
	}
	b.WriteString(`];

function handler(event) {
  var uri = event.request.uri;
  var headers = event.response.headers;
  for (var i = 0; i < rules.length; i++) {
    var r = rules[i];
    if (r.prefix ? uri.indexOf(r.path) === 0 : uri === r.path) {
      for (var name in r.headers) {
        headers[name] = {value: r.headers[name]};
      }
    }
  }
  return event.response;
}
`)
	return []byte(b.String())
}

// quoteJS is s as a JavaScript string literal (JSON's, which JavaScript reads the same).
func quoteJS(s string) string {
	q, _ := json.Marshal(s)
	return string(q)
}

// Caddy is a snippet to import in the site block: a header directive per rule, with the
// rule's path as its matcher (Caddy applies every one that matches), and a handle_errors 404
// block that rewrites to the 404 page of the address's language (rewrites in one block are
// exclusive, the longest path first).
func Caddy(rules []Rule, notFound []NotFound) []byte {
	var b strings.Builder
	comment(&b, generated+"Import it in the site's block of the Caddyfile (copy it to /etc/caddy/veiviser-headers,\nsay):\n\n    veiviser.example.no {\n        root * /srv/veiviser/public\n        file_server\n        import /etc/caddy/veiviser-headers\n    }")
	if len(notFound) > 0 {
		b.WriteString("\n")
		comment(&b, notFoundComment+"\n(handle_errors with a status code needs Caddy 2.8 or later.)")
		b.WriteString("handle_errors 404 {\n")
		for _, n := range notFound {
			match := n.Prefix + "*"
			if n.Prefix == "/" {
				match = "*"
			}
			fmt.Fprintf(&b, "    rewrite %s %s\n", match, n.Page)
		}
		b.WriteString("    file_server\n}\n")
	}
	for _, r := range rules {
		if r.all() {
			b.WriteString("\nheader {\n")
		} else {
			fmt.Fprintf(&b, "\nheader %s {\n", r.Path)
		}
		for _, h := range r.Headers {
			fmt.Fprintf(&b, "    %s \"%s\"\n", h.Name, h.Value)
		}
		b.WriteString("}\n")
	}
	return []byte(b.String())
}

// Apache is a .htaccess for the site's folder (mod_headers): the headers of "/*" for every
// answer, those of the other rules inside an <If> on the request's path; an ErrorDocument 404
// for the site, and one inside an <If> for each language's folder.
func Apache(rules []Rule, notFound []NotFound) []byte {
	var b strings.Builder
	comment(&b, generated+"Copy it into the site's folder as .htaccess (public/.htaccess, after each build), with\nmod_headers enabled (a2enmod headers) and AllowOverride FileInfo (or All) for the\nfolder; or put its lines in the <Directory> block of the site's configuration.")
	if len(notFound) > 0 {
		b.WriteString("\n")
		comment(&b, notFoundComment)
		for _, n := range notFound {
			if n.Prefix == "/" {
				fmt.Fprintf(&b, "ErrorDocument 404 %s\n", n.Page)
				continue
			}
			fmt.Fprintf(&b, "<If \"%%{REQUEST_URI} =~ m#^%s#\">\n    ErrorDocument 404 %s\n</If>\n", n.Prefix, n.Page)
		}
	}
	b.WriteString("\n<IfModule mod_headers.c>\n")
	for _, r := range rules {
		indent := "    "
		if !r.all() {
			p, wild := r.prefix()
			if wild {
				fmt.Fprintf(&b, "    <If \"%%{REQUEST_URI} =~ m#^%s#\">\n", p)
			} else {
				fmt.Fprintf(&b, "    <If \"%%{REQUEST_URI} == '%s'\">\n", p)
			}
			indent = "        "
		}
		for _, h := range r.Headers {
			fmt.Fprintf(&b, "%sHeader always set %s \"%s\"\n", indent, h.Name, strings.ReplaceAll(h.Value, "%", "%%"))
		}
		if !r.all() {
			b.WriteString("    </If>\n")
		}
	}
	b.WriteString("</IfModule>\n")
	return []byte(b.String())
}

// order is the rules for nginx: one block per distinct path ("/*" is "location /").
func order(rules []Rule) []Rule {
	var out []Rule
	seen := map[string]bool{}
	for _, r := range rules {
		if !seen[r.Path] {
			seen[r.Path] = true
			out = append(out, r)
		}
	}
	return out
}

// applying is the headers of every rule whose paths include all of r's, in the order of
// _headers; a later one of the same name replaces an earlier.
func applying(rules []Rule, r Rule) []Header {
	p, wild := r.prefix()
	var out []Header
	for _, o := range rules {
		op, owild := o.prefix()
		covers := (owild && strings.HasPrefix(p, op)) || (!owild && !wild && op == p)
		if !covers {
			continue
		}
		for _, h := range o.Headers {
			replaced := false
			for i := range out {
				if strings.EqualFold(out[i].Name, h.Name) {
					out[i], replaced = h, true
				}
			}
			if !replaced {
				out = append(out, h)
			}
		}
	}
	return out
}

// For is the headers the rules give the URL path p ("/", "/nb/index.html"): those of every rule
// that applies to it, in the order of _headers, a later one of the same name replacing an
// earlier (as applying does for a rule's path). internal/deploy sets them on each uploaded file.
func For(rules []Rule, p string) []Header {
	return applying(rules, Rule{Path: p})
}
