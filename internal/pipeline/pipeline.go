// Package pipeline runs the whole build as a list of steps (steps.go) run by one driver
// (driver.go): Hugo renders the project, the rules check it, every file is minified, the
// sheets are printed, the offline tree is derived from the web tree and validated, packed into
// a zip, and only then are public/ and the zip written, both whole or neither. `veiviser check`
// (Check) and the preview (CheckSite) run the same steps up to the rules, writing nothing.
package pipeline

import (
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/veiviser/veiviser/internal/budget"
	"github.com/veiviser/veiviser/internal/check"
	"github.com/veiviser/veiviser/internal/minifier"
	"github.com/veiviser/veiviser/internal/publish"
	"github.com/veiviser/veiviser/internal/qr"
	"github.com/veiviser/veiviser/internal/render"
	"github.com/veiviser/veiviser/internal/tree"
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
	// Languages lists the site's language codes, the default first; Locales gives each one's
	// locale (the lang its pages declare) and text direction, from hugo.toml.
	Languages []string
	Locales   map[string]render.Locale
	// Steps says when each step ran, in the order they ended (make bench prints them).
	Steps []StepTime
	// OneFile are the one-file editions written to dist/, by language code.
	OneFile map[string]string
	// ZimPath is the Kiwix edition written to dist/, "" when zimwriterfs is missing.
	ZimPath string
}

// StepTime is when one step of a run started, after the run began, and how long it took.
type StepTime struct {
	Name          string
	Start, Length time.Duration
}

// Run builds the project: it runs the steps (steps.go) with the driver (driver.go), behind
// the lock on the output folders, with one deferred cleanup. On error nothing has been
// written. The build runs every rule `veiviser check` runs (the same steps, up to "check") and
// publishes nothing when any finds an error: the error is then a *Failure, every error on a
// line of its own; warnings go to the log.
func Run(opts Options) (*Result, error) {
	if opts.Public == "" {
		opts.Public = filepath.Join(opts.Dir, "public")
	}
	if opts.Dist == "" {
		opts.Dist = filepath.Join(opts.Dir, "dist")
	}
	b := &build{dir: opts.Dir, baseURL: opts.BaseURL, renderURL: opts.BaseURL, now: opts.Now, gate: true,
		public: opts.Public, dist: opts.Dist}
	if b.now.IsZero() {
		b.now = time.Now()
	}

	// One build at a time writes into these folders; holding the lock, it first removes what
	// an interrupted build left there.
	lock, err := publish.Acquire(opts.Public, opts.Dist)
	if err != nil {
		return nil, err
	}
	defer func() {
		if b.staged != nil && !b.committed {
			b.staged.Discard()
		}
		lock.Release()
	}()
	// No file from outside the project reaches the site through a symbolic link.
	if err := tree.LinksOutside(opts.Dir); err != nil {
		return nil, err
	}
	// Hugo writes the site into a folder beside public/, swapped in when everything succeeded.
	if b.staged, err = publish.NewStaging(opts.Public); err != nil {
		return nil, err
	}

	if err := drive(context.Background(), b, steps, opts.Log); err != nil {
		var re renderError
		if errors.As(err, &re) {
			// The source rules ran alongside (drive waited for them): their errors say more.
			if errs, _ := split(b.source); len(errs) > 0 {
				return nil, &Failure{Errors: errs}
			}
			return nil, renderFailure(opts.Dir, re.err)
		}
		return nil, err
	}
	web := b.web
	if len(b.downloads) > 0 { // the web site as published: with its download pages filled in
		web = b.web.Clone()
		maps.Copy(web, b.downloads)
	}
	return &Result{Web: web, Offline: b.off, ZipPath: b.zipPath, ZipSHA256: b.zipSHA256, ZipSize: len(b.zip),
		Version: b.version, Budget: b.budget, Data: b.site.Data,
		Languages: b.site.Languages, Locales: b.site.Locales, Steps: b.steps, OneFile: oneFileNames(b), ZimPath: b.zimPath}, nil
}

// validateStep (a step: steps.go) checks every link and anchor of the bundle, as check does
// (check.BundleLinks): each must resolve to a file in it. A broken one is named at the page
// and line it is written on; one that breaks in the web site too is said as check says it.
func validateStep(_ context.Context, b *build) (string, error) {
	if errs, _ := split(check.BundleLinks(b.site.Content, check.Built{Offline: b.off, BaseURL: b.site.BaseURL})); len(errs) > 0 {
		if all, _ := split(check.Links(b.site.Content, check.Built{Web: b.web, Offline: b.off, BaseURL: b.site.BaseURL})); len(all) > 0 {
			errs = all
		}
		return "", &Failure{Errors: errs}
	}
	return "every link resolves to a file in the bundle, the PDFs too", nil
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

func kib(n int) string {
	return fmt.Sprintf("%.1f KiB", float64(n)/1024)
}
