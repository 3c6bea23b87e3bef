package pipeline

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"maps"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/veiviser/veiviser/internal/budget"
	"github.com/veiviser/veiviser/internal/bundle"
	"github.com/veiviser/veiviser/internal/check"
	"github.com/veiviser/veiviser/internal/downloads"
	"github.com/veiviser/veiviser/internal/offline"
	"github.com/veiviser/veiviser/internal/pdf"
	"github.com/veiviser/veiviser/internal/publish"
	"github.com/veiviser/veiviser/internal/render"
	"github.com/veiviser/veiviser/internal/tree"
	"github.com/veiviser/veiviser/internal/version"
)

// The build is a list of steps (steps, below), run by one driver (drive, in driver.go). A step
// is a value: its name, the steps it comes after, the fields of the build state it reads and
// writes, and its work. `veiviser check` runs the same list up to and including the step
// "check" (checkSteps), so the build and check enforce one rule set by construction.
//
// To add a step: write its function (func(context.Context, *build) (string, error)), add the
// fields it writes to build, and put it in the list after the steps whose fields it reads,
// naming them in after. A step whose fields nothing before "check" reads goes after "check"
// (check then does not run it). TestSteps checks the list: every field a step reads is written
// by a step it comes after, and no two steps that may run side by side touch the same field.

// steps is the build. The driver starts each step as soon as the steps it comes after are
// done, so steps with none between them run side by side; their report lines come in the
// order of this list whichever ends first (the driver holds a line until those before it are
// printed).
var steps = []step{
	{name: "source", quiet: true, writes: []string{"source"}, run: sourceStep},
	{name: "render", writes: []string{"site", "staged"}, run: renderStep},
	{name: "rules", quiet: true, after: []string{"render"}, reads: []string{"site"}, writes: []string{"rules"}, run: rulesStep},
	{name: "minify", after: []string{"render"}, reads: []string{"site"}, writes: []string{"rendered"}, run: minifyStep},
	{name: "check", after: []string{"source", "rules", "minify"}, reads: []string{"source", "site", "rules", "rendered"}, writes: []string{"findings"}, run: checkStep},
	// `veiviser check` stops here: what follows only a build does. It runs alongside check,
	// but for write, which publishes only once check has passed.
	{name: "version", quiet: true, writes: []string{"version"}, run: versionStep},
	{name: "pdf", after: []string{"minify", "version"}, reads: []string{"rendered", "version"}, writes: []string{"web"}, freezes: true, run: pdfStep},
	// From here on the web tree is frozen: no step changes it (the driver checks).
	{name: "sync", quiet: true, after: []string{"pdf"}, reads: []string{"web", "site"}, writes: []string{"staged"}, run: syncStep},
	{name: "weigh", quiet: true, after: []string{"pdf"}, reads: []string{"web"}, writes: []string{"budget"}, run: weighStep},
	{name: "offline", after: []string{"pdf"}, reads: []string{"web", "site"}, writes: []string{"off"}, run: offlineStep},
	{name: "validate", after: []string{"offline"}, reads: []string{"off", "web", "site"}, run: validateStep},
	// pack and zim run alongside validate; write waits for it.
	{name: "pack", after: []string{"offline"}, reads: []string{"off", "version"}, writes: []string{"zip"}, run: packStep},
	// The one-file editions rewrite the bundle's links, which validate proves first: a broken
	// link is then named at the page and line it is written on, not in an edition.
	{name: "editions", after: []string{"validate", "rules"}, reads: []string{"off", "site", "rules", "version"}, writes: []string{"editions"}, run: editionsStep},
	{name: "zim", after: []string{"offline"}, reads: []string{"off", "site", "version"}, writes: []string{"zim"}, run: zimStep},
	{name: "downloads", quiet: true, after: []string{"pack", "editions", "zim"}, reads: []string{"web", "zip", "editions", "zim", "version"}, writes: []string{"downloads"}, run: downloadsStep},
	{name: "write", after: []string{"downloads", "validate", "sync", "check"}, reads: []string{"zip", "editions", "zim", "downloads", "web", "staged"}, writes: []string{"published"}, run: writeStep},
	{name: "report", plain: true, after: []string{"write", "weigh"}, reads: []string{"zip", "budget"}, run: reportStep},
}

// checkSteps are the steps `veiviser check` runs: the build's, up to and including "check".
func checkSteps() []step {
	for i, s := range steps {
		if s.name == "check" {
			return steps[: i+1 : i+1]
		}
	}
	panic("pipeline: no step check")
}

