package pipeline_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/veiviser/veiviser/internal/check"
	"github.com/veiviser/veiviser/internal/pipeline"
	"github.com/veiviser/veiviser/internal/sitegen"
)

var checkDay = time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC)

// project is the minimal project with an emergency sheet in every language hugo.toml
// configures (the rules require them), every contact compared and confirmed on 2026-11-01
// (so that the real contacts' dates do not matter) and a publisher, changed by archive.
func project(t *testing.T, archive string) string {
	t.Helper()
	dir := sitegen.New(t, sitegen.Minimal)
	if err := sitegen.WriteSheets(dir); err != nil {
		t.Fatal(err)
	}
	if err := sitegen.PinContactDates(dir, "2026-11-01"); err != nil {
		t.Fatal(err)
	}
	if err := sitegen.SetPublisher(dir, "Eksempelorganisasjonen", "rettelser@example.org"); err != nil {
		t.Fatal(err)
	}
	sitegen.Write(t, dir, archive)
	return dir
}

func runCheck(t *testing.T, dir string) *check.Report {
	t.Helper()
	rep, err := pipeline.Check(dir, checkDay)
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

// has asserts that the report has a finding of severity sev and rule (any for "") in file,
// containing want, and returns it.
func has(t *testing.T, rep *check.Report, sev check.Severity, rule, file, want string) check.Finding {
	t.Helper()
	for _, f := range rep.Findings {
		if f.Severity == sev && (rule == "" || f.Rule == rule) && f.File == file && strings.Contains(f.Message, want) {
			return f
		}
	}
	t.Fatalf("no %s [%s] in %s containing %q; findings:\n%s", sev, rule, file, want, findings(rep))
	return check.Finding{}
}

func findings(rep *check.Report) string {
	var b strings.Builder
	for _, f := range rep.Findings {
		fmt.Fprintf(&b, "  %s [%s]\n", f, f.Rule)
	}
	return b.String()
}

func TestCheckPassesOnMinimal(t *testing.T) {
	rep := runCheck(t, project(t, ""))
	if len(rep.Findings) != 1 || rep.Findings[0].Rule != "base-url" {
		t.Fatalf("findings on the minimal project, want only the placeholder baseURL's warning:\n%s", findings(rep))
	}
	if rep.Pages < 10 || len(rep.Languages) < 2 {
		t.Errorf("checked %d pages in %v", rep.Pages, rep.Languages)
	}
	lix := map[string]float64{}
	for _, r := range rep.Readability {
		lix[r.File] = r.Limit
	}
	if lix["content/nb/er-dette-meg/fa-hjelp.md"] != 40 || lix["content/en/is-this-me/get-help.md"] != 40 {
		t.Errorf("the pages for people who may be victims have no LIX limit: %+v", rep.Readability)
	}
	if len(rep.External) == 0 || rep.External[len(rep.External)-1].File != check.ContactsFile {
		t.Errorf("the contacts' web addresses are not listed: %+v", rep.External)
	}
}

// The three broken pages of the "done when", at once: each is named.
func TestCheckNamesEveryBrokenFile(t *testing.T) {
	rep := runCheck(t, project(t, `
-- content/en/about.md --
---
title: About
translationKey: about
checked: 2026-11-01
---
About.
-- content/nb/om.md --
---
title: Om nettstedet
translationKey: about
checked: 2026-11-01
sources: [site]
---
Om.

Ring oss på 22 33 11 60.
-- content/en/safety.md --
---
title: Using this site safely
translationKey: safety
checked: 2026-11-01
sources: [site]
---
Safe. Read [the old page](/en/old-page/).
`))
	if !rep.Failed() {
		t.Fatal("the check passed")
	}
	has(t, rep, check.Error, "sources", "content/en/about.md", "no sources")
	if f := has(t, rep, check.Error, "typed-contact", "content/nb/om.md", `"22 33 11 60"`); f.Line != 9 {
		t.Errorf("typed number at line %d, want 9", f.Line)
	}
	if f := has(t, rep, check.Error, "link", "content/en/safety.md", `"/en/old-page/"`); f.Line != 7 {
		t.Errorf("broken link at line %d, want 7", f.Line)
	}
	if s := rep.Summary(); s.Errors != 3 || s.Files != 4 {
		t.Errorf("summary %s, want 3 errors in 3 files (and the placeholder baseURL's warning):\n%s", s, findings(rep))
	}
}

func TestCheckRules(t *testing.T) {
	for _, tc := range []struct {
		name, archive   string
		sev             check.Severity
		rule, file, msg string
		line            int
	}{
		{"unknown source", `
-- content/nb/om.md --
---
title: Om
translationKey: about
checked: 2026-11-01
sources: [site, nope]
---
Om.
`, check.Error, "sources", "content/nb/om.md", `unknown source "nope"`, 1},
		{"old checked date", `
-- content/en/about.md --
---
title: About
translationKey: about
checked: 2025-06-01
sources: [site]
---
About.
`, check.Warning, "checked", "content/en/about.md", "more than 12 months ago", 1},
		{"very old checked date", `
-- content/en/about.md --
---
title: About
translationKey: about
checked: 2023-06-01
sources: [site]
---
About.
`, check.Error, "checked", "content/en/about.md", "more than 24 months ago", 1},
		{"typed e-mail", `
-- content/en/about.md --
---
title: About
translationKey: about
checked: 2026-11-01
sources: [site]
---
Write to post@example.org.
`, check.Error, "typed-contact", "content/en/about.md", `"post@example.org"`, 7},
		{"unknown contact fails the build at the page and line", `
-- content/nb/er-dette-meg/fa-hjelp.md --
---
title: Få hjelp
translationKey: get-help
checked: 2026-11-01
sources: [udi]
---
Ring {{< phone "rosa" >}}.

Eller {{< contact "finnes_ikke" >}}.
`, check.Error, "build", "content/nb/er-dette-meg/fa-hjelp.md", `unknown contact "finnes_ikke"`, 9},
		{"anchor that does not exist", `
-- content/nb/trygg-bruk.md --
---
title: Trygg bruk
translationKey: safety
checked: 2026-11-01
sources: [site]
---
Trygt.

Les [om oss]({{< relref "om.md#ingen-slik" >}}).
`, check.Error, "anchor", "content/nb/trygg-bruk.md", `no element with id "ingen-slik" in om/index.html`, 9},
		{"relative link to a missing page", `
-- content/en/about.md --
---
title: About
translationKey: about
checked: 2026-11-01
sources: [site]
---
See [the team](team.md).
`, check.Error, "link", "content/en/about.md", "no page or file at /en/about/team.md", 7},
		{"no English translation", `
-- content/nb/ny.md --
---
title: Ny side
translationKey: new-page
checked: 2026-11-01
sources: [site]
---
Ny.
`, check.Error, "translation", "content/nb/ny.md", `no English translation: no page in content/en/ has translationKey "new-page"`, 1},
		{"a sheet missing", `
-- content/en/sheet.md --
---
title: Sheet
translationKey: sheet
checked: 2026-11-01
sources: [site]
---
No longer a sheet.
`, check.Error, "sheet", "content/en/", `no emergency sheet for language "en"`, 0},
		{"hard words for people who may be victims", `
-- content/nb/er-dette-meg/fa-hjelp.md --
---
title: Få hjelp
translationKey: get-help
checked: 2026-11-01
sources: [udi]
---
Utenlandskstatsborgerskapsrettigheter forutsetter omfattende dokumentasjonsforpliktelser, hvilket innebærer betydelige administrasjonskostnader og kompliserte saksbehandlingsprosedyrer uavhengig av individuelle omstendigheter.
`, check.Warning, "lix", "content/nb/er-dette-meg/fa-hjelp.md", "above 40", 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rep := runCheck(t, project(t, tc.archive))
			f := has(t, rep, tc.sev, tc.rule, tc.file, tc.msg)
			if tc.line > 0 && f.Line != tc.line {
				t.Errorf("line %d, want %d", f.Line, tc.line)
			}
			if rep.Failed() != (tc.sev == check.Error) {
				t.Errorf("failed = %v with findings:\n%s", rep.Failed(), findings(rep))
			}
		})
	}
}

func TestCheckListsExternalLinks(t *testing.T) {
	rep := runCheck(t, project(t, `
-- content/en/about.md --
---
title: About
translationKey: about
checked: 2026-11-01
sources: [site]
---
About. See [Lovdata](https://lovdata.no/dokument/NL/lov/2005-05-20-28).
`))
	for _, pl := range rep.External {
		if pl.File == "content/en/about.md" && len(pl.Links) == 1 && pl.Links[0].URL == "https://lovdata.no/dokument/NL/lov/2005-05-20-28" && pl.Links[0].Line == 7 {
			return
		}
	}
	t.Fatalf("external links: %+v", rep.External)
}
