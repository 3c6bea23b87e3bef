package check

import (
	"fmt"
	"net/mail"
	"net/url"
	"regexp"
	"strings"
	"time"

	"github.com/veiviser/veiviser/internal/render"
	"go.yaml.in/yaml/v3"
)

// ContactsFile is where the contacts live, relative to the project.
const ContactsFile = "data/contacts.yaml"

// Contact is one contact of data/contacts.yaml.
type Contact struct {
	ID        string
	Line      int // the line of the id
	Phone     string
	Email     string
	Web       string
	Anonymous bool
	Source    string         // an id in data/sources.yaml
	Compared  time.Time      // when the details were compared with the source text; zero if not given
	Confirmed time.Time      // when a person confirmed them with the service; zero if not given
	Lines     map[string]int // the line of each field
}

// ContactFile is data/contacts.yaml, decoded once, with the line of every contact and field.
type ContactFile struct {
	Contacts []Contact // in the order of the file
	byID     map[string]int
}

// Get returns the contact with id, or nil.
func (cf *ContactFile) Get(id string) *Contact {
	if cf == nil {
		return nil
	}
	if i, ok := cf.byID[id]; ok {
		return &cf.Contacts[i]
	}
	return nil
}

// contactFields are the fields a contact may have.
var contactFields = []string{"phone", "email", "web", "anonymous", "source", "compared", "confirmed"}

