// Package downloads fills in the download page once the editions exist. The page says where
// each edition goes (layouts/_shortcodes/download.html): an element with data-download="zip"
// (or "zim", "onefile-pl" …), hidden, holding an empty one with data-download-file of the same
// value. The inner element gets the file's name and, on the web site, its size, its SHA-256
// and a link to it; the outer one is shown. An element whose edition this build did not make
// stays hidden.
//
// The offline bundle cannot hold its own checksum, so its copy of the page names the files
// only (Names); the web site's lists them in full and serves them from Folder.
package downloads

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"path"
	"sort"
	"strings"

	"github.com/veiviser/veiviser/internal/links"
	"github.com/veiviser/veiviser/internal/tree"
)

// Folder is where the web site serves the editions, from its root.
const Folder = "downloads/"

// File is one edition: Kind is what the page's data-download names ("zip", "zim",
// "onefile-nb" …).
type File struct {
	Kind, Name string
	Data       []byte // nil for Names: the file is not known yet
}

// Sums is the SHA256SUMS text of the files, in the format of sha256sum, by name.
func Sums(files []File) []byte {
	sorted := append([]File(nil), files...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i].Name < sorted[j].Name })
	var b strings.Builder
	for _, f := range sorted {
		sum := sha256.Sum256(f.Data)
		fmt.Fprintf(&b, "%s  %s\n", hex.EncodeToString(sum[:]), f.Name)
	}
	return []byte(b.String())
}

// Names fills the download pages of offline tree t in: each edition's file name, shown.
func Names(t tree.Tree, files []File) {
	fill(t, files, false)
}

// Web fills the download pages of web tree t in, and adds the files and SHA256SUMS to t under
// Folder: each edition's name as a link to it, its size and its SHA-256.
func Web(t tree.Tree, files []File) {
	fill(t, files, true)
	for _, f := range files {
		t[Folder+f.Name] = f.Data
	}
	t[Folder+"SHA256SUMS"] = Sums(files)
}

func fill(t tree.Tree, files []File, web bool) {
	byKind := map[string]File{}
	for _, f := range files {
		byKind[f.Kind] = f
	}
	for _, p := range t.Paths() {
		if path.Ext(p) != ".html" || !strings.Contains(string(t[p]), "data-download") {
			continue
		}
		lang := pageLang(t[p])
		t[p] = links.HTML(t[p], func(e *links.Element) {
			if a := e.Get("data-download"); a != nil {
				if _, ok := byKind[a.Val]; ok {
					a.Drop()
					if h := e.Get("hidden"); h != nil {
						h.Drop()
					}
				}
			}
			if a := e.Get("data-download-file"); a != nil {
				if f, ok := byKind[a.Val]; ok {
					a.Drop()
					e.After = entry(p, f, lang, web)
				}
			}
		}, nil)
	}
}

// entry is what the data-download-file element of page p holds for f.
func entry(page string, f File, lang string, web bool) string {
	name := escape(f.Name)
	if !web {
		return ` <span class="download-name" dir="ltr">` + name + `</span>`
	}
	sum := sha256.Sum256(f.Data)
	rel := strings.Repeat("../", strings.Count(page, "/")) + Folder + f.Name
	return fmt.Sprintf(` <a class="download-name" href="%s" download dir="ltr">%s</a> <span class="download-size">(%s)</span> <span class="download-sum" dir="ltr">SHA-256 <code>%s</code></span>`,
		escape(rel), name, Size(len(f.Data), lang), hex.EncodeToString(sum[:]))
}

// Size says n bytes for a reader of lang: "3.8 MB" in English, "3,8 MB" in Norwegian and the
// other languages that write a decimal comma, "150 kB" below a megabyte.
func Size(n int, lang string) string {
	var s string
	switch {
	case n >= 1_000_000:
		s = fmt.Sprintf("%.1f MB", float64(n)/1e6)
	default:
		s = fmt.Sprintf("%d kB", (n+500)/1000)
	}
	switch strings.SplitN(lang, "-", 2)[0] {
	case "en", "th", "ar", "fil":
		return s
	}
	return strings.Replace(s, ".", ",", 1)
}

// pageLang is the lang attribute of a page's html element.
func pageLang(b []byte) string {
	lang := ""
	links.HTML(b, func(e *links.Element) {
		if a := e.Get("lang"); a != nil && lang == "" && e.Name == "html" {
			lang = a.Val
		}
	}, nil)
	return lang
}

func escape(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;").Replace(s)
}