// build is what the steps of one run share. Each field below "Written by the steps" is
// written by the step named beside it (and by no other, but that pdf adds to web) and read only
// by steps that come after that one.
type build struct {
	// Set before the steps run.
	dir       string
	baseURL   string    // the address given for the site, "" for hugo.toml's (the rules judge it)
	renderURL string    // the address Hugo renders for: baseURL, or the preview's
	now       time.Time // the day the rules judge dates on
	gate      bool      // the rules' errors stop the run (a build); check reports them instead
	staged    *publish.Staged
	public    string
	dist      string

	// Written by the steps.
	source    []check.Finding  // source: the rules on the project's files as they are
	site      *render.Result   // render: what Hugo rendered (read only from here on)
	rules     siteResult       // rules: the rules on what Hugo rendered
	rendered  tree.Tree        // minify: the site as check judges it (read only from here on)
	web       tree.Tree        // pdf: rendered with the sheets' PDFs, as published; frozen
	findings  []check.Finding  // check: every rule's findings, sorted, without repeats
	version   string           // version: the edition's name
	stamp     time.Time        //   and its time (the zip's and the PDFs' dates)
	budget    budget.Report    // weigh
	off       tree.Tree        // offline: the offline bundle's files
	editions  []publish.Output // editions: the one-file editions, in dist/
	downloads tree.Tree        // downloads: the web site's download pages filled in, and the editions to serve
	sums      []byte           //   and dist/SHA256SUMS
	zim       []byte           // zim: the Kiwix edition, nil when zimwriterfs is missing
	zimPath   string           //
	zip       []byte           // pack
	zipPath   string           //
	zipSHA256 string           //
	committed bool             // write: from then on the staged folder is not to be discarded

	frozen *frozenTree // the web tree, once pdf has run
	steps  []StepTime  // when each step ran (the driver)
}

// sourceStep runs the rules on the project's files as they are, alongside render. A build stops
// on their errors (Hugo would publish what they refuse), and says them rather than Hugo's error
// where Hugo fails too (it has less to say): see Run.
func sourceStep(_ context.Context, b *build) (string, error) {
	b.source = sourceRules(b.dir)
	if errs, _ := split(b.source); b.gate && len(errs) > 0 {
		return "", &Failure{Errors: errs}
	}
	return "", nil
}

// renderStep has Hugo render the site: into the staged folder beside public/ for a build (as
// the hugo command does; the steps after it rewrite only the files they change), into memory
// for check.
func renderStep(_ context.Context, b *build) (string, error) {
	o := render.Options{Dir: b.dir, BaseURL: b.renderURL}
	if b.staged != nil {
		o.PublishDir = b.staged.Path()
	}
	site, err := render.Site(o)
	if err != nil {
		return "", renderError{err}
	}
	b.site = site
	var parts []string
	for _, l := range site.Languages {
		parts = append(parts, fmt.Sprintf("%s %d pages", l, site.Pages[l]))
	}
	return strings.Join(parts, ", "), nil
}

// renderError is Hugo's error as the render step returns it: Run makes it a *Failure where it
// names a file (renderFailure), check a finding of its report.
type renderError struct{ err error }

func (e renderError) Error() string { return e.err.Error() }
func (e renderError) Unwrap() error { return e.err }

// rulesStep runs the rules on what Hugo rendered; it only reads the site, alongside minify.
func rulesStep(_ context.Context, b *build) (string, error) {
	judged, fromFlag := b.site.BaseURL, b.baseURL != ""
	if b.renderURL != b.baseURL { // rendered for the preview: judge the address it is published at
		judged = b.baseURL
		if judged == "" {
			judged = configuredBaseURL(b.dir)
		}
	}
	b.rules = siteRules(b.dir, b.site, checkConfig(b.site.Params, b.now), judged, fromFlag)
	return "", nil
}

// minifyStep makes the web tree: what Hugo rendered, with the QR codes drawn and every file
// minified that Hugo did not minify.
func minifyStep(_ context.Context, b *build) (string, error) {
	web := b.site.Files.Clone()
	st, err := finish(web, b.site)
	if err != nil {
		return "", err
	}
	b.rendered = web
	return fmt.Sprintf("%d files, %s → %s; %d pages minified by Hugo", st.Files, kib(st.Before), kib(st.After), st.Skipped), nil
}

// checkStep runs the rules on the site as published (the rendered tree, which is the web
// tree but for the sheets' PDFs, and, for check, the offline bundle made from it) and gathers
// every rule's findings. A build stops on an error; its warnings are printed below the step's
// line. A build judges the links of the bundle it makes in validate, with the same rule
// (check.BundleLinks), rather than make the bundle twice.
func checkStep(_ context.Context, b *build) (string, error) {
	judge := func(built check.Built) {
		fs := append(append(append([]check.Finding{}, b.source...), b.rules.findings...), builtRules(b.site, b.rules, built)...)
		b.findings = withoutRepeats(fs, len(b.source))
	}
	withBundle := func() check.Built {
		return check.Built{Web: b.rendered, Offline: offline.Make(b.rendered, b.site.BaseURL), BaseURL: b.site.BaseURL}
	}
	if b.gate {
		// A build that fails says what check says (a link that breaks in both says so).
		if judge(check.Built{Web: b.rendered, BaseURL: b.site.BaseURL}); slices.ContainsFunc(b.findings, isError) {
			judge(withBundle())
		}
	} else {
		judge(withBundle())
	}
	errs, warnings := split(b.findings)
	if b.gate && len(errs) > 0 {
		return "", &Failure{Errors: errs}
	}
	noun := "warnings"
	if len(warnings) == 1 {
		noun = "warning"
	}
	out := fmt.Sprintf("%d pages in %d languages, every link resolves in the web site and the bundle; %d %s",
		len(b.site.Content), len(b.site.Languages), len(warnings), noun)
	for _, w := range warnings {
		out += "\n  " + w.String()
	}
	return out, nil
}

