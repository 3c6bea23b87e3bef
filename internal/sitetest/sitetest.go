// Package sitetest makes Veiviser projects for tests: the repository's own configuration,
// layouts, assets, i18n and data, with content given as a txtar archive, in a temporary folder.
package sitetest

import (
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/rogpeppe/go-internal/txtar"
)

// Root is the repository's root folder.
func Root() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..")
}

// projectParts are the parts of the repository a test project shares.
var projectParts = []string{"hugo.toml", "layouts", "assets", "i18n", "data"}

// New returns a temporary project with the repository's configuration and templates and the
// files of archive (a txtar text: "-- content/nb/_index.md --" and so on).
func New(t testing.TB, archive string) string {
	t.Helper()
	dir := t.TempDir()
	for _, part := range projectParts {
		src := filepath.Join(Root(), part)
		fi, err := os.Stat(src)
		if err != nil {
			t.Fatal(err)
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
			t.Fatal(err)
		}
	}
	Write(t, dir, archive)
	return dir
}

// Write writes the files of a txtar archive into dir, replacing files of the same name.
func Write(t testing.TB, dir, archive string) {
	t.Helper()
	for _, f := range txtar.Parse([]byte(archive)).Files {
		name := filepath.Join(dir, filepath.FromSlash(f.Name))
		if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(name, f.Data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
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
translationKey: is-this-me
checked: 2026-11-01
sources: [ungno]
---
-- content/en/is-this-me/_index.md --
---
title: Is this me?
translationKey: is-this-me
checked: 2026-11-01
sources: [ungno]
---
-- content/nb/er-dette-meg/fa-hjelp.md --
---
title: Få hjelp
translationKey: get-help
checked: 2026-11-01
sources: [udi]
---
Ring {{< phone "rosa" >}}. Les [om oss]({{< ref "om.md" >}}).
-- content/en/is-this-me/get-help.md --
---
title: Get help
translationKey: get-help
checked: 2026-11-01
sources: [udi]
---
Call {{< phone "rosa" >}}. Read [about us]({{< ref "about.md" >}}).
-- content/nb/om.md --
---
title: Om nettstedet
translationKey: about
checked: 2026-11-01
sources: [site]
---
Om.
-- content/en/about.md --
---
title: About
translationKey: about
checked: 2026-11-01
sources: [site]
---
About.
-- content/nb/trygg-bruk.md --
---
title: Trygg bruk
translationKey: safety
checked: 2026-11-01
sources: [site]
---
Trygt.
-- content/en/safety.md --
---
title: Using this site safely
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
