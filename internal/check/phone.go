package check

import (
	"fmt"
	"html"
	"regexp"
	"slices"
	"strings"

	"github.com/tdewolff/parse/v2"
	phtml "github.com/tdewolff/parse/v2/html"
	"github.com/veiviser/veiviser/internal/render"
	"github.com/veiviser/veiviser/internal/tree"
)

// phoneFormat is one way a Norwegian phone number is written in data/contacts.yaml.
type phoneFormat struct {
	Name    string // what kind of number
	Pattern string // a regular expression for the whole number, as written
	Example string
}

// phoneFormats are the ways a contact's phone may be written: the one place they are defined.
// The contact rules accept nothing else, the typed-number rule looks for the eight-digit ones
// in page text, and layouts/_partials/contact/phone-link.html derives the tel: link (+47 before eight
// digits).
var phoneFormats = []phoneFormat{
	{"emergency number", `1\d\d`, "112"},
	{"five-digit number", `0\d{4}`, "02800"},
	{"116 number", `116 \d{3}`, "116 111"},
	{"eight digits in pairs", `[2-9]\d \d{2} \d{2} \d{2}`, "22 33 11 60"},
	{"eight digits, 3-2-3", `[2-9]\d{2} \d{2} \d{3}`, "800 40 008"},
}

// phoneNumber matches a whole number written in one of phoneFormats.
var phoneNumber = func() *regexp.Regexp {
	var alts []string
	for _, f := range phoneFormats {
		alts = append(alts, f.Pattern)
	}
	return regexp.MustCompile(`^(` + strings.Join(alts, "|") + `)$`)
}()

// validPhone reports whether s is a Norwegian number written in one of phoneFormats.
func validPhone(s string) bool { return phoneNumber.MatchString(s) }

// phoneExamples lists an example of each format, for messages.
func phoneExamples() string {
	var ex []string
	for _, f := range phoneFormats {
		ex = append(ex, f.Example)
	}
	return strings.Join(ex, ", ")
}

// eightDigitFormats are the patterns of phoneFormats for eight digits, as one alternation.
func eightDigitFormats() string {
	var alts []string
	for _, f := range phoneFormats {
		if strings.HasPrefix(f.Name, "eight") {
			alts = append(alts, f.Pattern)
		}
	}
	return strings.Join(alts, "|")
}

