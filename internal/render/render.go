// Package render builds the Hugo project in a directory into an in-memory file system,
// using Hugo as a library. It is the first step of the pipeline: content → Hugo in memory.
package render

import (
	"bytes"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"

	"github.com/bep/logg"
	"github.com/gohugoio/hugo/common/loggers"
	"github.com/gohugoio/hugo/config"
	"github.com/gohugoio/hugo/config/allconfig"
	"github.com/gohugoio/hugo/deps"
	"github.com/gohugoio/hugo/hugofs"
	"github.com/gohugoio/hugo/hugolib"
	"github.com/spf13/afero"
	"github.com/veiviser/veiviser/internal/tree"
)

// Options says what to build.
type Options struct {
	// Dir is the project directory, holding hugo.toml, content/, layouts/ and the rest.
	Dir string
	// BaseURL overrides the baseURL from the configuration when not empty.
	BaseURL string
	// PublishDir, when set, is an empty folder on disk Hugo writes the site into while it
	// renders (as the hugo command does, overlapping the writing with the rendering);
	// otherwise the site is built in memory. Either way Result.Files holds the site.
	PublishDir string
}

// Result is a built site.
type Result struct {
	// Files holds the published site.
	Files tree.Tree
	// Static lists the files of Files copied from the project's static/ folder as they are.
	Static []string
	// MinifiedPages says whether Hugo minified the pages it rendered (minify.minifyOutput);
	// it minifies no file it only copies or publishes as a resource.
	MinifiedPages bool
	// BaseURL is the base URL the site was built with.
	BaseURL string
	// Pages counts the regular pages per language code.
	Pages map[string]int
	// Languages lists the site's language codes, the default first.
	Languages []string
	// Warnings holds what Hugo warned about, one line each.
	Warnings []string
	// Content lists every page that comes from a file in content/, in every language.
	Content []Page
	// Data is the project's data/ folder as Hugo read it.
	Data map[string]any
	// Params are the site's params from the configuration, keys in lower case.
	Params map[string]any
}

// Page is what the content checks need to know of one content page.
type Page struct {
	File           string         // relative to the project, e.g. "content/nb/om.md"
	Lang, Kind     string         // "nb", "page"
	Title          string         //
	TranslationKey string         //
	Params         map[string]any // front matter, keys in lower case
	Body           string         // the Markdown after the front matter
	BodyLine       int            // the line of File where Body starts
	Translations   []string       // the languages this page is translated into
	Permalink      string         // the page's URL path
}

