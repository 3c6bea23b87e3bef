package check

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/veiviser/veiviser/internal/offline"
	"github.com/veiviser/veiviser/internal/render"
	"github.com/veiviser/veiviser/internal/tree"
)

// one asserts that fs holds exactly one finding, of severity sev in file, containing want.
func one(t *testing.T, fs []Finding, sev Severity, file, want string) Finding {
	t.Helper()
	if len(fs) != 1 {
		t.Fatalf("want one finding containing %q, got %d: %v", want, len(fs), fs)
	}
	f := fs[0]
	if f.Severity != sev || f.File != file || !strings.Contains(f.String(), want) {
		t.Fatalf("finding = %v (%s), want a %s in %s containing %q", f, f.Severity, sev, file, want)
	}
	return f
}

func TestContacts(t *testing.T) {
	cf, fs := ReadContacts([]byte("emergency:\n  phone: \"112\"\n  source: udi\n  compared: 2026-11-01\n  confirmed: 2026-11-01\n\n"+
		"rosa:\n  phone: \"22 33 11 60\"\n  source: kripos\n  compared: 2026-11-01\n  confirmed: 2026-11-01\n"), Config{Now: now})
	if len(fs) > 0 {
		t.Fatal(fs)
	}
	p := page(nil, "Tekst.\n\n{{< contact \"rosa\" >}}\n\nRing {{< phone \"nope\" >}}.")
	sources := map[string]any{"udi": map[string]any{}, "kripos": map[string]any{}}

	t.Run("unknown contact names the page and line", func(t *testing.T) {
		f := one(t, Contacts([]render.Page{p}, cf, sources), Error, "content/nb/x.md", `unknown contact "nope"`)
		if f.Line != 10 {
			t.Errorf("line = %d, want 10", f.Line)
		}
	})
	t.Run("shortcode needs the field", func(t *testing.T) {
		q := page(nil, "Skriv til {{< email \"rosa\" >}}.")
		one(t, Contacts([]render.Page{q}, cf, sources), Error, "content/nb/x.md", `contact "rosa" has no email`)
	})
	t.Run("unknown source", func(t *testing.T) {
		f := one(t, Contacts(nil, cf, map[string]any{"kripos": nil}), Error, ContactsFile, `contact "emergency": unknown source "udi"`)
		if f.Line != 3 {
			t.Errorf("line %d, want 3", f.Line)
		}
	})
	t.Run("all good", func(t *testing.T) {
		if fs := Contacts([]render.Page{page(nil, `{{< phone "emergency" >}}`)}, cf, sources); len(fs) > 0 {
			t.Fatal(fs)
		}
	})
}

