// Package offline turns the web tree into the tree of the offline bundle, which is opened from
// a USB stick over file://: every internal link and resource becomes a relative path to a file
// (a folder link gets its index.html), links to the site's own base URL become local,
// integrity and crossorigin attributes go (Chromium refuses them over file://), an element's
// data-offline-href replaces its href, and files only a web server uses are left out.
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
	base := strings.TrimSuffix(baseURL, "/")
	rewritable := func(p string) bool { return path.Ext(p) == ".html" || path.Ext(p) == ".css" }
	out.Transform(rewritable, func(p string, b []byte) ([]byte, error) {
		if path.Ext(p) == ".css" {
			return links.CSS(b, func(r links.Ref) string { return localURL(out, p, base, r.URL) }), nil
		}
		return links.HTML(b, func(e *links.Element) { element(out, p, base, e) }, func(r links.Ref) string { return localURL(out, p, base, r.URL) }), nil
	})
	return out
}

func element(t tree.Tree, page, base string, e *links.Element) {
	if off := e.Get("data-offline-href"); off != nil {
		if href := e.Get("href"); href != nil {
			href.Set(off.Val)
		}
		off.Drop()
	}
	local := false
	for _, a := range e.Attrs {
		links.EachURL(e, a, func(r links.Ref) string {
			nu := localURL(t, page, base, r.URL)
			if !external(nu) {
				local = true
			}
			return nu
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

// external reports whether u points outside the site: it has a scheme or a host.
func external(u string) bool {
	if strings.HasPrefix(u, "//") {
		return true
	}
	pu, err := url.Parse(u)
	return err == nil && pu.Scheme != ""
}

// localURL rewrites u, found in file page, into a path relative to page that names a file.
// URLs outside the site, and pure fragments, stay as they are.
func localURL(t tree.Tree, page, base, u string) string {
	if base != "" && (u == base || strings.HasPrefix(u, base+"/")) {
		u = "/" + strings.TrimPrefix(strings.TrimPrefix(u, base), "/")
	}
	if u == "" || strings.HasPrefix(u, "#") || external(u) {
		return u
	}
	p, rest := u, ""
	if i := strings.IndexAny(u, "?#"); i >= 0 {
		p, rest = u[:i], u[i:]
	}
	dir := path.Dir(page)
	var target string
	if strings.HasPrefix(p, "/") {
		target = path.Clean(p)
	} else {
		target = path.Join("/", dir, p)
	}
	target = strings.TrimPrefix(target, "/")
	if !has(t, target) {
		if idx := path.Join(target, "index.html"); has(t, idx) {
			target = idx
		} else if strings.HasSuffix(p, "/") {
			target += "/" // keep the folder visible, so validation can name it
		}
	}
	return relative(dir, target) + rest
}

// relative returns the path of target (from the tree's root) as seen from folder dir.
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
	return b.String()
}

func has(t tree.Tree, p string) bool {
	_, ok := t[p]
	return ok
}
