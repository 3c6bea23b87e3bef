package pipeline_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"path"
	"slices"
	"strings"
	"testing"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// pageStyles reads page doc: the Content-Security-Policy of its <meta> tag, the text of each of
// its <style> elements as the browser hashes it, and whether any element has a style
// attribute (which a policy without 'unsafe-inline' blocks).
func pageStyles(doc []byte) (csp string, styles []string, attrs bool) {
	z := html.NewTokenizer(bytes.NewReader(doc))
	inStyle := false
	for {
		switch z.Next() {
		case html.ErrorToken:
			return
		case html.StartTagToken, html.SelfClosingTagToken:
			tok := z.Token()
			inStyle = tok.DataAtom == atom.Style
			if inStyle {
				styles = append(styles, "")
			}
			var equiv, content string
			for _, a := range tok.Attr {
				switch a.Key {
				case "style":
					attrs = true
				case "http-equiv":
					equiv = a.Val
				case "content":
					content = a.Val
				}
			}
			if tok.DataAtom == atom.Meta && strings.EqualFold(equiv, "Content-Security-Policy") {
				csp = content
			}
		case html.TextToken:
			if inStyle {
				styles[len(styles)-1] += string(z.Text())
			}
		case html.EndTagToken:
			inStyle = false
		}
	}
}

// styleSources are the sources of the style-src directive of policy csp.
func styleSources(csp string) []string {
	for _, d := range strings.Split(csp, ";") {
		if f := strings.Fields(d); len(f) > 0 && f[0] == "style-src" {
			return f[1:]
		}
	}
	return nil
}

// The stylesheet is inlined in a <style> on every page, and the Content-Security-Policy allows
// exactly that style by its hash, in the bytes published, after every step that rewrites
// pages (Hugo's minifier, veiviser's, the offline bundle's links): in every page of the web
// site and of the bundle and in _headers, with no 'unsafe-inline' and no style attribute.
func TestInlineStyleHashInPolicy(t *testing.T) {
	res := mustBuild(t, project(t, ""))
	headerSources := []string(nil)
	for _, line := range strings.Split(string(res.Web["_headers"]), "\n") {
		if v, ok := strings.CutPrefix(strings.TrimSpace(line), "Content-Security-Policy: "); ok {
			headerSources = styleSources(v)
		}
	}
	if headerSources == nil {
		t.Fatal("_headers has no Content-Security-Policy with style-src")
	}
	for variant, files := range map[string]map[string][]byte{"web": res.Web, "offline": res.Offline} {
		styled := 0
		for p, doc := range files {
			if path.Ext(p) != ".html" {
				continue
			}
			csp, styles, attrs := pageStyles(doc)
			if attrs {
				t.Errorf("%s %s: an element has a style attribute, which the policy blocks", variant, p)
			}
			if csp == "" {
				t.Errorf("%s %s: no Content-Security-Policy", variant, p)
				continue
			}
			sources := styleSources(csp)
			if slices.Contains(sources, "'unsafe-inline'") {
				t.Errorf("%s %s: style-src allows 'unsafe-inline'", variant, p)
			}
			for _, s := range styles {
				sum := sha256.Sum256([]byte(s))
				want := "'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'"
				if !slices.Contains(sources, want) {
					t.Errorf("%s %s: the policy's style-src %q lacks %s, the hash of its <style> (%d bytes)", variant, p, sources, want, len(s))
				}
				// The one-file editions in downloads/ are sent to be saved (_headers), and carry
				// a policy of their own.
				if variant == "web" && !strings.HasPrefix(p, "downloads/") && !slices.Contains(headerSources, want) {
					t.Errorf("%s: _headers' style-src %q lacks %s, the hash of its <style>", p, headerSources, want)
				}
			}
			if len(styles) > 0 {
				styled++
			}
		}
		if styled < 10 {
			t.Errorf("%s: only %d pages have an inline style", variant, styled)
		}
	}
	if len(res.Web["index.html"]) == 0 || !bytes.Contains(res.Web["index.html"], []byte("<style>")) {
		t.Error("the home page has no <style>")
	}
}