// TestReadContacts judges one contact per case, written after a comment line: the finding is
// at the line given.
func TestReadContacts(t *testing.T) {
	for _, tc := range []struct {
		name, fields string
		sev          Severity
		want         string // "" for no finding
		line         int
	}{
		{"good", `phone: "22 33 11 60"|compared: 2026-11-01|confirmed: 2026-10-01|source: udi`, 0, "", 0},
		{"every format", `phone: "116 111"|compared: 2026-11-01|confirmed: 2026-10-01`, 0, "", 0},
		{"not confirmed", `phone: "22 33 11 60"|compared: 2026-11-01`,
			Warning, `contact "rosa" is not confirmed with the service (compared with the source text on 2026-11-01)`, 2},
		{"confirmed long ago", `phone: "22 33 11 60"|compared: 2026-11-01|confirmed: 2025-10-01`,
			Warning, `contact "rosa" was last confirmed with the service on 2025-10-01, more than 12 months ago`, 5},
		{"no compared date", `phone: "22 33 11 60"|confirmed: 2026-10-01`, Error, `contact "rosa" has no compared date`, 2},
		{"compared long ago warns", `phone: "22 33 11 60"|compared: 2025-10-01|confirmed: 2026-10-01`,
			Warning, "compared with the source text on 2025-10-01, more than 12 months ago", 4},
		{"compared very long ago fails", `phone: "22 33 11 60"|compared: 2024-10-01|confirmed: 2026-10-01`,
			Error, "compared with the source text on 2024-10-01, more than 24 months ago", 4},
		{"compared in the future", `phone: "22 33 11 60"|compared: 2027-01-01|confirmed: 2026-10-01`, Error, "compared date 2027-01-01 is in the future", 4},
		{"compared not a date", `phone: "22 33 11 60"|compared: i går|confirmed: 2026-10-01`, Error, `compared "i går" is not a date`, 4},
		{"unknown field", `phone: "22 33 11 60"|compared: 2026-11-01|confirmed: 2026-10-01|phones: "112"`,
			Error, `contact "rosa": unknown field "phones" (a contact has phone, email, web, anonymous, source, compared, confirmed)`, 6},
		{"the old checked date", `phone: "22 33 11 60"|checked: 2026-11-01|confirmed: 2026-10-01`,
			Error, `contact "rosa": checked was replaced by compared`, 4},
		{"phone in no known format", `phone: "2233 1160"|compared: 2026-11-01|confirmed: 2026-10-01`,
			Error, `contact "rosa": phone "2233 1160" is not a Norwegian number in a known format (112, 02800, 116 111, 22 33 11 60, 800 40 008)`, 3},
		{"phone with country code", `phone: "+47 22 33 11 60"|compared: 2026-11-01|confirmed: 2026-10-01`, Error, "is not a Norwegian number in a known format", 3},
		{"phone not quoted", `phone: 02800|compared: 2026-11-01|confirmed: 2026-10-01`, Error, `phone 02800 is not quoted`, 3},
		{"empty phone", `phone: ""|web: "https://rosa.no/"|compared: 2026-11-01|confirmed: 2026-10-01`, 0, "", 0},
		{"no way to reach it", `compared: 2026-11-01|confirmed: 2026-10-01`, Error, `contact "rosa" has no phone, email or web`, 2},
		{"bad e-mail", `email: "rosa at example.org"|compared: 2026-11-01|confirmed: 2026-10-01`, Error, "is not an e-mail address", 3},
		{"bad web", `web: "www.rosa.no"|compared: 2026-11-01|confirmed: 2026-10-01`, Error, "is not a web address", 3},
		{"anonymous not a boolean", `phone: "112"|anonymous: ja|compared: 2026-11-01|confirmed: 2026-10-01`, Error, `anonymous is "ja"`, 4},
	} {
		t.Run(tc.name, func(t *testing.T) {
			src := "# Kontakter\nrosa:\n  " + strings.ReplaceAll(tc.fields, "|", "\n  ") + "\n"
			_, fs := ReadContacts([]byte(src), Config{Now: now})
			if tc.want == "" {
				if len(fs) > 0 {
					t.Fatalf("findings: %v", fs)
				}
				return
			}
			f := one(t, fs, tc.sev, ContactsFile, tc.want)
			if f.Line != tc.line {
				t.Errorf("line %d, want %d", f.Line, tc.line)
			}
		})
	}
	t.Run("YAML that does not parse", func(t *testing.T) {
		_, fs := ReadContacts([]byte("rosa:\n  phone: \"1\n  x: [\n"), Config{Now: now})
		if len(fs) != 1 || fs[0].Severity != Error || fs[0].Line == 0 {
			t.Fatalf("findings: %v", fs)
		}
	})
}

func TestPhoneFormats(t *testing.T) {
	for _, f := range phoneFormats {
		if !validPhone(f.Example) {
			t.Errorf("the example of %s, %q, is not valid", f.Name, f.Example)
		}
	}
	for _, ok := range []string{"110", "112", "113", "02800", "116 111", "116 123", "22 33 11 60", "800 40 008", "23 10 53 20"} {
		if !validPhone(ok) {
			t.Errorf("%q is not valid", ok)
		}
	}
	for _, bad := range []string{"", "12", "1122", "2800", "116111", "22331160", "2233 1160", "22 33 1160", "+47 22 33 11 60", "02 33 11 60", "800 40 00", "112 ", "abc"} {
		if validPhone(bad) {
			t.Errorf("%q is valid", bad)
		}
	}
}

func tr(file, lang, key string, params map[string]any) render.Page {
	return render.Page{File: file, Lang: lang, TranslationKey: key, Params: params}
}

