// Package render builds the Hugo project in a directory into an in-memory file system,
// using Hugo as a library. It is the first step of the pipeline: content → Hugo in memory.
package render

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"github.com/bep/logg"
	"github.com/gohugoio/hugo/common/loggers"
	"github.com/gohugoio/hugo/config"
	"github.com/gohugoio/hugo/deps"
	"github.com/gohugoio/hugo/hugofs"
	"github.com/gohugoio/hugo/hugolib"
	"github.com/gohugoio/hugo/langs"
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
	// Locales gives each language code's locale (the pages' lang) and text direction, from
	// hugo.toml's [languages.*] locale and direction.
	Locales map[string]Locale
	// Warnings holds what Hugo warned about, one line each, but for missing translations.
	Warnings []string
	// MissingTranslations are the i18n keys pages asked for that their language's file does not
	// have, or has empty (Hugo then shows the default language's words, or nothing).
	MissingTranslations []MissingTranslation
	// ContentDirs is the content folder of each language, relative to the project
	// ("content/nb").
	ContentDirs map[string]string
	// Content lists every page that comes from a file in content/, in every language, but
	// those no list shows (build: {list: never}, such as the neutral page): Hugo leaves them
	// out of its page collections.
	Content []Page
	// Data is the project's data/ folder as Hugo read it.
	Data map[string]any
	// Params are the site's params from the configuration, keys in lower case.
	Params map[string]any
}

// MissingTranslation is an i18n key a page of language Lang asked for in vain.
type MissingTranslation struct{ Lang, Key string }

// Page is what the content checks need to know of one content page.
type Page struct {
	File           string         // relative to the project, e.g. "content/nb/om.md"
	Lang, Kind     string         // "nb", "page"
	Title          string         //
	TranslationKey string         //
	Params         map[string]any // front matter, keys in lower case
	ParamLines     map[string]int // the line of each top-level front matter key, in lower case
	Body           string         // the Markdown after the front matter
	BodyLine       int            // the line of File where Body starts
	HTML           string         // the content as Hugo rendered it (no layout around it)
	Translations   []string       // the languages this page is translated into
	Permalink      string         // the page's URL path
}

// Site builds the project in opts.Dir into memory. An error that names a file is an *Error: the
// file (relative to Dir) at fault and, where it can be known, the line: the page whose front
// matter or shortcode a template failed on, the key of hugo.toml Hugo could not decode.
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
	// Every i18n key a page asks for and its language's file lacks (or leaves empty) is logged,
	// even when Hugo falls back to the default language's words: Result.MissingTranslations.
	flags.Set("printI18nWarnings", true)
	if opts.BaseURL != "" {
		flags.Set("baseURL", opts.BaseURL)
	}

	var log bytes.Buffer
	logger := loggers.New(loggers.Options{Level: logg.LevelWarn, StdOut: io.Discard, StdErr: &log, DistinctLevel: logg.LevelWarn})
	configs, err := loadConfig(dir, flags, logger)
	if err != nil {
		return nil, err
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

	res := &Result{BaseURL: configs.Base.BaseURL, Pages: map[string]int{}, MinifiedPages: configs.Base.Minify.MinifyOutput,
		ContentDirs: map[string]string{}, Locales: map[string]Locale{}}
	res.Warnings, res.MissingTranslations = missingTranslations(warnings(dir, &log))
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
		res.Locales[lang] = localeOf(s.Language())
		if c := configs.LanguageConfigMap[lang]; c != nil && c.ContentDir != "" {
			d := c.ContentDir
			if !filepath.IsAbs(d) {
				d = filepath.Join(dir, d)
			}
			res.ContentDirs[lang] = relative(dir, d)
		}
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
		cp.BodyLine, cp.ParamLines = lines(p.File().Filename(), cp.Body)
		if html, err := p.Content(context.Background()); err == nil {
			cp.HTML = fmt.Sprint(html)
		}
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

// lines reads file name: the line on which body starts (1 when it cannot tell), and the line
// of each top-level key of the front matter above it.
func lines(name, body string) (int, map[string]int) {
	src, err := os.ReadFile(name)
	if err != nil {
		return 1, nil
	}
	start := 1
	head := string(src)
	if i := strings.Index(head, body); body != "" && i >= 0 {
		start = 1 + strings.Count(head[:i], "\n")
		head = head[:i]
	}
	keys := map[string]int{}
	for i, l := range strings.Split(head, "\n") {
		if m := frontMatterKey.FindStringSubmatch(l); m != nil {
			k := strings.ToLower(strings.Trim(m[1], `"'`))
			if _, seen := keys[k]; !seen {
				keys[k] = i + 1
			}
		}
	}
	return start, keys
}

// frontMatterKey matches a top-level key of YAML ("key:") or TOML ("key =") front matter, or
// of JSON front matter written one key a line without indentation.
var frontMatterKey = regexp.MustCompile(`^("[^"]+"|'[^']+'|[A-Za-z_][\w-]*)\s*[:=]`)

// missingTranslations splits Hugo's i18n|MISSING_TRANSLATION|lang|key warnings from the others.
func missingTranslations(ws []string) (rest []string, missing []MissingTranslation) {
	for _, w := range ws {
		if m, ok := strings.CutPrefix(w, "i18n|MISSING_TRANSLATION|"); ok {
			if lang, key, ok := strings.Cut(m, "|"); ok {
				missing = append(missing, MissingTranslation{Lang: strings.ToLower(strings.TrimPrefix(lang, "art-x-")), Key: key})
				continue
			}
		}
		rest = append(rest, w)
	}
	return rest, missing
}

// Locale is a language's locale (what its pages' lang attribute says, e.g. "nb-NO") and text
// direction ("ltr" or "rtl").
type Locale struct {
	Tag, Direction string
}

// localeOf is a language's locale and direction as Hugo reads them (the locale, or else the
// languageCode, or else the code itself; the direction, or else "ltr").
func localeOf(l *langs.Language) Locale {
	loc := Locale{Tag: l.Locale(), Direction: l.Direction()}
	if loc.Direction == "" {
		loc.Direction = "ltr"
	}
	return loc
}