// versionStep names the edition; asking git takes a while, so it runs from the start.
func versionStep(_ context.Context, b *build) (string, error) {
	b.version, b.stamp = version.Of(b.dir)
	return "", nil
}

// pdfStep makes the web tree: the rendered tree with the print products' PDFs printed into it. It runs
// alongside check (which judges the rendered tree, and stops the build before it publishes).
func pdfStep(ctx context.Context, b *build) (string, error) {
	web := b.rendered.Clone()
	r, err := pdf.Sheets(ctx, web, b.stamp)
	if err != nil {
		return "", err
	}
	b.web = web
	if r.Skipped != "" {
		return r.Skipped, nil
	}
	line := fmt.Sprintf("%d PDFs printed, %d from the cache", r.Printed, r.Cached)
	for _, w := range r.Warnings {
		line += "\n  warning: " + w
	}
	return line, nil
}

// syncStep brings the staged folder up to date with the web tree, while the bundle is made.
func syncStep(_ context.Context, b *build) (string, error) {
	return "", b.staged.Sync(b.web, b.site.Files)
}

// weighStep weighs the web pages, gzipped, alongside the steps that make the bundle.
func weighStep(_ context.Context, b *build) (string, error) {
	b.budget = budget.Weigh(b.web, "index.html")
	return "", nil
}

// offlineStep derives the offline bundle's files from the web tree.
func offlineStep(_ context.Context, b *build) (string, error) {
	b.off = offline.Make(b.web, b.site.BaseURL)
	// The bundle's download page names the editions; it cannot hold their checksums (the
	// zip holds the page).
	downloads.Names(b.off, editionNames(b))
	return fmt.Sprintf("%d files", len(b.off)), nil
}

// packStep packs the bundle into a reproducible zip, in memory.
func packStep(_ context.Context, b *build) (string, error) {
	folder := bundle.Folder(b.version)
	// LES-MEG.txt gives the emergency number of data/contacts.yaml, as the pages do: read from
	// the data Hugo rendered with (this step does not wait for the rules).
	contacts, _ := b.site.Data["contacts"].(map[string]any)
	c, _ := contacts["emergency"].(map[string]any)
	emergency, _ := c["phone"].(string)
	zip, err := bundle.Zip(b.off, folder, b.version, b.stamp, emergency)
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256(zip)
	b.zip, b.zipPath, b.zipSHA256 = zip, filepath.Join(b.dist, folder+".zip"), hex.EncodeToString(sum[:])
	return fmt.Sprintf("%d files, %s", len(b.off)+len(bundle.Added), kib(len(zip))), nil
}

// writeStep puts public/, the zip, the one-file editions, the ZIM and the servers' header
// snippets (dist/server/, serverconf.go) in place together, or none of them; they are then the only ones in dist, so that two versions cannot be mixed up (a
// build without zimwriterfs removes an earlier ZIM).
func writeStep(_ context.Context, b *build) (string, error) {
	servers, err := serverOutputs(b)
	if err != nil {
		return "", err
	}
	b.committed = true // from here CommitWith removes the staged folder itself
	outputs := append([]publish.Output{{Name: b.zipPath, Data: b.zip}}, b.editions...)
	if b.zim != nil {
		outputs = append(outputs, publish.Output{Name: b.zimPath, Data: b.zim})
	}
	outputs = append(outputs, servers...)
	outputs = append(outputs, publish.Output{Name: filepath.Join(b.dist, "SHA256SUMS"), Data: b.sums})
	// The list of what public/ holds, for veiviser deploy -no-build (tree.Manifest).
	site := b.web.Clone()
	maps.Copy(site, b.downloads)
	added := maps.Clone(b.downloads)
	if added == nil {
		added = tree.Tree{}
	}
	added[tree.ManifestName] = tree.Manifest(site, b.version)
	if err := b.staged.Add(added); err != nil {
		b.staged.Discard()
		return "", err
	}
	if err := b.staged.CommitWith(outputs, "veiviser-offline-*.zip", "veiviser-*-*.html", "veiviser_*.zim", serverconfOthers); err != nil {
		return "", err
	}
	return fmt.Sprintf("%s (%d files, %s)", b.public, len(b.web), kib(b.web.Size())), nil
}

// reportStep says where the zip is and what the pages weigh.
func reportStep(_ context.Context, b *build) (string, error) {
	out := fmt.Sprintf("zip     %s  %s  sha256 %s\nbudget  %s", b.zipPath, kib(len(b.zip)), b.zipSHA256, b.budget)
	for _, over := range b.budget.Over() {
		out += "\n  warning: " + over
	}
	return out, nil
}