func TestTranslations(t *testing.T) {
	both := []render.Page{
		tr("content/nb/om.md", "nb", "about", nil),
		tr("content/en/about.md", "en", "about", nil),
	}
	if fs := Translations(both, []string{"nb", "en"}); len(fs) > 0 {
		t.Fatalf("a translated pair: %v", fs)
	}
	t.Run("no English", func(t *testing.T) {
		pages := append(both[:2:2], tr("content/nb/ny.md", "nb", "new", nil))
		one(t, Translations(pages, []string{"nb", "en"}), Error, "content/nb/ny.md", `no English translation: no page in content/en/ has translationKey "new"`)
	})
	t.Run("no Norwegian", func(t *testing.T) {
		pages := append(both[:2:2], tr("content/en/new.md", "en", "new", nil))
		one(t, Translations(pages, []string{"nb", "en"}), Error, "content/en/new.md", "no Norwegian (bokmål) translation")
	})
	t.Run("a key used twice", func(t *testing.T) {
		pages := append(both[:2:2], tr("content/nb/om2.md", "nb", "about", nil))
		one(t, Translations(pages, []string{"nb", "en"}), Error, "content/nb/om2.md", `translationKey "about" is also used by content/nb/om.md`)
	})
	t.Run("other languages need no full translation", func(t *testing.T) {
		pages := append(both[:2:2], tr("content/pl/_index.md", "pl", "help", nil),
			tr("content/nb/ark.md", "nb", "sheet", map[string]any{"type": "sheet", "layout": "sheet"}),
			tr("content/en/sheet.md", "en", "sheet", map[string]any{"type": "sheet", "layout": "sheet"}),
			tr("content/pl/sheet.md", "pl", "sheet", map[string]any{"type": "sheet", "layout": "sheet"}))
		if fs := Translations(pages, []string{"nb", "en", "pl"}); len(fs) > 0 {
			t.Fatal(fs)
		}
	})
	t.Run("a sheet missing", func(t *testing.T) {
		pages := append(both[:2:2], tr("content/pl/_index.md", "pl", "help", nil),
			tr("content/nb/ark.md", "nb", "sheet", map[string]any{"type": "sheet", "layout": "sheet"}),
			tr("content/en/sheet.md", "en", "sheet", map[string]any{"type": "sheet", "layout": "sheet"}))
		one(t, Translations(pages, []string{"nb", "en", "pl"}), Error, "content/pl/", `no emergency sheet for language "pl"`)
	})
	t.Run("a poster missing, or without its layout", func(t *testing.T) {
		sheets := []render.Page{tr("content/nb/ark.md", "nb", "sheet", map[string]any{"type": "sheet", "layout": "sheet"}),
			tr("content/en/sheet.md", "en", "sheet", map[string]any{"type": "sheet", "layout": "sheet"}),
			tr("content/pl/sheet.md", "pl", "sheet", map[string]any{"type": "sheet", "layout": "sheet"})}
		pages := append(append(both[:2:2], sheets...), tr("content/nb/plakat.md", "nb", "poster", map[string]any{"type": "poster", "layout": "poster"}),
			tr("content/en/poster.md", "en", "poster", map[string]any{"type": "poster", "layout": "poster"}))
		one(t, Translations(pages, []string{"nb", "en", "pl"}), Error, "content/pl/", `no poster for language "pl", though other languages have them`)
		pages = append(append(both[:2:2], sheets...), tr("content/nb/kort.md", "nb", "cards", map[string]any{"type": "cards"}),
			tr("content/en/cards.md", "en", "cards", map[string]any{"type": "cards", "layout": "cards"}))
		one(t, Translations(pages, []string{"nb", "en"}), Error, "content/nb/kort.md", "wallet cards (type: cards) without layout: cards")
	})
	t.Run("no sheets while only bokmål and English", func(t *testing.T) {
		if fs := Translations(both, []string{"nb", "en"}); len(fs) > 0 {
			t.Fatal(fs)
		}
	})
	t.Run("no sheets with more languages", func(t *testing.T) {
		one(t, Translations(both, []string{"nb", "en", "pl"}), Error, "hugo.toml", "3 languages are configured (nb, en, pl) but there is no emergency sheet")
	})
}

func TestMeasure(t *testing.T) {
	// The heading is a sentence of one long word; the paragraph has 7 words (the fact counts
	// as one short word, the link as its text), 2 long, and 2 sentences; the card is left out.
	r := Measure("## Menneskehandel {#mh}\n\nDet er forbudt. Se straffeloven {{< fact \"law_section\" >}} [her](/loven/).\n\n{{< contact \"rosa\" >}}\n")
	if r.Words != 8 || r.Sentences != 3 || r.LongWords != 3 {
		t.Fatalf("measure = %+v, want 8 words, 3 sentences, 3 long", r)
	}
	if r.LIX != 40.2 {
		t.Errorf("LIX = %v, want 8/3 + 100*3/8 = 40.2", r.LIX)
	}
	list := Measure("Du kan:\n\n- ringe\n- skrive\n- komme\n")
	if list.Sentences != 4 || list.Words != 5 {
		t.Errorf("list items are sentences: %+v", list)
	}
}