// ReadContacts decodes data/contacts.yaml (src) and judges every contact in it: no field but
// contactFields, a phone in one of phoneFormats, an e-mail address and a web address that are
// one, a compared date not older than the limits, and a confirmed date (a warning when there is
// none from the last cfg.WarnMonths months).
func ReadContacts(src []byte, cfg Config) (*ContactFile, []Finding) {
	cfg = cfg.withDefaults()
	cf := &ContactFile{byID: map[string]int{}}
	var out []Finding
	add := func(sev Severity, line int, rule, format string, args ...any) {
		out = append(out, Finding{File: ContactsFile, Line: line, Severity: sev, Rule: rule, Message: fmt.Sprintf(format, args...)})
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(src, &doc); err != nil {
		add(Error, yamlErrorLine(err), "contact", "%s", strings.TrimPrefix(err.Error(), "yaml: "))
		return cf, out
	}
	if len(doc.Content) == 0 {
		return cf, out
	}
	root := doc.Content[0]
	if root.Kind != yaml.MappingNode {
		add(Error, root.Line, "contact", "the contacts are not a mapping of ids to contacts")
		return cf, out
	}
	for i := 0; i+1 < len(root.Content); i += 2 {
		k, v := root.Content[i], root.Content[i+1]
		c := Contact{ID: k.Value, Line: k.Line, Lines: map[string]int{}}
		if _, dup := cf.byID[c.ID]; dup {
			add(Error, k.Line, "contact", "contact %q is given twice (first on line %d)", c.ID, cf.Get(c.ID).Line)
			continue
		}
		if v.Kind != yaml.MappingNode {
			add(Error, k.Line, "contact", "contact %q is not a mapping of fields (phone:, source:, compared: …)", c.ID)
			continue
		}
		for j := 0; j+1 < len(v.Content); j += 2 {
			fk, fv := v.Content[j], v.Content[j+1]
			name := fk.Value
			c.Lines[name] = fv.Line
			text := func() (string, bool) {
				if fv.Kind != yaml.ScalarNode || fv.Tag == "!!null" {
					add(Error, fv.Line, "contact", "contact %q: %s is not a single value", c.ID, name)
					return "", false
				}
				return fv.Value, true
			}
			when := func() time.Time {
				s, ok := text()
				if !ok {
					return time.Time{}
				}
				t, err := time.Parse(time.DateOnly, s)
				if err != nil {
					add(Error, fv.Line, "contact", "contact %q: %s %q is not a date (YYYY-MM-DD)", c.ID, name, s)
					return time.Time{}
				}
				if t.After(cfg.Now) {
					add(Error, fv.Line, "contact", "contact %q: %s date %s is in the future", c.ID, name, s)
				}
				return t
			}
			switch name {
			case "phone":
				c.Phone, _ = text()
				if fv.Kind == yaml.ScalarNode && fv.Tag != "!!str" {
					add(Error, fv.Line, "phone", "contact %q: phone %s is not quoted: YAML reads it as a number (write phone: %q)", c.ID, c.Phone, c.Phone)
				} else if c.Phone != "" && !validPhone(c.Phone) {
					add(Error, fv.Line, "phone", "contact %q: phone %q is not a Norwegian number in a known format (%s)", c.ID, c.Phone, phoneExamples())
				}
			case "email":
				c.Email, _ = text()
				if a, err := mail.ParseAddress(c.Email); c.Email != "" && (err != nil || a.Address != c.Email || !strings.Contains(c.Email[strings.LastIndexByte(c.Email, '@'):], ".")) {
					add(Error, fv.Line, "contact", "contact %q: email %q is not an e-mail address", c.ID, c.Email)
				}
			case "web":
				c.Web, _ = text()
				if u, err := url.Parse(c.Web); c.Web != "" && (err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "") {
					add(Error, fv.Line, "contact", "contact %q: web %q is not a web address (https://…)", c.ID, c.Web)
				}
			case "anonymous":
				if s, ok := text(); ok {
					if s != "true" && s != "false" {
						add(Error, fv.Line, "contact", "contact %q: anonymous is %q, want true or false", c.ID, s)
					}
					c.Anonymous = s == "true"
				}
			case "source":
				c.Source, _ = text()
			case "compared":
				c.Compared = when()
			case "confirmed":
				c.Confirmed = when()
			case "checked":
				add(Error, fk.Line, "contact", "contact %q: checked was replaced by compared (the day its details were compared with the source text) "+
					"and confirmed (the day the service confirmed them): rename it compared, unless someone confirmed it with the service", c.ID)
			default:
				add(Error, fk.Line, "contact", "contact %q: unknown field %q (a contact has %s)", c.ID, name, strings.Join(contactFields, ", "))
			}
		}
		if c.Phone == "" && c.Email == "" && c.Web == "" {
			add(Error, c.Line, "contact", "contact %q has no phone, email or web", c.ID)
		}
		compared := c.Compared.Format(time.DateOnly)
		switch {
		case c.Lines["compared"] == 0 && c.Lines["checked"] > 0: // said above
		case c.Lines["compared"] == 0:
			add(Error, c.Line, "contact-compared", "contact %q has no compared date (compared: YYYY-MM-DD, the day its details were compared with the source text)", c.ID)
		case c.Compared.IsZero():
		case c.Compared.Before(cfg.Now.AddDate(0, -cfg.ErrorMonths, 0)):
			add(Error, c.Lines["compared"], "contact-compared", "contact %q was compared with the source text on %s, more than %d months ago", c.ID, compared, cfg.ErrorMonths)
		case c.Compared.Before(cfg.Now.AddDate(0, -cfg.WarnMonths, 0)):
			add(Warning, c.Lines["compared"], "contact-compared", "contact %q was compared with the source text on %s, more than %d months ago", c.ID, compared, cfg.WarnMonths)
		}
		since := ""
		if !c.Compared.IsZero() {
			since = fmt.Sprintf(" (compared with the source text on %s)", compared)
		}
		switch {
		case c.Lines["confirmed"] == 0:
			add(Warning, c.Line, "contact-confirmed", "contact %q is not confirmed with the service%s", c.ID, since)
		case c.Confirmed.IsZero():
		case c.Confirmed.Before(cfg.Now.AddDate(0, -cfg.WarnMonths, 0)):
			add(Warning, c.Lines["confirmed"], "contact-confirmed", "contact %q was last confirmed with the service on %s, more than %d months ago%s",
				c.ID, c.Confirmed.Format(time.DateOnly), cfg.WarnMonths, since)
		}
		cf.byID[c.ID] = len(cf.Contacts)
		cf.Contacts = append(cf.Contacts, c)
	}
	return cf, out
}

var yamlLine = regexp.MustCompile(`line (\d+)`)

// yamlErrorLine is the line a YAML error names, or 0.
func yamlErrorLine(err error) int {
	n := 0
	if m := yamlLine.FindStringSubmatch(err.Error()); m != nil {
		fmt.Sscan(m[1], &n)
	}
	return n
}

// contactShortcode matches the shortcodes that show a contact: {{< contact "rosa" >}},
// {{< phone "rosa" >}}, {{< email "iom" >}}, {{< web "udi" >}}, with the id quoted or not.
var contactShortcode = regexp.MustCompile("\\{\\{[<%]-?\\s*(contact|phone|email|web)\\s+[\"`]?([^\"`\\s>%}]+)[\"`]?")

// contactUse is one contact shortcode in a page.
type contactUse struct {
	Shortcode, ID string
	Line          int
}

// contactUses lists the contact shortcodes in page p's body, in order.
func contactUses(p render.Page) []contactUse {
	var out []contactUse
	for _, m := range contactShortcode.FindAllStringSubmatchIndex(p.Body, -1) {
		out = append(out, contactUse{
			Shortcode: p.Body[m[2]:m[3]],
			ID:        p.Body[m[4]:m[5]],
			Line:      p.BodyLine + strings.Count(p.Body[:m[0]], "\n"),
		})
	}
	return out
}

// Contacts checks that every contact a page uses exists in data/contacts.yaml, with the field
// its shortcode shows, and that every contact's source is in data/sources.yaml.
func Contacts(pages []render.Page, cf *ContactFile, sources map[string]any) []Finding {
	var out []Finding
	for _, p := range pages {
		for _, u := range contactUses(p) {
			c := cf.Get(u.ID)
			has := map[string]bool{"contact": true}
			if c != nil {
				has["phone"], has["email"], has["web"] = c.Phone != "", c.Email != "", c.Web != ""
			}
			switch {
			case c == nil:
				out = append(out, Finding{File: p.File, Line: u.Line, Severity: Error, Rule: "contact",
					Message: fmt.Sprintf("unknown contact %q in {{< %s >}}: not in %s", u.ID, u.Shortcode, ContactsFile)})
			case !has[u.Shortcode]:
				out = append(out, Finding{File: p.File, Line: u.Line, Severity: Error, Rule: "contact",
					Message: fmt.Sprintf("contact %q has no %s in %s, so {{< %s >}} cannot show it", u.ID, u.Shortcode, ContactsFile, u.Shortcode)})
			}
		}
	}
	if cf != nil {
		for _, c := range cf.Contacts {
			if _, ok := sources[c.Source]; c.Source != "" && !ok {
				out = append(out, Finding{File: ContactsFile, Line: c.Lines["source"], Severity: Error, Rule: "contact",
					Message: fmt.Sprintf("contact %q: unknown source %q: not in data/sources.yaml", c.ID, c.Source)})
			}
		}
	}
	return out
}
