package check

import (
	"testing"

	"github.com/veiviser/veiviser/internal/render"
)

func TestDescriptions(t *testing.T) {
	data := map[string]any{"languages": map[string]any{"full": []any{"nb", "en"}}}
	withDesc := func(edit func(p *render.Page)) render.Page {
		p := page(map[string]any{"description": "Hvem du kan ringe."}, "Tekst.")
		p.Lang, p.Kind, p.Title = "nb", "page", "Få hjelp"
		p.ParamLines = map[string]int{"title": 2, "description": 3}
		edit(&p)
		return p
	}
	for _, tc := range []struct {
		name string
		page render.Page
		want string // "" for no finding
	}{
		{"with a description", withDesc(func(p *render.Page) {}), ""},
		{"none", withDesc(func(p *render.Page) { delete(p.Params, "description"); delete(p.ParamLines, "description") }),
			`content/nb/x.md:1: warning: no description: search results, lists and shared links show the title "Få hjelp" alone`},
		{"empty, at its line", withDesc(func(p *render.Page) { p.Params["description"] = "  " }),
			`content/nb/x.md:3: warning: no description`},
		{"a section", withDesc(func(p *render.Page) { p.Kind = "section"; p.Params["description"] = "" }),
			`content/nb/x.md:3: warning: no description`},
		{"in English", withDesc(func(p *render.Page) { p.Lang = "en"; p.Params["description"] = "" }),
			`content/nb/x.md:3: warning: no description`},
		// Pages no list shows: their description is never read there.
		{"the home page", withDesc(func(p *render.Page) { p.Kind = "home"; p.Params["description"] = "" }), ""},
		{"the A–Z page", withDesc(func(p *render.Page) { p.TranslationKey = "a-z"; p.Params["description"] = "" }), ""},
		{"a sheet language", withDesc(func(p *render.Page) { p.Lang = "pl"; p.Params["description"] = "" }), ""},
	} {
		fs := Descriptions([]render.Page{tc.page}, data)
		if tc.want == "" {
			if len(fs) > 0 {
				t.Errorf("%s: %v", tc.name, fs)
			}
			continue
		}
		one(t, fs, Warning, "content/nb/x.md", tc.want)
	}
}