func TestLIX(t *testing.T) {
	hard := "Utenlandskstatsborgerskapsrettigheter forutsetter omfattende dokumentasjonsforpliktelser, hvilket innebærer betydelige administrasjonskostnader og kompliserte saksbehandlingsprosedyrer uavhengig av individuelle omstendigheter."
	victim := render.Page{File: "content/nb/er-dette-meg/gjeld.md", Lang: "nb", Body: hard}
	other := render.Page{File: "content/nb/jobber-med-dette/loven.md", Lang: "nb", Body: hard}
	easy := render.Page{File: "content/en/is-this-me/debt.md", Lang: "en", Body: "A debt can be a trap. You can get help."}
	thai := render.Page{File: "content/th/sheet.md", Lang: "th", Body: "ภาษาไทยไม่มีช่องว่างระหว่างคำ"}
	all, fs := LIX([]render.Page{victim, other, easy, thai}, Config{})
	one(t, fs, Warning, "content/nb/er-dette-meg/gjeld.md", "above 40, the limit for pages for people who may be victims")
	if len(all) != 3 {
		t.Fatalf("measured %d pages, want 3 (not Thai): %+v", len(all), all)
	}
	if all[1].Limit != 0 || all[0].Limit != 40 || all[2].Limit != 40 {
		t.Errorf("limits = %v %v %v", all[0].Limit, all[1].Limit, all[2].Limit)
	}
	if _, fs := LIX([]render.Page{victim}, Config{LixLimit: 200}); len(fs) > 0 {
		t.Errorf("a higher configured limit still warns: %v", fs)
	}
}

func TestExternal(t *testing.T) {
	cf, _ := ReadContacts([]byte("udi:\n  web: \"https://www.udi.no/\"\nrosa:\n  phone: \"112\"\n"), Config{Now: now})
	p := render.Page{File: "content/nb/x.md", BodyLine: 5, Body: "Se <https://lovdata.no/lov>.\n\nLes [mer](https://example.org/a?b=c).\n\n{{< contact \"udi\" >}} {{< contact \"rosa\" >}}"}
	got := External([]render.Page{p, {File: "content/nb/y.md"}}, cf)
	if len(got) != 2 || got[0].File != "content/nb/x.md" || got[1].File != ContactsFile {
		t.Fatalf("groups = %+v", got)
	}
	want := []ExternalLink{{URL: "https://lovdata.no/lov", Line: 5}, {URL: "https://example.org/a?b=c", Line: 7}, {URL: "https://www.udi.no/", Line: 9, Via: "udi"}}
	if len(got[0].Links) != len(want) {
		t.Fatalf("links = %+v", got[0].Links)
	}
	for i, l := range want {
		if got[0].Links[i] != l {
			t.Errorf("link %d = %+v, want %+v", i, got[0].Links[i], l)
		}
	}
	if l := got[1].Links[0]; l.Line != 2 || l.Via != "udi" {
		t.Errorf("contacts.yaml link = %+v", l)
	}
}

// site is a small built site: the home page and om/ from content files, a 404 page from a
// layout, a stylesheet with an image; om's Markdown body and the HTML it became are given.
func site(om, omHTML string) ([]render.Page, Built) {
	pages := []render.Page{
		{File: "content/nb/_index.md", Lang: "nb", Permalink: "/", Body: "Hei.\n", BodyLine: 7},
		{File: "content/nb/om.md", Lang: "nb", Permalink: "/om/", Body: om, BodyLine: 7},
	}
	layout := func(main string) []byte {
		return []byte(`<!doctype html><html><head><link rel=stylesheet href=/css/s.css><link rel=canonical href=https://example.org/om/></head>` +
			`<body><a href=#main>Hopp</a> <a href=/om/>Om</a> <a href=https://www.yr.no/>Vær</a> <a href=tel:112>112</a>` +
			`<main id=main>` + main + `</main></body></html>`)
	}
	web := tree.Tree{
		"index.html":    layout(`<h2 id=hei>Hei</h2>`),
		"om/index.html": layout(omHTML),
		"404.html":      layout(""),
		"css/s.css":     []byte(`body{background:url(/img/bg.png)}`),
		"img/bg.png":    []byte("png"),
		"robots.txt":    []byte("User-agent: *"),
	}
	return pages, Built{Web: web, Offline: offline.Make(web, "https://example.org/"), BaseURL: "https://example.org/"}
}

