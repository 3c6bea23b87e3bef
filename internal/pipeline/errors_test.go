package pipeline_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/veiviser/veiviser/internal/check"
	"github.com/veiviser/veiviser/internal/pipeline"
)

// om is content/nb/om.md of the minimal project with body added to its text.
func om(frontMatter, body string) string {
	return "-- content/nb/om.md --\n---\ntitle: Om nettstedet\ntranslationKey: about\n" + frontMatter +
		"checked: 2026-11-01\nsources: [site]\n---\nOm.\n" + body
}

// Errors a page, a shortcode or hugo.toml causes name that file and the line at fault, not
// the template that met them: check reports the finding there, and the build fails with that
// one line, names no absolute path and writes nothing.
func TestErrorsNameTheContent(t *testing.T) {
	vis := "-- layouts/vis/page.html --\n{{ define \"main\" }}\n<p>{{ time.Format \"2006\" .Params.year }}</p>\n{{ end }}\n"
	for _, g := range []gate{
		{name: "a checked date in the wrong format", edits: []edit{replace("content/nb/om.md", `checked: 2026-11-01`, `checked: 24.11.2026`)},
			file: "content/nb/om.md", at: "checked: 24.11.2026", msg: "checked is not a date (YYYY-MM-DD): 24.11.2026"},
		{name: "a date Hugo cannot read", archive: om("date: 24.11.2026\n", ""),
			file: "content/nb/om.md", at: "date: 24.11.2026", msg: "date is not a date: 24.11.2026 (write it as YYYY-MM-DD)"},
		{name: "sources that are not a list of ids", edits: []edit{replace("content/nb/om.md", `sources: \[site\]`, `sources: 3`)},
			file: "content/nb/om.md", at: "sources: 3", msg: "sources is not a list of source ids: 3"},
		{name: "a contact shortcode without its id", archive: om("", "\nRing oss.\n\n{{< contact >}}\n"),
			file: "content/nb/om.md", at: "{{< contact >}}", msg: `{{< contact >}} needs the id of a contact in data/contacts.yaml, like {{< contact "rosa" >}}`},
		{name: "a phone shortcode without its id", archive: om("", "\nRing {{< phone >}}.\n"),
			file: "content/nb/om.md", at: "{{< phone >}}", msg: `{{< phone >}} needs the id of a contact in data/contacts.yaml, like {{< phone "rosa" >}}`},
		{name: "a fact shortcode without its id", archive: om("", "\nDu har {{< fact >}} måneder.\n"),
			file: "content/nb/om.md", at: "{{< fact >}}", msg: `{{< fact >}} needs the id of a fact in data/facts.yaml, like {{< fact "reflection_months" >}}`},
		{name: "an unknown fact", archive: om("", "\nDu har {{< fact \"finnes_ikke\" >}} måneder.\n"),
			file: "content/nb/om.md", at: `{{< fact "finnes_ikke" >}}`, msg: `unknown fact "finnes_ikke": not in data/facts.yaml`},
		{name: "a contact without the e-mail asked for", archive: om("", "\nSkriv til {{< email \"rosa\" >}}.\n"),
			file: "content/nb/om.md", at: `{{< email "rosa" >}}`, msg: `contact "rosa" has no email`},
		{name: "a template failing on a page's value", archive: vis + om("type: vis\nyear: i fjor\n", ""),
			file: "content/nb/om.md", at: "year: i fjor", msg: "year: unable to parse date: i fjor (layouts/vis/page.html:2)"},
		{name: "a shortcode failing on its argument", archive: "-- layouts/_shortcodes/year.html --\n{{ time.Format \"2006\" (.Get 0) }}\n" + om("", "\nI {{< year \"i fjor\" >}}.\n"),
			file: "content/nb/om.md", at: "{{< year", msg: `failed to render shortcode "year": unable to parse date: i fjor (layouts/_shortcodes/year.html:1)`},
		{name: "a month limit that is not a number", edits: []edit{replace("hugo.toml", `checkedWarnMonths = 12`, `checkedWarnMonths = "tolv"`)},
			file: "hugo.toml", at: `checkedWarnMonths = "tolv"`, msg: `checkedWarnMonths = "tolv" in [params]: want a whole number of months, like checkedWarnMonths = 12`},
		{name: "a baseURL that is not text", edits: []edit{replace("hugo.toml", `(?m)^baseURL = .*$`, `baseURL = 3`)},
			file: "hugo.toml", at: "baseURL = 3", msg: `baseURL = 3: want text in quotes, like baseURL = "https://veiviser.no/"`},
		{name: "a language that is not a table", edits: []edit{replace("hugo.toml", `(?m)^\[languages\.nn\]$`, "[languages]\n  nn = 3\n[languages.gone]")},
			file: "hugo.toml", at: "  nn = 3", msg: `nn = 3 in [languages]: want a table of the language's settings, like [languages.nn] with contentDir = "content/nn"`},
		{name: "a setting Hugo cannot decode", edits: []edit{replace("hugo.toml", `(?m)^enableRobotsTXT = .*$`, `enableRobotsTXT = "kanskje"`)},
			file: "hugo.toml", at: `enableRobotsTXT = "kanskje"`, msg: `enableRobotsTXT = "kanskje": want true or false`},
	} {
		t.Run(g.name, func(t *testing.T) {
			t.Parallel()
			dir := project(t, g.archive)
			for _, e := range g.edits {
				e(t, dir)
			}
			abs, _ := filepath.Abs(dir)
			line := lineIn(t, dir, g.file, g.at)
			rep, err := pipeline.Check(dir, checkDay)
			if err != nil {
				t.Fatal(err)
			}
			f := has(t, rep, check.Error, "", g.file, g.msg)
			if f.Line != line {
				t.Errorf("check: %s: line %d, want %d", f, f.Line, line)
			}
			if rep.Summary().Errors != 1 {
				t.Errorf("check, want one error:\n%s", findings(rep))
			}
			if strings.Contains(findings(rep), abs) {
				t.Errorf("check names an absolute path:\n%s", findings(rep))
			}

			_, err = pipeline.Run(pipeline.Options{Dir: dir, Now: checkDay})
			if err == nil {
				t.Fatal("the build succeeded")
			}
			var failure *pipeline.Failure
			if !errors.As(err, &failure) || err.Error() != f.String() {
				t.Errorf("build error = %q (%T), want the one line %q", err, err, f.String())
			}
			if strings.Contains(err.Error(), abs) || strings.Contains(err.Error(), "\n") {
				t.Errorf("build error names an absolute path or has more than one line: %q", err)
			}
			for _, out := range []string{"public", "dist"} {
				if _, err := os.Stat(filepath.Join(dir, out)); err == nil {
					t.Errorf("%s/ was written although the build failed", out)
				}
			}
		})
	}
}