// digits is s with everything but its ASCII digits left out.
func digits(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// telLink is one <a href="tel:…"> of a published page.
type telLink struct {
	page, href, text string
	names            []string // the text of the elements around it (its list item)
}

// TelLinks checks every tel: link of the web site against the number it shows: a link with no
// number (a template showing a contact that has no phone as phone-link), or one that calls
// other digits than it shows, is an error. A link from a page's Markdown is reported at the
// page; a contact named beside the link (its name from i18n, as emergency.html and sheet.html
// show it), or whose number the link shows, at the contact in data/contacts.yaml; any other,
// made by a layout, once for all the pages it is on.
func TelLinks(pages []render.Page, web tree.Tree, baseURL string, cf *ContactFile, i18n map[string]*I18n) []Finding {
	byOutput := outputs(pages, baseURL)
	names := map[string][]string{} // a contact's name in any language → ids
	for _, f := range i18n {
		for _, c := range cf.Contacts {
			if n := strings.TrimSpace(f.Values["contact."+c.ID+".name"]); n != "" && !slices.Contains(names[n], c.ID) {
				names[n] = append(names[n], c.ID)
			}
		}
	}
	type group struct {
		file  string
		line  int
		msg   string
		pages []string
	}
	var order []string
	groups := map[string]*group{}
	add := func(file string, line int, msg, page string) {
		key := file + "\x00" + msg
		g := groups[key]
		if g == nil {
			g = &group{file: file, line: line, msg: msg}
			groups[key] = g
			order = append(order, key)
		}
		g.pages = append(g.pages, page)
	}
	for _, page := range web.Paths() {
		if !strings.HasSuffix(page, ".html") || !strings.Contains(string(web[page]), "tel:") {
			continue
		}
		for _, l := range telLinks(page, web[page]) {
			number := strings.TrimSpace(l.href[len("tel:"):])
			got, shown := digits(number), digits(l.text)
			problem := ""
			switch {
			case got == "":
				problem = fmt.Sprintf("a tel: link with no number (showing %q)", l.text)
			case got != shown && strings.TrimPrefix(got, "47") != shown:
				problem = fmt.Sprintf("the tel: link %q calls other digits than the %q it shows", l.href, l.text)
			default:
				continue
			}
			if cp := byOutput[page]; cp != nil && strings.Contains(cp.Body, l.href) {
				line := lineOf(cp.Body, l.href)
				add(cp.File, cp.BodyLine+line-1, problem, page)
				continue
			}
			// The contact: the one named beside the link, or the one whose number it shows.
			var ids []string
			for _, n := range l.names {
				for _, id := range names[n] {
					if !slices.Contains(ids, id) {
						ids = append(ids, id)
					}
				}
			}
			if len(ids) != 1 && shown != "" {
				ids = nil
				for _, c := range cf.Contacts {
					if c.Phone != "" && digits(c.Phone) == shown {
						ids = append(ids, c.ID)
					}
				}
			}
			if len(ids) == 1 {
				c := cf.Get(ids[0])
				msg := fmt.Sprintf("contact %q: a layout shows it as a phone link, but it has no phone: %s", c.ID, problem)
				if c.Phone != "" {
					msg = fmt.Sprintf("contact %q (phone %q): %s", c.ID, c.Phone, problem)
				}
				add(ContactsFile, c.Line, msg, page)
				continue
			}
			add("layouts/", 0, problem+" (not in the page's Markdown, so a layout makes it)", page)
		}
	}
	var out []Finding
	for _, key := range order {
		g := groups[key]
		first := "public/" + g.pages[0]
		if cp := byOutput[g.pages[0]]; cp != nil {
			first = cp.File
		}
		msg := g.msg
		if len(g.pages) == 1 {
			msg += " on " + first
		} else {
			msg += fmt.Sprintf(" on %d pages, first %s", len(g.pages), first)
		}
		out = append(out, Finding{File: g.file, Line: g.line, Severity: Error, Rule: "phone", Message: msg})
	}
	return out
}

// telLinks lists the tel: links of an HTML page, each with its text and the texts of the
// elements of the list item (or paragraph) it is in.
func telLinks(page string, doc []byte) []telLink {
	var out []telLink
	lex := phtml.NewLexer(parse.NewInputBytes(doc[:len(doc):len(doc)])) // the lexer may append to its input
	var (
		inLink  bool
		current telLink
		texts   []string // the text nodes of the current block
		pending []int    // links of the current block waiting for its texts
		depth   int      // nesting of li and p
	)
	flush := func() {
		for _, i := range pending {
			out[i].names = slices.Clone(texts)
		}
		pending, texts = nil, nil
	}
	var tag string
	for {
		tt, data := lex.Next()
		switch tt {
		case phtml.ErrorToken:
			flush()
			return out
		case phtml.StartTagToken:
			tag = strings.ToLower(string(lex.Text()))
			if tag == "li" || tag == "p" {
				if depth == 0 {
					flush()
				}
				depth++
			}
		case phtml.AttributeToken:
			if tag == "a" && strings.EqualFold(string(lex.AttrKey()), "href") {
				v := html.UnescapeString(strings.Trim(string(lex.AttrVal()), `"'`))
				if len(v) >= 4 && strings.EqualFold(v[:4], "tel:") {
					inLink, current = true, telLink{page: page, href: v}
				}
			}
		case phtml.TextToken:
			t := strings.TrimSpace(html.UnescapeString(string(data)))
			if inLink {
				current.text += t
			}
			if t != "" {
				texts = append(texts, t)
			}
		case phtml.EndTagToken:
			name := strings.ToLower(string(lex.Text()))
			switch {
			case name == "a" && inLink:
				inLink = false
				out = append(out, current)
				pending = append(pending, len(out)-1)
			case (name == "li" || name == "p") && depth > 0:
				depth--
				if depth == 0 {
					flush()
				}
			}
		}
	}
}
