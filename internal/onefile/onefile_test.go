package onefile_test

import (
	"crypto/sha256"
	"encoding/base64"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/veiviser/veiviser/internal/onefile"
	"github.com/veiviser/veiviser/internal/tree"
)

// page is a page of the offline tree as the site's layouts make it, with main and footer.
func page(title, main string) []byte {
	return []byte(`<!doctype html><html lang=nb-NO dir=ltr><head><title>` + title + `</title><link rel=stylesheet href=` + strings.Repeat("../", 0) + `STYLE></head><body>` +
		`<div class=exit id=exit><a class=exit-button href=vaer/index.html>Forlat siden</a><a class=site-name href=index.html>Veiviser</a><p class=exit-hint id=exit-hint hidden>Shift</p></div>` +
		`<header><nav><a href=en/index.html>English</a></nav></header>` +
		`<main id=main><h1>` + title + `</h1>` + main + `</main>` +
		`<footer><a href=FOOT>Trygg bruk</a></footer><script src=x.js></script></body></html>`)
}

// site is a small offline tree: a home page, a section with two pages, the safety page in the
// footer, a neutral page, an English page and a PDF.
func site() tree.Tree {
	at := func(p, title, main string) []byte {
		depth := strings.Count(p, "/")
		up := strings.Repeat("../", depth)
		b := page(title, strings.ReplaceAll(main, "ROOT/", up))
		b = []byte(strings.NewReplacer("STYLE", up+"css/site.css", "FOOT", up+"trygg-bruk/index.html", "href=vaer/", "href="+up+"vaer/",
			"href=index.html", "href="+up+"index.html", "href=en/", "href="+up+"en/", "src=x.js", "src="+up+"x.js").Replace(string(b)))
		return b
	}
	return tree.Tree{
		"css/site.css": []byte(`:root{--c:#000}body{color:var(--c)}`),
		"x.js":         []byte(`1`),
		"index.html": at("index.html", "Hjem", `<section class=help-now aria-labelledby=help-now-title><h2 id=help-now-title>Hjelp nå?</h2><a href=tel:112>112</a></section>`+
			`<nav class=audiences><a href=ROOT/seksjon/index.html>Seksjon</a></nav><form class=search><a href=ROOT/a-a/index.html>A–Å</a></form>`),
		"seksjon/index.html":     at("seksjon/index.html", "Seksjon", `<ul><li><a href=ROOT/seksjon/en/index.html>En</a><li><a href=ROOT/seksjon/to/index.html>To</a></ul>`),
		"seksjon/en/index.html":  at("seksjon/en/index.html", "En", `<h2 id=del>Del</h2><p><a href=#del>til delen</a> <a href=ROOT/seksjon/to/index.html#svar>svaret</a> <a href=ROOT/seksjon/ark.pdf>PDF</a> <a href=ROOT/en/index.html>English</a> <a href=https://udi.no/>UDI</a> <a href=ROOT/vaer/index.html>vær</a>`),
		"seksjon/to/index.html":  at("seksjon/to/index.html", "To", `<h2 id=svar>Svar</h2><h2 id=del>Del</h2><label for=x>x</label><input id=x>`),
		"seksjon/ark.pdf":        []byte("%PDF"),
		"trygg-bruk/index.html":  at("trygg-bruk/index.html", "Trygg bruk", `<div class=onefile-note hidden><p>Uten JavaScript.</p></div><p>Om knappen.</p>`),
		"vaer/index.html":        []byte(`<!doctype html><html><head><title>Vær</title></head><body><main><h1>Vær</h1></main></body></html>`),
		"a-a/index.html":         at("a-a/index.html", "A–Å", `<p>Alle sider.</p>`),
		"en/index.html":          at("en/index.html", "Home", `<p>English.</p>`),
		"seksjon/utenfor.html":   []byte("not linked"),
		"seksjon/en/unused.html": []byte("not linked"),
	}
}

func options() onefile.Options {
	return onefile.Options{Home: "index.html", Others: []string{"en/"}, BaseURL: "https://veiviser.no/", ExitURL: "https://www.yr.no/",
		ContentsTitle: "På denne siden", Skip: func(p string) bool { return strings.HasPrefix(p, "vaer/") }}
}

var (
	idAttr   = regexp.MustCompile(` id="?([^" >]+)`)
	hrefAttr = regexp.MustCompile(` (href|src)="?([^" >]+)`)
	styleCSP = regexp.MustCompile(`style-src 'sha256-([^']+)'`)
	styleEl  = regexp.MustCompile(`(?s)<style>(.*?)</style>`)
)

