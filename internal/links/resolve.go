package links

import (
	"fmt"
	"net/url"
	"path"
	"strings"

	"github.com/veiviser/veiviser/internal/tree"
)

// Kind says where a URL leads.
type Kind uint8

const (
	// File: a file of the tree, Target.Path.
	File Kind = iota
	// Missing: a place inside the tree with no file (in the bundle, a folder too): Path names
	// it, ending in "/" when the URL names a folder; Reason says why.
	Missing
	// Outside: a path outside the tree: above its root, outside the base URL's path, or, in the
	// bundle, any absolute path. Path is the path as named ("" for the bundle's absolute paths).
	Outside
	// External: another host, or a scheme (https:, tel:, mailto:, data: …) that is not the
	// site's own address. Scheme says which.
	External
	// Invalid: not a URL.
	Invalid
)

// Target is where a URL leads.
type Target struct {
	Kind     Kind
	Path     string // the file (File), or the place named (Missing, Outside), as a path of the tree
	InPage   bool   // the URL is empty or only a fragment: the reader stays on the page (Path)
	Fragment string // the fragment, decoded, without its "#"
	Suffix   string // the query and fragment as written ("?q=1#top"), to put after a new path
	Scheme   string // External: the scheme, "" for a //host URL
	Reason   string // Missing, Outside, Invalid: why the URL leads to no file, for a reader
}

// Resolver resolves URLs written in the files of a tree, as one kind of browsing does.
type Resolver struct {
	files    tree.Tree
	base     string // the base URL without its final slash: "https://example.org/sub"
	basePath string // its path, with a slash at both ends: "/sub/"
	bundle   bool
}

// ForWeb resolves as a static web host serving the tree at baseURL does (baseURL may be "",
// for no address): URLs under baseURL are the site's own, absolute paths start at the base
// URL's path, and a folder serves its index.html.
func ForWeb(files tree.Tree, baseURL string) *Resolver {
	r := &Resolver{files: files, basePath: "/"}
	if u, err := url.Parse(baseURL); err == nil {
		if p := strings.Trim(u.Path, "/"); p != "" {
			r.basePath = "/" + p + "/"
		}
		r.base = strings.TrimSuffix(baseURL, "/")
	}
	return r
}

// ForBundle resolves as a browser opening the tree from the disk (file://) does: only a
// relative path that names a file of the tree leads somewhere; an absolute path leaves the
// bundle, and a folder opens a directory listing.
func ForBundle(files tree.Tree) *Resolver {
	return &Resolver{files: files, basePath: "/", bundle: true}
}

// Resolve returns where URL u, written in file page of the tree, leads.
func (r *Resolver) Resolve(page, u string) Target {
	if r.base != "" && (u == r.base || strings.HasPrefix(u, r.base+"/") || strings.HasPrefix(u, r.base+"#") || strings.HasPrefix(u, r.base+"?")) {
		u = r.basePath + strings.TrimPrefix(strings.TrimPrefix(u, r.base), "/")
	}
	if strings.HasPrefix(u, "//") {
		return Target{Kind: External}
	}
	pu, err := url.Parse(u)
	if err != nil {
		return Target{Kind: Invalid, Reason: "is not a valid URL"}
	}
	if pu.Scheme != "" || pu.Host != "" {
		return Target{Kind: External, Scheme: pu.Scheme}
	}
	t := Target{Kind: File, Path: page, Fragment: pu.Fragment, InPage: u == "" || u[0] == '#'}
	if i := strings.IndexAny(u, "?#"); i >= 0 {
		t.Suffix = u[i:]
	}
	p := pu.Path
	if p == "" {
		return t
	}
	if r.bundle {
		return r.file(t, page, p)
	}
	return r.web(t, page, p)
}

func (r *Resolver) file(t Target, page, p string) Target {
	if strings.HasPrefix(p, "/") {
		return t.not(Outside, "", "is an absolute path; over file:// it points outside the bundle")
	}
	target := path.Join(path.Dir(page), p)
	switch {
	case target == ".." || strings.HasPrefix(target, "../"):
		return t.not(Outside, target, "points outside the bundle")
	case r.has(target):
		t.Path = target
		return t
	case r.files.IsDir(target):
		return t.not(Missing, target+"/", "links to a folder, which opens a directory listing over file://")
	}
	return t.not(Missing, target, "no such file in the bundle ("+target+")")
}

func (r *Resolver) web(t Target, page, p string) Target {
	var raw string // the path below the base path, ending in "/" when p does
	if strings.HasPrefix(p, "/") {
		p = clean(p)
		if !strings.HasPrefix(p+"/", r.basePath) {
			return t.not(Outside, p, fmt.Sprintf("%s is outside the site's base path %s", p, r.basePath))
		}
		if p+"/" != r.basePath {
			raw = strings.TrimPrefix(p, r.basePath)
		}
	} else {
		raw = path.Join(path.Dir(page), p)
		switch {
		case raw == ".." || strings.HasPrefix(raw, "../"):
			return t.not(Outside, raw, "points outside the site")
		case raw == ".":
			raw = ""
		case strings.HasSuffix(p, "/"):
			raw += "/"
		}
	}
	candidates := []string{raw, path.Join(raw, "index.html")}
	if raw == "" || strings.HasSuffix(raw, "/") {
		candidates = []string{raw + "index.html"}
	}
	for _, c := range candidates {
		if r.has(c) {
			t.Path = c
			return t
		}
	}
	return t.not(Missing, raw, "no page or file at "+r.basePath+raw)
}

// not is t leading to no file.
func (t Target) not(k Kind, p, why string) Target {
	t.Kind, t.Path, t.Reason = k, p, why
	return t
}

func (r *Resolver) has(p string) bool {
	_, ok := r.files[p]
	return ok
}

// clean is path.Clean keeping a final slash.
func clean(p string) string {
	c := path.Clean(p)
	if strings.HasSuffix(p, "/") && !strings.HasSuffix(c, "/") {
		c += "/"
	}
	return c
}
