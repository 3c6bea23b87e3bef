package render

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/veiviser/veiviser/internal/sitegen"
)

// A failed build is an *Error at the file and line that caused it, with no absolute path.
func TestErrorNamesTheContent(t *testing.T) {
	om := func(frontMatter, body string) string {
		return "-- content/nb/om.md --\n---\ntitle: Om\ntranslationKey: about\n" + frontMatter + "checked: 2026-11-01\nsources: [site]\n---\nOm.\n" + body
	}
	for _, tc := range []struct {
		name, archive string
		edit          func(t *testing.T, dir string)
		file          string
		line          int    // or, when at is set, the line of the file where at is
		at            string //
		msg           string
	}{
		{name: "a template failing on a front matter value",
			archive: "-- layouts/vis/page.html --\n{{ define \"main\" }}\n<p>{{ time.Format \"2006\" .Params.year }}</p>\n{{ end }}\n" + om("type: vis\nyear: i fjor\n", ""),
			file:    "content/nb/om.md", line: 5, msg: "year: unable to parse date: i fjor (layouts/vis/page.html:2)"},
		{name: "a template failing on a page with no value to point at",
			archive: "-- layouts/vis/page.html --\n{{ define \"main\" }}{{ index (slice 1 2) .Params.which }}{{ end }}\n" + om("type: vis\n", ""),
			file:    "content/nb/om.md", line: 1, msg: "(layouts/vis/page.html:1)"},
		{name: "a shortcode failing hard",
			archive: "-- layouts/_shortcodes/year.html --\n{{ time.Format \"2006\" (.Get 0) }}\n" + om("", "\nI {{< year \"i fjor\" >}}.\n"),
			file:    "content/nb/om.md", line: 9, msg: `failed to render shortcode "year": unable to parse date: i fjor (layouts/_shortcodes/year.html:1)`},
		{name: "a shortcode's errorf with the position", archive: om("", "\n{{< contact >}}\n"),
			file: "content/nb/om.md", line: 9, msg: `{{< contact >}} needs the id of a contact in data/contacts.yaml, like {{< contact "rosa" >}}`},
		{name: "an unknown contact", archive: om("", "\nRing {{< phone \"finnes_ikke\" >}}.\n"),
			file: "content/nb/om.md", line: 9, msg: `unknown contact "finnes_ikke": not in data/contacts.yaml`},
		{name: "a reference to no page", archive: om("", "\nSe [x]({{< relref \"finnes-ikke.md\" >}}).\n"),
			file: "content/nb/om.md", line: 9, msg: `REF_NOT_FOUND: Ref "finnes-ikke.md": page not found`},
		{name: "a date Hugo cannot read", archive: om("date: 24.11.2026\n", ""),
			file: "content/nb/om.md", line: 4, msg: `the "date" front matter field is not a parsable date`},
		{name: "a template's own syntax error", archive: "-- layouts/page.html --\n{{ define \"main\" }}\n<h1>{{ .Title }</h1>\n{{ end }}\n",
			file: "layouts/page.html", line: 2, msg: "unexpected"},
		{name: "a setting Hugo cannot decode", edit: replaceIn("hugo.toml", "enableRobotsTXT = true", `enableRobotsTXT = "kanskje"`),
			file: "hugo.toml", at: `enableRobotsTXT = "kanskje"`, msg: `enableRobotsTXT = "kanskje": want true or false`},
		{name: "a language that is not a table", edit: replaceIn("hugo.toml", "[languages.nn]\n", "[languages]\n  nn = 3\n[languages.gone]\n"),
			file: "hugo.toml", at: "  nn = 3", msg: `nn = 3 in [languages]: want a table of settings ([…]), not a whole number`},
		{name: "a list where text belongs", edit: replaceIn("hugo.toml", `title = "Veiviser"`, `title = ["Veiviser"]`),
			file: "hugo.toml", at: `title = ["Veiviser"]`, msg: `title = ["Veiviser"]: want text in quotes ("…"), not a list ([…])`},
		{name: "not TOML", edit: replaceIn("hugo.toml", `title = "Veiviser"`, `title = "Veiviser`),
			file: "hugo.toml", at: `title = "Veiviser`, msg: ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := sitegen.New(t, sitegen.Minimal)
			sitegen.Write(t, dir, tc.archive)
			if tc.edit != nil {
				tc.edit(t, dir)
			}
			_, err := Site(Options{Dir: dir})
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("error = %v (%T), want an *Error", err, err)
			}
			want := tc.line
			if tc.at != "" {
				want = lineOf(t, filepath.Join(dir, tc.file), tc.at)
			}
			if e.File != tc.file || e.Line != want || !strings.Contains(e.Message, tc.msg) {
				t.Errorf("error = %q, want %s:%d: …%s…", e, tc.file, want, tc.msg)
			}
			abs, _ := filepath.Abs(dir)
			if strings.Contains(e.Error(), abs) || strings.ContainsAny(e.Error(), "\n\x1b") {
				t.Errorf("error = %q: an absolute path, a colour code or more than one line", e)
			}
		})
	}
}

