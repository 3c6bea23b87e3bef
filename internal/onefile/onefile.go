// Package onefile makes the one-file editions: the pages of one language of the offline tree in
// a single self-contained HTML file, which can be sent by any messaging app or Bluetooth and
// opens on its own from a phone's Downloads folder, where a browser cannot load a page's other
// files. The file needs nothing beside it and no JavaScript: the stylesheet is inlined (and
// allowed by its hash in the file's Content-Security-Policy), images are inline SVG or data:
// addresses, and every link between the pages becomes a #fragment of the file.
//
// The pages come in the order a reader meets them: from the language's home page, depth first
// through the links of each page's main content, then the home page's footer. At the top of
// the file are the quick exit, the emergency numbers (the home page's help-now box), what the
// quick exit does in a file without JavaScript (the safety page's note for the file) and a
// table of contents.
// Links to what the file does not hold (another language, a PDF, the zip) lead to the web site.
package onefile

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"path"
	"regexp"
	"slices"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/veiviser/veiviser/internal/links"
	"github.com/veiviser/veiviser/internal/minifier"
	"github.com/veiviser/veiviser/internal/tree"
)

// noteClass marks what a page holds hidden for the one-file edition alone: the note on the
// safety page that the file's quick exit works without JavaScript (layouts/_partials/onefile).
// The edition shows it, in that page and at the file's top.
const noteClass = "onefile-note"

// Options say which pages an edition holds and where what it does not hold is.
type Options struct {
	// Home is the path of the language's home page in the offline tree: "index.html" for the
	// default language, "en/index.html" for another.
	Home string
	// Others are the folders of the other languages ("en/", "pl/" …): pages under them belong
	// to those languages, whatever links lead there.
	Others []string
	// BaseURL is the web site's address, ending in "/": links to what the file does not hold
	// lead there.
	BaseURL string
	// ExitURL is where the quick exit leads: the file has no neutral page beside it.
	ExitURL string
	// Skip says whether a page of the language stays out of the edition (the neutral exit
	// page, search, the print products); nil keeps every page reached.
	Skip func(page string) bool
	// ContentsTitle heads the table of contents at the top ("På denne siden").
	ContentsTitle string
}

// Edition is one one-file edition.
type Edition struct {
	HTML  []byte
	Pages []string // the pages it holds, in order, as paths of the offline tree
}