// Site builds the project in opts.Dir into memory. Errors name the file (relative to Dir) and
// the line where Hugo knows it.
func Site(opts Options) (*Result, error) {
	dir, err := filepath.Abs(opts.Dir)
	if err != nil {
		return nil, err
	}
	if _, err := os.Stat(filepath.Join(dir, "hugo.toml")); err != nil {
		return nil, fmt.Errorf("%s: no hugo.toml: not a Veiviser project", opts.Dir)
	}

	flags := config.New()
	flags.Set("workingDir", dir)
	flags.Set("publishDir", "/")
	if opts.PublishDir != "" {
		flags.Set("publishDir", opts.PublishDir)
	}
	flags.Set("noBuildLock", true) // the lock file would be taken in the project dir; we build in memory
	if opts.BaseURL != "" {
		flags.Set("baseURL", opts.BaseURL)
	}

	var log bytes.Buffer
	logger := loggers.New(loggers.Options{Level: logg.LevelWarn, StdOut: io.Discard, StdErr: &log, DistinctLevel: logg.LevelWarn})
	configs, err := allconfig.LoadConfig(allconfig.ConfigSourceDescriptor{
		Fs:          hugofs.Os,
		Flags:       flags,
		Filename:    filepath.Join(dir, "hugo.toml"),
		Environment: "production",
		Environ:     environ(),
		Logger:      logger,
	})
	if err != nil {
		return nil, describe(dir, err, &log)
	}

	dest := afero.NewMemMapFs()
	if opts.PublishDir != "" {
		if entries, err := os.ReadDir(opts.PublishDir); err != nil || len(entries) > 0 {
			return nil, fmt.Errorf("%s: not an empty folder to publish into", opts.PublishDir)
		}
		dest = hugofs.Os
	}
	fs := hugofs.NewFromSourceAndDestination(hugofs.Os, dest, flags)
	// Everything Hugo publishes is kept as it is written, so nothing is read back.
	out := newCapture(fs.PublishDir)
	fs.PublishDir, fs.PublishDirServer, fs.PublishDirStatic = out, out, out
	sites, err := hugolib.NewHugoSites(deps.DepsCfg{
		Configs:  configs,
		Fs:       fs,
		LogLevel: logg.LevelWarn,
		StdOut:   io.Discard,
		StdErr:   &log,
	})
	if err != nil {
		return nil, describe(dir, err, &log)
	}
	defer sites.Close()
	if err := sites.Build(hugolib.BuildCfg{}); err != nil {
		return nil, describe(dir, err, &log)
	}

	res := &Result{BaseURL: configs.Base.BaseURL, Pages: map[string]int{}, Warnings: warnings(dir, &log),
		MinifiedPages: configs.Base.Minify.MinifyOutput}
	for _, w := range res.Warnings {
		// Hugo skips pages it has no template for; for us that is a broken build.
		if strings.HasPrefix(w, "found no layout file") {
			return nil, fmt.Errorf("layouts: %s", strings.SplitN(w, ":", 2)[0])
		}
	}
	if res.Static, err = copyStatic(dir, out); err != nil {
		return nil, err
	}
	if res.Files, err = out.Tree(); err != nil {
		return nil, err
	}
	for _, s := range sites.Sites {
		lang := s.Language().Lang
		res.Languages = append(res.Languages, lang)
		res.Pages[lang] = len(s.RegularPages())
	}
	res.Data = sites.Data()
	res.Params = sites.Sites[0].Params()
	for _, p := range sites.Pages() {
		if p.File() == nil {
			continue
		}
		cp := Page{
			File:           relative(dir, p.File().Filename()),
			Lang:           p.Lang(),
			Kind:           p.Kind(),
			Title:          p.Title(),
			TranslationKey: p.TranslationKey(),
			Params:         p.Params(),
			Body:           p.RawContent(),
			Permalink:      p.RelPermalink(),
		}
		for _, t := range p.Translations() {
			cp.Translations = append(cp.Translations, t.Lang())
		}
		cp.BodyLine = bodyLine(p.File().Filename(), cp.Body)
		res.Content = append(res.Content, cp)
	}
	sort.Slice(res.Content, func(i, j int) bool { return res.Content[i].File < res.Content[j].File })
	return res, nil
}

// environ is the process environment without HUGO_ variables, so that the project's
// configuration alone decides how the site is built.
func environ() []string {
	env := []string{"VEIVISER=1"}
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "HUGO_") {
			env = append(env, kv)
		}
	}
	sort.Strings(env)
	return env
}

// copyStatic copies the files of the project's static/ folder into the site, as the hugo
// command does (Hugo's Build leaves that to its command line), and lists them. Rendered
// files win.
func copyStatic(dir string, out afero.Fs) ([]string, error) {
	root := filepath.Join(dir, "static")
	if _, err := os.Stat(root); err != nil {
		return nil, nil
	}
	var copied []string
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		target := "/" + filepath.ToSlash(rel)
		if exists, _ := afero.Exists(out, target); exists {
			return nil
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return fmt.Errorf("static/%s: %w", filepath.ToSlash(rel), err)
		}
		if err := out.MkdirAll(path.Dir(target), 0o755); err != nil {
			return err
		}
		copied = append(copied, target[1:])
		return afero.WriteFile(out, target, b, 0o644)
	})
	return copied, err
}

// bodyLine is the line of file name on which body starts (1 when it cannot tell).
func bodyLine(name, body string) int {
	src, err := os.ReadFile(name)
	if err != nil || body == "" {
		return 1
	}
	i := strings.Index(string(src), body)
	if i < 0 {
		return 1
	}
	return 1 + strings.Count(string(src[:i]), "\n")
}
