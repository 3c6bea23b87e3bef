package check

import (
	"fmt"
	"slices"
	"strings"

	"github.com/veiviser/veiviser/internal/render"
)

// Descriptions warns about every page without a description that readers find in a list: in a
// language with the whole site (full in data/languages.yaml), a page or section other than the
// A–Z page itself (pages with build: {list: never} are not in pages at all). A description is
// the line under the page's title in section lists, on the A–Z page and in search results, and
// what a shared link shows: without one a reader sees the title alone.
func Descriptions(pages []render.Page, data map[string]any) []Finding {
	full := fullLanguages(data)
	var out []Finding
	for _, p := range pages {
		if p.Kind != "page" && p.Kind != "section" || !slices.Contains(full, p.Lang) || p.TranslationKey == "a-z" {
			continue
		}
		d, ok := p.Params["description"].(string)
		if ok && strings.TrimSpace(d) != "" {
			continue
		}
		line := p.ParamLines["description"]
		if line == 0 {
			line = 1
		}
		out = append(out, Finding{File: p.File, Line: line, Severity: Warning, Rule: "description",
			Message: fmt.Sprintf("no description: search results, lists and shared links show the title %q alone (description: one short sentence on what the page answers)", p.Title)})
	}
	return out
}

// fullLanguages are the languages with the whole site, from data/languages.yaml.
func fullLanguages(data map[string]any) []string {
	langs, _ := data["languages"].(map[string]any)
	return stringList(langs["full"])
}
