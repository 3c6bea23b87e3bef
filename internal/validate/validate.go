// Package validate checks the offline tree before it is packed: every URL in every HTML page and
// stylesheet must be a relative path to a file inside the bundle, and nothing may need what
// browsers block over file:// (integrity and crossorigin attributes, ES modules, fetch, XHR,
// workers). Links a reader follows to other web sites, and tel: and mailto: links, are allowed;
// resources from the network are not.
package validate

import (
	"bytes"
	"fmt"
	"net/url"
	"path"
	"strings"

	"github.com/veiviser/veiviser/internal/links"
	"github.com/veiviser/veiviser/internal/tree"
)

// Problem is one violation, naming the file and the link.
type Problem struct {
	File, Link, Reason string
}

func (p Problem) String() string {
	if p.Link == "" {
		return fmt.Sprintf("%s: %s", p.File, p.Reason)
	}
	return fmt.Sprintf("%s: link %q: %s", p.File, p.Link, p.Reason)
}

// Error lists every problem found.
type Error struct{ Problems []Problem }

func (e *Error) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "offline bundle: %d broken link(s): %s", len(e.Problems), e.Problems[0])
	for _, p := range e.Problems[1:] {
		b.WriteString("\n  " + p.String())
	}
	return b.String()
}

// blockedJS are the script features Chromium refuses on file:// pages.
var blockedJS = []string{"fetch(", "XMLHttpRequest", "new Worker(", "SharedWorker(", "importScripts(", "serviceWorker"}

// Offline checks tree t, returning an *Error listing every problem, or nil.
func Offline(t tree.Tree) error {
	paths := t.Paths()
	found := make([][]Problem, len(paths)) // per file, so files can be checked in parallel
	idx := make(map[string]int, len(paths))
	for i, p := range paths {
		idx[p] = i
	}
	tree.Each(paths, func(p string) error {
		add := func(link, reason string) { found[idx[p]] = append(found[idx[p]], Problem{p, link, reason}) }
		switch path.Ext(p) {
		case ".html":
			links.HTML(t[p], func(e *links.Element) {
				for _, k := range []string{"integrity", "crossorigin"} {
					if e.Get(k) != nil {
						add("", fmt.Sprintf("<%s> has a %s attribute, which file:// pages cannot load", e.Name, k))
					}
				}
				if e.Name == "script" {
					if ty := e.Get("type"); ty != nil && strings.EqualFold(ty.Val, "module") {
						add("", "<script type=module> does not run over file://")
					}
				}
				for _, a := range e.Attrs {
					links.EachURL(e, a, func(r links.Ref) string {
						if why := check(t, p, r); why != "" {
							add(r.URL, why)
						}
						return r.URL
					})
				}
			}, func(r links.Ref) string {
				if why := check(t, p, r); why != "" {
					add(r.URL, why)
				}
				return r.URL
			})
		case ".css":
			links.CSS(t[p], func(r links.Ref) string {
				if why := check(t, p, r); why != "" {
					add(r.URL, why)
				}
				return r.URL
			})
		case ".js":
			for _, s := range blockedJS {
				if bytes.Contains(t[p], []byte(s)) {
					add("", fmt.Sprintf("uses %s, which is blocked over file://", strings.TrimSuffix(s, "(")))
				}
			}
		}
		return nil
	})
	var probs []Problem
	for _, f := range found {
		probs = append(probs, f...)
	}
	if len(probs) > 0 {
		return &Error{probs}
	}
	return nil
}

// check returns why reference r in file page is not allowed in the bundle, or "".
func check(t tree.Tree, page string, r links.Ref) string {
	u := r.URL
	if u == "" || strings.HasPrefix(u, "#") {
		return ""
	}
	if strings.HasPrefix(u, "//") {
		return "points to another host"
	}
	pu, err := url.Parse(u)
	if err != nil {
		return "is not a valid URL"
	}
	switch pu.Scheme {
	case "":
	case "tel", "mailto":
		if r.Resource {
			return "is not a file"
		}
		return ""
	case "data":
		return ""
	case "http", "https":
		if r.Resource {
			return "loads a resource from the network"
		}
		return "" // a link a reader may follow to another web site
	default:
		return fmt.Sprintf("uses the %s: scheme", pu.Scheme)
	}
	p := u
	if i := strings.IndexAny(p, "?#"); i >= 0 {
		p = p[:i]
	}
	if strings.HasPrefix(p, "/") {
		return "is an absolute path; over file:// it points outside the bundle"
	}
	target := path.Join(path.Dir(page), p)
	if strings.HasPrefix(target, "../") || target == ".." {
		return "points outside the bundle"
	}
	if _, ok := t[target]; ok {
		return ""
	}
	if t.IsDir(target) {
		return "links to a folder, which opens a directory listing over file://"
	}
	return "no such file in the bundle (" + target + ")"
}
