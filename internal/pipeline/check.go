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

// Check renders the project in dir into memory, as a build does, and runs every content rule
// over every page in every language: the page rules of every build, the contacts, the
// translations and sheets, every internal link and anchor in the web site and the offline
// bundle, readability, and the list of external links. Nothing is written. A project Hugo
// cannot build gives a report with that one error, at the file and line Hugo names; the error
// returned is for a folder that is not a project at all.
func Check(dir string, now time.Time) (*check.Report, error) {
	if _, err := os.Stat(filepath.Join(dir, "hugo.toml")); err != nil {
		return nil, fmt.Errorf("%s: no hugo.toml: not a Veiviser project", dir)
	}
	rep := &check.Report{}
	site, err := render.Site(render.Options{Dir: dir})
	if err != nil {
		rep.Findings = []check.Finding{check.FromError(dir, err)}
		return rep, nil
	}
	rep.Pages, rep.Languages = len(site.Content), site.Languages
	cfg := checkConfig(site.Params, now)
	contacts, _ := os.ReadFile(filepath.Join(dir, filepath.FromSlash(check.ContactsFile)))

	add := func(fs ...check.Finding) { rep.Findings = append(rep.Findings, fs...) }
	for _, w := range site.Warnings {
		f := check.FromError(dir, fmt.Errorf("%s", w))
		f.Severity, f.Rule = check.Warning, "hugo"
		add(f)
	}
	add(check.Content(site.Content, site.Data, cfg)...)
	add(check.Contacts(site.Content, site.Data, contacts, cfg)...)
	add(check.Translations(site.Content, site.Languages)...)

	built, err := builtTrees(site)
	if err != nil {
		return nil, err
	}
	add(check.Links(site.Content, built)...)

	lix, hard := check.LIX(site.Content, cfg)
	rep.Readability = lix
	add(hard...)
	rep.External = check.External(site.Content, site.Data, contacts)
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
