package offline

import (
	"strings"
	"testing"

	"github.com/veiviser/veiviser/internal/links"
	"github.com/veiviser/veiviser/internal/tree"
)

func TestLocalURL(t *testing.T) {
	tr := tree.Tree{"index.html": nil, "en/index.html": nil, "en/a/index.html": nil, "css/s.css": nil, "img/x.png": nil, "søk/index.html": nil}
	for _, tc := range []struct{ page, in, want string }{
		{"index.html", "/", "index.html"},
		{"index.html", "/en/", "en/index.html"},
		{"en/a/index.html", "/", "../../index.html"},
		{"en/a/index.html", "/en/", "../index.html"},
		{"en/a/index.html", "../", "../index.html"},
		{"en/a/index.html", "/css/s.css", "../../css/s.css"},
		{"en/index.html", "https://site.example/en/a/#top", "a/index.html#top"},
		{"en/index.html", "https://site.example", "../index.html"},
		{"en/index.html", "https://other.example/", "https://other.example/"},
		{"en/index.html", "#top", "#top"},
		{"en/index.html", "tel:112", "tel:112"},
		{"en/index.html", "/nowhere/", "../nowhere/"},
		{"en/index.html", "/img/", "../img/"},
		{"en/index.html", "?q=1", "index.html?q=1"},
		{"en/index.html", "/en/a/../a/", "a/index.html"},
		{"en/index.html", "/s%C3%B8k/", "../s%C3%B8k/index.html"},
		{"en/index.html", "https://site.example#top", "../index.html#top"},
		{"en/index.html", "../../up/", "../../up/"}, // above the site: Check names it
	} {
		if got, _ := localURL(links.ForWeb(tr, "https://site.example"), tc.page, tc.in); got != tc.want {
			t.Errorf("localURL(%s, %s) = %s, want %s", tc.page, tc.in, got, tc.want)
		}
	}
}

func TestMakeSwapsExitAndDropsWebOnlyFiles(t *testing.T) {
	web := tree.Tree{
		"index.html":      []byte(`<a class=exit href=https://www.yr.no/ data-offline-href=/vaer/>x</a><script src=/js/a.js integrity=sha256-x crossorigin=anonymous></script>`),
		"vaer/index.html": []byte(`sol`),
		"js/a.js":         []byte(`1`),
		"robots.txt":      []byte(`x`),
		"sitemap.xml":     []byte(`x`),
		"en/sitemap.xml":  []byte(`x`),
		"_headers":        []byte(`x`),
	}
	off := Make(web, "https://site.example/")
	got := string(off["index.html"])
	if want := `<a class=exit href=vaer/index.html>x</a><script src=js/a.js></script>`; got != want {
		t.Errorf("got %s\nwant %s", got, want)
	}
	for p := range off {
		if strings.Contains(p, "sitemap") || p == "robots.txt" || p == "_headers" {
			t.Errorf("offline tree keeps %s", p)
		}
	}
	if string(web["index.html"]) == got {
		t.Errorf("Make changed the web tree")
	}
}
