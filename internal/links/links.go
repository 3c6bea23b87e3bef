// Package links finds, and can rewrite, every URL an HTML or CSS file refers to: the href, src,
// srcset, poster, action and data attributes of HTML elements, a meta refresh target, and url()
// in stylesheets, style elements and style attributes. It uses real tokenizers, so minified
// markup with unquoted attributes is read correctly, and it leaves every byte it does not
// change as it was.
package links

import (
	"bytes"
	"html"
	"strings"

	"github.com/tdewolff/parse/v2"
	"github.com/tdewolff/parse/v2/css"
	phtml "github.com/tdewolff/parse/v2/html"
)

// Ref is one URL reference.
type Ref struct {
	Tag  string // element name, "" for a URL inside CSS
	Attr string // attribute name, "url" for CSS url()
	URL  string
	// Resource is true for URLs the browser loads by itself (scripts, stylesheets, images,
	// url() in CSS), false for URLs a reader follows (links, forms).
	Resource bool
}

// Attr is one attribute of an element.
type Attr struct {
	Key, Val string
	raw      []byte
	changed  bool
	drop     bool
}

// Set changes the attribute's value.
func (a *Attr) Set(v string) { a.Val, a.changed = v, true }

// Drop removes the attribute.
func (a *Attr) Drop() { a.drop = true }

// Element is a start tag with its attributes.
type Element struct {
	Name  string
	Attrs []*Attr
	// After is HTML to write right after the start tag, before what the element held.
	After string
}

// Set gives the element attribute key with value val, adding it when it has none.
func (e *Element) Set(key, val string) {
	if a := e.Get(key); a != nil {
		a.Set(val)
		return
	}
	e.Attrs = append(e.Attrs, &Attr{Key: key, Val: val, changed: true})
}

// Get returns the attribute named key, or nil.
func (e *Element) Get(key string) *Attr {
	for _, a := range e.Attrs {
		if a.Key == key && !a.drop {
			return a
		}
	}
	return nil
}

var urlAttrs = map[string]bool{"href": true, "src": true, "srcset": true, "poster": true, "action": true, "formaction": true, "data": true}

// resourceRels are link relations whose target the browser loads by itself.
var resourceRels = []string{"stylesheet", "icon", "preload", "modulepreload", "prefetch", "manifest", "apple-touch-icon"}

// isResource reports whether attribute key of element e makes the browser load the URL.
func isResource(e *Element, key string) bool {
	switch key {
	case "src", "srcset", "poster":
		return true
	case "data":
		return e.Name == "object"
	case "href":
		if e.Name != "link" {
			return false
		}
		if rel := e.Get("rel"); rel != nil {
			for _, r := range strings.Fields(strings.ToLower(rel.Val)) {
				for _, rr := range resourceRels {
					if r == rr {
						return true
					}
				}
			}
		}
	}
	return false
}

// EachURL calls fn for each URL in attribute a of e (several for srcset). fn returns the URL to
// put in its place; the attribute changes only when some URL does.
func EachURL(e *Element, a *Attr, fn func(Ref) string) {
	if e.Name == "meta" && a.Key == "content" {
		if he := e.Get("http-equiv"); he == nil || !strings.EqualFold(he.Val, "refresh") {
			return
		}
		i := strings.Index(strings.ToLower(a.Val), "url=")
		if i < 0 {
			return
		}
		u := strings.Trim(a.Val[i+4:], `'" `)
		if nu := fn(Ref{Tag: "meta", Attr: "content", URL: u}); nu != u {
			a.Set(a.Val[:i+4] + nu)
		}
		return
	}
	if !urlAttrs[a.Key] || (a.Key == "data" && e.Name != "object") {
		return
	}
	res := isResource(e, a.Key)
	if a.Key != "srcset" {
		u := strings.TrimSpace(a.Val)
		if nu := fn(Ref{Tag: e.Name, Attr: a.Key, URL: u, Resource: res}); nu != u {
			a.Set(nu)
		}
		return
	}
	parts := strings.Split(a.Val, ",")
	changed := false
	for i, p := range parts {
		f := strings.Fields(p)
		if len(f) == 0 {
			continue
		}
		if nu := fn(Ref{Tag: e.Name, Attr: a.Key, URL: f[0], Resource: true}); nu != f[0] {
			f[0], changed = nu, true
		}
		parts[i] = strings.Join(f, " ")
	}
	if changed {
		a.Set(strings.Join(parts, ", "))
	}
}

// HTML walks every start tag of an HTML document, calling el for each element and css for the
// text of style elements and style attributes. It returns the document with the changes el
// made to attributes and css made to stylesheets; unchanged bytes stay as they were. el must
// not keep the element after it returns: the next one reuses it.
func HTML(doc []byte, el func(*Element), cssFn func(Ref) string) []byte {
	var out bytes.Buffer
	out.Grow(len(doc) + 64)
	walk(doc, el, cssFn, &out)
	return out.Bytes()
}

