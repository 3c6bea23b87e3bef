package browsertest

import (
	"path"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/veiviser/veiviser/internal/links"
)

// webPath is the file in the web tree that root-relative link u opens ("" if it is not one).
func webPath(u string) string {
	u, _, _ = strings.Cut(u, "#")
	u, _, _ = strings.Cut(u, "?")
	if !strings.HasPrefix(u, "/") || strings.HasPrefix(u, "//") {
		return ""
	}
	p := strings.TrimPrefix(u, "/")
	if p == "" || strings.HasSuffix(p, "/") {
		p += "index.html"
	}
	return path.Clean(p)
}

// alternatePath is the file in the web tree that a page's rel=alternate link u names: the
// site's full address, as search engines want it (or a root-relative link).
func alternatePath(u string) string {
	if rest, ok := strings.CutPrefix(u, RealBaseURL); ok {
		u = "/" + rest
	}
	return webPath(u)
}

// TestLinksStayInTheReadersLanguage: a link a reader follows from a page in one language
// opens the page in that language wherever the target has a translation in it. Only links
// marked with hreflang (the language row, and fallbacks to a page that has no translation)
// may lead to another language.
func TestLinksStayInTheReadersLanguage(t *testing.T) {
	t.Parallel()
	// translations[p][lang] is page p's translation in lang, from its rel=alternate links.
	translations := map[string]map[string]string{}
	for p, doc := range built.web {
		if !strings.HasSuffix(p, ".html") {
			continue
		}
		alt := map[string]string{languageOf(p): p}
		links.Walk(doc, func(e *links.Element, r links.Ref) {
			if e == nil || e.Name != "link" || e.Get("hreflang") == nil {
				return
			}
			if rel := e.Get("rel"); rel != nil && rel.Val == "alternate" {
				alt[e.Get("hreflang").Val] = alternatePath(r.URL)
			}
		})
		translations[p] = alt
	}
	var bad []string
	for p, doc := range built.web {
		if !strings.HasSuffix(p, ".html") || isNeutral(p) {
			continue
		}
		lang := languageOf(p)
		links.Walk(doc, func(e *links.Element, r links.Ref) {
			if e == nil || e.Name != "a" || e.Get("hreflang") != nil {
				return
			}
			target := webPath(r.URL)
			if target == "" || languageOf(target) == lang {
				return
			}
			if own, ok := translations[target][lang]; ok {
				bad = append(bad, p+": "+r.URL+" is in "+languageOf(target)+"; the page in "+lang+" is /"+strings.TrimSuffix(own, "index.html"))
			} else {
				bad = append(bad, p+": "+r.URL+" leads to "+languageOf(target)+" without saying so (hreflang)")
			}
		})
	}
	sort.Strings(bad)
	for _, b := range bad {
		t.Error(b)
	}
}

// TestSafetyPageInEveryLanguage: each of the site's languages has its own safety page, in that
// language and direction, which its help page and its emergency sheet link to; it opens over
// http and file:// and says what the quick exit does.
func TestSafetyPageInEveryLanguage(t *testing.T) {
	t.Parallel()
	pages := map[string]map[string]string{} // translationKey's page per language
	for _, key := range []string{"trygg-bruk/index.html", "er-dette-meg/fa-hjelp/index.html", "hjelpeark/index.html"} {
		if _, ok := built.web[key]; !ok {
			t.Fatalf("no %s in the web tree", key)
		}
		alt := map[string]string{"nb": key}
		links.Walk(built.web[key], func(e *links.Element, r links.Ref) {
			if e != nil && e.Name == "link" && e.Get("hreflang") != nil {
				alt[e.Get("hreflang").Val] = alternatePath(r.URL)
			}
		})
		pages[key] = alt
	}
	safety, help, sheet := pages["trygg-bruk/index.html"], pages["er-dette-meg/fa-hjelp/index.html"], pages["hjelpeark/index.html"]
	for _, lang := range languageCodes() {
		want := locales[lang]
		page, ok := safety[lang]
		if !ok {
			t.Errorf("%s: no safety page (no translation of trygg-bruk)", lang)
			continue
		}
		for _, from := range []string{help[lang], sheet[lang]} {
			linked := false
			links.Walk(built.web[from], func(e *links.Element, r links.Ref) {
				linked = linked || (e != nil && e.Name == "a" && e.Get("hreflang") == nil && webPath(r.URL) == page)
			})
			if !linked {
				t.Errorf("%s: %s does not link to the safety page %s", lang, from, page)
			}
		}
		for _, v := range variants(t) {
			t.Run(lang+" "+v.name, func(t *testing.T) {
				vi := surveyOf(t, v).get(v.url(page))
				if vi.Err != nil {
					t.Fatal(vi.Err)
				}
				if len(vi.Events.Failed) > 0 {
					t.Errorf("failed requests: %v", vi.Events.Failed)
				}
				f := vi.Facts
				dir := f.Dir
				if dir == "" {
					dir = "ltr"
				}
				if f.Lang != want.Locale || dir != want.Direction {
					t.Errorf("lang=%q dir=%q, want %q %q", f.Lang, dir, want.Locale, want.Direction)
				}
				if strings.TrimSpace(f.H1Text) == "" {
					t.Error("no heading")
				}
				if exit := strings.TrimSpace(f.ExitText); exit == "" || !strings.Contains(f.MainText, exit) {
					t.Errorf("the page does not explain the exit button %q by its name", exit)
				}
			})
		}
	}
}

// TestLanguageRowOnEveryPage: every page's header lists every language of the site, each once,
// the page's own first and marked as current, and links each to a page in that language (the page's
// translation, or that language's home page), in both variants.
func TestLanguageRowOnEveryPage(t *testing.T) {
	t.Parallel()
	want := strings.Join(languageCodes(), " ")
	for _, v := range variants(t) {
		s := surveyOf(t, v)
		for _, p := range readerPages() {
			var got, current []string
			for _, l := range s.page(t, p).Facts.LanguageRow {
				lang, href, cur := l[0], l[1], l[2]
				got = append(got, lang)
				if cur != "" {
					current = append(current, lang)
				}
				target := strings.TrimPrefix(href, v.root)
				if target == href || strings.HasSuffix(target, "/") || target == "" {
					target += "index.html"
				}
				if languageOf(target) != lang || !slices.Contains(built.pages, target) {
					t.Errorf("%s %s: the language row links %s to %s", v.name, p, lang, href)
				}
			}
			sort.Strings(got)
			if strings.Join(got, " ") != want {
				t.Errorf("%s %s: the language row lists %v, want %s", v.name, p, got, want)
			}
			if len(current) != 1 || current[0] != languageOf(p) {
				t.Errorf("%s %s: the language row marks %v as current, want %s", v.name, p, current, languageOf(p))
			}
			// The page's own language first: on a narrow screen the row scrolls, and the
			// reader still sees which language they are reading.
			if row := s.page(t, p).Facts.LanguageRow; len(row) == 0 || row[0][0] != languageOf(p) {
				t.Errorf("%s %s: the language row does not start with the page's own language", v.name, p)
			}
		}
	}
}
