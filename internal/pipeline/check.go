package pipeline

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/gohugoio/hugo/config"
	"github.com/veiviser/veiviser/internal/check"
	"github.com/veiviser/veiviser/internal/render"
)

// CheckOptions says what to check.
type CheckOptions struct {
	Dir     string    // the project
	BaseURL string    // overrides the configured baseURL when not empty
	Now     time.Time // the day the dates are judged on; default today

	// For CheckSite, whose caller serves the site it renders (the preview):
	//
	// SiteURL, when not empty, is the address the site is rendered for instead of BaseURL (the
	// preview's): the rules judge the site as rendered, its links included, but for the
	// base-url rule, which judges BaseURL, or the baseURL in hugo.toml.
	SiteURL string
	// Rendered, when not nil, is called with the site as soon as Hugo has rendered it, while
	// the rules run. It must not change the site.
	Rendered func(*render.Result)
}

// Check renders the project in dir into memory, as a build does, and runs every rule over
// every page in every language: the build's own steps up to and including "check" (steps.go,
// the rules in rules.go), but it writes nothing and reports what the rules find rather than
// stopping at the first step that finds an error. The rules: the page rules, the contacts,
// the translations, the languages' i18n files and sheets, every internal link and anchor in
// the web site and the offline bundle, heading ids, tel: links and readability; and it lists
// the external links. A project Hugo cannot build gives a report with that error, at the
// file and line Hugo names (and the files that are not UTF-8); the error returned is for a
// folder that is not a project at all.
func Check(dir string, now time.Time) (*check.Report, error) {
	return CheckWith(CheckOptions{Dir: dir, Now: now})
}

// CheckWith is Check with options.
func CheckWith(opts CheckOptions) (*check.Report, error) {
	_, rep, err := CheckSite(opts)
	var re renderError
	if errors.As(err, &re) {
		return rep, nil // the report says what Hugo said
	}
	return rep, err
}

// CheckSite is CheckWith for a caller that also wants the site it checked (the preview): it
// renders the project once and returns what Hugo rendered (the pages as Hugo wrote them, the
// QR codes not drawn and nothing minified but by Hugo) with the report of Check on it. When
// Hugo cannot build the project, the site is nil, the error is Hugo's (errors.As finds a
// *render.Error where it names a file) and the report is Check's, that error among its
// findings. A panic in Hugo or a rule is a *PanicError.
func CheckSite(opts CheckOptions) (*render.Result, *check.Report, error) {
	if _, err := os.Stat(filepath.Join(opts.Dir, "hugo.toml")); err != nil {
		return nil, nil, fmt.Errorf("%s: no hugo.toml: not a Veiviser project", opts.Dir)
	}
	b := &build{dir: opts.Dir, baseURL: opts.BaseURL, renderURL: opts.BaseURL, now: opts.Now}
	if b.now.IsZero() {
		b.now = time.Now()
	}
	if opts.SiteURL != "" {
		b.renderURL = opts.SiteURL
	}
	run := checkSteps()
	if opts.Rendered != nil {
		run = append(run, step{name: "rendered", quiet: true, after: []string{"render"}, reads: []string{"site"},
			run: func(context.Context, *build) (string, error) { opts.Rendered(b.site); return "", nil }})
	}
	err := drive(context.Background(), b, run, nil)
	var re renderError
	if errors.As(err, &re) {
		return nil, b.renderReport(re.err), err
	}
	if err != nil {
		return nil, nil, err
	}
	rep := &check.Report{Findings: b.findings, Pages: len(b.site.Content), Languages: b.site.Languages,
		Readability: b.rules.readability, External: check.External(b.site.Content, b.rules.contacts),
		Drift: check.Drift(b.site.Content)}
	if len(b.site.Languages) > 0 {
		rep.I18nDrift = check.I18nDrift(b.rules.i18n, b.site.Languages[0])
	}
	check.Sort(rep.Findings)
	return b.site, rep, nil
}

// renderReport is check's report when Hugo could not render the project: the source rules'
// findings and Hugo's error, unless it is about a file they found at fault (Hugo's error then
// says no more than the rule did, and often less).
func (b *build) renderReport(err error) *check.Report {
	rep := &check.Report{Findings: append([]check.Finding{}, b.source...)}
	f := check.FromError(b.dir, err)
	known := false
	for _, s := range b.source {
		known = known || s.File == f.File
	}
	if !known {
		rep.Findings = append(rep.Findings, f)
	}
	check.Sort(rep.Findings)
	return rep
}

// configuredBaseURL is the baseURL hugo.toml in dir sets ("" when none).
func configuredBaseURL(dir string) string {
	b, err := os.ReadFile(filepath.Join(dir, "hugo.toml"))
	if err != nil {
		return ""
	}
	cfg, err := config.FromConfigString(string(b), "toml")
	if err != nil {
		return ""
	}
	return cfg.GetString("baseurl")
}

// checkConfig reads the limits of the content checks from the site's params: how many months
// after its checked date a page warns and fails (checkedWarnMonths, checkedErrorMonths), the
// sections for people who may be victims (victimSections) and the readability limit
// (lixLimit).
func checkConfig(params map[string]any, now time.Time) check.Config {
	months := func(key string) int {
		switch v := params[strings.ToLower(key)].(type) {
		case int:
			return v
		case int64:
			return int(v)
		case float64:
			return int(v)
		}
		return 0
	}
	cfg := check.Config{Now: now, WarnMonths: months("checkedWarnMonths"), ErrorMonths: months("checkedErrorMonths")}
	if v, ok := params[strings.ToLower("victimSections")].([]any); ok {
		cfg.VictimSections = []string{}
		for _, s := range v {
			if s, ok := s.(string); ok {
				cfg.VictimSections = append(cfg.VictimSections, s)
			}
		}
	}
	switch v := params[strings.ToLower("lixLimit")].(type) {
	case int:
		cfg.LixLimit = float64(v)
	case int64:
		cfg.LixLimit = float64(v)
	case float64:
		cfg.LixLimit = v
	}
	return cfg
}
