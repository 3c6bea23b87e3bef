package pipeline

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/veiviser/veiviser/internal/check"
	"github.com/veiviser/veiviser/internal/render"
)

// The rule set: `veiviser check` reports it, and `veiviser build` runs the same rules and
// publishes nothing when any of them finds an error: both run the same steps (steps.go) up to
// and including "check". The rules run in three stages, by what they read, each in a step:
//
//   - sourceRules (step source): the project's files as they are, before Hugo reads them;
//   - siteRules (step rules): what Hugo rendered: pages, data, warnings, missing translations;
//   - builtRules (step check): the web site and the offline bundle, as they are published.

// sourceRules are the rules on the project's files as they are: every text file in content/,
// data/ and i18n/ is UTF-8, and the values of front matter and hugo.toml that templates or
// Hugo would fail on (or misread) have the right type, so that the error names the key and
// its line rather than a template.
func sourceRules(dir string) []check.Finding {
	out := check.UTF8(dir)
	out = append(out, check.FrontMatterTypes(dir)...)
	out = append(out, check.Drafts(dir)...)
	return append(out, check.ConfigTypes(dir)...)
}

// withoutRepeats drops from fs, after its first n findings (those of the source rules), a
// finding that says what one of those says of the same file: the page rule on the front
// matter as Hugo read it repeats the source rule's, at line 1.
func withoutRepeats(fs []check.Finding, n int) []check.Finding {
	type key struct {
		file, rule, msg string
		sev             check.Severity
	}
	source := map[key]bool{}
	for _, f := range fs[:n] {
		source[key{f.File, f.Rule, f.Message, f.Severity}] = true
	}
	out := fs[:n]
	for _, f := range fs[n:] {
		if !source[key{f.File, f.Rule, f.Message, f.Severity}] {
			out = append(out, f)
		}
	}
	return out
}

// siteResult is what the rules on a rendered site found, with what the report shows besides.
type siteResult struct {
	findings    []check.Finding
	readability []check.Readability
	contacts    *check.ContactFile
	i18n        map[string]*check.I18n
}

// siteRules are the rules on what Hugo rendered. baseURL is the address the site is published
// at (the one it was rendered for, but in the preview); fromFlag says it was given on the
// command line rather than in hugo.toml.
func siteRules(dir string, site *render.Result, cfg check.Config, baseURL string, fromFlag bool) siteResult {
	var r siteResult
	add := func(fs ...check.Finding) { r.findings = append(r.findings, fs...) }
	for _, w := range site.Warnings {
		f := check.FromError(dir, fmt.Errorf("%s", w))
		f.Severity, f.Rule = check.Warning, "hugo"
		add(f)
	}
	hugoToml, _ := os.ReadFile(filepath.Join(dir, "hugo.toml"))
	src, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(check.ContactsFile)))
	if err == nil {
		var fs []check.Finding
		r.contacts, fs = check.ReadContacts(src, cfg)
		add(fs...)
	} else {
		r.contacts = &check.ContactFile{}
		if !os.IsNotExist(err) {
			add(check.Finding{File: check.ContactsFile, Severity: check.Error, Rule: "contact", Message: err.Error()})
		}
	}
	sources, _ := site.Data["sources"].(map[string]any)
	add(check.Content(site.Content, site.Data, r.contacts, cfg)...)
	add(check.Descriptions(site.Content, site.Data)...)
	add(check.Contacts(site.Content, r.contacts, sources)...)
	add(check.Translations(site.Content, site.Languages)...)
	add(check.DriftFindings(site.Content)...)
	r.i18n = check.ReadI18n(dir, site.Languages)
	add(check.Languages(dir, site, r.i18n, hugoToml)...)
	if len(site.Languages) > 0 {
		add(check.MissingTranslations(site.MissingTranslations, r.i18n, site.Languages[0], check.OptionalI18n(dir))...)
		add(check.I18nDriftFindings(r.i18n, site.Languages[0])...)
	}
	add(check.BaseURL(baseURL, hugoToml, fromFlag)...)
	add(check.Publisher(site.Params, hugoToml)...)
	lix, hard := check.LIX(site.Content, cfg)
	r.readability = lix
	add(hard...)
	return r
}

// builtRules are the rules on the site as published: every internal link and anchor resolves
// in the web site and the offline bundle, no heading id is used twice or by the layout, and
// every tel: link calls the number it shows.
func builtRules(site *render.Result, s siteResult, b check.Built) []check.Finding {
	var out []check.Finding
	out = append(out, check.Links(site.Content, b)...)
	out = append(out, check.Headings(site.Content, b.Web, b.BaseURL)...)
	out = append(out, check.TelLinks(site.Content, b.Web, b.BaseURL, s.contacts, s.i18n)...)
	return out
}

// Failure is a build stopped by the rules: every error they found, one a line.
type Failure struct {
	Errors []check.Finding
}

func (f *Failure) Error() string {
	lines := make([]string, len(f.Errors))
	for i, e := range f.Errors {
		lines[i] = e.String()
	}
	return strings.Join(lines, "\n")
}

// isError reports whether f is an error (not a warning).
func isError(f check.Finding) bool { return f.Severity == check.Error }

// split sorts findings and divides them into errors and warnings.
func split(fs []check.Finding) (errs, warnings []check.Finding) {
	check.Sort(fs)
	for _, f := range fs {
		if f.Severity == check.Error {
			errs = append(errs, f)
		} else {
			warnings = append(warnings, f)
		}
	}
	return errs, warnings
}
