// Package check holds the rules every content page must pass, judged on Hugo's own page model:
// front matter names its sources (ids in data/sources.yaml) and when the page was last checked,
// and no phone number or e-mail address is typed into a page body (they live once, in
// data/contacts.yaml, and pages use them through shortcodes). Errors stop a build; warnings
// are reported.
package check

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/veiviser/veiviser/internal/render"
)

// Severity says whether a finding stops a build.
type Severity int

const (
	Warning Severity = iota
	Error
)

func (s Severity) String() string {
	if s == Error {
		return "error"
	}
	return "warning"
}

// MarshalText writes the severity as "error" or "warning", in JSON reports.
func (s Severity) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// Finding is one broken rule, at a file and, where known, a line.
type Finding struct {
	File     string   `json:"file"`
	Line     int      `json:"line,omitempty"`
	Severity Severity `json:"severity"`
	Rule     string   `json:"rule"`
	Message  string   `json:"message"`
}

func (f Finding) String() string {
	if f.Line > 0 {
		return fmt.Sprintf("%s:%d: %s: %s", f.File, f.Line, f.Severity, f.Message)
	}
	return fmt.Sprintf("%s: %s: %s", f.File, f.Severity, f.Message)
}

// Config holds the limits of the rules.
type Config struct {
	Now         time.Time // the day the check runs
	WarnMonths  int       // a page checked longer ago than this warns (default 12)
	ErrorMonths int       // ... and longer ago than this is an error (default 24)
	LixLimit    float64   // pages for people who may be victims above this LIX warn (default 40)
	// VictimSections are the folders of pages for people who may be victims, relative to the
	// project (victimSections in hugo.toml's [params]; when it is not set, these two:
	// content/nb/er-dette-meg/ and content/en/is-this-me/).
	VictimSections []string
}

// withDefaults fills in the limits left at zero.
func (cfg Config) withDefaults() Config {
	if cfg.WarnMonths == 0 {
		cfg.WarnMonths = 12
	}
	if cfg.ErrorMonths == 0 {
		cfg.ErrorMonths = 24
	}
	if cfg.Now.IsZero() {
		cfg.Now = time.Now()
	}
	if cfg.LixLimit == 0 {
		cfg.LixLimit = 40
	}
	if cfg.VictimSections == nil {
		cfg.VictimSections = []string{"content/nb/er-dette-meg/", "content/en/is-this-me/"}
	}
	return cfg
}

// Content checks every content page and returns the findings, errors first, each group by file:
// its front matter, no typed phone numbers (those of cf and any Norwegian one) or e-mail
// addresses, and no link Hugo's templates would refuse (javascript:, data: …).
func Content(pages []render.Page, data map[string]any, cf *ContactFile, cfg Config) []Finding {
	cfg = cfg.withDefaults()
	sources, _ := data["sources"].(map[string]any)
	phones := phonePatterns(cf)
	var out []Finding
	for _, p := range pages {
		out = append(out, frontMatter(p, sources, cfg)...)
		out = append(out, typedContacts(p, phones)...)
		out = append(out, unsafeLinks(p)...)
		out = append(out, fullAddressLinks(p)...)
	}
	Sort(out)
	return out
}

// Sort orders findings: errors before warnings, then by file and line.
func Sort(fs []Finding) {
	slices.SortStableFunc(fs, func(a, b Finding) int {
		if a.Severity != b.Severity {
			return int(b.Severity) - int(a.Severity)
		}
		if c := strings.Compare(a.File, b.File); c != 0 {
			return c
		}
		return a.Line - b.Line
	})
}

func frontMatter(p render.Page, sources map[string]any, cfg Config) []Finding {
	var out []Finding
	add := func(sev Severity, rule, format string, args ...any) {
		out = append(out, Finding{File: p.File, Line: 1, Severity: sev, Rule: rule, Message: fmt.Sprintf(format, args...)})
	}
	ids := stringList(p.Params["sources"])
	if len(ids) == 0 {
		add(Error, "sources", "no sources in the front matter (sources: [id, …] from data/sources.yaml)")
	}
	for _, id := range ids {
		if _, ok := sources[id]; !ok {
			add(Error, "sources", "unknown source %q: not in data/sources.yaml", id)
		}
	}
	if p.Params["checked"] == nil {
		add(Error, "checked", "no checked date in the front matter (checked: YYYY-MM-DD)")
	} else if sev, msg, bad := checkedDate(p.Params["checked"], cfg); bad {
		add(sev, "checked", "%s", msg)
	}
	return out
}

