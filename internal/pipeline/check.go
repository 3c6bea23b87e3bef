package pipeline

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/veiviser/veiviser/internal/check"
	"github.com/veiviser/veiviser/internal/offline"
	"github.com/veiviser/veiviser/internal/render"
)

// CheckOptions says what to check.
type CheckOptions struct {
	Dir     string    // the project
	BaseURL string    // overrides the configured baseURL when not empty
	Now     time.Time // the day the dates are judged on; default today
}

// Check renders the project in dir into memory, as a build does, and runs every rule over
// every page in every language (see rules.go: the same rules the build enforces): the page
// rules, the contacts, the translations, the languages' i18n files and sheets, every internal
// link and anchor in the web site and the offline bundle, heading ids, tel: links and
// readability; and it lists the external links. Nothing is written. A project Hugo cannot
// build gives a report with that error, at the file and line Hugo names (and the files that
// are not UTF-8); the error returned is for a folder that is not a project at all.
func Check(dir string, now time.Time) (*check.Report, error) {
	return CheckWith(CheckOptions{Dir: dir, Now: now})
}

// CheckWith is Check with options.
func CheckWith(opts CheckOptions) (*check.Report, error) {
	dir := opts.Dir
	if _, err := os.Stat(filepath.Join(dir, "hugo.toml")); err != nil {
		return nil, fmt.Errorf("%s: no hugo.toml: not a Veiviser project", dir)
	}
	if opts.Now.IsZero() {
		opts.Now = time.Now()
	}
	rep := &check.Report{}
	add := func(fs ...check.Finding) { rep.Findings = append(rep.Findings, fs...) }
	source := sourceRules(dir)
	add(source...)
	site, err := render.Site(render.Options{Dir: dir, BaseURL: opts.BaseURL})
	if err != nil {
		// Hugo's error about a file the source rules found at fault (not UTF-8, a value of
		// the wrong type) says no more than the rule did, and often less.
		f := check.FromError(dir, err)
		for _, s := range source {
			if s.File == f.File {
				check.Sort(rep.Findings)
				return rep, nil
			}
		}
		add(f)
		check.Sort(rep.Findings)
		return rep, nil
	}
	rep.Pages, rep.Languages = len(site.Content), site.Languages
	s := siteRules(dir, site, checkConfig(site.Params, opts.Now), opts.BaseURL != "")
	add(s.findings...)
	built, err := builtTrees(site)
	if err != nil {
		return nil, err
	}
	add(builtRules(site, s, built)...)
	rep.Readability = s.readability
	rep.External = check.External(site.Content, s.contacts)
	rep.Findings = withoutRepeats(rep.Findings, len(source))
	check.Sort(rep.Findings)
	return rep, nil
}

// builtTrees makes the web tree (as published, but without the sheets' PDFs, which only the
// build prints) and the offline tree of a rendered site, as Run does.
func builtTrees(site *render.Result) (check.Built, error) {
	web, err := webTree(site)
	if err != nil {
		return check.Built{}, err
	}
	return check.Built{Web: web, Offline: offline.Make(web, site.BaseURL), BaseURL: site.BaseURL}, nil
}

// checkConfig is CheckConfig with the readability limit (lixLimit in the site's params).
func checkConfig(params map[string]any, now time.Time) check.Config {
	cfg := CheckConfig(params, now)
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
