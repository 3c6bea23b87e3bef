package browsertest

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
	"github.com/veiviser/veiviser/internal/pdf"
)

// The print products besides the sheet (sheets_test.go): the poster (A4 and A3) and the wallet
// cards, each a page of every language with its PDFs beside it, and the print page that lists
// them all.

// productPath is where print product kind ("sheet", "poster" or "cards") of lang is in the
// built tree.
func productPath(kind, lang string) string {
	if kind == "sheet" {
		return sheetPath(lang)
	}
	slug := map[string]string{"poster": "poster", "cards": "wallet-cards"}[kind]
	switch lang {
	case "nb":
		return map[string]string{"poster": "plakat", "cards": "lommekort"}[kind] + "/index.html"
	}
	return lang + "/" + slug + "/index.html"
}

// productPDF is one PDF of a print product: its file name beside the page, and its page size
// in points.
type productPDF struct {
	name string
	size [2]int
}

var (
	a4 = [2]int{595, 842}
	a3 = [2]int{842, 1191}
)

// productPDFs are the PDFs of print product kind in lang (layouts/_partials/print/pdfs.html).
func productPDFs(kind, lang string) []productPDF {
	switch kind {
	case "sheet":
		return []productPDF{{"veiviser-" + lang + ".pdf", a4}}
	case "poster":
		return []productPDF{{"veiviser-poster-" + lang + "-a4.pdf", a4}, {"veiviser-poster-" + lang + "-a3.pdf", a3}}
	}
	return []productPDF{{"veiviser-cards-" + lang + ".pdf", a4}}
}

var productKinds = []string{"sheet", "poster", "cards"}

// TestPrintProductPDFs: beside every print product of every language, in both variants, is
// each of its PDFs, printed on exactly one page of its paper (A4 595×842 pt, A3 842×1191 pt).
func TestPrintProductPDFs(t *testing.T) {
	t.Parallel()
	for variant, files := range map[string]map[string][]byte{"web": built.web, "offline": built.off} {
		for _, lang := range languageCodes() {
			for _, kind := range productKinds {
				page := productPath(kind, lang)
				if files[page] == nil {
					t.Errorf("%s: no %s (the %s of %s)", variant, page, kind, lang)
					continue
				}
				for _, want := range productPDFs(kind, lang) {
					name := strings.TrimSuffix(page, "index.html") + want.name
					if files[name] == nil {
						t.Errorf("%s: no %s", variant, name)
						continue
					}
					if got := pdf.PageSizes(files[name]); len(got) != 1 || got[0] != want.size {
						t.Errorf("%s %s: pages %v pt, want one of %v", variant, name, got, want.size)
					}
				}
			}
		}
	}
}

// printTab opens a tab that shows pages as they are printed, on a screen of A4's width.
func printTab(t *testing.T) *Tab {
	tab := browser(t).NewTab(t)
	if err := tab.Do(chromedp.EmulateViewport(794, 1123)); err != nil {
		t.Fatal(err)
	}
	if _, err := Call(tab, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"}); err != nil {
		t.Fatal(err)
	}
	return tab
}

// printed are the facts a test reads from a print product in print.
type printed struct {
	Numbers  [][2]string // each tel: link of the selector's elements, and its font size in CSS px
	QR       float64     // the QR code's width, in CSS px (0: none)
	Cards    [][4]float64
	Overflow []string // cards whose words do not fit on them
	Text     string
}

const printedJS = `((sel, qr) => {
	const box = (e) => { const r = e.getBoundingClientRect(); return [r.left, r.top, r.width, r.height]; };
	const q = document.querySelector(qr);
	return {
		Numbers: Array.from(document.querySelectorAll(sel), a => [a.getAttribute('href'), getComputedStyle(a).fontSize]),
		QR: q && getComputedStyle(q).display !== 'none' ? q.getBoundingClientRect().width : 0,
		Cards: Array.from(document.querySelectorAll('.card'), box),
		Overflow: Array.from(document.querySelectorAll('.card')).filter(c => c.scrollHeight > c.clientHeight + 1 || c.scrollWidth > c.clientWidth + 1).map(c => c.innerText),
		Text: Array.from(document.querySelectorAll('.card')).map(c => c.innerText).join('\n'),
	};
})`

// pt is a CSS length in px ("32px") in points.
func pt(px string) float64 {
	v, _ := strconv.ParseFloat(strings.TrimSuffix(px, "px"), 64)
	return v * 0.75
}

// TestPrintedNumbersAreLarge: in print, the poster's numbers (data/shown.yaml poster) are at
// least 32 pt and its QR code at least 35 mm wide; the sheet's most urgent numbers (urgent)
// at least 24 pt; in every language.
func TestPrintedNumbersAreLarge(t *testing.T) {
	t.Parallel()
	tab := printTab(t)
	v := variants(t)[0]
	for _, lang := range languageCodes() {
		for _, c := range []struct {
			kind, numbers string
			ids           []string
			min           float64
		}{
			{"poster", ".poster-number a[href^='tel:']", shown(t, "poster"), 32},
			{"sheet", ".sheet-urgent .sheet-number a[href^='tel:']", shown(t, "urgent"), 24},
		} {
			p := productPath(c.kind, lang)
			if _, err := tab.Open(v.url(p)); err != nil {
				t.Fatalf("%s: %v", p, err)
			}
			f, err := Eval[printed](tab, fmt.Sprintf("%s(%q, %q)", printedJS, c.numbers, "."+c.kind+"-qr .qr"))
			if err != nil {
				t.Fatalf("%s: %v", p, err)
			}
			var got []string
			for _, n := range f.Numbers {
				got = append(got, n[0])
				if size := pt(n[1]); size < c.min {
					t.Errorf("%s: %s is printed at %.1f pt, want at least %.0f", p, n[0], size, c.min)
				}
			}
			var want []string
			for _, id := range c.ids {
				want = append(want, tel(t, id))
			}
			if strings.Join(got, " ") != strings.Join(want, " ") {
				t.Errorf("%s: the large numbers are %v, want %v", p, got, want)
			}
			if mm := f.QR / 96 * 25.4; c.kind == "poster" && mm < 35 {
				t.Errorf("%s: the QR code is %.1f mm wide in print, want at least 35", p, mm)
			}
		}
	}
}

