// Package sitegen makes Veiviser projects outside the repository: a copy of the repository's
// configuration and templates with content from a txtar archive, and generated sites of any
// size for benchmarks. For tests it makes them in a temporary folder (New, Write) and checks
// what a build wrote (AssertFileContent, AssertFiles).
package sitegen

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"time"

	"github.com/rogpeppe/go-internal/txtar"
)

// Root is the repository's root folder.
func Root() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..")
}

// projectParts are the parts of the repository a generated project shares.
var projectParts = []string{"hugo.toml", "layouts", "assets", "i18n", "data", "archetypes"}

// CopyProject copies the configuration, layouts, assets, i18n and data of the project in
// folder from into folder dir, and links its node_modules.
func CopyProject(from, dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	for _, part := range projectParts {
		src := filepath.Join(from, part)
		fi, err := os.Stat(src)
		if err != nil {
			return err
		}
		if fi.IsDir() {
			err = os.CopyFS(filepath.Join(dir, part), os.DirFS(src))
		} else {
			var b []byte
			if b, err = os.ReadFile(src); err == nil {
				err = os.WriteFile(filepath.Join(dir, part), b, 0o644)
			}
		}
		if err != nil {
			return err
		}
	}
	// The npm packages js.Build bundles (lunr for the search) are resolved from the project's
	// node_modules: link the repository's, when it has one.
	if nm, err := filepath.Abs(filepath.Join(from, "node_modules")); err == nil {
		if _, err := os.Stat(nm); err == nil {
			if err := os.Symlink(nm, filepath.Join(dir, "node_modules")); err != nil {
				return err
			}
		}
	}
	return nil
}

// WriteArchive writes the files of a txtar archive into dir, replacing files of the same name.
func WriteArchive(dir, archive string) error {
	for _, f := range txtar.Parse([]byte(archive)).Files {
		name := filepath.Join(dir, filepath.FromSlash(f.Name))
		if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(name, f.Data, 0o644); err != nil {
			return err
		}
	}
	return nil
}

// Generate makes a project in dir from the templates of the project in from, with the
// minimal content and pages more generated pages,
// half in Norwegian and half in English, spread over the three sections, each with headings,
// paragraphs, a contact card, a fact and links to other generated pages.
func Generate(from, dir string, pages int) error {
	if err := CopyProject(from, dir); err != nil {
		return err
	}
	if err := WriteArchive(dir, Minimal); err != nil {
		return err
	}
	if err := WriteSheets(dir); err != nil {
		return err
	}
	sections := map[string][]string{
		"nb": {"er-dette-meg", "bekymret-for-noen", "jobber-med-dette"},
		"en": {"is-this-me", "worried-about-someone", "professionals"},
	}
	for _, lang := range []string{"nb", "en"} {
		for j, s := range sections[lang][1:] {
			// A section and its translation share one key: the English name.
			idx := fmt.Sprintf("---\ntitle: %s\ntranslationKey: %s\nchecked: 2026-11-01\nsources: [ungno]\n---\n", s, sections["en"][j+1])
			if err := writeFile(dir, "content/"+lang+"/"+s+"/_index.md", idx); err != nil {
				return err
			}
		}
	}
	para := strings.Repeat("Dette er en setning i et avsnitt som skal ligne på ekte innhold. ", 12)
	for i := 0; i < pages; i++ {
		lang := []string{"nb", "en"}[i%2]
		n := i / 2
		sec := sections[lang][n%3]
		m := (n + 1) % (pages / 2) // the page this one links to
		next := sections[lang][m%3]
		body := fmt.Sprintf(`---
title: "Side %[1]d"
description: "Generert side %[1]d for ytelsesmåling."
translationKey: gen-%[1]d
weight: %[1]d
checked: 2026-11-01
sources: [ungno, hfj]
---
## Hva handler denne siden om?

%[2]s

{{< contact "rosa" >}}

## Hva kan du gjøre?

%[2]s Det varer i {{< fact "reflection_months" >}} måneder.

- [Neste side]({{< relref "%[3]s/gen-%04[4]d.md" >}})
- Ring {{< phone "police" >}}.
`, n, para, next, m)
		if err := writeFile(dir, fmt.Sprintf("content/%s/%s/gen-%04d.md", lang, sec, n), body); err != nil {
			return err
		}
	}
	return nil
}

// Sheets is a txtar archive with an emergency sheet (sheet.md, with type and layout sheet) in
// the content folder of every language the project in dir configures in hugo.toml: the build
// requires one in each.
func Sheets(dir string) (string, error) {
	conf, err := os.ReadFile(filepath.Join(dir, "hugo.toml"))
	if err != nil {
		return "", err
	}
	var b strings.Builder
	for _, m := range regexp.MustCompile(`(?m)^\[languages\.([\w-]+)\]`).FindAllStringSubmatch(string(conf), -1) {
		fmt.Fprintf(&b, "-- content/%s/sheet.md --\n---\ntitle: Ark\ndescription: Et ark å skrive ut.\ntype: sheet\nlayout: sheet\ntranslationKey: sheet\nchecked: 2026-11-01\nsources: [site]\n---\n", m[1])
	}
	return b.String(), nil
}

// WriteSheets writes the Sheets of the project in dir into it.
func WriteSheets(dir string) error {
	a, err := Sheets(dir)
	if err != nil {
		return err
	}
	return WriteArchive(dir, a)
}