var (
	email = regexp.MustCompile(`[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}`)
	// Norwegian numbers as people write them: 22331160, the eight-digit phoneFormats
	// (22 33 11 60, 800 40 008), each perhaps after +47.
	norwegian = `(\+47[ ]?)?(\d{8}|` + eightDigitFormats() + `)`
)

// phonePatterns matches, at the start of its input, the numbers of data/contacts.yaml however
// they are spaced, and any eight-digit Norwegian number, when no digit or letter follows.
func phonePatterns(cf *ContactFile) *regexp.Regexp {
	alts := []string{norwegian}
	if cf != nil {
		for _, c := range cf.Contacts {
			if d := digits(c.Phone); d != "" {
				alts = append(alts, strings.Join(strings.Split(d, ""), `[ .-]?`))
			}
		}
	}
	slices.Sort(alts[1:])
	return regexp.MustCompile(`^(` + strings.Join(alts, "|") + `)($|[^\d\w])`)
}

// longestNumber bounds the text a phone number pattern can match, trailing character included.
const longestNumber = 48

// notText matches the parts of a page body that are not read as text, where digits are
// arguments, paths or addresses rather than typed numbers: shortcodes, link destinations and
// bare web addresses. A tel: or mailto: link is a typed contact all the same: blank keeps it.
var notText = regexp.MustCompile(`(?s)\{\{[<%].*?[>%]\}\}|\]\([^)]*\)|https?://\S+`)

// blank returns body with every byte of the parts notText matches replaced by a space
// (newlines kept), so positions and line numbers stay as they were.
func blank(body string) string {
	parts := notText.FindAllStringIndex(body, -1)
	if parts == nil {
		return body
	}
	b := []byte(body)
	for _, m := range parts {
		if dest := strings.TrimLeft(body[m[0]:m[1]], "]( <"); hasPrefixFold(dest, "tel:") || hasPrefixFold(dest, "mailto:") {
			continue
		}
		for i := m[0]; i < m[1]; i++ {
			if b[i] != '\n' {
				b[i] = ' '
			}
		}
	}
	return string(b)
}

func typedContacts(p render.Page, phones *regexp.Regexp) []Finding {
	var out []Finding
	line := func(i int) int { return p.BodyLine + strings.Count(p.Body[:i], "\n") }
	text := blank(p.Body)
	// A number starts with a digit or a plus that follows no digit or letter: only there is
	// the pattern tried, on the few characters a number can take.
	for i := 0; i < len(text); i++ {
		c := text[i]
		if c != '+' && (c < '0' || c > '9') || i > 0 && isWordByte(text[i-1]) {
			continue
		}
		m := phones.FindStringSubmatchIndex(text[i:min(len(text), i+longestNumber)])
		if m == nil {
			continue
		}
		out = append(out, Finding{File: p.File, Line: line(i + m[2]), Severity: Error, Rule: "typed-contact",
			Message: fmt.Sprintf("phone number %q typed into the page: use {{< phone \"id\" >}} with a contact from data/contacts.yaml", text[i+m[2]:i+m[3]])})
		i += m[3] - 1
	}
	if strings.Contains(text, "@") {
		for _, m := range email.FindAllStringIndex(text, -1) {
			out = append(out, Finding{File: p.File, Line: line(m[0]), Severity: Error, Rule: "typed-contact",
				Message: fmt.Sprintf("e-mail address %q typed into the page: use {{< email \"id\" >}} with a contact from data/contacts.yaml", text[m[0]:m[1]])})
		}
	}
	return out
}

// unsafeScheme matches a link destination Hugo's templates refuse and publish as #ZgotmplZ:
// in [text](dest), <dest> and [ref]: dest.
var unsafeScheme = regexp.MustCompile(`(?im)(!?)\[[^\]]*\]\(\s*<?\s*((?:javascript|vbscript|file|data):(?:[^()\s>]|\([^()\s]*\))*)|<((?:javascript|vbscript|file|data):[^>\s]*)>|^ {0,3}\[[^\]]+\]:\s*<?((?:javascript|vbscript|file|data):\S*?)>?(?:\s|$)`)

