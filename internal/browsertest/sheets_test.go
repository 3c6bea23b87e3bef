package browsertest

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/page"
)

// sheetLanguages are the languages of the emergency sheets (every language of the site has
// one, README), with the text direction each must have, from hugo.toml.
func sheetLanguages() map[string]string {
	out := map[string]string{}
	for code, l := range locales {
		out[code] = l.Direction
	}
	return out
}

// sheetPath is where the sheet of lang is in the built tree.
func sheetPath(lang string) string {
	switch lang {
	case "nb":
		return "hjelpeark/index.html"
	case "en":
		return "en/sheet/index.html"
	}
	return lang + "/sheet/index.html"
}

// shown is a list of contact ids of data/shown.yaml.
func shown(t *testing.T, key string) []string {
	t.Helper()
	lists, _ := built.data["shown"].(map[string]any)
	list, _ := lists[key].([]any)
	var out []string
	for _, id := range list {
		out = append(out, fmt.Sprint(id))
	}
	if len(out) == 0 {
		t.Fatalf("data/shown.yaml has no list %s", key)
	}
	return out
}

// pdfPages counts the pages of a PDF that Chromium made.
func pdfPages(pdf []byte) int {
	return len(regexp.MustCompile(`/Type\s*/Page\b`).FindAll(pdf, -1))
}

// printA4 prints the tab's page as Chromium prints it for a person choosing A4.
func printA4(tab *Tab) ([]byte, error) {
	res, err := Call(tab, page.PrintToPDF, page.PrintToPDFParams{
		PaperWidth: 8.27, PaperHeight: 11.69, PreferCSSPageSize: new(true), PrintBackground: new(false),
	})
	return res.Data, err
}

// TestEmergencySheets: every sheet exists in both variants with the right lang and dir,
// shows every number of data/contacts.yaml it lists, and prints on exactly one A4 page.
func TestEmergencySheets(t *testing.T) {
	t.Parallel()
	// The most urgent numbers first (data/shown.yaml urgent), then the rest of the sheet's list.
	numbers := []string{}
	urgent, sheet := shown(t, "urgent"), shown(t, "sheet")
	for _, id := range urgent {
		if slices.Contains(sheet, id) {
			numbers = append(numbers, tel(t, id))
		}
	}
	for _, id := range sheet {
		if !slices.Contains(urgent, id) {
			numbers = append(numbers, tel(t, id))
		}
	}
	if len(sheetLanguages()) < 2 {
		t.Fatalf("hugo.toml declares %d languages", len(sheetLanguages()))
	}
	for _, v := range variants(t) {
		s := surveyOf(t, v)
		for lang, dir := range sheetLanguages() {
			p := sheetPath(lang)
			where := v.name + " " + p
			vi := s.get(v.url(p))
			if vi.Err != nil {
				t.Fatalf("%s: %v", where, vi.Err)
			}
			f := vi.Facts
			if !strings.HasPrefix(f.Lang, lang) || f.Dir != dir {
				t.Errorf("%s: lang=%q dir=%q, want %s %s", where, f.Lang, f.Dir, lang, dir)
			}
			if f.SheetTels != strings.Join(numbers, " ") {
				t.Errorf("%s: numbers %s, want %s", where, f.SheetTels, strings.Join(numbers, " "))
			}
			if !f.QR {
				t.Errorf("%s: no QR code", where)
			}
			if !strings.HasPrefix(f.SheetURL, RealBaseURL) {
				t.Errorf("%s: address %q under the QR code, want one on %s", where, f.SheetURL, RealBaseURL)
			}
			// Printed on A4 by the survey (for every page with a .sheet).
			pdf := vi.PDF
			if !f.Sheet || pdf == nil {
				t.Errorf("%s: not printed as a sheet (no .sheet element)", where)
				continue
			}
			if n := pdfPages(pdf); n != 1 {
				t.Errorf("%s prints on %d pages, want 1", where, n)
			}
			if dir := os.Getenv("VEIVISER_SCREENSHOTS"); dir != "" && v.name == "offline" {
				os.WriteFile(filepath.Join(dir, "sheet-"+lang+".pdf"), pdf, 0o644)
			}
		}
	}
}

// TestLanguagesPageLinksEverySheet: the Languages / Språk page links all 14 sheets, each
// named in its own language.
func TestLanguagesPageLinksEverySheet(t *testing.T) {
	t.Parallel()
	for _, v := range variants(t) {
		s := surveyOf(t, v)
		for _, p := range []string{"sprak/index.html", "en/languages/index.html"} {
			links := s.page(t, p).Facts.LanguageLinks
			seen := map[string]bool{}
			for _, l := range links {
				seen[l[0]] = true
				if !strings.HasPrefix(l[1], l[0]) {
					t.Errorf("%s %s: link to %s has lang %q", v.name, p, l[0], l[1])
				}
				if want := sheetPath(l[0]); !strings.HasSuffix(l[2], strings.TrimSuffix(want, "index.html")) && !strings.HasSuffix(l[2], want) {
					t.Errorf("%s %s: link for %s goes to %s", v.name, p, l[0], l[2])
				}
			}
			for lang := range sheetLanguages() {
				if !seen[lang] {
					t.Errorf("%s %s: no link to the %s sheet", v.name, p, lang)
				}
			}
		}
	}
}

// TestSheetPDFs: beside every sheet, in both variants, is its PDF: one A4 page, linked from the
// sheet, with fonts that draw Thai and Arabic.
func TestSheetPDFs(t *testing.T) {
	t.Parallel()
	for _, v := range variants(t) {
		s := surveyOf(t, v)
		for lang := range sheetLanguages() {
			p := sheetPath(lang)
			name := strings.TrimSuffix(p, "index.html") + "veiviser-" + lang + ".pdf"
			for variant, files := range map[string]map[string][]byte{"web": built.web, "offline": built.off} {
				if variant != v.name {
					continue
				}
				pdf := files[name]
				if pdf == nil {
					t.Errorf("%s: no %s", v.name, name)
					continue
				}
				if n := pdfPages(pdf); n != 1 {
					t.Errorf("%s %s has %d pages", v.name, name, n)
				}
				fonts := strings.Join(regexp.MustCompile(`/BaseFont\s*/[A-Z]{6}\+([A-Za-z-]+)`).FindAllString(string(pdf), -1), " ")
				if lang == "th" && !strings.Contains(fonts, "Thai") {
					t.Errorf("%s: no Thai font embedded (%s)", name, fonts)
				}
				if lang == "ar" && !regexp.MustCompile(`Arab|Naskh|Kufi|DejaVuSans`).MatchString(fonts) {
					t.Errorf("%s: no font with Arabic letters embedded (%s)", name, fonts)
				}
			}
			vi := s.get(v.url(p))
			if vi.Err != nil {
				t.Fatal(vi.Err)
			}
			link := vi.Facts.PDFLink
			if !strings.HasSuffix(link[0], "veiviser-"+lang+".pdf") || link[1] != "shown" {
				t.Errorf("%s %s: PDF link %v", v.name, p, link)
			}
		}
	}
}
