package check

import (
	"regexp"
	"strings"

	"github.com/veiviser/veiviser/internal/render"
)

// ExternalLink is a link to another web site, which the check lists but does not fetch.
type ExternalLink struct {
	URL  string `json:"url"`
	Line int    `json:"line,omitempty"`
	Via  string `json:"via,omitempty"` // the contact it comes from, if any
}

// PageLinks are the external links of one file.
type PageLinks struct {
	File  string         `json:"file"`
	Links []ExternalLink `json:"links"`
}

var httpURL = regexp.MustCompile(`https?://[^\s()<>\[\]"'{}` + "`" + `]+`)

// External lists the links to other web sites, grouped by file: those typed into each page's
// body, the web addresses of the contacts each page shows, and every contact's web address
// in data/contacts.yaml.
func External(pages []render.Page, cf *ContactFile) []PageLinks {
	web := func(id string) string {
		if c := cf.Get(id); c != nil {
			return c.Web
		}
		return ""
	}
	var out []PageLinks
	for _, p := range pages {
		var links []ExternalLink
		for _, m := range httpURL.FindAllStringIndex(p.Body, -1) {
			u := strings.TrimRight(p.Body[m[0]:m[1]], ".,;:!?")
			links = append(links, ExternalLink{URL: u, Line: p.BodyLine + strings.Count(p.Body[:m[0]], "\n")})
		}
		for _, u := range contactUses(p) {
			if w := web(u.ID); w != "" && (u.Shortcode == "contact" || u.Shortcode == "web") {
				links = append(links, ExternalLink{URL: w, Line: u.Line, Via: u.ID})
			}
		}
		if len(links) > 0 {
			out = append(out, PageLinks{File: p.File, Links: links})
		}
	}
	var links []ExternalLink
	if cf != nil {
		for _, c := range cf.Contacts {
			if c.Web != "" {
				links = append(links, ExternalLink{URL: c.Web, Line: c.Lines["web"], Via: c.ID})
			}
		}
	}
	if len(links) > 0 {
		out = append(out, PageLinks{File: ContactsFile, Links: links})
	}
	return out
}

// lineOf is the line of text on which the first of needles is found, or 0.
func lineOf(text string, needles ...string) int {
	for _, n := range needles {
		if n == "" {
			continue
		}
		if i := strings.Index(text, n); i >= 0 {
			return 1 + strings.Count(text[:i], "\n")
		}
	}
	return 0
}
