package check

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/veiviser/veiviser/internal/render"
	"github.com/veiviser/veiviser/internal/tree"
)

func TestPlaceholderBaseURL(t *testing.T) {
	for u, want := range map[string]bool{
		"":                             true,
		"/":                            true,
		"https://veiviser.example.no/": true,
		"https://example.org/":         true,
		"https://example/":             true,
		"http://localhost:1313/":       true,
		"http://127.0.0.1/":            true,
		"http://[::1]:8080/":           true,
		"http://0.0.0.0/":              true,
		"https://veiviser.test/":       true,
		"https://veiviser.invalid/":    true,
		"https://veiviser.local/":      true,
		"https://a.localhost/":         true,
		"ftp://veiviser.no/":           true,
		"veiviser.no":                  true,
		"https://veiviser.no/":         false,
		"http://veiviser.no/hjelp/":    false,
		"https://EXAMPLES.no/":         false,
		"https://myexample.no/":        false,
		"https://10.0.0.1/":            false,
	} {
		if got := placeholderBaseURL(u); got != want {
			t.Errorf("placeholderBaseURL(%q) = %v, want %v", u, got, want)
		}
	}
	toml := []byte("# site\nbaseURL = \"https://veiviser.example.no/\"\n")
	f := one(t, BaseURL("https://veiviser.example.no/", toml, false), Warning, "hugo.toml",
		`baseURL "https://veiviser.example.no/" is a placeholder: the sheets show no QR code or web address (set baseURL, or build with -base-url)`)
	if f.Line != 2 {
		t.Errorf("line %d, want 2", f.Line)
	}
	if fs := BaseURL("https://veiviser.no/", toml, true); len(fs) > 0 {
		t.Errorf("a real address: %v", fs)
	}
}

func TestUTF8(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) {
		p := filepath.Join(dir, filepath.FromSlash(name))
		os.MkdirAll(filepath.Dir(p), 0o755)
		os.WriteFile(p, []byte(text), 0o644)
	}
	write("content/nb/ok.md", "---\ntitle: Blåbær\n---\nÆ ø å.\n")
	write("content/nb/latin1.md", "---\ntitle: X\n---\nTekst.\nBl\xe5b\xe6r.\n")
	write("data/facts.yaml", "a: 1\nb: \"caf\xe9\"\n")
	write("i18n/pl.toml", "x = \"\xff\"\n")
	write("content/nb/bilde.png", "\x89PNG\xff\xfe")
	write("layouts/x.html", "\xff") // not text the rule reads
	got := map[string]Finding{}
	for _, f := range UTF8(dir) {
		got[f.File] = f
	}
	if len(got) != 3 {
		t.Fatalf("findings: %v", got)
	}
	for file, line := range map[string]int{"content/nb/latin1.md": 5, "data/facts.yaml": 2, "i18n/pl.toml": 1} {
		f, ok := got[file]
		if !ok || f.Line != line || f.Severity != Error || !strings.Contains(f.Message, "invalid UTF-8") {
			t.Errorf("%s: %+v, want an error at line %d", file, f, line)
		}
	}
	if m := got["content/nb/latin1.md"].Message; !strings.Contains(m, "byte 0xE5 at column 3") || !strings.Contains(m, "and 1 more") {
		t.Errorf("message %q", m)
	}
}

func TestHeadingIDs(t *testing.T) {
	body := "Tekst.\n\n## Hva er *dette*?\n\n```\n## ikke en overskrift\n```\n\n## Ring [oss](/om/) {#ring}\n\nUnderstreket\n---\n\n## Hva er dette?\n\n# Exit #\n"
	want := []headingID{{"hva-er-dette", 3}, {"ring", 9}, {"understreket", 11}, {"hva-er-dette-1", 14}, {"exit", 16}}
	got := headingIDs(body)
	if len(got) != len(want) {
		t.Fatalf("headings = %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("heading %d = %v, want %v", i, got[i], want[i])
		}
	}
}