// Make makes the one-file edition of the language whose home page is opts.Home in offline
// tree t.
func Make(t tree.Tree, opts Options) (*Edition, error) {
	r := links.ForBundle(t)
	home, err := parse(t, opts.Home)
	if err != nil {
		return nil, err
	}
	ours := func(p string) bool {
		if path.Ext(p) != ".html" || t[p] == nil || (opts.Skip != nil && opts.Skip(p)) {
			return false
		}
		for _, o := range opts.Others {
			if strings.HasPrefix(p, o) {
				return false
			}
		}
		return true
	}

	// The pages in the order a reader meets them: depth first from the home page through the
	// links of each page's main content (a section, then its pages), then the home page's
	// footer (safety, about, languages).
	docs := map[string]*html.Node{opts.Home: home}
	order := []string{opts.Home}
	var visit func(p string, parts ...*html.Node)
	visit = func(p string, parts ...*html.Node) {
		for _, part := range parts {
			each(part, func(n *html.Node) {
				if n.DataAtom != atom.A || isIn(n, atom.Form) {
					return
				}
				href, ok := attr(n, "href")
				if !ok {
					return
				}
				to := r.Resolve(p, href)
				if to.Kind != links.File || to.InPage || !ours(to.Path) || docs[to.Path] != nil {
					return
				}
				d, err := parse(t, to.Path)
				if err != nil {
					return
				}
				docs[to.Path] = d
				order = append(order, to.Path)
				visit(to.Path, find(d, isTag(atom.Main)))
			})
		}
	}
	visit(opts.Home, find(home, isTag(atom.Main)), find(home, isTag(atom.Footer)))

	ids := map[string]string{} // page → the id of its section
	for _, p := range order {
		ids[p] = "p-" + slug(p)
	}
	css, err := stylesheet(t, opts.Home, home)
	if err != nil {
		return nil, err
	}

	lang, dir := attrOr(find(home, isTag(atom.Html)), "lang", ""), attrOr(find(home, isTag(atom.Html)), "dir", "ltr")
	title := text(find(home, isTag(atom.Title)))
	var b bytes.Buffer
	fmt.Fprintf(&b, `<!doctype html><html lang="%s" dir="%s"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">`, esc(lang), esc(dir))
	fmt.Fprintf(&b, `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src '%s'; img-src data:; base-uri 'none'; form-action 'none'">`, styleHashSlot)
	fmt.Fprintf(&b, `<meta name="referrer" content="no-referrer"><title>%s</title><style>%s</style></head><body class="onefile">`, esc(title), css)

	// The quick exit, as on every page of the site but leading to the web exit.
	if bar := find(home, hasID("exit")); bar != nil {
		bar = clone(bar)
		each(bar, func(n *html.Node) {
			switch {
			case hasClass(n, "exit-button"):
				setAttr(n, "href", opts.ExitURL)
			case hasClass(n, "site-name"):
				setAttr(n, "href", "#top")
			}
		})
		removeAll(bar, func(n *html.Node) bool {
			return hasClass(n, "exit-hint") || n.DataAtom == atom.P && hasID("exit-status")(n)
		})
		render(&b, bar)
	}
	b.WriteString(`<div class="container" id="top"><main id="main">`)
	if help := find(find(home, isTag(atom.Main)), withClass("help-now")); help != nil {
		help = clone(help)
		prefixIDs(help, "top--")
		render(&b, help)
	}
	// What the quick exit does in a file without JavaScript, which the pages (the safety page
	// above all) say otherwise of the web site: the note the safety page holds hidden for the
	// file, shown here at the top and in that page.
	for _, p := range order {
		if note := find(find(docs[p], isTag(atom.Main)), withClass(noteClass)); note != nil {
			note = clone(note)
			removeAttr(note, "hidden")
			prefixIDs(note, "top--")
			render(&b, note)
			break
		}
	}
	// The table of contents: every page, by its h1.
	fmt.Fprintf(&b, `<nav class="contents onefile-contents" aria-labelledby="onefile-contents"><h2 class="contents-title" id="onefile-contents">%s</h2><ul>`, esc(opts.ContentsTitle))
	for _, p := range order {
		fmt.Fprintf(&b, `<li><a href="#%s">%s</a></li>`, ids[p], esc(text(find(find(docs[p], isTag(atom.Main)), isTag(atom.H1)))))
	}
	b.WriteString(`</ul></nav>`)

	for _, p := range order {
		main := find(docs[p], isTag(atom.Main))
		if main == nil {
			return nil, fmt.Errorf("%s: no main element", p)
		}
		main = clone(main)
		// What the file does without: scripts, search boxes (they need JavaScript and the
		// index), each page's own help-now box (the one at the top serves), print buttons.
		removeAll(main, func(n *html.Node) bool {
			return n.DataAtom == atom.Script || n.DataAtom == atom.Form || hasClass(n, "help-now") || n.DataAtom == atom.Button
		})
		each(main, func(n *html.Node) {
			if hasClass(n, noteClass) {
				removeAttr(n, "hidden")
			}
		})
		prefix := ids[p] + "--"
		prefixIDs(main, prefix)
		var bad error
		each(main, func(n *html.Node) {
			for i, a := range n.Attr {
				if a.Key != "href" && a.Key != "src" {
					continue
				}
				u, err := relink(r, p, a.Val, prefix, ids, opts.BaseURL)
				if err != nil && bad == nil {
					bad = fmt.Errorf("%s: %w", p, err)
				}
				n.Attr[i].Val = u
			}
			if n.DataAtom == atom.Img {
				if src, ok := attr(n, "src"); ok && !strings.HasPrefix(src, "data:") && bad == nil {
					bad = fmt.Errorf("%s: image %s is not inline", p, src)
				}
			}
		})
		if bad != nil {
			return nil, bad
		}
		fmt.Fprintf(&b, `<section class="onefile-page" id="%s" lang="%s">`, ids[p], esc(attrOr(find(docs[p], isTag(atom.Html)), "lang", lang)))
		for c := main.FirstChild; c != nil; c = c.NextSibling {
			render(&b, c)
		}
		fmt.Fprintf(&b, `<p class="onefile-top"><a href="#top">↑ %s</a></p></section>`, esc(title))
	}
	b.WriteString(`</main></div></body></html>`)
	out, err := seal(b.Bytes())
	if err != nil {
		return nil, err
	}
	return &Edition{HTML: out, Pages: order}, nil
}

