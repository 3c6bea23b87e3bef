package check

import (
	"errors"
	"fmt"
	"path"
	"regexp"
	"strings"

	"github.com/veiviser/veiviser/internal/links"
	"github.com/veiviser/veiviser/internal/offline"
	"github.com/veiviser/veiviser/internal/render"
	"github.com/veiviser/veiviser/internal/tree"
)

// Built is the site as published: the web tree (minified, as in public/) and the offline tree
// made from it (as in the zip), with the base URL the pages were built for.
type Built struct {
	Web, Offline tree.Tree
	BaseURL      string
}

// Links checks that every internal link and anchor resolves, in the web site and in the offline
// bundle. In the web site a link to a folder opens its index.html, as static hosts do; in the
// bundle every link must name a file, and the rules of file:// apply (see offline.Check).
// A broken link is reported at the content file and line its Markdown comes from; a link that
// is not in any page's Markdown comes from a layout, and is reported once with the number of
// pages it breaks.
func Links(pages []render.Page, b Built) []Finding {
	lc := &linkCheck{ids: map[string]map[string]bool{}, pages: outputs(pages, b.BaseURL)}

	// The web site first; the bundle's problems that the web's already explain are not repeated.
	web := lc.walk(b.Web, "web", links.ForWeb(b.Web, b.BaseURL))
	if b.Offline == nil {
		return lc.findings(web)
	}
	seen := map[string]bool{}
	for _, p := range web {
		seen[p.key()] = true
	}
	probs, err := lc.bundle(b.Offline)
	if err != nil {
		return []Finding{{File: "public", Severity: Error, Rule: "offline", Message: err.Error()}}
	}
	var off []linkProblem
	for _, p := range probs {
		if !seen[p.key()] {
			off = append(off, p)
			continue
		}
		for i := range web {
			if web[i].key() == p.key() {
				web[i].both = true
			}
		}
	}
	return lc.findings(append(web, off...))
}

// BundleLinks is Links for the offline bundle alone (b.Web is not read): a build, which has
// judged the web site's links already, judges the bundle's when it has made it.
func BundleLinks(pages []render.Page, b Built) []Finding {
	lc := &linkCheck{ids: map[string]map[string]bool{}, pages: outputs(pages, b.BaseURL)}
	probs, err := lc.bundle(b.Offline)
	if err != nil {
		return []Finding{{File: "public", Severity: Error, Rule: "offline", Message: err.Error()}}
	}
	return lc.findings(probs)
}

// bundle finds the broken links and anchors of the offline bundle t; the error is one that
// offline.Check could not say link by link.
func (lc *linkCheck) bundle(t tree.Tree) ([]linkProblem, error) {
	off := lc.walk(t, "offline", links.ForBundle(t))
	if err := offline.Check(t); err != nil {
		var oerr *offline.Error
		if !errors.As(err, &oerr) {
			return nil, err
		}
		for _, op := range oerr.Problems {
			p := linkProblem{page: op.File, url: op.Link, variant: "offline", rule: "offline", reason: op.Reason}
			if op.Target != "" {
				p.rule, p.target = "link", normal(op.Target)
			}
			off = append(off, p)
		}
	}
	return off, nil
}

type linkCheck struct {
	ids   map[string]map[string]bool // the ids of each HTML file read so far
	pages map[string]*render.Page    // output path → content page
}

// linkProblem is one broken link in one output file.
type linkProblem struct {
	page    string // the output file, e.g. "en/about/index.html"
	url     string // the link as it is in the file
	target  string // the file or folder it points to, normalised
	frag    string
	variant string // "web" or "offline"
	rule    string // "link", "anchor" or "offline"
	reason  string
	both    bool // the offline bundle has the same problem
}

// key says which problems of the two trees are the same: a missing page is missing whatever
// the fragment, a missing anchor is missing in the same page.
func (p linkProblem) key() string {
	if p.rule == "link" {
		return p.page + "\x00link\x00" + p.target
	}
	return p.page + "\x00" + p.rule + "\x00" + p.target + "\x00" + p.frag + "\x00" + p.reason
}

// walk finds the broken links and anchors of tree t. In the web site every link within the
// site must lead to a file; in the bundle, offline.Check judges the links, and walk only
// the anchors of those that lead to a file.
func (lc *linkCheck) walk(t tree.Tree, variant string, r *links.Resolver) []linkProblem {
	var out []linkProblem
	for _, page := range t.Paths() {
		check := func(u string) {
			res := r.Resolve(page, u)
			frag := res.Fragment
			switch {
			case res.Kind == links.External || res.Kind == links.Invalid: // the offline rules judge those
			case res.Kind != links.File:
				if variant == "web" {
					out = append(out, linkProblem{page: page, url: u, target: normal(res.Path), frag: frag, variant: variant, rule: "link", reason: res.Reason})
				}
			case frag == zgotmpl:
				// Hugo's templates refused an unsafe URL (javascript:, data: …): the content rule
				// names the line of the page's own; any other is said as it is.
				if cp := lc.pages[page]; cp != nil && len(unsafeLinks(*cp)) > 0 {
					return
				}
				out = append(out, linkProblem{page: page, url: u, target: normal(res.Path), frag: frag, variant: variant, rule: "unsafe-link",
					reason: "Hugo's templates put #ZgotmplZ where an unsafe link was (javascript:, vbscript:, file:, data:)"})
			case frag != "" && frag != "top" && !strings.HasPrefix(frag, ":~:") && path.Ext(res.Path) == ".html" && !lc.hasID(t, variant, res.Path, frag):
				out = append(out, linkProblem{page: page, url: u, target: normal(res.Path), frag: frag, variant: variant, rule: "anchor",
					reason: anchorReason(page, res.Path, frag)})
			}
		}
		switch path.Ext(page) {
		case ".html":
			links.Walk(t[page], func(_ *links.Element, r links.Ref) { check(r.URL) })
		case ".css":
			links.CSS(t[page], func(r links.Ref) string { check(r.URL); return r.URL })
		}
	}
	return out
}