func TestHeadings(t *testing.T) {
	layout := func(content string) []byte {
		return []byte(`<body><div id=exit><a class=exit-button href=https://www.yr.no/>Forlat</a><p id=exit-hint></p></div><a href=#main>Hopp</a>` +
			`<main id=main><article>` + content + `</article><section><h2 id=sources-title>Kilder</h2></section></main></body>`)
	}
	for _, tc := range []struct {
		name, body, html, want string
		line                   int
	}{
		{"good", "## Om\n\n## Mer {#mer}\n", `<h2 id=om>Om</h2><h2 id=mer>Mer</h2>`, "", 0},
		{"an id twice", "Tekst.\n\n## Hei {#hei}\n\n## Hei igjen {#hei}\n", `<p>Tekst.</p><h2 id=hei>Hei</h2><h2 id=hei>Hei igjen</h2>`,
			`heading id "hei" is used twice on the page (first on line 9)`, 11},
		{"the layout's main", "## Main\n", `<h2 id=main>Main</h2>`, `heading id "main" is also an id of the page's layout`, 7},
		{"the quick exit", "Tekst.\n\n## Exit\n", `<p>Tekst.</p><h2 id=exit>Exit</h2>`, `heading id "exit" is also an id of the page's layout`, 9},
		{"an explicit layout id", "## Tips {#exit-hint}\n", `<h2 id=exit-hint>Tips</h2>`, `"exit-hint" is also an id`, 7},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := render.Page{File: "content/en/x.md", Permalink: "/en/x/", Body: tc.body, BodyLine: 7, HTML: tc.html}
			web := tree.Tree{"en/x/index.html": layout(tc.html)}
			fs := Headings([]render.Page{p}, web, "https://example.org/")
			if tc.want == "" {
				if len(fs) > 0 {
					t.Fatal(fs)
				}
				return
			}
			f := one(t, fs, Error, "content/en/x.md", tc.want)
			if f.Line != tc.line {
				t.Errorf("line %d, want %d", f.Line, tc.line)
			}
		})
	}
}

func TestTelLinks(t *testing.T) {
	cf, _ := ReadContacts([]byte("emergency:\n  phone: \"112\"\nrosa:\n  phone: \"22 33 11 60\"\nudi:\n  web: \"https://www.udi.no/\"\n"), Config{Now: now})
	i18n := map[string]*I18n{"nb": {Values: map[string]string{"contact.emergency.name": "Nødnummer", "contact.rosa.name": "ROSA", "contact.udi.name": "UDI"}}}
	strip := func(items string) []byte {
		return []byte(`<aside class=emergency><ul>` + items + `</ul></aside><main><p>Ring <a class=phone href=tel:112>112</a>.</p></main>`)
	}
	good := `<li><span class=emergency-name>Nødnummer</span> <a class=phone dir=ltr href=tel:112>112</a></li><li><span>ROSA</span> <a class=phone href=tel:+4722331160>22 33 11 60</a></li>`
	pages := []render.Page{{File: "content/nb/om.md", Permalink: "/om/", Body: "Om."}}
	t.Run("good", func(t *testing.T) {
		if fs := TelLinks(pages, tree.Tree{"index.html": strip(good), "om/index.html": strip(good)}, "https://example.org/", cf, i18n); len(fs) > 0 {
			t.Fatal(fs)
		}
	})
	t.Run("a contact with no phone shown as phone-link", func(t *testing.T) {
		bad := strip(good + `<li><span class=emergency-name>UDI</span> <a class=phone dir=ltr href=tel:></a></li>`)
		f := one(t, TelLinks(pages, tree.Tree{"index.html": bad, "om/index.html": bad}, "https://example.org/", cf, i18n), Error, ContactsFile,
			`contact "udi": a layout shows it as a phone link, but it has no phone: a tel: link with no number (showing "") on 2 pages, first public/index.html`)
		if f.Line != 5 {
			t.Errorf("line %d, want 5", f.Line)
		}
	})
	t.Run("digits that differ", func(t *testing.T) {
		bad := strip(`<li><span>ROSA</span> <a class=phone href=tel:+4722331161>22 33 11 60</a></li>`)
		f := one(t, TelLinks(pages, tree.Tree{"om/index.html": bad}, "https://example.org/", cf, i18n), Error, ContactsFile,
			`contact "rosa" (phone "22 33 11 60"): the tel: link "tel:+4722331161" calls other digits than the "22 33 11 60" it shows on content/nb/om.md`)
		if f.Line != 3 {
			t.Errorf("line %d, want 3", f.Line)
		}
	})
	t.Run("no contact to name", func(t *testing.T) {
		bad := strip(`<li><a class=phone href=tel:>Ring</a></li>`)
		one(t, TelLinks(pages, tree.Tree{"index.html": bad}, "https://example.org/", cf, i18n), Error, "layouts/",
			`a tel: link with no number (showing "Ring") (not in the page's Markdown, so a layout makes it) on public/index.html`)
	})
}