func TestLinks(t *testing.T) {
	t.Run("good links", func(t *testing.T) {
		pages, b := site("Se [forsiden](/) og [hei](/#hei) og [oss](#main).", `<a href=/>forsiden</a> <a href=/#hei>hei</a> <a href=#main>oss</a> <a href=../index.html>rel</a> <a href=/om>uten skråstrek</a>`)
		if fs := Links(pages, b); len(fs) > 0 {
			t.Fatal(fs)
		}
	})
	t.Run("a page that does not exist", func(t *testing.T) {
		pages, b := site("Tekst.\n\nSe [mer](/finnes-ikke/).", `<a href=/finnes-ikke/>mer</a>`)
		f := one(t, Links(pages, b), Error, "content/nb/om.md", `link "/finnes-ikke/" does not resolve in the web site and the offline bundle: no page or file at /finnes-ikke/`)
		if f.Line != 9 || f.Rule != "link" {
			t.Errorf("line %d rule %s, want 9 link", f.Line, f.Rule)
		}
	})
	t.Run("a relative link to a file that does not exist", func(t *testing.T) {
		pages, b := site("Se [mer](annen.md).", `<a href=annen.md>mer</a>`)
		one(t, Links(pages, b), Error, "content/nb/om.md", "no page or file at /om/annen.md")
	})
	t.Run("an anchor that does not exist", func(t *testing.T) {
		pages, b := site("Se\n[hei](/#nei).", `<a href=/#nei>hei</a>`)
		f := one(t, Links(pages, b), Error, "content/nb/om.md", `anchor "/#nei" does not resolve in the web site and the offline bundle: no element with id "nei" in index.html`)
		if f.Line != 8 || f.Rule != "anchor" {
			t.Errorf("line %d rule %s, want 8 anchor", f.Line, f.Rule)
		}
	})
	t.Run("an anchor on the page itself", func(t *testing.T) {
		pages, b := site("Se [under](#under).", `<a href=#under>under</a>`)
		one(t, Links(pages, b), Error, "content/nb/om.md", `no element with id "under" on the page`)
	})
	t.Run("the site's own address", func(t *testing.T) {
		pages, b := site("Se [meg](https://example.org/mangler/).", `<a href=https://example.org/mangler/>meg</a>`)
		one(t, Links(pages, b), Error, "content/nb/om.md", "no page or file at /mangler/")
	})
	t.Run("a file only the web site has", func(t *testing.T) {
		pages, b := site("Se [roboter](/robots.txt).", `<a href=/robots.txt>roboter</a>`)
		one(t, Links(pages, b), Error, "content/nb/om.md", "does not resolve in the offline bundle: no such file in the bundle (robots.txt)")
	})
	t.Run("a broken link from a layout is one finding", func(t *testing.T) {
		pages, b := site("Om.", "Om.")
		for _, p := range []string{"index.html", "om/index.html", "404.html"} {
			b.Web[p] = append(b.Web[p], "<a href=/borte/>borte</a>"...)
		}
		b.Offline = offline.Make(b.Web, b.BaseURL)
		one(t, Links(pages, b), Error, "layouts/", `link "/borte/" does not resolve in the web site and the offline bundle: no page or file at /borte/ (on 3 pages, first public/404.html`)
	})
	t.Run("a missing stylesheet image", func(t *testing.T) {
		pages, b := site("Om.", "Om.")
		delete(b.Web, "img/bg.png")
		b.Offline = offline.Make(b.Web, b.BaseURL)
		one(t, Links(pages, b), Error, "public/css/s.css", `link "/img/bg.png" does not resolve`)
	})
}