func replaceIn(file, old, new string) func(t *testing.T, dir string) {
	return func(t *testing.T, dir string) {
		p := filepath.Join(dir, file)
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(b), old) {
			t.Fatalf("%s has no %q: the fixture no longer fits", file, old)
		}
		if err := os.WriteFile(p, []byte(strings.Replace(string(b), old, new, 1)), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func lineOf(t *testing.T, name, needle string) int {
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	i := strings.Index(string(b), needle)
	if i < 0 {
		t.Fatalf("%s has no %q", name, needle)
	}
	return 1 + strings.Count(string(b[:i]), "\n")
}

func TestWant(t *testing.T) {
	for msg, expected := range map[string]string{
		`cannot parse 'EnableRobotsTXT' as bool: strconv.ParseBool: parsing "kanskje": invalid syntax`: "want true or false",
		`'BaseURL' expected type 'string', got unconvertible type '[]interface {}', value: '[3]'`:      `want text in quotes ("…"), not a list ([…])`,
		`'[xx]' expected a map, got 'int64'`: "want a table of settings ([…]), not a whole number",
		`'Weight' expected type 'int', got unconvertible type 'map[string]interface {}', value: 'map[a:1]'`: "want a whole number, not a table",
		`'Something' is odd`: "is odd",
	} {
		if got := want(msg); got != expected {
			t.Errorf("want(%q) = %q, want %q", msg, got, expected)
		}
	}
}

func TestTomlKey(t *testing.T) {
	src := "baseURL = 3\n[params]\n  # a comment\n  checkedWarnMonths = \"tolv\"\n[languages]\n  xx = 3\n[languages.nb]\n  weight = 1\n"
	for key, want := range map[string]string{
		"baseurl":                  "1 baseURL = 3",
		"params.checkedWarnMonths": `4 checkedWarnMonths = "tolv" in [params]`,
		"languages.xx":             "6 xx = 3 in [languages]",
		"languages.nb":             "7 [languages.nb]",
		"languages.nb.weight":      "8 weight = 1 in [languages.nb]",
		"nope":                     "0 ",
	} {
		line, written := tomlKey(src, key)
		if got := fmt.Sprintf("%d %s", line, written); got != want {
			t.Errorf("tomlKey(%q) = %q, want %q", key, got, want)
		}
	}
}

// Hugo colours positions when stdout is a terminal; a message has neither the colours nor
// the project's folder.
func TestCleaner(t *testing.T) {
	clean := cleaner("/p/site")
	got := clean("\x1b[1;36m\"/p/site/content/nb/om.md:4:1\"\x1b[0m: bad")
	if want := `"content/nb/om.md:4:1": bad`; got != want {
		t.Errorf("clean = %q, want %q", got, want)
	}
}

func TestLogged(t *testing.T) {
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "content/nb"), 0o755)
	os.WriteFile(filepath.Join(dir, "content/nb/om.md"), []byte("---\ntitle: Om\ndate: 24.11.2026\n---\nOm.\n"), 0o644)
	for msg, want := range map[string]string{
		"content/nb/om.md:5:3: bar-chart: missing title":                                     "content/nb/om.md:5: bar-chart: missing title",
		`[nb] REF_NOT_FOUND: Ref "x.md": "content/nb/om.md:5:7": page not found`:             `content/nb/om.md:5: [nb] REF_NOT_FOUND: Ref "x.md": page not found`,
		`the "date" front matter field is not a parsable date: see content/nb/om.md`:         `content/nb/om.md:3: the "date" front matter field is not a parsable date`,
		`something else: see content/nb/nope.md`:                                             `something else: see content/nb/nope.md`,
		`content/nb/om.md: unknown contact "nope": not in data/contacts.yaml (no line here)`: `content/nb/om.md: unknown contact "nope": not in data/contacts.yaml (no line here)`,
	} {
		if got := logged(dir, msg).Error(); got != want {
			t.Errorf("logged(%q) = %q, want %q", msg, got, want)
		}
	}
}

// On a terminal Hugo colours the level of each line it logs: errorf's message and the warnings
// are read all the same.
func TestColouredLog(t *testing.T) {
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "content/nb"), 0o755)
	os.WriteFile(filepath.Join(dir, "content/nb/om.md"), []byte("---\ntitle: Om\n---\nOm.\n"), 0o644)
	var log bytes.Buffer
	fmt.Fprintf(&log, "\x1b[33mWARN\x1b[0m  i18n|MISSING_TRANSLATION|pl|exitButton\n")
	fmt.Fprintf(&log, "\x1b[31mERROR\x1b[0m \x1b[36m%s/content/nb/om.md:4\x1b[0m: {{< phone >}} needs the id of a contact\n", dir)
	err := describe(dir, errors.New("logged 1 error(s)"), &log)
	if got, want := fmt.Sprint(err), "content/nb/om.md:4: {{< phone >}} needs the id of a contact"; got != want {
		t.Errorf("describe = %q, want %q", got, want)
	}
	if got := warnings(dir, &log); len(got) != 1 || got[0] != "i18n|MISSING_TRANSLATION|pl|exitButton" {
		t.Errorf("warnings = %q", got)
	}
}