// PinContactDates gives every contact in the data/contacts.yaml of the project in dir the
// compared and confirmed date day (YYYY-MM-DD), so that tests judging the dates as on a day
// of their own do not depend on when the real contacts were last compared or confirmed.
func PinContactDates(dir, day string) error {
	name := filepath.Join(dir, "data", "contacts.yaml")
	b, err := os.ReadFile(name)
	if err != nil {
		return err
	}
	s := regexp.MustCompile(`(?m)^[ \t]+confirmed:.*\n`).ReplaceAllString(string(b), "")
	s = regexp.MustCompile(`(?m)^([ \t]+)compared:.*$`).ReplaceAllString(s, "${1}compared: "+day+"\n${1}confirmed: "+day)
	return os.WriteFile(name, []byte(s), 0o644)
}

// SetPublisher sets the publisher in the hugo.toml of the project in dir ([params.publisher]
// name and email, commented out until someone sets them), so that tests of a finished project
// do not see the warning an unset publisher gives.
func SetPublisher(dir, name, email string) error {
	file := filepath.Join(dir, "hugo.toml")
	b, err := os.ReadFile(file)
	if err != nil {
		return err
	}
	table := regexp.MustCompile(`(?m)^([ \t]*)\[params\.publisher\][^\n]*\n(?:[ \t]*#?[ \t]*(?:name|email)[ \t]*=.*\n)*`)
	if !table.Match(b) {
		return fmt.Errorf("%s has no [params.publisher] table", file)
	}
	b = table.ReplaceAllFunc(b, func(m []byte) []byte {
		indent := table.FindSubmatch(m)[1]
		return fmt.Appendf(nil, "%s[params.publisher]\n%s  name = %q\n%s  email = %q\n", indent, indent, name, indent, email)
	})
	return os.WriteFile(file, b, 0o644)
}

func writeFile(dir, name, body string) error {
	p := filepath.Join(dir, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return err
	}
	return os.WriteFile(p, []byte(body), 0o644)
}

// Minimal is the smallest content the templates need: both home pages, a section and a page
// in each language, the neutral exit page, and the safety and about pages the footer links.
const Minimal = `
-- content/nb/_index.md --
---
title: Forside
translationKey: home
checked: 2026-11-01
sources: [ungno]
---
Hei.
-- content/en/_index.md --
---
title: Home
translationKey: home
checked: 2026-11-01
sources: [ungno]
---
Hello.
-- content/nb/er-dette-meg/_index.md --
---
title: Er dette meg?
description: Hjelp for deg.
translationKey: is-this-me
checked: 2026-11-01
sources: [ungno]
---
-- content/en/is-this-me/_index.md --
---
title: Is this me?
description: Help for you.
translationKey: is-this-me
checked: 2026-11-01
sources: [ungno]
---
-- content/nb/er-dette-meg/fa-hjelp.md --
---
title: Få hjelp
description: Hvem du kan ringe.
translationKey: get-help
checked: 2026-11-01
sources: [udi]
---
Ring {{< phone "rosa" >}}. Les [om oss]({{< relref "om.md" >}}).
-- content/en/is-this-me/get-help.md --
---
title: Get help
description: Who to call.
translationKey: get-help
checked: 2026-11-01
sources: [udi]
---
Call {{< phone "rosa" >}}. Read [about us]({{< relref "about.md" >}}).
-- content/nb/om.md --
---
title: Om nettstedet
description: Hvem som lager siden.
translationKey: about
checked: 2026-11-01
sources: [site]
---
Om.
-- content/en/about.md --
---
title: About
description: Who makes the site.
translationKey: about
checked: 2026-11-01
sources: [site]
---
About.
-- content/nb/trygg-bruk.md --
---
title: Trygg bruk
description: Hva siden lagrer.
translationKey: safety
checked: 2026-11-01
sources: [site]
---
Trygt.
-- content/en/safety.md --
---
title: Using this site safely
description: What the site stores.
translationKey: safety
checked: 2026-11-01
sources: [site]
---
Safe.
-- content/nb/vaer.md --
---
title: Været
translationKey: neutral
layout: neutral
build:
  list: never
---
Sol.
-- content/en/weather.md --
---
title: Weather
translationKey: neutral
layout: neutral
build:
  list: never
---
Sun.
`

// dateField matches the dates the rules judge by their age: a page's checked, a contact's
// compared and confirmed.
var dateField = regexp.MustCompile(`(?m)^\s*(?:checked|compared|confirmed):\s*["']?(\d{4}-\d{2}-\d{2})`)

// ContentDay is the newest date the content of the project in dir records (a page's checked,
// a contact's compared or confirmed). Tests that build the real content judge its dates as on
// that day, not today: their verdict then depends neither on the clock nor on the content's
// age; whether the content is too old is `veiviser check`'s to say.
func ContentDay(dir string) (time.Time, error) {
	var newest string
	scan := func(name string) error {
		b, err := os.ReadFile(name)
		if err != nil {
			return err
		}
		for _, m := range dateField.FindAllStringSubmatch(string(b), -1) {
			newest = max(newest, m[1])
		}
		return nil
	}
	if err := scan(filepath.Join(dir, "data", "contacts.yaml")); err != nil {
		return time.Time{}, err
	}
	err := filepath.WalkDir(filepath.Join(dir, "content"), func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".md") {
			return err
		}
		return scan(p)
	})
	if err != nil {
		return time.Time{}, err
	}
	if newest == "" {
		return time.Time{}, fmt.Errorf("%s: no dates in content/ or data/contacts.yaml", dir)
	}
	day, err := time.ParseInLocation(time.DateOnly, newest, time.Local)
	return day.Add(12 * time.Hour), err
}
