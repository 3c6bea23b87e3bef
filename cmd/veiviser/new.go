package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"github.com/bep/clocks"
	"github.com/bep/logg"
	"github.com/gohugoio/hugo/common/htime"
	"github.com/gohugoio/hugo/common/loggers"
	"github.com/gohugoio/hugo/config"
	"github.com/gohugoio/hugo/config/allconfig"
	"github.com/gohugoio/hugo/create"
	"github.com/gohugoio/hugo/deps"
	"github.com/gohugoio/hugo/hugofs"
	"github.com/gohugoio/hugo/hugolib"
	"github.com/gohugoio/hugo/parser/pageparser"
	"github.com/veiviser/veiviser/internal/check"
)

// The languages of a new page: the page in bokmål and its English translation.
const (
	newSourceLang      = "nb"
	newTranslationLang = "en"
)

// keyEnv passes the translationKey to archetypes/default.md, which reads it with getenv (Hugo
// allows templates to read HUGO_* variables): the two pages of `veiviser new` share one key
// even when the English file has another name. Run through `hugo new content`, the archetype
// falls back to the file's name.
const keyEnv = "HUGO_VEIVISER_TRANSLATIONKEY"

// slug is a clean file or folder name: lower-case letters and digits, words joined by "-".
var slug = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

func newCmd(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("new", flag.ContinueOnError)
	dir := fs.String("dir", ".", "the project `folder` (with hugo.toml)")
	enName := fs.String("en", "", "the English page's file `name`, without .md (default: the same name as the bokmål page)")
	today := todayFlag(fs)
	fs.Lookup("today").Usage = "the `day` (YYYY-MM-DD) written as checked (default today)"
	if err := parseArgs(fs, args, stdout, "Create a new page as a draft: content/nb/<section>/<name>.md and its English translation in\n"+
		"the English section that translates <section>, both from archetypes/default.md, with the\n"+
		"same translationKey and draft: true. A draft is not published; veiviser check lists it.", " SECTION/NAME", 1); err != nil {
		return err
	}
	now, err := today()
	if err != nil {
		return err
	}
	pages, err := planNew(*dir, fs.Arg(0), *enName)
	if err != nil {
		return err
	}
	if err := createPages(*dir, pages, now); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "created %s\n", pages.nb)
	fmt.Fprintf(stdout, "created %s\n", pages.en)
	if *enName == "" {
		fmt.Fprintf(stdout, "The English file has the bokmål name (%s.md): rename it to an English name if you like (or run veiviser new with -en NAME); keep its translationKey.\n", pages.name)
	} else {
		fmt.Fprintf(stdout, "The English file is named %s.md (-en); editors may rename either file, keeping its translationKey.\n", *enName)
	}
	fmt.Fprintln(stdout, "Both are drafts (draft: true): fill in the front matter and the text, then delete draft: true to publish them.")
	return nil
}

// newPages are the two files `veiviser new` creates, relative to the project folder.
type newPages struct {
	nb, en string // content/nb/er-dette-meg/ny-side.md, content/en/is-this-me/ny-side.md
	name   string // the bokmål name, ny-side
	key    string // the translationKey of both
}