func TestMissingTranslations(t *testing.T) {
	files := map[string]*I18n{
		"nb": {Lang: "nb", File: "i18n/nb.toml", Values: map[string]string{"exitButton": "Forlat siden", "sheet.title": "Nødhjelp", "contact.rosa.hours": "Hele døgnet"},
			lines: map[string]int{"exitButton": 2, "sheet": 10, "sheet.title": 11}},
		"pl": {Lang: "pl", File: "i18n/pl.toml", Values: map[string]string{"exitButton": "", "translationNote": "Tłumaczenie"}, lines: map[string]int{"exitButton": 2, "sheet": 20}},
	}
	optional := func(k string) bool { return k == "translationNote" || strings.HasSuffix(k, ".hours") }
	fs := MissingTranslations([]render.MissingTranslation{
		{Lang: "pl", Key: "sheet.title"}, {Lang: "pl", Key: "exitButton"}, {Lang: "pl", Key: "sheet.title"},
		{Lang: "nb", Key: "translationNote"}, {Lang: "nb", Key: "home"},
		{Lang: "pl", Key: "contact.rosa.hours"}, {Lang: "pl", Key: "contact.iom.hours"},
	}, files, "nb", optional)
	want := []string{
		`i18n/pl.toml:20: error: i18n key "sheet.title" is missing: the pl pages show the words of nb (nb.toml) instead`,
		`i18n/pl.toml:2: error: i18n key "exitButton" is empty: the pl pages show the words of nb (nb.toml) instead`,
		`i18n/nb.toml: error: i18n key "home" is missing: the nb pages show nothing where a layout uses it`,
		`i18n/pl.toml: error: i18n key "contact.rosa.hours" is missing: the pl pages show the words of nb (nb.toml) instead`,
	}
	if len(fs) != len(want) {
		t.Fatalf("findings: %v", fs)
	}
	for i, w := range want {
		if fs[i].String() != w {
			t.Errorf("finding %d = %s\nwant        %s", i, fs[i], w)
		}
	}
}

func TestOptionalI18n(t *testing.T) {
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "layouts", "_partials"), 0o755)
	os.WriteFile(filepath.Join(dir, "layouts", "_partials", "x.html"), []byte(`{{ with i18n "translationNote" }}<p>{{ . }}</p>{{ end }}
{{ i18n "exitButton" }}{{- with partial "contact/contact-text.html" (dict "id" $id "field" "hours") }}{{ . }}{{ end }}`), 0o644)
	optional := OptionalI18n(dir)
	for key, want := range map[string]bool{"translationNote": true, "exitButton": false, "contact.rosa.hours": true, "contact.rosa.name": false, "hours": false} {
		if optional(key) != want {
			t.Errorf("optional(%q) = %v", key, !want)
		}
	}
}

func TestLanguages(t *testing.T) {
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "content", "nb"), 0o755)
	toml := []byte("baseURL = \"/\"\n[languages.nb]\n  contentDir = \"content/nb\"\n[languages.ro]\n  label = \"Română\"\n  contentDir = \"content/ro\"\n")
	site := &render.Result{Languages: []string{"nb", "ro"}, ContentDirs: map[string]string{"nb": "content/nb", "ro": "content/ro"}}
	fs := Languages(dir, site, map[string]*I18n{"nb": {}}, toml)
	if len(fs) != 2 {
		t.Fatalf("findings: %v", fs)
	}
	if s := fs[0].String(); s != `hugo.toml:4: error: language "ro" has no i18n/ro.toml: its pages show the words of nb` {
		t.Errorf("got %s", s)
	}
	if s := fs[1].String(); s != `hugo.toml:6: error: language "ro" has no content folder: content/ro/ does not exist (contentDir)` {
		t.Errorf("got %s", s)
	}
}
