package check

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/veiviser/veiviser/internal/render"
)

// ContactsFile is where the contacts live, relative to the project.
const ContactsFile = "data/contacts.yaml"

// contactShortcode matches the shortcodes that show a contact: {{< contact "rosa" >}},
// {{< phone "rosa" >}}, {{< email "iom" >}}, {{< web "udi" >}}, with the id quoted or not.
var contactShortcode = regexp.MustCompile("\\{\\{[<%]-?\\s*(contact|phone|email|web)\\s+[\"`]?([^\"`\\s>%}]+)[\"`]?")

// field is the contact field each shortcode needs ("" for any contact).
var field = map[string]string{"phone": "phone", "email": "email", "web": "web"}

// ContactUse is one contact shortcode in a page.
type ContactUse struct {
	Shortcode, ID string
	Line          int
}

// ContactUses lists the contact shortcodes in page p's body, in order.
func ContactUses(p render.Page) []ContactUse {
	var out []ContactUse
	for _, m := range contactShortcode.FindAllStringSubmatchIndex(p.Body, -1) {
		out = append(out, ContactUse{
			Shortcode: p.Body[m[2]:m[3]],
			ID:        p.Body[m[4]:m[5]],
			Line:      p.BodyLine + strings.Count(p.Body[:m[0]], "\n"),
		})
	}
	return out
}

// Contacts checks that every contact a page uses exists in data/contacts.yaml, with the field
// its shortcode shows, and that every contact there has a checked date that is not too old.
// src is the text of data/contacts.yaml, to name the line of each contact (nil for none).
func Contacts(pages []render.Page, data map[string]any, src []byte, cfg Config) []Finding {
	cfg = cfg.withDefaults()
	contacts, _ := data["contacts"].(map[string]any)
	var out []Finding
	for _, p := range pages {
		for _, u := range ContactUses(p) {
			c, ok := contacts[u.ID].(map[string]any)
			switch {
			case !ok:
				out = append(out, Finding{File: p.File, Line: u.Line, Severity: Error, Rule: "contact",
					Message: fmt.Sprintf("unknown contact %q in {{< %s >}}: not in %s", u.ID, u.Shortcode, ContactsFile)})
			case field[u.Shortcode] != "" && c[field[u.Shortcode]] == nil:
				out = append(out, Finding{File: p.File, Line: u.Line, Severity: Error, Rule: "contact",
					Message: fmt.Sprintf("contact %q has no %s in %s, so {{< %s >}} cannot show it", u.ID, field[u.Shortcode], ContactsFile, u.Shortcode)})
			}
		}
	}
	ids := make([]string, 0, len(contacts))
	for id := range contacts {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	for _, id := range ids {
		c, _ := contacts[id].(map[string]any)
		if sev, msg, bad := checkedDate(c["checked"], cfg); bad {
			out = append(out, Finding{File: ContactsFile, Line: keyLine(src, id), Severity: sev, Rule: "contact-checked",
				Message: fmt.Sprintf("contact %q: %s", id, msg)})
		}
	}
	return out
}

// keyLine is the line of a top-level YAML key in src, or 0.
func keyLine(src []byte, key string) int {
	for i, line := range strings.Split(string(src), "\n") {
		if strings.HasPrefix(line, key+":") || strings.HasPrefix(line, `"`+key+`":`) {
			return i + 1
		}
	}
	return 0
}