// zgotmpl is the fragment Go's html/template writes in place of a URL it refuses.
const zgotmpl = "ZgotmplZ"

func anchorReason(page, target, frag string) string {
	if target == page {
		return fmt.Sprintf("no element with id %q on the page", frag)
	}
	return fmt.Sprintf("no element with id %q in %s", frag, target)
}

// hasID reports whether the HTML file target of t has an element with id frag.
func (lc *linkCheck) hasID(t tree.Tree, variant, target, frag string) bool {
	key := variant + "\x00" + target
	ids, ok := lc.ids[key]
	if !ok {
		ids = map[string]bool{}
		links.HTML(t[target], func(e *links.Element) {
			if id := e.Get("id"); id != nil {
				ids[id.Val] = true
			}
			if name := e.Get("name"); name != nil && e.Name == "a" {
				ids[name.Val] = true
			}
		}, nil)
		lc.ids[key] = ids
	}
	return ids[frag]
}

// findings turns problems into findings at the content file and line where the link is
// written, or, for links a layout makes, one finding per link and reason.
func (lc *linkCheck) findings(probs []linkProblem) []Finding {
	var out []Finding
	type group struct {
		first linkProblem
		files []string
	}
	var order []string
	groups := map[string]*group{}
	for _, p := range probs {
		msg := p.message()
		if cp := lc.pages[p.page]; cp != nil {
			if line := p.line(cp.Body); line > 0 {
				out = append(out, Finding{File: cp.File, Line: cp.BodyLine + line - 1, Severity: Error, Rule: p.rule, Message: msg})
				continue
			}
		}
		key := p.variant + "\x00" + p.rule + "\x00" + msg
		g := groups[key]
		if g == nil {
			g = &group{first: p}
			groups[key] = g
			order = append(order, key)
		}
		g.files = append(g.files, lc.name(p.page))
	}
	for _, key := range order {
		g := groups[key]
		msg, file := g.first.message(), g.files[0]
		if len(g.files) == 1 {
			msg += " (not in the page's Markdown, so a layout makes it)"
		} else {
			msg += fmt.Sprintf(" (on %d pages, first %s; not in their Markdown, so a layout makes it)", len(g.files), g.files[0])
			file = "layouts/"
		}
		out = append(out, Finding{File: file, Severity: Error, Rule: g.first.rule, Message: msg})
	}
	return out
}

// name is the file to report for output file page: its content file, or the published file.
func (lc *linkCheck) name(page string) string {
	if cp := lc.pages[page]; cp != nil {
		return cp.File
	}
	return "public/" + page
}

func (p linkProblem) message() string {
	where := "in the web site"
	switch {
	case p.both:
		where = "in the web site and the offline bundle"
	case p.variant == "offline":
		where = "in the offline bundle"
	}
	if p.url == "" {
		return fmt.Sprintf("%s: %s", where, p.reason)
	}
	what := "link"
	if p.rule == "unsafe-link" {
		return fmt.Sprintf("link %q %s: %s", p.url, where, p.reason)
	}
	if p.rule == "anchor" {
		what = "anchor"
	}
	return fmt.Sprintf("%s %q does not resolve %s: %s", what, p.url, where, p.reason)
}

// destination matches where Markdown names a link's target: [text](target) and {{< ref "target" >}}.
var destination = regexp.MustCompile(`\]\(\s*<?([^)\s>]+)|\{\{[<%]\s*(?:rel)?ref\s+"([^"]+)"`)

// line is the line of body (from 1) on which the broken link is written, or 0: where the link
// is as in the web page, where its fragment is, or a Markdown link whose target ends in the
// name of the missing file.
func (p linkProblem) line(body string) int {
	if p.url == "" {
		return 0
	}
	// The bundle rewrites links within the site, not addresses of other sites: those are as
	// the page wrote them in both trees.
	if (p.variant == "web" || strings.Contains(p.url, "://")) && len(p.url) > 1 {
		if l := lineOf(body, "("+p.url+")", "("+p.url+" ", `"`+p.url+`"`, p.url); l > 0 {
			return l
		}
	}
	if p.frag != "" {
		if l := lineOf(body, "#"+p.frag+")", "#"+p.frag+`"`, "#"+p.frag); l > 0 {
			return l
		}
	}
	base := path.Base(p.target)
	if p.rule == "anchor" || base == "." || base == "/" {
		return 0
	}
	for _, m := range destination.FindAllStringSubmatchIndex(body, -1) {
		d := ""
		if m[2] >= 0 {
			d = body[m[2]:m[3]]
		} else {
			d = body[m[4]:m[5]]
		}
		d = strings.TrimSuffix(strings.TrimSuffix(cut(d), "/"), ".md")
		if d == base || strings.HasSuffix(d, "/"+base) {
			return 1 + strings.Count(body[:m[0]], "\n")
		}
	}
	return 0
}

// cut is u without its query and fragment.
func cut(u string) string {
	if i := strings.IndexAny(u, "?#"); i >= 0 {
		return u[:i]
	}
	return u
}

// normal names the file or folder a link points to the same way in both trees.
func normal(p string) string {
	p = strings.TrimPrefix(p, "/")
	p = strings.TrimSuffix(p, "index.html")
	p = strings.TrimSuffix(p, "/")
	if p == "" {
		return "."
	}
	return p
}