// styleHashSlot stands in the policy for the stylesheet's hash until the file is minified.
const styleHashSlot = "sha256-STYLE"

var styleElement = regexp.MustCompile(`(?s)<style>(.*?)</style>`)

// seal minifies the file, as every file the site publishes is, and then puts the hash of its
// stylesheet, as the minifier left it, into its Content-Security-Policy.
func seal(doc []byte) ([]byte, error) {
	t := tree.Tree{"edition.html": doc}
	if _, err := minifier.Tree(t, nil); err != nil {
		return nil, err
	}
	doc = t["edition.html"]
	m := styleElement.FindSubmatch(doc)
	if m == nil || !bytes.Contains(doc, []byte(styleHashSlot)) {
		return nil, fmt.Errorf("the one-file edition lost its stylesheet or its policy when minified")
	}
	sum := sha256.Sum256(m[1])
	return bytes.Replace(doc, []byte(styleHashSlot), []byte("sha256-"+base64.StdEncoding.EncodeToString(sum[:])), 1), nil
}

// relink rewrites URL u of page p for the file: a page of the file becomes its section's
// fragment, a fragment of the page gets the page's prefix, anything else of the tree leads to
// the web site, and an external URL (https:, tel:, mailto:, data:) stays.
func relink(r *links.Resolver, p, u, prefix string, ids map[string]string, baseURL string) (string, error) {
	to := r.Resolve(p, u)
	switch to.Kind {
	case links.External:
		return u, nil
	case links.File:
		if to.InPage || to.Path == p {
			if to.Fragment == "" {
				return "#" + ids[p], nil
			}
			return "#" + prefix + to.Fragment, nil
		}
		if id, ok := ids[to.Path]; ok {
			if to.Fragment == "" {
				return "#" + id, nil
			}
			return "#" + id + "--" + to.Fragment, nil
		}
		web := strings.TrimSuffix(to.Path, "index.html")
		return baseURL + web + fragmentOf(to), nil
	}
	return "", fmt.Errorf("link %q leads nowhere: %s", u, to.Reason)
}

func fragmentOf(t links.Target) string {
	if t.Fragment == "" {
		return ""
	}
	return "#" + t.Fragment
}

// prefixIDs gives every id in n, and every attribute that names one, the prefix.
func prefixIDs(n *html.Node, prefix string) {
	each(n, func(n *html.Node) {
		for i, a := range n.Attr {
			switch a.Key {
			case "id", "for":
				n.Attr[i].Val = prefix + a.Val
			case "aria-labelledby", "aria-describedby", "aria-controls":
				f := strings.Fields(a.Val)
				for j := range f {
					f[j] = prefix + f[j]
				}
				n.Attr[i].Val = strings.Join(f, " ")
			}
		}
	})
}

// stylesheet is the CSS page p uses: its <style> elements and the files its stylesheet links
// name, in order, with url()s that are not data: addresses refused.
func stylesheet(t tree.Tree, p string, doc *html.Node) (string, error) {
	r := links.ForBundle(t)
	var css strings.Builder
	var bad error
	each(find(doc, isTag(atom.Head)), func(n *html.Node) {
		switch {
		case n.DataAtom == atom.Style:
			css.WriteString(text(n))
		case n.DataAtom == atom.Link && slices.Contains(strings.Fields(attrOr(n, "rel", "")), "stylesheet"):
			to := r.Resolve(p, attrOr(n, "href", ""))
			if to.Kind != links.File {
				bad = fmt.Errorf("%s: stylesheet %q: %s", p, attrOr(n, "href", ""), to.Reason)
				return
			}
			css.Write(t[to.Path])
		}
	})
	if bad != nil {
		return "", bad
	}
	s := css.String()
	links.CSS([]byte(s), func(ref links.Ref) string {
		if !strings.HasPrefix(ref.URL, "data:") && bad == nil {
			bad = fmt.Errorf("%s: the stylesheet loads %s, which the one-file edition does not hold", p, ref.URL)
		}
		return ref.URL
	})
	return s + onefileCSS, bad
}

