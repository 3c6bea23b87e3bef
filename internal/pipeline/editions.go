package pipeline

import (
	"context"
	"fmt"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"github.com/veiviser/veiviser/internal/onefile"
	"github.com/veiviser/veiviser/internal/publish"
)

// oneFileLimit is the size a one-file edition should stay within: it is sent by messaging
// apps and Bluetooth, on phones with little data.
const oneFileLimit = 300 << 10

// oneFileLeavesOut are the layouts whose pages no one-file edition holds: the neutral exit
// page (the file's exit leads to the web), search (it needs the index and JavaScript) and
// the print products and their list (their PDFs are on the web site).
var oneFileLeavesOut = []string{"neutral", "search", "poster", "cards", "print"}

// editionsStep makes the one-file editions from the offline tree: for each language, its pages
// in one self-contained HTML file, dist/veiviser-<language>-<version>.html.
func editionsStep(_ context.Context, b *build) (string, error) {
	skip := map[string]bool{}
	for _, p := range b.site.Content {
		for _, k := range []string{"layout", "type"} {
			if v, _ := p.Params[k].(string); slices.Contains(oneFileLeavesOut, v) {
				skip[pagePath(p.Permalink)] = true
			}
		}
	}
	exitURL, _ := b.site.Params["exiturl"].(string)
	langs := b.site.Languages
	var parts, over []string
	b.editions = nil
	for i, lang := range langs {
		home, others := lang+"/index.html", []string{}
		if i == 0 {
			home = "index.html"
		}
		for j, o := range langs {
			if j != i && j != 0 {
				others = append(others, o+"/")
			}
		}
		if i != 0 { // the default language's pages are at the root, outside every other folder
			others = append(others, rootPagesBut(b, lang)...)
		}
		title := ""
		if f := b.rules.i18n[lang]; f != nil {
			title = f.Values["onThisPage"]
		}
		ed, err := onefile.Make(b.off, onefile.Options{Home: home, Others: others, BaseURL: b.site.BaseURL, ExitURL: exitURL,
			ContentsTitle: title, Skip: func(p string) bool { return skip[p] }})
		if err != nil {
			return "", fmt.Errorf("the one-file edition in %s: %w", lang, err)
		}
		name := filepath.Join(b.dist, oneFileName(lang, b.version))
		b.editions = append(b.editions, publish.Output{Name: name, Data: ed.HTML})
		parts = append(parts, fmt.Sprintf("%s %d pages %s", lang, len(ed.Pages), kib(len(ed.HTML))))
		if len(ed.HTML) > oneFileLimit {
			over = append(over, fmt.Sprintf("%s is %s, over %s", filepath.Base(name), kib(len(ed.HTML)), kib(oneFileLimit)))
		}
	}
	line := "one file each: " + strings.Join(parts, ", ")
	for _, o := range over {
		line += "\n  warning: " + o
	}
	return line, nil
}

// rootPagesBut are the files and folders at the root of the offline tree that hold the
// default language's pages, for the edition of lang (whose pages are all under lang/): every
// top-level entry but the languages' folders.
func rootPagesBut(b *build, lang string) []string {
	var out []string
	seen := map[string]bool{}
	for p := range b.off {
		first, _, folder := strings.Cut(p, "/")
		if folder {
			first += "/"
		}
		if seen[first] || slices.Contains(b.site.Languages, strings.TrimSuffix(first, "/")) {
			continue
		}
		seen[first] = true
		out = append(out, first)
	}
	slices.Sort(out)
	return out
}

// pagePath is the file of the tree a page's URL path names: "/en/sheet/" is en/sheet/index.html.
func pagePath(permalink string) string {
	p := strings.TrimPrefix(permalink, "/")
	if p == "" || strings.HasSuffix(p, "/") {
		return p + "index.html"
	}
	if path.Ext(p) == "" {
		return p + "/index.html"
	}
	return p
}

// oneFileNames are the files the one-file editions were written to, by language: the
// editions are in the order of b.site.Languages.
func oneFileNames(b *build) map[string]string {
	out := map[string]string{}
	for i, e := range b.editions {
		out[b.site.Languages[i]] = e.Name
	}
	return out
}
