package offline

import (
	"bytes"
	"fmt"
	"path"
	"strings"

	"github.com/veiviser/veiviser/internal/links"
	"github.com/veiviser/veiviser/internal/tree"
)

// Problem is one thing in the offline tree that does not work over file://, naming the file
// and the link.
type Problem struct {
	File, Link, Reason string
	// Target is the place in the bundle a broken relative link names (its folder ends in
	// "/"; "../…" is above the bundle), "" when the problem is not such a link.
	Target string
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

// Check checks offline tree t before it is packed: every URL in every HTML page and stylesheet
// must be a relative path to a file inside the bundle, and nothing may need what browsers
// block over file:// (integrity and crossorigin attributes, ES modules, fetch, XHR, workers).
// Links a reader follows to other web sites, and tel: and mailto: links, are allowed;
// resources from the network are not. It returns an *Error listing every problem, or nil.
func Check(t tree.Tree) error {
	paths := t.Paths()
	found := make([][]Problem, len(paths)) // per file, so files can be checked in parallel
	idx := make(map[string]int, len(paths))
	for i, p := range paths {
		idx[p] = i
	}
	r := links.ForBundle(t)
	tree.Each(paths, func(p string) error {
		add := func(pr Problem) { found[idx[p]] = append(found[idx[p]], pr) }
		ref := func(ref links.Ref) string {
			if target, why := allowed(r, p, ref); why != "" {
				add(Problem{File: p, Link: ref.URL, Reason: why, Target: target})
			}
			return ref.URL
		}
		switch path.Ext(p) {
		case ".html":
			links.HTML(t[p], func(e *links.Element) {
				for _, k := range []string{"integrity", "crossorigin"} {
					if e.Get(k) != nil {
						add(Problem{File: p, Reason: fmt.Sprintf("<%s> has a %s attribute, which file:// pages cannot load", e.Name, k)})
					}
				}
				if e.Name == "script" {
					if ty := e.Get("type"); ty != nil && strings.EqualFold(ty.Val, "module") {
						add(Problem{File: p, Reason: "<script type=module> does not run over file://"})
					}
				}
				for _, a := range e.Attrs {
					links.EachURL(e, a, ref)
				}
			}, ref)
		case ".css":
			links.CSS(t[p], ref)
		case ".js":
			for _, s := range blockedJS {
				if bytes.Contains(t[p], []byte(s)) {
					add(Problem{File: p, Reason: fmt.Sprintf("uses %s, which is blocked over file://", strings.TrimSuffix(s, "("))})
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

// allowed returns why reference ref in file page is not allowed in the bundle, or "", and the
// place in the bundle a broken relative link names.
func allowed(r *links.Resolver, page string, ref links.Ref) (target, why string) {
	t := r.Resolve(page, ref.URL)
	switch t.Kind {
	case links.File:
		return "", ""
	case links.Missing, links.Outside:
		return t.Path, t.Reason
	case links.Invalid:
		return "", t.Reason
	}
	switch t.Scheme {
	case "":
		return "", "points to another host"
	case "tel", "mailto":
		if ref.Resource {
			return "", "is not a file"
		}
	case "data":
	case "http", "https":
		if ref.Resource {
			return "", "loads a resource from the network"
		}
		// else a link a reader may follow to another web site
	default:
		return "", fmt.Sprintf("uses the %s: scheme", t.Scheme)
	}
	return "", ""
}
