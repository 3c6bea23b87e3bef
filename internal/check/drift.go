package check

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"

	"github.com/veiviser/veiviser/internal/render"
)

// SourceVersion is what a translation records of the page it was translated from, in its
// front matter as sourceVersion: the first 12 hex digits of the SHA-256 of the source page's
// Markdown body (the text after the front matter, without the whitespace around it). A change
// to the source's front matter alone (its checked date, say) does not make the translation
// behind.
func SourceVersion(body string) string {
	sum := sha256.Sum256([]byte(strings.TrimSpace(body)))
	return hex.EncodeToString(sum[:])[:12]
}

// Stale is a translation whose source changed after it was made.
type Stale struct {
	Translation, Source render.Page
	Recorded, Now       string // the source version the translation records ("" for none), and the source's now
}

// Drift finds, for every pair of pages of the languages in pairs (bokmål, the source, and its
// English translation), the translations whose sourceVersion is not their source's version
// now, and those that record none.
func Drift(pages []render.Page) []Stale {
	byKey := map[[2]string]render.Page{} // lang, key → page
	for _, p := range pages {
		byKey[[2]string{p.Lang, p.TranslationKey}] = p
	}
	var out []Stale
	for _, pair := range pairs {
		for _, tr := range pages {
			if tr.Lang != pair[1] {
				continue
			}
			src, ok := byKey[[2]string{pair[0], tr.TranslationKey}]
			if !ok {
				continue
			}
			recorded := fmt.Sprint(tr.Params["sourceversion"])
			if tr.Params["sourceversion"] == nil {
				recorded = ""
			}
			if now := SourceVersion(src.Body); recorded != now {
				out = append(out, Stale{Translation: tr, Source: src, Recorded: recorded, Now: now})
			}
		}
	}
	return out
}

// DriftFindings are the warnings check gives for Drift: one at each translation that records
// a source version other than its source's, naming both files. A translation that records
// none is not judged (veiviser check -drift lists it).
func DriftFindings(pages []render.Page) []Finding {
	var out []Finding
	for _, s := range Drift(pages) {
		if s.Recorded == "" {
			continue
		}
		out = append(out, Finding{File: s.Translation.File, Line: max(1, s.Translation.ParamLines["sourceversion"]), Severity: Warning, Rule: "drift",
			Message: fmt.Sprintf("may be behind its source: %s changed since this translation (sourceVersion %s, the source is now %s); update the text, then set sourceVersion: %q",
				s.Source.File, s.Recorded, s.Now, s.Now)})
	}
	return out
}