// walk is HTML writing the document to out, or only reading it when out is nil.
func walk(doc []byte, el func(*Element), cssFn func(Ref) string, out *bytes.Buffer) {
	write := func(b []byte) {
		if out != nil {
			out.Write(b)
		}
	}
	// The lexer works on its own copy of doc, which stays put until the end: the tokens it
	// returns are slices of that copy and need no copying of their own.
	l := phtml.NewLexer(parse.NewInputBytes(readOnly(doc)))
	var (
		cur   Element
		open  bool     // cur is a start tag being read
		head  []byte   // the raw "<tag" of cur
		attrs []Attr   // cur's attributes, reused from tag to tag
		raws  [][]byte // and their raw bytes
	)
	inStyle := false
	flush := func(closing []byte) {
		if !open {
			return
		}
		open = false
		cur.Attrs, cur.After = cur.Attrs[:0], ""
		for i := range attrs {
			attrs[i].raw = raws[i]
			cur.Attrs = append(cur.Attrs, &attrs[i])
		}
		el(&cur)
		if s := cur.Get("style"); s != nil && cssFn != nil {
			if ns := CSS([]byte(s.Val), cssFn); string(ns) != s.Val {
				s.Set(string(ns))
			}
		}
		inStyle = cur.Name == "style"
		if out == nil {
			return
		}
		out.Write(head)
		for _, a := range cur.Attrs {
			switch {
			case a.drop:
			case a.changed:
				out.WriteByte(' ')
				out.WriteString(a.Key)
				out.WriteByte('=')
				out.Write(attrValue(a.Val))
			default:
				out.Write(a.raw)
			}
		}
		out.Write(closing)
		out.WriteString(cur.After)
	}
	for {
		tt, data := l.Next()
		switch tt {
		case phtml.ErrorToken:
			flush(nil)
			return
		case phtml.StartTagToken:
			flush(nil)
			cur, open, head = Element{Name: name(l.Text()), Attrs: cur.Attrs}, true, data
			attrs, raws = attrs[:0], raws[:0]
			continue
		case phtml.AttributeToken:
			if open {
				val := l.AttrVal()
				if len(val) >= 2 && (val[0] == '"' || val[0] == '\'') && val[len(val)-1] == val[0] {
					val = val[1 : len(val)-1]
				}
				attrs = append(attrs, Attr{Key: name(l.AttrKey()), Val: html.UnescapeString(string(val))})
				raws = append(raws, data)
				continue
			}
		case phtml.StartTagCloseToken, phtml.StartTagVoidToken:
			flush(data)
			continue
		case phtml.TextToken:
			if inStyle && cssFn != nil {
				write(CSS(data, cssFn))
				continue
			}
		case phtml.EndTagToken:
			inStyle = false
		}
		write(data)
	}
}

// name is an element or attribute name in lower case, without allocating for common ones.
func name(b []byte) string {
	if n, ok := names[string(b)]; ok { // (the lookup does not allocate)
		return n
	}
	return strings.ToLower(string(b))
}

var names = map[string]string{}

func init() {
	for _, n := range strings.Fields(`a p li ul ol div span link meta script img svg path h1 h2 h3 section nav main
		header footer aside article form input label button time cite
		href src rel class id lang hreflang content name type defer aria-label aria-hidden
		aria-labelledby aria-current aria-live role dir hidden style title charset data-offline-href`) {
		names[n] = n
	}
}

// attrValue is v written as an attribute value the way a minifier writes it: without quotes
// when it can be, else in whichever quotes need fewer escapes.
func attrValue(v string) []byte {
	if v == "" {
		return []byte(`""`)
	}
	var buf []byte
	return phtml.EscapeAttrVal(&buf, []byte(strings.ReplaceAll(v, "&", "&amp;")), 0, false)
}

// CSS returns the stylesheet with every url() replaced by what fn returns for it.
func CSS(sheet []byte, fn func(Ref) string) []byte {
	var out bytes.Buffer
	l := css.NewLexer(parse.NewInputBytes(readOnly(sheet)))
	for {
		tt, data := l.Next()
		switch tt {
		case css.ErrorToken:
			return out.Bytes()
		case css.URLToken:
			u := string(data[4 : len(data)-1]) // url( … )
			u = strings.Trim(strings.TrimSpace(u), `'"`)
			if nu := fn(Ref{Attr: "url", URL: u, Resource: true}); nu != u {
				if strings.ContainsAny(nu, "\"'() \t\n\\") {
					nu = `"` + strings.ReplaceAll(nu, `"`, `\"`) + `"`
				}
				out.WriteString("url(" + nu + ")")
				continue
			}
		}
		out.Write(data)
	}
}

// Walk calls fn for every URL in an HTML document, without changing it.
func Walk(doc []byte, fn func(e *Element, r Ref)) {
	walk(doc, func(e *Element) {
		for _, a := range e.Attrs {
			EachURL(e, a, func(r Ref) string { fn(e, r); return r.URL })
		}
	}, func(r Ref) string { fn(nil, r); return r.URL }, nil)
}

// readOnly limits b's capacity to its length. The lexers write a sentinel byte just past the
// end of their input when there is room, which would race with other readers of the same
// file and could overwrite bytes that share the array; without room they copy.
func readOnly(b []byte) []byte { return b[:len(b):len(b)] }
