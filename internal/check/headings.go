package check

import (
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"unicode"

	"github.com/veiviser/veiviser/internal/links"
	"github.com/veiviser/veiviser/internal/render"
	"github.com/veiviser/veiviser/internal/tree"
)

// outputs maps the output file of each page ("om/index.html") to the page, for a site built
// for baseURL.
func outputs(pages []render.Page, baseURL string) map[string]*render.Page {
	base := "/"
	if u, err := url.Parse(baseURL); err == nil {
		base = "/" + strings.Trim(u.Path, "/")
		if base != "/" {
			base += "/"
		}
	}
	out := map[string]*render.Page{}
	for i, p := range pages {
		out[outputFile(base, p.Permalink)] = &pages[i]
	}
	return out
}

// outputFile is the file a permalink is served from, for the base path base ("/" or "/x/").
func outputFile(base, permalink string) string {
	p := strings.TrimPrefix(permalink, base)
	p = strings.TrimPrefix(p, "/")
	if p == "" || strings.HasSuffix(p, "/") {
		p += "index.html"
	}
	return p
}

// Headings checks the ids of every page's content (its headings' ids, Hugo's own or given with
// {#id}): none used twice on the page, and none that the page's layout also uses (main, the
// skip link's target; exit, exit-hint, exit-status of the quick exit; any other id outside the
// content), since a link to it, or the quick exit's script, would find the wrong element. The
// ids are read from the published page and the content Hugo rendered; each finding names the
// heading's line.
func Headings(pages []render.Page, web tree.Tree, baseURL string) []Finding {
	var out []Finding
	for file, p := range outputs(pages, baseURL) {
		doc, ok := web[file]
		if !ok || p.HTML == "" || !strings.Contains(p.HTML, "id=") {
			continue
		}
		type el struct{ name, id string }
		var content []el
		inContent := map[string]int{}
		links.HTML([]byte(p.HTML), func(e *links.Element) {
			if a := e.Get("id"); a != nil && a.Val != "" {
				content = append(content, el{e.Name, a.Val})
				inContent[a.Val]++
			}
		}, nil)
		if len(content) == 0 {
			continue
		}
		onPage := map[string]int{}
		links.HTML(doc, func(e *links.Element) {
			if a := e.Get("id"); a != nil {
				onPage[a.Val]++
			}
		}, nil)
		heads := headingIDs(p.Body)
		at := func(id string) []int {
			var ls []int
			for _, h := range heads {
				if h.id == id {
					ls = append(ls, p.BodyLine+h.line-1)
				}
			}
			return ls
		}
		reported := map[string]bool{}
		for _, e := range content {
			if reported[e.id] {
				continue
			}
			what := "id"
			if len(e.name) == 2 && e.name[0] == 'h' && e.name[1] >= '1' && e.name[1] <= '6' {
				what = "heading id"
			}
			lines := at(e.id)
			switch {
			case inContent[e.id] > 1:
				reported[e.id] = true
				f := Finding{File: p.File, Severity: Error, Rule: "heading-id",
					Message: fmt.Sprintf("%s %q is used %d times on the page: give each heading its own id (## … {#another-id})", what, e.id, inContent[e.id])}
				if len(lines) > 1 {
					f.Line = lines[1]
					f.Message = fmt.Sprintf("%s %q is used twice on the page (first on line %d): give each heading its own id (## … {#another-id})", what, e.id, lines[0])
				} else if len(lines) == 1 {
					f.Line = lines[0]
				}
				out = append(out, f)
			case onPage[e.id] > inContent[e.id]:
				reported[e.id] = true
				f := Finding{File: p.File, Severity: Error, Rule: "heading-id",
					Message: fmt.Sprintf("%s %q is also an id of the page's layout, so #%s leads to the layout's element: give the heading another id (## … {#another-id})", what, e.id, e.id)}
				if len(lines) > 0 {
					f.Line = lines[0]
				}
				out = append(out, f)
			}
		}
	}
	return out
}

type headingID struct {
	id   string
	line int // from 1, in the body
}

var (
	atxHeading  = regexp.MustCompile(`^ {0,3}#{1,6}(?:[ \t]+(.*?))?[ \t]*$`)
	setextLine  = regexp.MustCompile(`^ {0,3}(=+|-+)[ \t]*$`)
	mdFence     = regexp.MustCompile("^ {0,3}(```|~~~)")
	attrBlock   = regexp.MustCompile(`[ \t]*\{([^{}]*)\}[ \t]*$`)
	explicitID  = regexp.MustCompile(`(?:^|\s)#([^\s}]+)`)
	closingHash = regexp.MustCompile(`[ \t]+#+$|^#+$`)
	inlineLink  = regexp.MustCompile(`!?\[([^\]]*)\]\([^)]*\)`)
)

// headingIDs lists the headings of a Markdown body with the id Hugo gives each: the one given
// with {#id}, or one made from the heading's text as Hugo makes it (GitHub style, "-1" after an
// id already used).
func headingIDs(body string) []headingID {
	var out []headingID
	seen := map[string]bool{}
	lines := strings.Split(body, "\n")
	inFence := ""
	add := func(text string, line int) {
		id := ""
		if m := attrBlock.FindStringSubmatchIndex(text); m != nil {
			if e := explicitID.FindStringSubmatch(text[m[2]:m[3]]); e != nil {
				id = e[1]
			}
			text = text[:m[0]]
		}
		if id == "" {
			id = anchorize(plain(text))
			if id == "" {
				id = "heading"
			}
			if seen[id] {
				for i := 1; ; i++ {
					if c := fmt.Sprintf("%s-%d", id, i); !seen[c] {
						id = c
						break
					}
				}
			}
		}
		seen[id] = true
		out = append(out, headingID{id, line})
	}
	for i, l := range lines {
		if m := mdFence.FindStringSubmatch(l); m != nil {
			switch inFence {
			case "":
				inFence = m[1]
			case m[1]:
				inFence = ""
			}
			continue
		}
		if inFence != "" {
			continue
		}
		if m := atxHeading.FindStringSubmatch(l); m != nil {
			add(closingHash.ReplaceAllString(m[1], ""), i+1)
			continue
		}
		if i+1 < len(lines) && setextLine.MatchString(lines[i+1]) && strings.TrimSpace(l) != "" && !setextLine.MatchString(l) &&
			!strings.HasPrefix(strings.TrimSpace(l), "-") && !strings.HasPrefix(strings.TrimSpace(l), "*") &&
			(i == 0 || strings.TrimSpace(lines[i-1]) == "") {
			add(strings.TrimSpace(l), i+1)
		}
	}
	return out
}

// plain is the text of a heading's Markdown without its markup.
func plain(s string) string {
	s = shortcodeCall.ReplaceAllString(s, "")
	s = inlineLink.ReplaceAllString(s, "$1")
	return headingMarks.Replace(s)
}

// anchorize makes an id from text as Hugo does by default (autoHeadingIDType "github").
func anchorize(s string) string {
	var b strings.Builder
	for _, r := range strings.TrimSpace(s) {
		switch {
		case r == '-' || r == ' ':
			b.WriteRune('-')
		case r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return b.String()
}

// headingMarks are the Markdown marks a heading's text drops.
var headingMarks = strings.NewReplacer("*", "", "_", "", "`", "", "\\", "")
