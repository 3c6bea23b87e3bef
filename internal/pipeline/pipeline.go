// Package pipeline runs the whole build: Hugo renders the project into memory, every file is
// minified, the offline tree is derived from the web tree and validated, the offline tree is
// packed into a zip, and only then are public/ and the zip written, each whole or not at all.
package pipeline

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/veiviser/veiviser/internal/budget"
	"github.com/veiviser/veiviser/internal/bundle"
	"github.com/veiviser/veiviser/internal/check"
	"github.com/veiviser/veiviser/internal/minifier"
	"github.com/veiviser/veiviser/internal/offline"
	"github.com/veiviser/veiviser/internal/pdf"
	"github.com/veiviser/veiviser/internal/publish"
	"github.com/veiviser/veiviser/internal/qr"
	"github.com/veiviser/veiviser/internal/render"
	"github.com/veiviser/veiviser/internal/tree"
	"github.com/veiviser/veiviser/internal/validate"
	"github.com/veiviser/veiviser/internal/version"
)

// Options says what to build and where to put it.
type Options struct {
	Dir     string    // the project
	BaseURL string    // overrides the configured baseURL when not empty
	Public  string    // the web site's folder; default Dir/public
	Dist    string    // the folder for the zip; default Dir/dist
	Log     io.Writer // the report; nil for none
	Now     time.Time // the day the rules judge dates on; default today
}

// Result describes a finished build.
type Result struct {
	Web, Offline tree.Tree
	ZipPath      string
	ZipSHA256    string
	ZipSize      int
	Version      string
	Budget       budget.Report  // what the web pages weigh, gzipped
	Data         map[string]any // the project's data/ as Hugo read it
}

