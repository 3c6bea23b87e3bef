package check

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/veiviser/veiviser/internal/render"
)

func write(t *testing.T, dir, name, text string) {
	t.Helper()
	p := filepath.Join(dir, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestFrontMatterTypes(t *testing.T) {
	for _, tc := range []struct {
		name, page string
		want       string // the finding, "" for none
	}{
		{"good YAML", "---\ntitle: Om\nchecked: 2026-11-01\nsources: [site, udi]\ndate: 2026-11-01T10:00:00+01:00\n---\nOm.\n", ""},
		{"good TOML", "+++\ntitle = \"Om\"\nchecked = 2026-11-01\nsources = [\"site\"]\n+++\nOm.\n", ""},
		{"good, quoted date and one source", "---\nchecked: \"2026-11-01\"\nsources: site\n---\n", ""},
		{"checked in the wrong format", "---\ntitle: Om\ntranslationKey: about\nchecked: 24.11.2026\nsources: [site]\n---\nOm.\n",
			"content/nb/om.md:4: error: checked is not a date (YYYY-MM-DD): 24.11.2026"},
		{"checked with a time", "---\nchecked: 2026-11-24T10:00:00Z\n---\n", "content/nb/om.md:2: error: checked is not a date (YYYY-MM-DD)"},
		{"checked in TOML, as text", "+++\nchecked = \"24/11/2026\"\n+++\n", "content/nb/om.md:2: error: checked is not a date (YYYY-MM-DD): 24/11/2026"},
		{"sources a number", "---\nsources: 3\n---\n", "content/nb/om.md:2: error: sources is not a list of source ids: 3"},
		{"sources with a table", "---\nsources:\n  - site\n  - {id: udi}\n---\n", "content/nb/om.md:2: error: sources is not a list of source ids"},
		{"a date Hugo cannot read", "---\nDate: 24.11.2026\n---\n", "content/nb/om.md:2: error: Date is not a date: 24.11.2026 (write it as YYYY-MM-DD)"},
		{"front matter Hugo cannot parse is Hugo's to report", "---\ntitle: \"Uten slutt\nchecked: [\n---\n", ""},
		{"no front matter", "Bare tekst.\n", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			write(t, dir, "content/nb/om.md", tc.page)
			fs := FrontMatterTypes(dir)
			if tc.want == "" {
				if len(fs) > 0 {
					t.Fatalf("findings %v, want none", fs)
				}
				return
			}
			if len(fs) != 1 || !strings.HasPrefix(fs[0].String(), tc.want) {
				t.Fatalf("findings %v, want one: %s…", fs, tc.want)
			}
		})
	}
}

// The rule on the front matter and the page rule after Hugo say the same of a checked date.
func TestFrontMatterTypesAgreeWithTheContentRule(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, "content/nb/om.md", "---\nchecked: 24.11.2026\n---\n")
	before := FrontMatterTypes(dir)
	after := frontMatter(render.Page{File: "content/nb/om.md", Params: map[string]any{"checked": "24.11.2026", "sources": []any{"site"}}},
		map[string]any{"site": map[string]any{}}, Config{}.withDefaults())
	if len(before) != 1 || len(after) != 1 || before[0].Message != after[0].Message || before[0].Rule != after[0].Rule {
		t.Fatalf("before Hugo %v, after %v: want the same finding", before, after)
	}
}

func TestConfigTypes(t *testing.T) {
	good := "baseURL = \"https://veiviser.no/\"\ntitle = \"Veiviser\"\n\n[languages.nb]\n  contentDir = \"content/nb\"\n  weight = 1\n" +
		"[languages.en]\n  contentDir = \"content/en\"\n  weight = 2\n\n[params]\n  checkedWarnMonths = 12\n  checkedErrorMonths = 24\n  lixLimit = 42.5\n  exitURL = \"https://www.yr.no/\"\n"
	for _, tc := range []struct {
		name, old, new string
		want           string // the finding, "" for none
	}{
		{"good", "", "", ""},
		{"baseURL a number", `baseURL = "https://veiviser.no/"`, `baseURL = 3`,
			`hugo.toml:1: error: baseURL = 3: want text in quotes, like baseURL = "https://veiviser.no/"`},
		{"baseurl in another case", `baseURL = "https://veiviser.no/"`, `baseurl = true`,
			`hugo.toml:1: error: baseurl = true: want text in quotes, like baseurl = "https://veiviser.no/"`},
		{"a month limit as text", `checkedWarnMonths = 12`, `checkedWarnMonths = "tolv"`,
			`hugo.toml:12: error: checkedWarnMonths = "tolv" in [params]: want a whole number of months, like checkedWarnMonths = 12`},
		{"a month limit as a fraction", `checkedErrorMonths = 24`, `checkedErrorMonths = 24.5`,
			`hugo.toml:13: error: checkedErrorMonths = 24.5 in [params]: want a whole number of months, like checkedErrorMonths = 24`},
		{"a month limit of zero", `checkedErrorMonths = 24`, `checkedErrorMonths = 0`,
			`hugo.toml:13: error: checkedErrorMonths = 0 in [params]: want a whole number of months`},
		{"lixLimit as text", `lixLimit = 42.5`, `lixLimit = "40"`, `hugo.toml:14: error: lixLimit = "40" in [params]: want a number, like lixLimit = 40`},
		{"a language that is a number", "[languages.en]\n  contentDir = \"content/en\"\n  weight = 2\n", "[languages]\n  en = 3\n",
			`hugo.toml:8: error: en = 3 in [languages]: want a table of the language's settings, like [languages.en] with contentDir = "content/en"`},
		{"a language's weight as text", "weight = 2", `weight = "to"`, `hugo.toml:9: error: weight = "to" in [languages.en]: want a whole number, like weight = 1`},
		{"a content folder as a list", `contentDir = "content/en"`, `contentDir = ["content/en"]`,
			`hugo.toml:8: error: contentDir = ["content/en"] in [languages.en]: want text in quotes, like contentDir = "content/nb"`},
		{"not TOML is Hugo's to report", `title = "Veiviser"`, `title = "Veiviser`, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			src := strings.Replace(good, tc.old, tc.new, 1)
			if tc.old != "" && src == good {
				t.Fatalf("the fixture has no %q", tc.old)
			}
			write(t, dir, "hugo.toml", src)
			fs := ConfigTypes(dir)
			if tc.want == "" {
				if len(fs) > 0 {
					t.Fatalf("findings %v, want none", fs)
				}
				return
			}
			if len(fs) != 1 || !strings.HasPrefix(fs[0].String(), tc.want) {
				t.Fatalf("findings %v, want one: %s…", fs, tc.want)
			}
		})
	}
}

// A *render.Error names its file and line itself: FromError takes them as they are.
func TestFromRenderError(t *testing.T) {
	dir := t.TempDir()
	err := fmt.Errorf("render: %w", &render.Error{File: "content/nb/om.md", Line: 9, Message: `{{< phone >}} needs the id of a contact`})
	f := FromError(dir, err)
	if got := f.String(); got != "content/nb/om.md:9: error: {{< phone >}} needs the id of a contact" || f.Rule != "build" {
		t.Errorf("FromError = %s [%s]", got, f.Rule)
	}
	f = FromError(dir, &render.Error{File: "hugo.toml", Message: `failed to init config: invalid timeZone for language "nb"`})
	if f.File != "hugo.toml" || f.Line != 0 {
		t.Errorf("FromError = %s: want hugo.toml and no line (no guess from the quoted word)", f)
	}
}
