package check

import (
	"fmt"
	"math"
	"regexp"
	"runtime"
	"strings"
	"unicode"

	"github.com/veiviser/veiviser/internal/render"
	"golang.org/x/sync/errgroup"
)

// Readability is the LIX of one page: words per sentence plus the percentage of long words
// (more than six letters). Below 30 is very easy, 30–40 easy, 40–50 medium, above 50 hard.
type Readability struct {
	File      string  `json:"file"`
	Lang      string  `json:"lang"`
	LIX       float64 `json:"lix"`
	Words     int     `json:"words"`
	Sentences int     `json:"sentences"`
	LongWords int     `json:"longWords"`
	Limit     float64 `json:"limit,omitempty"` // set for pages for people who may be victims
}

// noWordSpaces are languages written without spaces between words, where LIX means nothing.
var noWordSpaces = map[string]bool{"th": true, "zh": true, "ja": true, "lo": true, "km": true, "my": true}

// LIX measures every page that has text, in a language written with spaces between words. Pages
// in cfg.VictimSections get the limit, and a warning when they are above it.
func LIX(pages []render.Page, cfg Config) ([]Readability, []Finding) {
	cfg = cfg.withDefaults()
	// Measured side by side (each page on its own), judged in the pages' order.
	measured := make([]Readability, len(pages))
	var g errgroup.Group
	g.SetLimit(runtime.GOMAXPROCS(0))
	for i, p := range pages {
		if !noWordSpaces[p.Lang] {
			g.Go(func() error { measured[i] = Measure(p.Body); return nil })
		}
	}
	g.Wait()
	var all []Readability
	var out []Finding
	for i, p := range pages {
		r := measured[i]
		if noWordSpaces[p.Lang] || r.Words == 0 {
			continue
		}
		r.File, r.Lang = p.File, p.Lang
		for _, s := range cfg.VictimSections {
			if strings.HasPrefix(p.File, s) {
				r.Limit = cfg.LixLimit
			}
		}
		if r.Limit > 0 && r.LIX > r.Limit {
			out = append(out, Finding{File: p.File, Severity: Warning, Rule: "lix",
				Message: fmt.Sprintf("LIX %.0f is above %.0f, the limit for pages for people who may be victims: use shorter sentences and shorter words (%d words in %d sentences, %d long)",
					r.LIX, r.Limit, r.Words, r.Sentences, r.LongWords)})
		}
		all = append(all, r)
	}
	return all, out
}

var (
	fence     = regexp.MustCompile("(?ms)^\\s*(```|~~~).*?^\\s*(```|~~~)[^\\n]*$")
	shortcode = regexp.MustCompile(`(?s)\{\{[<%]-?\s*/?\s*([\w/-]+).*?-?[>%]\}\}`)
	htmlTag   = regexp.MustCompile(`(?s)<[^>\n]*>`)
	image     = regexp.MustCompile(`!\[[^\]]*\]\([^)]*\)`)
	mdLink    = regexp.MustCompile(`\[([^\]]*)\](\([^)]*\)|\[[^\]]*\])`)
	bareURL   = regexp.MustCompile(`https?://\S+`)
	attrs     = regexp.MustCompile(`\s*\{[#.][^}]*\}\s*$`)
	listItem  = regexp.MustCompile(`^\s*([-*+]|\d+[.)])\s+`)
	heading   = regexp.MustCompile(`^\s*#{1,6}\s+`)
	word      = regexp.MustCompile(`[\p{L}\p{N}]+(?:[-'’][\p{L}\p{N}]+)*`)
	sentence  = regexp.MustCompile(`[.!?:]+["'»”)\]]*(\s|$)`)
)

// emphasis drops Markdown's emphasis and code marks from a unit of text.
var emphasis = strings.NewReplacer("*", "", "_", " ", "`", "")

// inline are the shortcodes that put a word or two into a sentence; others are blocks.
var inline = map[string]bool{"fact": true, "phone": true, "email": true, "web": true}

// Measure computes the LIX of a page's Markdown body: shortcodes, HTML, link targets and
// Markdown syntax are left out, and headings, list items, table cells and paragraphs each end a
// sentence.
func Measure(body string) Readability {
	text := fence.ReplaceAllString(body, "")
	text = shortcode.ReplaceAllStringFunc(text, func(s string) string {
		if inline[shortcode.FindStringSubmatch(s)[1]] {
			return "0" // stands for the number or name the shortcode shows: one short word
		}
		return "\n\n"
	})
	text = image.ReplaceAllString(text, "")
	text = mdLink.ReplaceAllString(text, "$1")
	text = htmlTag.ReplaceAllString(text, " ")
	text = bareURL.ReplaceAllString(text, "")

	// One unit per paragraph, heading, list item or table cell; each ends a sentence.
	var units []string
	var para []string
	endPara := func() {
		if len(para) > 0 {
			units = append(units, strings.Join(para, " "))
			para = nil
		}
	}
	for _, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(strings.TrimLeft(strings.TrimSpace(line), ">"))
		switch {
		case line == "":
			endPara()
		case heading.MatchString(line):
			endPara()
			units = append(units, attrs.ReplaceAllString(heading.ReplaceAllString(line, ""), ""))
		case strings.HasPrefix(line, "|"):
			endPara()
			units = append(units, strings.Split(line, "|")...)
		case listItem.MatchString(line):
			endPara()
			para = []string{listItem.ReplaceAllString(line, "")}
		default:
			para = append(para, line)
		}
	}
	endPara()

	var r Readability
	for _, u := range units {
		u = strings.Trim(strings.TrimSpace(emphasis.Replace(u)), "-: ")
		spans := word.FindAllStringIndex(u, -1)
		if len(spans) == 0 {
			continue
		}
		r.Words += len(spans)
		for _, sp := range spans {
			letters := 0
			for _, c := range u[sp[0]:sp[1]] {
				if unicode.IsLetter(c) {
					letters++
				}
			}
			if letters > 6 {
				r.LongWords++
			}
		}
		n := len(sentence.FindAllString(u, -1))
		if !strings.ContainsAny(u[spans[len(spans)-1][1]:], ".!?:") {
			n++ // the unit ends without a full stop: a heading, a list item, a cell
		}
		r.Sentences += n
	}
	if r.Words > 0 {
		lix := float64(r.Words)/float64(r.Sentences) + 100*float64(r.LongWords)/float64(r.Words)
		r.LIX = math.Round(lix*10) / 10
	}
	return r
}
