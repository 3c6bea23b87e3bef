package check

import (
	"fmt"
	"path"
	"slices"
	"strings"

	"github.com/veiviser/veiviser/internal/render"
)

// pairs are the languages the whole site is written in: every page in one has its
// translation in the other.
var pairs = [][2]string{{"nb", "en"}}

var languageNames = map[string]string{"nb": "Norwegian (bokmål)", "en": "English"}

// sheetType is the front matter type of the emergency sheets, one per language.
const sheetType = "sheet"

// Translations checks that every Norwegian page has its English translation and the other way
// round, that no two pages of a language share a translationKey, and that every configured
// language has its emergency sheet (a page with type: sheet). Until the first sheet exists,
// the sheets are only required once more languages than bokmål and English are configured.
func Translations(pages []render.Page, languages []string) []Finding {
	var out []Finding
	byKey := map[string]map[string][]render.Page{} // key → lang → pages
	for _, p := range pages {
		if byKey[p.TranslationKey] == nil {
			byKey[p.TranslationKey] = map[string][]render.Page{}
		}
		byKey[p.TranslationKey][p.Lang] = append(byKey[p.TranslationKey][p.Lang], p)
	}
	for _, p := range pages {
		same := byKey[p.TranslationKey][p.Lang]
		if len(same) > 1 && same[0].File != p.File {
			first := same[0].File
			if l := keyLine(same[0]); l > 0 {
				first = fmt.Sprintf("%s:%d", first, l)
			}
			out = append(out, Finding{File: p.File, Line: max(1, keyLine(p)), Severity: Error, Rule: "translation",
				Message: fmt.Sprintf("translationKey %q is also used by %s: each page of a language needs its own key", p.TranslationKey, first)})
		}
		for _, pair := range pairs {
			other := ""
			switch p.Lang {
			case pair[0]:
				other = pair[1]
			case pair[1]:
				other = pair[0]
			default:
				continue
			}
			if !slices.Contains(languages, other) || len(byKey[p.TranslationKey][other]) > 0 {
				continue
			}
			out = append(out, Finding{File: p.File, Line: 1, Severity: Error, Rule: "translation",
				Message: fmt.Sprintf("no %s translation: no page in %s has translationKey %q", languageNames[other], contentDir(pages, other), p.TranslationKey)})
		}
	}
	out = append(out, sheets(pages, languages)...)
	return append(out, printProducts(pages, languages)...)
}

// The print products besides the sheet: front matter type and layout, and what they are.
var products = []struct{ typ, what string }{{"poster", "poster"}, {"cards", "wallet cards"}}

// printProducts checks that once one language has a poster (or wallet cards), every language
// has one, rendered with its own layout: the print page lists each product in every language.
func printProducts(pages []render.Page, languages []string) []Finding {
	var out []Finding
	for _, pr := range products {
		have := map[string]bool{}
		for _, p := range pages {
			if fmt.Sprint(p.Params["type"]) != pr.typ {
				continue
			}
			have[p.Lang] = true
			if l := fmt.Sprint(p.Params["layout"]); l != pr.typ {
				out = append(out, Finding{File: p.File, Line: max(1, p.ParamLines["type"]), Severity: Error, Rule: "print",
					Message: fmt.Sprintf("%s (type: %s) without layout: %s is rendered as an ordinary page", pr.what, pr.typ, pr.typ)})
			}
		}
		if len(have) == 0 {
			continue
		}
		for _, l := range languages {
			if !have[l] {
				out = append(out, Finding{File: contentDir(pages, l), Severity: Error, Rule: "print",
					Message: fmt.Sprintf("no %s for language %q, though other languages have them: add a page with type: %s and layout: %s", pr.what, l, pr.typ, pr.typ)})
			}
		}
	}
	return out
}

func sheets(pages []render.Page, languages []string) []Finding {
	have := map[string]bool{}
	var out []Finding
	for _, p := range pages {
		if fmt.Sprint(p.Params["type"]) == sheetType {
			have[p.Lang] = true
			if l := fmt.Sprint(p.Params["layout"]); l != sheetType {
				out = append(out, Finding{File: p.File, Line: max(1, p.ParamLines["type"]), Severity: Error, Rule: "sheet",
					Message: fmt.Sprintf("a sheet (type: %s) without layout: %s is rendered as an ordinary page, with no numbers", sheetType, sheetType)})
			}
		}
	}
	if len(have) == 0 {
		if len(languages) <= 2 {
			return nil // the site is bokmål and English only, and has no sheets yet
		}
		return []Finding{{File: "hugo.toml", Severity: Error, Rule: "sheet",
			Message: fmt.Sprintf("%d languages are configured (%s) but there is no emergency sheet: add a page with type: %s in each",
				len(languages), strings.Join(languages, ", "), sheetType)}}
	}
	for _, l := range languages {
		if !have[l] {
			out = append(out, Finding{File: contentDir(pages, l), Severity: Error, Rule: "sheet",
				Message: fmt.Sprintf("no emergency sheet for language %q: add a page with type: %s", l, sheetType)})
		}
	}
	return out
}

// contentDir guesses the content folder of language lang from its pages, or content/<lang>/.
func contentDir(pages []render.Page, lang string) string {
	dir := ""
	for _, p := range pages {
		if p.Lang != lang {
			continue
		}
		d := path.Dir(p.File) + "/"
		if dir == "" || strings.HasPrefix(dir, d) {
			dir = d
		}
	}
	if dir == "" {
		return "content/" + lang + "/"
	}
	return dir
}

// keyLine is the line of p's translationKey in its front matter, or 0.
func keyLine(p render.Page) int { return p.ParamLines["translationkey"] }
