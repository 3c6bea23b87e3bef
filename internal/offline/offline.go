// Package offline turns the web tree into the tree of the offline bundle, which is opened from
// a USB stick over file://: every internal link and resource becomes a relative path to a file
// (a folder link gets its index.html), links to the site's own base URL become local,
// integrity and crossorigin attributes go (Chromium refuses them over file://), an element's
// data-offline-href replaces its href, and files only a web server uses are left out (Make).
// Check then proves the result works from the disk: every link resolves to a file in it.
package offline

import (
	"net/url"
	"path"
	"strings"

	"github.com/veiviser/veiviser/internal/links"
	"github.com/veiviser/veiviser/internal/tree"
)

// webOnly reports whether a file only makes sense on a web server.
func webOnly(p string) bool {
	base := path.Base(p)
	return base == "_headers" || base == "_redirects" || base == "robots.txt" || base == "sitemap.xml"
}

// Make returns the offline tree for web tree t, whose pages were built for baseURL.
func Make(t tree.Tree, baseURL string) tree.Tree {
	out := tree.Tree{}
	for p, b := range t {
		if !webOnly(p) {
			out[p] = b
		}
	}
	r := links.ForWeb(out, baseURL)
	rewritable := func(p string) bool { return path.Ext(p) == ".html" || path.Ext(p) == ".css" }
	out.Transform(rewritable, func(p string, b []byte) ([]byte, error) {
		local := func(ref links.Ref) string { u, _ := localURL(r, p, ref.URL); return u }
		if path.Ext(p) == ".css" {
			return links.CSS(b, local), nil
		}
		return links.HTML(b, func(e *links.Element) { element(r, p, e) }, local), nil
	})
	return out
}

func element(r *links.Resolver, page string, e *links.Element) {
	if off := e.Get("data-offline-href"); off != nil {
		if href := e.Get("href"); href != nil {
			href.Set(off.Val)
		}
		off.Drop()
	}
	local := false
	for _, a := range e.Attrs {
		links.EachURL(e, a, func(ref links.Ref) string {
			u, external := localURL(r, page, ref.URL)
			local = local || !external
			return u
		})
	}
	if local {
		for _, k := range []string{"integrity", "crossorigin"} {
			if a := e.Get(k); a != nil {
				a.Drop()
			}
		}
	}
}

// localURL rewrites u, found in file page, into a path relative to page that names a file
// (or, when there is none, the missing file or folder, for Check to name), and says whether u
// leads outside the site. URLs outside the site, and pure fragments, stay as they are.
func localURL(r *links.Resolver, page, u string) (string, bool) {
	t := r.Resolve(page, u)
	if t.InPage || (t.Kind != links.File && t.Kind != links.Missing) {
		return u, t.Kind == links.External
	}
	return relative(path.Dir(page), t.Path) + t.Suffix, false
}

// relative returns the path of target (from the tree's root) as seen from folder dir,
// escaped as a URL path.
func relative(dir, target string) string {
	if dir == "." {
		dir = ""
	}
	from := strings.Split(dir, "/")
	if dir == "" {
		from = nil
	}
	to := strings.Split(target, "/")
	i := 0
	for i < len(from) && i < len(to)-1 && from[i] == to[i] {
		i++
	}
	var b strings.Builder
	for range from[i:] {
		b.WriteString("../")
	}
	b.WriteString(strings.Join(to[i:], "/"))
	if b.Len() == 0 {
		return "./"
	}
	return (&url.URL{Path: b.String()}).String()
}
