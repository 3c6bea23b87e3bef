package pipeline_test

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/veiviser/veiviser/internal/check"
	"github.com/veiviser/veiviser/internal/pipeline"
	"github.com/veiviser/veiviser/internal/sitegen"
)

// edit changes a file of a test project.
type edit func(t *testing.T, dir string)

// replace replaces the first match of the regular expression old in file with new.
func replace(file, old, new string) edit {
	return func(t *testing.T, dir string) {
		t.Helper()
		p := filepath.Join(dir, filepath.FromSlash(file))
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		re := regexp.MustCompile(old)
		loc := re.FindIndex(b)
		if loc == nil {
			t.Fatalf("%s has no %q: the fixture no longer fits the project", file, old)
		}
		out := append(append(append([]byte{}, b[:loc[0]]...), re.Expand(nil, []byte(new), b, re.FindSubmatchIndex(b))...), b[loc[1]:]...)
		if err := os.WriteFile(p, out, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func remove(name string) edit {
	return func(t *testing.T, dir string) {
		t.Helper()
		if err := os.RemoveAll(filepath.Join(dir, filepath.FromSlash(name))); err != nil {
			t.Fatal(err)
		}
	}
}

// appendTo adds text to the end of file.
func appendTo(file, text string) edit {
	return func(t *testing.T, dir string) {
		t.Helper()
		p := filepath.Join(dir, filepath.FromSlash(file))
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, append(b, text...), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// lineIn is the line of file in dir on which needle first is, or 0 for "".
func lineIn(t *testing.T, dir, file, needle string) int {
	t.Helper()
	if needle == "" {
		return 0
	}
	b, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(file)))
	if err != nil {
		t.Fatal(err)
	}
	i := bytes.Index(b, []byte(needle))
	if i < 0 {
		t.Fatalf("%s has no %q", file, needle)
	}
	return 1 + bytes.Count(b[:i], []byte("\n"))
}

// gate is a project broken one way and what check and build must say about it.
type gate struct {
	name    string
	archive string
	edits   []edit
	sev     check.Severity
	file    string
	at      string // the text on the line the finding names ("" for no line)
	msg     string
}

var gates = []gate{
	// 1: data/contacts.yaml.
	{name: "a phone that is not a Norwegian number", edits: []edit{replace("data/contacts.yaml", `phone: "22 33 11 60"`, `phone: "+47 22 33 11 60"`)},
		sev: check.Error, file: "data/contacts.yaml", at: `phone: "+47 22 33 11 60"`,
		msg: `contact "rosa": phone "+47 22 33 11 60" is not a Norwegian number in a known format (112, 02800, 116 111, 22 33 11 60, 800 40 008)`},
	{name: "an unknown field in a contact", edits: []edit{replace("data/contacts.yaml", `(?m)^rosa:\n`, "rosa:\n  hours: 24/7\n")},
		sev: check.Error, file: "data/contacts.yaml", at: "  hours: 24/7", msg: `contact "rosa": unknown field "hours"`},
	{name: "a contact the sheets show as phone-link without a phone", edits: []edit{replace("data/contacts.yaml", `phone: "116 111"`, `web: "https://www.116111.no/"`)},
		sev: check.Error, file: "data/contacts.yaml", at: "alarmtelefonen:",
		msg: `contact "alarmtelefonen": a layout shows it as a phone link, but it has no phone: a tel: link with no number (showing "") on 14 pages`},
	{name: "a tel: link calling other digits than it shows", archive: "-- layouts/_partials/contact/phone-link.html --\n" +
		`{{- $digits := replaceRE "\\D" "" .phone }}<a class="phone" href="tel:+47{{ $digits }}9">{{ .phone }}</a>` + "\n",
		sev: check.Error, file: "data/contacts.yaml", at: "rosa:", msg: `contact "rosa" (phone "22 33 11 60"): the tel: link "tel:+47223311609" calls other digits than the "22 33 11 60" it shows`},
	{name: "a contact compared too long ago", edits: []edit{replace("data/contacts.yaml", `(?m)^(rosa:\n(?:  .*\n)*?  )compared: 2026-11-01`, "${1}compared: 2024-06-01")},
		sev: check.Error, file: "data/contacts.yaml", at: "compared: 2024-06-01", msg: `contact "rosa" was compared with the source text on 2024-06-01, more than 24 months ago`},
	{name: "a contact not confirmed warns", edits: []edit{replace("data/contacts.yaml", `(?m)^(rosa:\n(?:  .*\n)*?)  confirmed: 2026-11-01\n`, "${1}")},
		sev: check.Warning, file: "data/contacts.yaml", at: "rosa:", msg: `contact "rosa" is not confirmed with the service (compared with the source text on 2026-11-01)`},

	// 2: i18n keys and languages.
	{name: "an i18n key missing in one language", edits: []edit{replace("i18n/pl.toml", `(?m)^\[exitButton\]\n(?:hash = .*\n)?other = .*\n`, "")},
		sev: check.Error, file: "i18n/pl.toml", msg: `i18n key "exitButton" is missing: the pl pages show the words of nb (nb.toml) instead`},
	{name: "a nested i18n key missing", edits: []edit{replace("i18n/fr.toml", `(?m)^\[sheet\.title\]\n(?:hash = .*\n)?other = .*\n`, "")},
		sev: check.Error, file: "i18n/fr.toml", at: "[sheet]", msg: `i18n key "sheet.title" is missing: the fr pages show the words of nb (nb.toml) instead`},
	{name: "an empty i18n key in the default language", edits: []edit{replace("i18n/nb.toml", `(?m)^exitButton = .*$`, `exitButton = ""`)},
		sev: check.Error, file: "i18n/nb.toml", at: `exitButton = ""`, msg: `i18n key "exitButton" is empty: the nb pages show nothing where a layout uses it`},
	{name: "a language without its i18n file", edits: []edit{remove("i18n/ro.toml")},
		sev: check.Error, file: "hugo.toml", at: "[languages.ro]", msg: `language "ro" has no i18n/ro.toml: its pages show the words of nb`},
	{name: "a language without its content folder", edits: []edit{remove("content/lt")},
		sev: check.Error, file: "hugo.toml", at: `contentDir = "content/lt"`, msg: `language "lt" has no content folder: content/lt/ does not exist (contentDir)`},
	{name: "a language without its sheet", edits: []edit{remove("content/pl/sheet.md")},
		archive: "-- content/pl/_index.md --\n---\ntitle: Pomoc\ntranslationKey: help\nchecked: 2026-11-01\nsources: [site]\n---\n",
		sev:     check.Error, file: "content/pl/", msg: `no emergency sheet for language "pl": add a page with type: sheet`},

	// 3: translationKey.
	{name: "a translationKey used twice in one language", archive: "-- content/en/using-safely.md --\n---\ntitle: Safe again\ntranslationKey: safety\nchecked: 2026-11-01\nsources: [site]\n---\nAgain.\n",
		sev: check.Error, file: "content/en/using-safely.md", at: "translationKey: safety",
		msg: `translationKey "safety" is also used by content/en/safety.md:4: each page of a language needs its own key`},

	// 4: heading ids.
	{name: "a heading id used twice", archive: "-- content/en/about.md --\n---\ntitle: About\ntranslationKey: about\nchecked: 2026-11-01\nsources: [site]\n---\n## Help {#help}\n\nText.\n\n## More help {#help}\n",
		sev: check.Error, file: "content/en/about.md", at: "## More help", msg: `heading id "help" is used twice on the page (first on line 7)`},
	{name: "a heading id the quick exit uses", archive: "-- content/en/about.md --\n---\ntitle: About\ntranslationKey: about\nchecked: 2026-11-01\nsources: [site]\n---\nText.\n\n## Exit\n",
		sev: check.Error, file: "content/en/about.md", at: "## Exit", msg: `heading id "exit" is also an id of the page's layout`},
	{name: "a heading id the skip link uses", archive: "-- content/nb/om.md --\n---\ntitle: Om\ntranslationKey: about\nchecked: 2026-11-01\nsources: [site]\n---\n## Hovedsaken {#main}\n",
		sev: check.Error, file: "content/nb/om.md", at: "## Hovedsaken", msg: `heading id "main" is also an id of the page's layout`},

	// 5: links Hugo's templates refuse.
	{name: "a javascript: link", archive: "-- content/en/about.md --\n---\ntitle: About\ntranslationKey: about\nchecked: 2026-11-01\nsources: [site]\n---\nAbout.\n\n[Close](javascript:window.close())\n",
		sev: check.Error, file: "content/en/about.md", at: "[Close]", msg: `link "javascript:window.close()": a javascript: link does nothing a reader expects, and Hugo publishes it as #ZgotmplZ`},
	{name: "a data: link", archive: "-- content/nb/om.md --\n---\ntitle: Om\ntranslationKey: about\nchecked: 2026-11-01\nsources: [site]\n---\nSe [dette](data:text/html,hei).\n",
		sev: check.Error, file: "content/nb/om.md", at: "Se [dette]", msg: `link "data:text/html,hei": a data: link`},

	// A link that breaks only in the bundle: an image from another site (no network there).
	{name: "an image from another site", archive: "-- content/en/about.md --\n---\ntitle: About\ntranslationKey: about\nchecked: 2026-11-01\nsources: [site]\n---\nAbout.\n\n![Map](https://example.org/map.png)\n",
		sev: check.Error, file: "content/en/about.md", at: "![Map]", msg: `https://example.org/map.png`},

	// 6: invalid UTF-8.
	{name: "invalid UTF-8 in a page", archive: "-- content/nb/om.md --\n---\ntitle: Om\ntranslationKey: about\nchecked: 2026-11-01\nsources: [site]\n---\nOm.\n\nBl\xe5b\xe6r.\n",
		sev: check.Error, file: "content/nb/om.md", at: "Bl\xe5", msg: "invalid UTF-8: byte 0xE5 at column 3 is not text (and 1 more in the file): save the file as UTF-8"},
	{name: "invalid UTF-8 in data", edits: []edit{appendTo("data/facts.yaml", "# caf\xe9\n")},
		sev: check.Error, file: "data/facts.yaml", at: "# caf\xe9", msg: "invalid UTF-8"},
	{name: "invalid UTF-8 in i18n", edits: []edit{appendTo("i18n/th.toml", "\n# \xff\n")},
		sev: check.Error, file: "i18n/th.toml", at: "# \xff", msg: "invalid UTF-8"},

	// What check reported as errors that the build used to publish.
	{name: "a page without its translation", archive: "-- content/nb/ny.md --\n---\ntitle: Ny\ntranslationKey: new\nchecked: 2026-11-01\nsources: [site]\n---\nNy.\n",
		sev: check.Error, file: "content/nb/ny.md", at: "---", msg: `no English translation: no page in content/en/ has translationKey "new"`},
	{name: "an anchor that does not exist", archive: "-- content/en/about.md --\n---\ntitle: About\ntranslationKey: about\nchecked: 2026-11-01\nsources: [site]\n---\nSee [safety](/en/safety/#nowhere).\n",
		sev: check.Error, file: "content/en/about.md", at: "See [safety]", msg: `anchor "/en/safety/#nowhere" does not resolve in the web site and the offline bundle`},
}

// Every gate: veiviser check names the file and line, and a build fails with the same line
// and writes nothing (or, for a warning, builds and prints it).
func TestGates(t *testing.T) {
	for _, g := range gates {
		t.Run(g.name, func(t *testing.T) {
			t.Parallel()
			dir := project(t, g.archive)
			for _, e := range g.edits {
				e(t, dir)
			}
			line := lineIn(t, dir, g.file, g.at)
			rep, err := pipeline.Check(dir, checkDay)
			if err != nil {
				t.Fatal(err)
			}
			f := has(t, rep, g.sev, "", g.file, g.msg)
			if f.Line != line {
				t.Errorf("check: %s: line %d, want %d", f, f.Line, line)
			}
			if rep.Failed() != (g.sev == check.Error) {
				t.Errorf("check failed = %v:\n%s", rep.Failed(), findings(rep))
			}

			var log bytes.Buffer
			_, err = pipeline.Run(pipeline.Options{Dir: dir, Now: checkDay, Log: &log})
			if g.sev == check.Warning {
				if err != nil {
					t.Fatalf("a warning failed the build: %v", err)
				}
				if !strings.Contains(log.String(), "  "+f.String()+"\n") {
					t.Errorf("the build did not print %q:\n%s", f.String(), log.String())
				}
				return
			}
			if err == nil {
				t.Fatalf("the build succeeded; its log:\n%s", log.String())
			}
			if !strings.Contains("\n"+err.Error()+"\n", "\n"+f.String()+"\n") {
				t.Errorf("build error lacks the line %q:\n%v", f.String(), err)
			}
			for _, out := range []string{"public", "dist"} {
				if _, err := os.Stat(filepath.Join(dir, out)); err == nil {
					t.Errorf("%s/ was written although the build failed", out)
				}
			}
		})
	}
}

// The placeholder baseURL: one warning, in check and in the build; none with a real address.
func TestPlaceholderBaseURL(t *testing.T) {
	dir := project(t, "")
	want := `hugo.toml:2: warning: baseURL "https://veiviser.example.no/" is a placeholder: the sheets show no QR code or web address (set baseURL, or build with -base-url)`
	if line := lineIn(t, dir, "hugo.toml", "baseURL = "); line != 2 {
		t.Fatalf("baseURL is on line %d of hugo.toml: the fixture no longer fits", line)
	}
	rep := runCheck(t, dir)
	if len(rep.Findings) != 1 || rep.Findings[0].String() != want {
		t.Errorf("check findings, want only %q:\n%s", want, findings(rep))
	}
	var log bytes.Buffer
	res, err := pipeline.Run(pipeline.Options{Dir: dir, Now: checkDay, Log: &log})
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(log.String(), "is a placeholder"); n != 1 || !strings.Contains(log.String(), "  "+want+"\n") {
		t.Errorf("build log, want the warning once:\n%s", log.String())
	}
	// No sheet, in either tree, prints a QR code or an address on the placeholder domain (its
	// body; the head's hreflang links name the site's address, which no one sees).
	sheets := 0
	for _, tr := range []map[string][]byte{res.Web, res.Offline} {
		for name, b := range tr {
			if !bytes.Contains(b, []byte("<article class=sheet")) {
				continue
			}
			sheets++
			_, body, _ := bytes.Cut(b, []byte("</head>"))
			sitegen.AssertFileContent(t, map[string][]byte{name: body}, name, "! data-qr", "! <svg>", "! example.no")
		}
	}
	if sheets < 4 {
		t.Fatalf("found %d sheets in the two trees: the fixture no longer fits", sheets)
	}

	log.Reset()
	res, err = pipeline.Run(pipeline.Options{Dir: dir, Now: checkDay, Log: &log, BaseURL: "https://veiviser.no/"})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(log.String(), "placeholder") || strings.Contains(log.String(), "warning:") {
		t.Errorf("a build for a real address warns:\n%s", log.String())
	}
	// The sheets of the languages with a help page (the code leads there: nb and en in this
	// project; the browser tests see all 14 of the real site) have, in both trees, a QR code
	// (drawn as inline SVG) and the real address.
	for _, tr := range []map[string][]byte{res.Web, res.Offline} {
		for _, name := range []string{"sheet/index.html", "en/sheet/index.html"} {
			sitegen.AssertFileContent(t, tr, name, `<article class="sheet">`, "<svg>", "https://veiviser.no/")
		}
	}
	rep, err = pipeline.CheckWith(pipeline.CheckOptions{Dir: dir, Now: checkDay, BaseURL: "https://veiviser.no/"})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Findings) > 0 {
		t.Errorf("check for a real address:\n%s", findings(rep))
	}
}

// The publisher: the footer of every page and the About page say who publishes the site and
// where to send corrections, from hugo.toml; while it is unset, nothing shows and check and
// the build warn, once, at the table's line.
func TestPublisher(t *testing.T) {
	dir := project(t, "")
	res, err := pipeline.Run(pipeline.Options{Dir: dir, Now: checkDay, Log: io.Discard})
	if err != nil {
		t.Fatal(err)
	}
	for _, tr := range []map[string][]byte{res.Web, res.Offline} {
		for _, name := range []string{"index.html", "er-dette-meg/index.html", "en/index.html"} {
			sitegen.AssertFileContent(t, tr, name, "Eksempelorganisasjonen", "mailto:rettelser@example.org")
		}
	}
	sitegen.AssertFileContent(t, res.Web, "om/index.html", "Utgitt av Eksempelorganisasjonen.")

	replace("hugo.toml", `(?m)^[ \t]*name = .*\n[ \t]*email = .*\n`, "")(t, dir)
	rep := runCheck(t, dir)
	line := lineIn(t, dir, "hugo.toml", "[params.publisher]")
	f := has(t, rep, check.Warning, "publisher", "hugo.toml", "the publisher is not set")
	if f.Line != line {
		t.Errorf("the warning is at line %d, the table at %d", f.Line, line)
	}
	var log bytes.Buffer
	res, err = pipeline.Run(pipeline.Options{Dir: dir, Now: checkDay, Log: &log})
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(log.String(), "the publisher is not set"); n != 1 {
		t.Errorf("the build warns %d times of the publisher:\n%s", n, log.String())
	}
	sitegen.AssertFileContent(t, res.Web, "index.html", "! Eksempelorganisasjonen", "! class=publisher")
}

// Translation drift: a translation records the version of its source (sourceVersion); check
// warns at it, naming both files, once the source's text changes, and not before; check -drift
// lists a translation that records none.
func TestTranslationDrift(t *testing.T) {
	dir := project(t, "")
	rep := runCheck(t, dir)
	var now string
	for _, s := range rep.Drift {
		if s.Translation.File == "content/en/about.md" && s.Source.File == "content/nb/om.md" && s.Recorded == "" {
			now = s.Now
		}
	}
	if now == "" {
		t.Fatalf("check -drift does not list content/en/about.md as recording no source version: %+v", rep.Drift)
	}
	replace("content/en/about.md", `(?m)^translationKey:.*$`, "$0\nsourceVersion: \""+now+"\"")(t, dir)
	rep = runCheck(t, dir)
	for _, f := range rep.Findings {
		if f.Rule == "drift" {
			t.Errorf("a translation made from its source as it is: %s", f)
		}
	}
	replace("content/nb/om.md", `(?s)\n---\n`, "\n---\nEn ny første setning.\n")(t, dir)
	rep = runCheck(t, dir)
	f := has(t, rep, check.Warning, "drift", "content/en/about.md", "may be behind its source: content/nb/om.md changed since this translation (sourceVersion "+now)
	if line := lineIn(t, dir, "content/en/about.md", "sourceVersion:"); f.Line != line {
		t.Errorf("the warning is at line %d, sourceVersion at %d", f.Line, line)
	}
}