func TestFromError(t *testing.T) {
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "content/nb"), 0o755)
	os.WriteFile(filepath.Join(dir, "content/nb/x.md"), []byte("---\ntitle: X\n---\nRing {{< phone \"nope\" >}}.\n"), 0o644)
	for _, tc := range []struct {
		err       string
		file      string
		line      int
		msgPrefix string
	}{
		{"content/nb/x.md:3:5: bad front matter", "content/nb/x.md", 3, "bad front matter"},
		{`content/nb/x.md: unknown contact "nope": not in data/contacts.yaml`, "content/nb/x.md", 4, "unknown contact"},
		{`[nb] REF_NOT_FOUND: Ref "y.md": "content/nb/x.md:4:12": page not found`, "content/nb/x.md", 4, "[nb] REF_NOT_FOUND"},
		{"layouts/nope.html:3: no such file", "hugo.toml", 0, "layouts/nope.html:3"},
		{"something broke", "hugo.toml", 0, "something broke"},
	} {
		f := FromError(dir, errors.New(tc.err))
		if f.File != tc.file || f.Line != tc.line || !strings.HasPrefix(f.Message, tc.msgPrefix) || f.Severity != Error {
			t.Errorf("FromError(%q) = %+v, want %s:%d %q…", tc.err, f, tc.file, tc.line, tc.msgPrefix)
		}
	}
}

func TestReport(t *testing.T) {
	r := &Report{Pages: 3, Languages: []string{"nb", "en"}, Findings: []Finding{
		{File: "content/b.md", Line: 3, Severity: Warning, Rule: "lix", Message: "hard"},
		{File: "content/c.md", Line: 9, Severity: Warning, Rule: "checked", Message: "old"},
		{File: "content/c.md", Line: 2, Severity: Error, Rule: "sources", Message: "none"},
		{File: "content/a.md", Line: 1, Severity: Error, Rule: "link", Message: "dead"},
	}}
	var text bytes.Buffer
	if err := r.WriteText(&text, false); err != nil {
		t.Fatal(err)
	}
	want := "content/a.md:1: error: dead [link]\n\n" +
		"content/c.md:2: error: none [sources]\ncontent/c.md:9: warning: old [checked]\n\n" +
		"content/b.md:3: warning: hard [lix]\n\n" +
		"2 errors, 2 warnings in 3 files (3 pages in 2 languages checked)\n"
	if text.String() != want {
		t.Errorf("text report:\n%s\nwant:\n%s", text.String(), want)
	}
	if !r.Failed() {
		t.Error("a report with errors has not failed")
	}
	var js bytes.Buffer
	if err := r.WriteJSON(&js); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Findings []map[string]any
		Summary  Summary
	}
	if err := json.Unmarshal(js.Bytes(), &doc); err != nil {
		t.Fatalf("JSON report: %v\n%s", err, js.String())
	}
	if doc.Summary != (Summary{Errors: 2, Warnings: 2, Files: 3, Pages: 3}) || doc.Findings[0]["severity"] != "error" || doc.Findings[0]["file"] != "content/a.md" {
		t.Errorf("JSON report:\n%s", js.String())
	}
}

func TestDrift(t *testing.T) {
	src := render.Page{File: "content/nb/gjeld.md", Lang: "nb", TranslationKey: "debt", Body: "\nGjeld kan være en felle.\n"}
	now := SourceVersion(src.Body)
	if now != SourceVersion("Gjeld kan være en felle.") || len(now) != 12 {
		t.Fatalf("SourceVersion %q: it must ignore the whitespace around the body and be 12 hex digits", now)
	}
	en := func(recorded any) render.Page {
		p := render.Page{File: "content/en/is-this-me/debt.md", Lang: "en", TranslationKey: "debt", Params: map[string]any{}, ParamLines: map[string]int{"sourceversion": 5}}
		if recorded != nil {
			p.Params["sourceversion"] = recorded
		}
		return p
	}
	if fs := DriftFindings([]render.Page{src, en(now)}); len(fs) > 0 {
		t.Errorf("an up-to-date translation: %v", fs)
	}
	if d := Drift([]render.Page{src, en(nil)}); len(d) != 1 || d[0].Recorded != "" || d[0].Now != now {
		t.Errorf("a translation that records nothing is listed: %+v", d)
	}
	if fs := DriftFindings([]render.Page{src, en(nil)}); len(fs) > 0 {
		t.Errorf("a translation that records nothing is not judged: %v", fs)
	}
	changed := src
	changed.Body = "Gjeld kan være en felle. Ny setning."
	one(t, DriftFindings([]render.Page{changed, en(now)}), Warning, "content/en/is-this-me/debt.md",
		"may be behind its source: content/nb/gjeld.md changed since this translation (sourceVersion "+now)
	if f := DriftFindings([]render.Page{changed, en(now)}); len(f) == 1 && f[0].Line != 5 {
		t.Errorf("the warning is at line %d, not at sourceVersion's", f[0].Line)
	}
}