func TestMake(t *testing.T) {
	ed, err := onefile.Make(site(), options())
	if err != nil {
		t.Fatal(err)
	}
	// Depth first through main, then the home page's footer; the neutral page, the other
	// language and pages no link leads to stay out; the search form's link is not followed.
	want := []string{"index.html", "seksjon/index.html", "seksjon/en/index.html", "seksjon/to/index.html", "trygg-bruk/index.html"}
	if !slices.Equal(ed.Pages, want) {
		t.Errorf("pages %v, want %v", ed.Pages, want)
	}
	html := string(ed.HTML)

	// Every id once; every fragment link leads to one of them; nothing else of the tree is
	// loaded or linked but through the web site.
	ids := map[string]int{}
	for _, m := range idAttr.FindAllStringSubmatch(html, -1) {
		ids[m[1]]++
	}
	for id, n := range ids {
		if n > 1 {
			t.Errorf("id %q is used %d times", id, n)
		}
	}
	for _, m := range hrefAttr.FindAllStringSubmatch(html, -1) {
		u := m[2]
		switch {
		case strings.HasPrefix(u, "#"):
			if ids[strings.TrimPrefix(u, "#")] == 0 {
				t.Errorf("link %s leads to no id of the file", u)
			}
		case strings.HasPrefix(u, "https://"), strings.HasPrefix(u, "tel:"):
		default:
			t.Errorf("%s %q is neither a fragment nor an address on the web", m[1], u)
		}
	}
	for _, s := range []string{
		`href=#p-seksjon-en--del`,                  // a fragment of the page itself
		`href=#p-seksjon-to--svar`,                 // another page's fragment
		`href=#p-seksjon-en`,                       // the table of contents
		`href=https://veiviser.no/seksjon/ark.pdf`, // a file the edition does not hold
		`href=https://veiviser.no/en/`,             // another language
		`href=https://udi.no/`,                     // outside stays
		`href=https://www.yr.no/`,                  // the quick exit
		`for=p-seksjon-to--x`, `id=p-seksjon-to--x`,
		`<h2 class=contents-title id=onefile-contents>På denne siden</h2>`,
		`Hjelp nå?`,
	} {
		if !strings.Contains(html, s) {
			t.Errorf("the file has no %s", s)
		}
	}
	for _, s := range []string{"<script", "<form", "exit-hint", "<link", "English</a></nav>"} {
		if strings.Contains(html, s) {
			t.Errorf("the file has %s", s)
		}
	}
	// The safety page's note on the file's quick exit shows, at the top (before the contents)
	// and in that page, and is hidden nowhere.
	notes := regexp.MustCompile(`<div class=onefile-note( hidden)?><p>Uten JavaScript\.`).FindAllStringSubmatchIndex(html, -1)
	contents := strings.Index(html, "onefile-contents")
	if len(notes) != 2 || notes[0][0] > contents || notes[1][0] < strings.Index(html, `id=p-trygg-bruk`) {
		t.Errorf("the note on the quick exit is at %v, want once before the contents (at %d) and once in the safety page", notes, contents)
	}
	for _, n := range notes {
		if n[2] >= 0 {
			t.Error("the note on the quick exit is still hidden")
		}
	}
	if n := strings.Count(html, "Hjelp nå?"); n != 1 {
		t.Errorf("the help-now box is in the file %d times, want once at the top", n)
	}
	// The stylesheet is inline and the policy allows it by its hash.
	css, csp := styleEl.FindStringSubmatch(html), styleCSP.FindStringSubmatch(html)
	if css == nil || csp == nil {
		t.Fatalf("no inline style (%v) or no style hash in the policy (%v)", css != nil, csp != nil)
	}
	sum := sha256.Sum256([]byte(css[1]))
	if got := base64.StdEncoding.EncodeToString(sum[:]); got != csp[1] || !strings.Contains(css[1], "body{color:var(--c)}") {
		t.Errorf("the policy allows sha256-%s, the style is sha256-%s", csp[1], got)
	}

	// The same tree gives the same bytes.
	again, err := onefile.Make(site(), options())
	if err != nil || string(again.HTML) != html {
		t.Errorf("a second edition of the same tree differs (%v)", err)
	}
}

func TestMakeRefuses(t *testing.T) {
	for name, c := range map[string]struct {
		edit func(tree.Tree)
		want string
	}{
		"a dead link": {func(tr tree.Tree) {
			tr["seksjon/to/index.html"] = []byte(strings.Replace(string(tr["seksjon/to/index.html"]), "<h2 id=svar>", "<a href=../borte/index.html>x</a><h2 id=svar>", 1))
		}, "seksjon/to/index.html: link"},
		"an image that is a file": {func(tr tree.Tree) {
			tr["bilde.png"] = []byte("png")
			tr["seksjon/to/index.html"] = []byte(strings.Replace(string(tr["seksjon/to/index.html"]), "<h2 id=svar>", "<img src=../../bilde.png alt=x><h2 id=svar>", 1))
		}, "seksjon/to/index.html: image"},
		"a stylesheet that loads a file": {func(tr tree.Tree) {
			tr["css/site.css"] = []byte(`body{background:url(../bg.png)}`)
		}, "index.html: the stylesheet loads ../bg.png"},
		"no home page": {func(tr tree.Tree) { delete(tr, "index.html") }, "index.html: no such page"},
	} {
		t.Run(name, func(t *testing.T) {
			tr := site()
			c.edit(tr)
			_, err := onefile.Make(tr, options())
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("error %v, want one containing %q", err, c.want)
			}
		})
	}
}