// TestWalletCards: in print, every language's wallet cards are ten cards of 85×55 mm, all on
// the A4 page (210×297 mm), none overlapping another, each with all its words inside it; and
// nothing on a card names the topic.
func TestWalletCards(t *testing.T) {
	t.Parallel()
	tab := printTab(t)
	v := variants(t)[0]
	const mm = 96 / 25.4 // CSS px
	for _, lang := range languageCodes() {
		p := productPath("cards", lang)
		if _, err := tab.Open(v.url(p)); err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		f, err := Eval[printed](tab, fmt.Sprintf("%s(%q, %q)", printedJS, ".card a[href^='tel:']", "none"))
		if err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		if len(f.Cards) != 10 {
			t.Errorf("%s: %d cards, want 10", p, len(f.Cards))
		}
		for i, c := range f.Cards {
			if math.Abs(c[2]-85*mm) > 1 || math.Abs(c[3]-55*mm) > 1 {
				t.Errorf("%s: card %d is %.1f×%.1f mm, want 85×55", p, i+1, c[2]/mm, c[3]/mm)
			}
			if c[0] < 0 || c[1] < 0 || c[0]+c[2] > 210*mm+1 || c[1]+c[3] > 297*mm+1 {
				t.Errorf("%s: card %d (%.0f, %.0f mm) is not on the A4 page", p, i+1, c[0]/mm, c[1]/mm)
			}
			for j, d := range f.Cards[:i] {
				if c[0] < d[0]+d[2]-1 && d[0] < c[0]+c[2]-1 && c[1] < d[1]+d[3]-1 && d[1] < c[1]+c[3]-1 {
					t.Errorf("%s: cards %d and %d overlap", p, j+1, i+1)
				}
			}
		}
		for _, o := range f.Overflow {
			t.Errorf("%s: the words do not fit on the card: %q", p, o)
		}
		if n := len(f.Numbers); n != 10*len(shown(t, "cards")) {
			t.Errorf("%s: %d numbers on the cards, want %d on each of ten", p, n, len(shown(t, "cards")))
		}
		for _, word := range []string{"menneskehandel", "trafficking"} {
			if strings.Contains(strings.ToLower(f.Text), word) {
				t.Errorf("%s: a card says %q", p, word)
			}
		}
	}
}

// TestPrintPageListsEveryProduct: the print page (nb and en), in both variants, links every
// print product of every language, each language named in its own lang and direction, with a
// shown link to each of its PDFs.
func TestPrintPageListsEveryProduct(t *testing.T) {
	t.Parallel()
	tab := browser(t).NewTab(t)
	for _, v := range variants(t) {
		for _, p := range []string{"skriv-ut/index.html", "en/print/index.html"} {
			if _, err := tab.Open(v.url(p)); err != nil {
				t.Fatalf("%s %s: %v", v.name, p, err)
			}
			items, err := Eval[[][]string](tab, `Array.from(document.querySelectorAll('.print-list li'), li => {
				const a = li.querySelector('a[hreflang]');
				return [a.getAttribute('hreflang'), a.lang, a.dir, a.href].concat(
					Array.from(li.querySelectorAll('a.print-pdf'), p => p.hidden || !p.href ? 'hidden' : p.href));
			})`)
			if err != nil {
				t.Fatalf("%s %s: %v", v.name, p, err)
			}
			seen := map[string]bool{}
			for _, it := range items {
				lang := it[0]
				if !strings.HasPrefix(it[1], lang) || it[2] != locales[lang].Direction && !(it[2] == "" && locales[lang].Direction != "rtl") {
					t.Errorf("%s %s: %s is named with lang=%q dir=%q", v.name, p, lang, it[1], it[2])
				}
				for _, kind := range productKinds {
					page := productPath(kind, lang)
					if !strings.HasSuffix(it[3], strings.TrimSuffix(page, "index.html")) && !strings.HasSuffix(it[3], page) {
						continue
					}
					seen[kind+" "+lang] = true
					pdfs := productPDFs(kind, lang)
					if len(it)-4 != len(pdfs) {
						t.Errorf("%s %s: %s %s has PDF links %v, want %d", v.name, p, kind, lang, it[4:], len(pdfs))
						continue
					}
					for i, want := range pdfs {
						if !strings.HasSuffix(it[4+i], strings.TrimSuffix(page, "index.html")+want.name) {
							t.Errorf("%s %s: %s %s: PDF link %q, want one to %s", v.name, p, kind, lang, it[4+i], want.name)
						}
					}
				}
			}
			for _, lang := range languageCodes() {
				for _, kind := range productKinds {
					if !seen[kind+" "+lang] {
						t.Errorf("%s %s: no link to the %s of %s", v.name, p, kind, lang)
					}
				}
			}
		}
	}
}