// planNew works out the two files of target ("er-dette-meg/ny-side") in the project in dir,
// and refuses what it cannot create: a name or section that is not a clean slug, a section
// with no _index.md or no English section, a page that exists, a translationKey in use.
func planNew(dir, target, enName string) (newPages, error) {
	var p newPages
	target = strings.TrimSuffix(strings.Trim(filepath.ToSlash(target), "/"), ".md")
	i := strings.LastIndex(target, "/")
	section, name := target[:max(i, 0)], target[i+1:]
	if i < 0 || section == "" || name == "" {
		return p, fmt.Errorf("%q: want <section>/<name>, e.g. er-dette-meg/ny-side", target)
	}
	for _, part := range strings.Split(section, "/") {
		if !slug.MatchString(part) {
			return p, fmt.Errorf("section %q is not a clean name: use a-z, 0-9 and -", section)
		}
	}
	if !slug.MatchString(name) {
		return p, fmt.Errorf("name %q is not a clean name: use a-z, 0-9 and - (e.g. ny-side)", name)
	}
	if enName == "" {
		enName = name
	} else if enName = strings.TrimSuffix(enName, ".md"); !slug.MatchString(enName) {
		return p, fmt.Errorf("-en %q is not a clean name: use a-z, 0-9 and -", enName)
	}
	if _, err := os.Stat(filepath.Join(dir, "hugo.toml")); err != nil {
		return p, fmt.Errorf("%s: no hugo.toml: not a Veiviser project", dir)
	}
	nbRoot, enRoot := contentDirOf(newSourceLang), contentDirOf(newTranslationLang)
	nbSection := filepath.Join(nbRoot, filepath.FromSlash(section))
	sectionKey, err := translationKeyOf(filepath.Join(dir, nbSection, "_index.md"))
	if errors.Is(err, fs.ErrNotExist) {
		return p, fmt.Errorf("no section %s: no %s", filepath.ToSlash(nbSection), filepath.ToSlash(filepath.Join(nbSection, "_index.md")))
	} else if err != nil {
		return p, err
	}
	if sectionKey == "" {
		return p, fmt.Errorf("%s has no translationKey: its English section cannot be found", filepath.ToSlash(filepath.Join(nbSection, "_index.md")))
	}
	enSection := ""
	keys := map[string]string{} // the translationKeys of the pages of both languages → a file
	for _, root := range []string{nbRoot, enRoot} {
		err := filepath.WalkDir(filepath.Join(dir, root), func(path string, e fs.DirEntry, err error) error {
			if err != nil || e.IsDir() || filepath.Ext(path) != ".md" {
				return err
			}
			key, err := translationKeyOf(path)
			if err != nil || key == "" {
				return err
			}
			rel, _ := filepath.Rel(dir, path)
			rel = filepath.ToSlash(rel)
			if root == enRoot && e.Name() == "_index.md" && key == sectionKey && enSection == "" {
				enSection = filepath.Dir(rel)
			}
			if keys[key] == "" {
				keys[key] = rel
			}
			return nil
		})
		if err != nil {
			return p, err
		}
	}
	if enSection == "" {
		return p, fmt.Errorf("no English section for %s: no _index.md in %s has translationKey %q", filepath.ToSlash(nbSection), filepath.ToSlash(enRoot), sectionKey)
	}
	p = newPages{
		nb:   filepath.ToSlash(filepath.Join(nbSection, name+".md")),
		en:   filepath.ToSlash(filepath.Join(enSection, enName+".md")),
		name: name, key: name,
	}
	for _, f := range []string{p.nb, p.en} {
		if _, err := os.Stat(filepath.Join(dir, f)); err == nil {
			return p, fmt.Errorf("%s exists: choose another name", f)
		}
		if fi, err := os.Stat(filepath.Join(dir, strings.TrimSuffix(f, ".md"))); err == nil && fi.IsDir() {
			return p, fmt.Errorf("%s/ exists (a section or bundle of that name): choose another name", strings.TrimSuffix(f, ".md"))
		}
	}
	if f := keys[p.key]; f != "" {
		return p, fmt.Errorf("translationKey %q is already used by %s: choose another name", p.key, f)
	}
	return p, nil
}

// contentDirOf is the content folder of language lang (relative to the project): content/<lang>,
// the contentDir of every language in hugo.toml (check.Translations reads them the same way).
func contentDirOf(lang string) string {
	return filepath.Join("content", lang)
}