// Run builds the project. On error nothing has been written. The build runs every rule
// `veiviser check` runs (rules.go) and publishes nothing when any finds an error: the error is
// then a *Failure, every error on a line of its own; warnings go to the log.
func Run(opts Options) (*Result, error) {
	if opts.Public == "" {
		opts.Public = filepath.Join(opts.Dir, "public")
	}
	if opts.Dist == "" {
		opts.Dist = filepath.Join(opts.Dir, "dist")
	}
	log := opts.Log
	if log == nil {
		log = io.Discard
	}
	log = &lockedWriter{w: log} // steps that run side by side report to it
	step := stepper(log)
	now := opts.Now
	if now.IsZero() {
		now = time.Now()
	}

	// One build at a time writes into these folders; holding the lock, it first removes what
	// an interrupted build left there.
	lock, err := publish.Acquire(opts.Public, opts.Dist)
	if err != nil {
		return nil, err
	}
	defer lock.Release()

	// No file from outside the project reaches the site through a symbolic link.
	if err := tree.LinksOutside(opts.Dir); err != nil {
		return nil, err
	}

	// The rules on the project's files as they are come first: Hugo would publish what they
	// refuse (or fail on it with less to say).
	srcErrs, srcWarnings := split(sourceRules(opts.Dir))
	if len(srcErrs) > 0 {
		return nil, &Failure{Errors: srcErrs}
	}

	type named struct {
		name string
		when time.Time
	}
	versioned := make(chan named, 1) // asking git takes a while: ask while Hugo renders
	go func() {
		name, when := version.Of(opts.Dir)
		versioned <- named{name, when}
	}()

	// Hugo writes the web site into a folder beside public/ while it renders, as the hugo
	// command does; the steps after it rewrite only the files they change, and the folder is
	// swapped in for public/ only when everything has succeeded.
	staged, err := publish.NewStaging(opts.Public)
	if err != nil {
		return nil, err
	}
	committed := false
	defer func() {
		if !committed {
			staged.Discard()
		}
	}()

	var site *render.Result
	if err := step("render", func() (string, error) {
		var err error
		site, err = render.Site(render.Options{Dir: opts.Dir, BaseURL: opts.BaseURL, PublishDir: staged.Path()})
		if err != nil {
			return "", renderFailure(opts.Dir, err)
		}
		var parts []string
		for _, l := range site.Languages {
			parts = append(parts, fmt.Sprintf("%s %d pages", l, site.Pages[l]))
		}
		return strings.Join(parts, ", "), nil
	}); err != nil {
		return nil, err
	}
	// The rules on what Hugo rendered only read it: they run alongside the next steps, and the
	// rules on the published trees join them before anything is published.
	ruled := make(chan siteResult, 1)
	go func() {
		ruled <- siteRules(opts.Dir, site, checkConfig(site.Params, now), opts.BaseURL != "")
	}()

	var web, rendered tree.Tree
	if err := step("minify", func() (string, error) {
		rendered = site.Files
		web = rendered.Clone()
		st, err := finish(web, site)
		if err != nil {
			return "", err
		}
		return fmt.Sprintf("%d files, %s → %s; %d pages minified by Hugo", st.Files, kib(st.Before), kib(st.After), st.Skipped), nil
	}); err != nil {
		return nil, err
	}

	// Every rule of veiviser check, on the same trees: the web site as published (but for the
	// sheets' PDFs, printed next) and the offline bundle made from it.
	var warnings []check.Finding
	if err := step("check", func() (string, error) {
		s := <-ruled
		fs := append(srcWarnings, s.findings...)
		fs = append(fs, builtRules(site, s, check.Built{Web: web, Offline: offline.Make(web, site.BaseURL), BaseURL: site.BaseURL})...)
		var errs []check.Finding
		if errs, warnings = split(fs); len(errs) > 0 {
			return "", &Failure{Errors: errs}
		}
		noun := "warnings"
		if len(warnings) == 1 {
			noun = "warning"
		}
		return fmt.Sprintf("%d pages in %d languages, every link resolves in the web site and the bundle; %d %s",
			len(site.Content), len(site.Languages), len(warnings), noun), nil
	}); err != nil {
		return nil, err
	}
	for _, w := range warnings {
		fmt.Fprintf(log, "  %s\n", w)
	}

	v := <-versioned
	if err := step("pdf", func() (string, error) {
		r, err := pdf.Sheets(web, v.when)
		if err != nil {
			return "", err
		}
		if r.Skipped != "" {
			return r.Skipped, nil
		}
		return fmt.Sprintf("%d sheets printed, %d from the cache", r.Printed, r.Cached), nil
	}); err != nil {
		return nil, err
	}

	// Bring the staged folder up to date while the offline bundle is made.
	synced := make(chan error, 1)
	go func() { synced <- staged.Sync(web, rendered) }()
	discard := func() { <-synced } // the deferred Discard must not race the writing

	res := &Result{Web: web, Data: site.Data}
	weighed := make(chan budget.Report, 1) // weighing gzips every page: do it alongside
	go func() { weighed <- budget.Weigh(web, "index.html") }()

	var off tree.Tree
	if err := step("offline", func() (string, error) {
		off = offline.Make(web, site.BaseURL)
		return fmt.Sprintf("%d files", len(off)), nil
	}); err != nil {
		discard()
		return nil, err
	}
	if err := step("validate", func() (string, error) {
		if err := validate.Offline(off); err != nil {
			// Name the page and line each broken link is written on, as check does.
			if errs, _ := split(check.Links(site.Content, check.Built{Web: web, Offline: off, BaseURL: site.BaseURL})); len(errs) > 0 {
				return "", &Failure{Errors: errs}
			}
			return "", err
		}
		return "every link resolves to a file in the bundle, the sheets' PDFs too", nil
	}); err != nil {
		discard()
		return nil, err
	}

	res.Offline = off
	var zipData []byte
	if err := step("pack", func() (string, error) {
		name, when := v.name, v.when
		res.Version = name
		folder := bundle.Folder(name)
		var err error
		if zipData, err = bundle.Zip(off, folder, name, when); err != nil {
			return "", err
		}
		sum := sha256.Sum256(zipData)
		res.ZipPath = filepath.Join(opts.Dist, folder+".zip")
		res.ZipSHA256 = hex.EncodeToString(sum[:])
		res.ZipSize = len(zipData)
		return fmt.Sprintf("%d files, %s", len(off)+len(bundle.Added), kib(len(zipData))), nil
	}); err != nil {
		discard()
		return nil, err
	}

	if err := step("write", func() (string, error) {
		if err := <-synced; err != nil {
			return "", err
		}
		// public/ and the zip are committed together, or neither is; the zip is then the only
		// one in dist, so that two editions cannot be mixed up.
		committed = true // from here CommitWith removes the staged folder itself
		if err := staged.CommitWith(res.ZipPath, zipData, "veiviser-offline-*.zip"); err != nil {
			return "", err
		}
		return fmt.Sprintf("%s (%d files, %s)", opts.Public, len(web), kib(web.Size())), nil
	}); err != nil {
		return nil, err
	}
	fmt.Fprintf(log, "zip     %s  %s  sha256 %s\n", res.ZipPath, kib(res.ZipSize), res.ZipSHA256)
	res.Budget = <-weighed
	fmt.Fprintf(log, "budget  %s\n", res.Budget)
	for _, over := range res.Budget.Over() {
		fmt.Fprintf(log, "  warning: %s\n", over)
	}
	return res, nil
}

