package links

import (
	"strings"
	"testing"
)

func TestHTMLLeavesUnchangedBytesAlone(t *testing.T) {
	doc := "<!doctype html><html lang=nb><head><link rel=stylesheet href=/a.css integrity=sha256-x></head>" +
		"<body><a href=\"/x/\" class=b>x</a><img srcset='/a.png 1x, /b.png 2x' alt=''><style>p{background:url(/i.png)}</style></body></html>"
	out := HTML([]byte(doc), func(*Element) {}, nil)
	if string(out) != doc {
		t.Fatalf("round trip changed the document:\n%s", out)
	}
}

func TestHTMLRewritesURLs(t *testing.T) {
	doc := `<link rel=stylesheet href=/a.css integrity=sha256-x><a href="/x/" class=b>x</a>` +
		`<img srcset='/a.png 1x, /b.png 2x'><div style="background:url(/i.png)"></div><style>p{background:url('/j.png')}</style>` +
		`<meta http-equiv=refresh content="0; url=/old/">`
	var seen []string
	out := string(HTML([]byte(doc), func(e *Element) {
		if a := e.Get("integrity"); a != nil {
			a.Drop()
		}
		for _, a := range e.Attrs {
			EachURL(e, a, func(r Ref) string {
				seen = append(seen, r.Tag+"."+r.Attr+"="+r.URL)
				return "." + r.URL
			})
		}
	}, func(r Ref) string { return "." + r.URL }))
	for _, want := range []string{`href=./a.css>`, `href=./x/ class=b`, `srcset="./a.png 1x, ./b.png 2x"`, `url(./i.png)`, `url(./j.png)`, `content="0; url=./old/"`} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %s:\n%s", want, out)
		}
	}
	if strings.Contains(out, "integrity") {
		t.Errorf("dropped attribute still there: %s", out)
	}
	if got := strings.Join(seen, " "); got != "link.href=/a.css a.href=/x/ img.srcset=/a.png img.srcset=/b.png meta.content=/old/" {
		t.Errorf("visited %s", got)
	}
}

// A changed attribute is written as a minifier would write it.
func TestChangedValuesAreWrittenMinified(t *testing.T) {
	for val, want := range map[string]string{
		"a/b.html":        ` title=a/b.html>`,
		"":                ` title="">`,
		"Ring oss":        ` title="Ring oss">`,
		`Si "hei"`:        ` title='Si "hei"'>`,
		"it's <b> & more": ` title="it's <b> &amp; more">`,
	} {
		out := string(HTML([]byte(`<p title=x>`), func(e *Element) { e.Get("title").Set(val) }, nil))
		if out != "<p"+want {
			t.Errorf("Set(%q) gives %s, want <p%s", val, out, want)
		}
	}
}

func TestIsResource(t *testing.T) {
	for _, tc := range []struct {
		el   Element
		attr string
		want bool
	}{
		{Element{Name: "link", Attrs: []*Attr{{Key: "rel", Val: "stylesheet"}}}, "href", true},
		{Element{Name: "link", Attrs: []*Attr{{Key: "rel", Val: "alternate"}}}, "href", false},
		{Element{Name: "a"}, "href", false},
		{Element{Name: "script"}, "src", true},
		{Element{Name: "img"}, "srcset", true},
	} {
		if got := isResource(&tc.el, tc.attr); got != tc.want {
			t.Errorf("isResource(%s %s) = %v", tc.el.Name, tc.attr, got)
		}
	}
}