// onefileCSS is what the file adds to the site's stylesheet: a line between the pages.
const onefileCSS = `.onefile-page{border-block-start:4px solid var(--colour-border,#b1b4b6);margin-block-start:3rem;padding-block-start:1rem}.onefile-top{font-size:1rem}`

// slug is the id of page p's section: its path without index.html, slashes as dashes.
func slug(p string) string {
	s := strings.TrimSuffix(strings.TrimSuffix(p, "index.html"), "/")
	if s == "" {
		return "home"
	}
	return strings.NewReplacer("/", "-", ".", "-").Replace(s)
}

func parse(t tree.Tree, p string) (*html.Node, error) {
	b, ok := t[p]
	if !ok {
		return nil, fmt.Errorf("%s: no such page in the offline tree", p)
	}
	doc, err := html.Parse(bytes.NewReader(b))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", p, err)
	}
	return doc, nil
}

// Small DOM helpers.

func each(n *html.Node, fn func(*html.Node)) {
	if n == nil {
		return
	}
	fn(n)
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		each(c, fn)
	}
}

func find(n *html.Node, ok func(*html.Node) bool) *html.Node {
	if n == nil {
		return nil
	}
	if ok(n) {
		return n
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if f := find(c, ok); f != nil {
			return f
		}
	}
	return nil
}

func removeAll(n *html.Node, drop func(*html.Node) bool) {
	for c := n.FirstChild; c != nil; {
		next := c.NextSibling
		if drop(c) {
			n.RemoveChild(c)
		} else {
			removeAll(c, drop)
		}
		c = next
	}
}

func isTag(a atom.Atom) func(*html.Node) bool {
	return func(n *html.Node) bool { return n.Type == html.ElementNode && n.DataAtom == a }
}

func hasID(id string) func(*html.Node) bool {
	return func(n *html.Node) bool { v, ok := attr(n, "id"); return ok && v == id }
}

func withClass(c string) func(*html.Node) bool {
	return func(n *html.Node) bool { return hasClass(n, c) }
}

func hasClass(n *html.Node, c string) bool {
	v, _ := attr(n, "class")
	return n.Type == html.ElementNode && slices.Contains(strings.Fields(v), c)
}

func isIn(n *html.Node, a atom.Atom) bool {
	for p := n.Parent; p != nil; p = p.Parent {
		if p.DataAtom == a {
			return true
		}
	}
	return false
}

func attr(n *html.Node, key string) (string, bool) {
	if n == nil {
		return "", false
	}
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val, true
		}
	}
	return "", false
}

func attrOr(n *html.Node, key, def string) string {
	if v, ok := attr(n, key); ok {
		return v
	}
	return def
}

func removeAttr(n *html.Node, key string) {
	n.Attr = slices.DeleteFunc(n.Attr, func(a html.Attribute) bool { return a.Key == key })
}

func setAttr(n *html.Node, key, val string) {
	for i, a := range n.Attr {
		if a.Key == key {
			n.Attr[i].Val = val
			return
		}
	}
	n.Attr = append(n.Attr, html.Attribute{Key: key, Val: val})
}

func text(n *html.Node) string {
	var b strings.Builder
	each(n, func(n *html.Node) {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
		}
	})
	return strings.TrimSpace(b.String())
}

// clone is a deep copy of n, detached.
func clone(n *html.Node) *html.Node {
	c := &html.Node{Type: n.Type, DataAtom: n.DataAtom, Data: n.Data, Namespace: n.Namespace, Attr: slices.Clone(n.Attr)}
	for k := n.FirstChild; k != nil; k = k.NextSibling {
		c.AppendChild(clone(k))
	}
	return c
}

func render(b *bytes.Buffer, n *html.Node) {
	html.Render(b, n) // writing to a bytes.Buffer does not fail
}

func esc(s string) string { return html.EscapeString(s) }