// renderFailure is Hugo's error as check reports it, a *Failure with the one finding, when it
// names the file at fault (and the line, where it can be known): the same line as check's.
func renderFailure(dir string, err error) error {
	var re *render.Error
	if f := check.FromError(dir, err); errors.As(err, &re) || f.File != "hugo.toml" {
		return &Failure{Errors: []check.Finding{f}}
	}
	return err
}

// webTree is the web site of a rendered site, as it is published (but for the sheets' PDFs).
func webTree(site *render.Result) (tree.Tree, error) {
	web := site.Files.Clone()
	_, err := finish(web, site)
	return web, err
}

// finish turns what Hugo rendered into what is published: QR codes drawn into the pages,
// then every file minified that Hugo did not minify (it minifies the pages it renders, not
// the files it copies or publishes as resources, nor what the QR codes changed).
func finish(web tree.Tree, site *render.Result) (minifier.Stats, error) {
	isHTML := func(p string) bool { return strings.HasSuffix(p, ".html") }
	drawn := map[string]bool{}
	for p, b := range web {
		drawn[p] = isHTML(p) && qr.Wants(b)
	}
	if err := web.Transform(func(p string) bool { return drawn[p] }, func(p string, b []byte) ([]byte, error) {
		return qr.Draw(b)
	}); err != nil {
		return minifier.Stats{}, err
	}
	minified := func(p string) bool {
		return site.MinifiedPages && isHTML(p) && !drawn[p] && !slices.Contains(site.Static, p)
	}
	return minifier.Tree(web, minified)
}

// stepper returns a function that runs one named step and reports its time and summary.
func stepper(log io.Writer) func(name string, fn func() (string, error)) error {
	return func(name string, fn func() (string, error)) error {
		start := time.Now()
		summary, err := fn()
		if err != nil {
			return err
		}
		fmt.Fprintf(log, "%-8s %6s  %s\n", name, time.Since(start).Round(time.Millisecond), summary)
		return nil
	}
}

func kib(n int) string {
	return fmt.Sprintf("%.1f KiB", float64(n)/1024)
}

// CheckConfig reads the limits of the content checks from the site's params.
func CheckConfig(params map[string]any, now time.Time) check.Config {
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
	return check.Config{Now: now, WarnMonths: months("checkedWarnMonths"), ErrorMonths: months("checkedErrorMonths")}
}

// lockedWriter lets steps running side by side write whole lines to one report.
type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}