// translationKeyOf reads the translationKey of the page in file ("" when it has none).
func translationKeyOf(file string) (string, error) {
	src, err := os.ReadFile(file)
	if err != nil {
		return "", err
	}
	cf, err := pageparser.ParseFrontMatterAndContent(bytes.NewReader(src))
	if err != nil {
		return "", fmt.Errorf("%s: %v", file, err)
	}
	for k, v := range cf.FrontMatter {
		if strings.EqualFold(k, "translationKey") && v != nil {
			return fmt.Sprint(v), nil
		}
	}
	return "", nil
}

// createPages creates the two pages from the project's archetypes with Hugo's own content
// creation (github.com/gohugoio/hugo/create, what `hugo new content` runs): the archetype for
// the section if there is one (archetypes/<section>.md), else archetypes/default.md. Hugo's
// clock is set to now, so that the archetype's .Date (checked) is the -today day. Either both
// pages are created, or neither.
func createPages(dir string, p newPages, now time.Time) (err error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return err
	}
	htime.Clock = clocks.Start(now)
	os.Setenv(keyEnv, p.key)
	defer os.Unsetenv(keyEnv)
	var created []string
	defer func() {
		if err != nil {
			for _, f := range created {
				os.Remove(f)
			}
		}
	}()
	for _, f := range []string{p.nb, p.en} {
		file := filepath.Join(abs, filepath.FromSlash(f))
		err = newContent(abs, f)
		if _, serr := os.Stat(file); serr == nil {
			created = append(created, file)
		}
		if err != nil {
			return fmt.Errorf("%s: %v", f, err)
		}
	}
	return recordSource(filepath.Join(abs, filepath.FromSlash(p.nb)), filepath.Join(abs, filepath.FromSlash(p.en)))
}

// recordSource writes into the English page the version of the bokmål page it translates
// (sourceVersion, check.SourceVersion), right after its translationKey: when the bokmål text
// is written, check says the translation is behind until it is updated too.
func recordSource(nb, en string) error {
	src, err := os.ReadFile(nb)
	if err != nil {
		return err
	}
	cf, err := pageparser.ParseFrontMatterAndContent(bytes.NewReader(src))
	if err != nil {
		return fmt.Errorf("%s: %v", nb, err)
	}
	tr, err := os.ReadFile(en)
	if err != nil {
		return err
	}
	key := regexp.MustCompile(`(?m)^translationKey:.*\n`)
	loc := key.FindIndex(tr)
	if loc == nil {
		return fmt.Errorf("%s: no translationKey line to put sourceVersion after", en)
	}
	line := fmt.Sprintf("sourceVersion: %q\n", check.SourceVersion(string(cf.Content)))
	out := append(append(append([]byte{}, tr[:loc[1]]...), line...), tr[loc[1]:]...)
	return os.WriteFile(en, out, 0o644)
}

// newContent runs Hugo's content creation for file (relative to the project in dir), each
// file with its own HugoSites, as the hugo command does.
func newContent(dir, file string) error {
	flags := config.New()
	flags.Set("workingDir", dir)
	flags.Set("noBuildLock", true)
	var log bytes.Buffer
	logger := loggers.New(loggers.Options{Level: logg.LevelWarn, StdOut: io.Discard, StdErr: &log, DistinctLevel: logg.LevelWarn})
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "HUGO_") { // not read as configuration
			env = append(env, kv)
		}
	}
	configs, err := allconfig.LoadConfig(allconfig.ConfigSourceDescriptor{
		Fs:          hugofs.Os,
		Flags:       flags,
		Filename:    filepath.Join(dir, "hugo.toml"),
		Environment: "production",
		Environ:     env,
		Logger:      logger,
	})
	if err != nil {
		return err
	}
	sites, err := hugolib.NewHugoSites(deps.DepsCfg{
		Configs:  configs,
		Fs:       hugofs.NewFrom(hugofs.Os, configs.LoadingInfo.BaseConfig),
		LogLevel: logg.LevelWarn,
		StdOut:   io.Discard,
		StdErr:   &log,
	})
	if err != nil {
		return err
	}
	defer sites.Close()
	return create.NewContent(sites, "", file, false)
}