// unsafeLinks finds links to javascript:, vbscript:, file: and data: URLs in a page body (an
// image may be a data:image/…): they do nothing a reader expects, and Hugo publishes them as
// a link to #ZgotmplZ.
func unsafeLinks(p render.Page) []Finding {
	if !strings.Contains(p.Body, ":") {
		return nil
	}
	var out []Finding
	text := blankShortcodes(p.Body)
	for _, m := range unsafeScheme.FindAllStringSubmatchIndex(text, -1) {
		dest := ""
		for g := 2; g <= 4; g++ {
			if m[2*g] >= 0 {
				dest = text[m[2*g]:m[2*g+1]]
				break
			}
		}
		if m[2] >= 0 && m[3] > m[2] && hasPrefixFold(dest, "data:image/") {
			continue // an image in the page itself
		}
		scheme := strings.ToLower(dest[:strings.IndexByte(dest, ':')+1])
		out = append(out, Finding{File: p.File, Line: p.BodyLine + strings.Count(text[:m[0]], "\n"), Severity: Error, Rule: "unsafe-link",
			Message: fmt.Sprintf("link %q: a %s link does nothing a reader expects, and Hugo publishes it as #ZgotmplZ: link to a page or an https:// address", dest, scheme)})
	}
	return out
}

// refShortcode matches Hugo's ref shortcode, {{< ref "page.md" >}} (or with %).
var refShortcode = regexp.MustCompile(`\{\{[<%]-?\s*ref\s`)

// fullAddressLinks finds links made with Hugo's ref shortcode, which gives the page's full
// address in baseURL: from a copy of the site served at any other address (the preview, a
// shelter's server, a mirror) such a link leads the reader away to baseURL's host, and there
// the exit script cannot keep the visit to one entry in the Back list. relref gives the path
// from the site's root, as the menus' links are.
func fullAddressLinks(p render.Page) []Finding {
	var out []Finding
	for _, m := range refShortcode.FindAllStringIndex(p.Body, -1) {
		out = append(out, Finding{File: p.File, Line: p.BodyLine + strings.Count(p.Body[:m[0]], "\n"), Severity: Error, Rule: "ref-link",
			Message: "{{< ref >}} links to the site's full address, which leads away from a copy served at any other address: write {{< relref \"…\" >}}"})
	}
	return out
}

// blankShortcodes is body with its shortcodes blanked out (newlines kept).
func blankShortcodes(body string) string {
	if !strings.Contains(body, "{{") {
		return body
	}
	b := []byte(body)
	for _, m := range shortcodeCall.FindAllStringIndex(body, -1) {
		for i := m[0]; i < m[1]; i++ {
			if b[i] != '\n' {
				b[i] = ' '
			}
		}
	}
	return string(b)
}

var shortcodeCall = regexp.MustCompile(`(?s)\{\{[<%].*?[>%]\}\}`)

func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}

// isWordByte reports whether c is an ASCII digit, letter or underscore (\w in a pattern).
func isWordByte(c byte) bool {
	return c == '_' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

// stringList reads a front matter list of strings.
func stringList(v any) []string {
	switch v := v.(type) {
	case []string:
		return v
	case []any:
		var out []string
		for _, x := range v {
			out = append(out, fmt.Sprint(x))
		}
		return out
	case string:
		if v != "" {
			return []string{v}
		}
	}
	return nil
}

// checkedDate judges a checked date v (nil when there is none): bad says whether it is a
// finding, of severity sev.
func checkedDate(v any, cfg Config) (sev Severity, msg string, bad bool) {
	checked, ok := date(v)
	switch {
	case v == nil:
		return Error, "no checked date (checked: YYYY-MM-DD)", true
	case !ok:
		return Error, fmt.Sprintf("checked is not a date (YYYY-MM-DD): %v", v), true
	case checked.After(cfg.Now):
		return Error, fmt.Sprintf("checked date %s is in the future", checked.Format(time.DateOnly)), true
	case checked.Before(cfg.Now.AddDate(0, -cfg.ErrorMonths, 0)):
		return Error, fmt.Sprintf("last checked %s, more than %d months ago", checked.Format(time.DateOnly), cfg.ErrorMonths), true
	case checked.Before(cfg.Now.AddDate(0, -cfg.WarnMonths, 0)):
		return Warning, fmt.Sprintf("last checked %s, more than %d months ago", checked.Format(time.DateOnly), cfg.WarnMonths), true
	}
	return Warning, "", false
}

// date reads a front matter date, as YAML or TOML gives it.
func date(v any) (time.Time, bool) {
	switch v := v.(type) {
	case time.Time:
		return v, true
	case string:
		t, err := time.Parse(time.DateOnly, v)
		return t, err == nil
	}
	return time.Time{}, false
}
