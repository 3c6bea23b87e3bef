package browsertest

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/input"
	cdppage "github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// isNeutral reports whether p is an exit destination of the offline bundle: on purpose such a
// page looks like nothing but a weather page, without the site's header, numbers or exit.
func isNeutral(p string) bool {
	return p == "vaer/index.html" || strings.HasSuffix(p, "weather/index.html")
}

// locales are the site's languages with the lang and dir their pages must declare, and
// defaultLanguage the one at the site's root, read from hugo.toml by TestMain.
var (
	locales         map[string]siteLanguage
	defaultLanguage string
)

// languageOf is the language of page p, from its first folder.
func languageOf(p string) string {
	if first, _, ok := strings.Cut(p, "/"); ok {
		if _, known := locales[first]; known {
			return first
		}
	}
	return defaultLanguage
}

// variant is one way a reader gets the site.
type variant struct {
	name string
	root string // URL of the site's root folder
	exit string // where the quick exit leads (a prefix)
}

// url is the address of page p (a path in the built tree) in this variant.
func (v variant) url(p string) string {
	if v.name == "web" {
		return v.root + strings.TrimSuffix(p, "index.html")
	}
	return v.root + p
}

func variants(t *testing.T) []variant {
	return []variant{
		{"web", serve(t), "https://www.yr.no/"},
		{"offline", "file://" + filepath.ToSlash(built.bundle) + "/", ""},
	}
}

// readerPages are every built page but the neutral exit pages.
func readerPages() []string {
	var out []string
	for _, p := range built.pages {
		if !isNeutral(p) {
			out = append(out, p)
		}
	}
	return out
}

// tel is the tel: link the site must give for contact id, derived from data/contacts.yaml.
func tel(t *testing.T, id string) string {
	contacts, _ := built.data["contacts"].(map[string]any)
	c, _ := contacts[id].(map[string]any)
	phone, _ := c["phone"].(string)
	if phone == "" {
		t.Fatalf("no phone for contact %s in data/contacts.yaml", id)
	}
	digits := strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, phone)
	if len(digits) == 8 {
		return "tel:+47" + digits
	}
	return "tel:" + digits
}

type pageFacts struct {
	Lang, Dir      string
	H1s            int
	FirstFocusable string
	ExitHref       string
	Tels           []string
	FirstScreen    [5]int // at 360×740: the h1's top, the first call button's bottom, the call buttons' smallest side, the audiences' bottom, the exit button's smallest side
	SkipLink       bool
	Sources        bool
	Checked        bool
	SafetyLink     bool
	Landmarks      []string
	// for the safety pages
	H1Text, ExitText, MainText string
	// for the sheets and the Languages / Språk page
	Sheet         bool       // the page is an emergency sheet
	SheetTels     string     // its tel: links, in order
	QR            bool       // it shows a QR code
	SheetURL      string     // the address under the QR code
	PDFLink       [2]string  // the link to its PDF and whether it is shown
	LanguageLinks [][]string // hreflang, lang and address of each link of a .language-list
	LanguageRow   [][]string // hreflang, address and aria-current of each link of the header's language row
}

const factsJS = `(() => {
  const focusable = document.querySelectorAll('a[href], button, input, select, textarea, [tabindex]:not([tabindex="-1"])');
  const exit = document.querySelector('.exit-button');
  return {
    Lang: document.documentElement.lang,
    Dir: document.documentElement.dir,
    H1s: document.querySelectorAll('h1').length,
    FirstFocusable: focusable.length ? focusable[0].className : '',
    ExitHref: exit ? exit.href : '',
    Tels: Array.from(document.querySelectorAll('.help-now a[href^="tel:"]'), a => a.getAttribute('href')),
    FirstScreen: (() => {
      // On the phone's screen the survey opens pages on: where the h1 starts, where the first
      // tap-to-call button ends, the smallest side of those buttons, and where the last of the
      // home page's audiences ends (0 elsewhere), and the exit button's smallest side.
      const h1 = document.querySelector('h1'), calls = Array.from(document.querySelectorAll('.help-now a[href^="tel:"]'));
      const r = (e) => e.getBoundingClientRect();
      const audiences = Array.from(document.querySelectorAll('.audiences a'));
      return [
        h1 ? Math.round(r(h1).top + scrollY) : -1,
        calls.length ? Math.round(r(calls[0]).bottom + scrollY) : -1,
        calls.length ? Math.round(Math.min(...calls.map(c => Math.min(r(c).width, r(c).height)))) : 0,
        audiences.length ? Math.round(Math.max(...audiences.map(a => r(a).bottom + scrollY))) : 0,
        exit ? Math.round(Math.min(r(exit).width, r(exit).height)) : 0,
      ];
    })(),
    SkipLink: !!document.querySelector('a.skip-link[href="#main"]') && !!document.getElementById('main'),
    Sources: !!document.querySelector('.sources li'),
    Checked: !!document.querySelector('.sources time[datetime]'),
    SafetyLink: Array.from(document.querySelectorAll('footer a')).some(a => /trygg-bruk|safety/.test(a.href)),
    Landmarks: Array.from(document.querySelectorAll('header, nav, main, footer, aside'), e => e.tagName.toLowerCase()),
    H1Text: document.querySelector("h1") ? document.querySelector("h1").textContent : "",
    ExitText: exit ? exit.textContent : "",
    MainText: document.querySelector("main") ? document.querySelector("main").textContent : "",
    Sheet: !!document.querySelector('.sheet'),
    SheetTels: Array.from(document.querySelectorAll('.sheet-contacts a[href^="tel:"]'), a => a.getAttribute('href')).join(' '),
    QR: !!document.querySelector('.sheet .qr svg path'),
    SheetURL: (document.querySelector('.sheet .sheet-url') || {}).textContent || '',
    PDFLink: (() => { const a = document.querySelector('a.sheet-pdf'); return a ? [a.href, a.hidden ? 'hidden' : 'shown'] : ['', ''] })(),
    LanguageLinks: Array.from(document.querySelectorAll('.language-list a'), a => [a.getAttribute('hreflang'), a.lang, a.href]),
    LanguageRow: Array.from(document.querySelectorAll('header .lang-switch a'), a => [a.getAttribute('hreflang'), a.href, a.getAttribute('aria-current') || '']),
  };
})()`

// TestEveryPageHasItsSafetyParts: the exit button first, the "help now" box with the numbers
// of data/contacts.yaml, a skip link, sources and a checked date, lang, one h1, landmarks.
func TestEveryPageHasItsSafetyParts(t *testing.T) {
	t.Parallel()
	wantTels := []string{tel(t, "emergency"), tel(t, "police"), tel(t, "rosa")}
	for _, v := range variants(t) {
		s := surveyOf(t, v)
		// The neutral pages the exit leads to are in the page's language and direction too: an
		// Arabic one set left to right would look broken to whoever is watching.
		for _, p := range built.pages {
			if !isNeutral(p) {
				continue
			}
			f, want := s.page(t, p).Facts, locales[languageOf(p)]
			if f.Lang != want.Locale || f.Dir != want.Direction {
				t.Errorf("%s %s: lang=%q dir=%q, want %q %q", v.name, p, f.Lang, f.Dir, want.Locale, want.Direction)
			}
		}
		for _, p := range readerPages() {
			f := s.page(t, p).Facts
			where := v.name + " " + p
			want := locales[languageOf(p)]
			if f.Lang != want.Locale || f.Dir != want.Direction {
				t.Errorf("%s: lang=%q dir=%q, want %q %q", where, f.Lang, f.Dir, want.Locale, want.Direction)
			}
			if f.H1s != 1 {
				t.Errorf("%s: %d h1 elements", where, f.H1s)
			}
			if !strings.Contains(f.FirstFocusable, "exit-button") {
				t.Errorf("%s: the first thing to focus is %q, not the exit button", where, f.FirstFocusable)
			}
			if f.ExitHref == "" || (v.exit != "" && f.ExitHref != v.exit) || (v.exit == "" && !isNeutral(strings.TrimPrefix(f.ExitHref, v.root))) {
				t.Errorf("%s: exit button leads to %q", where, f.ExitHref)
			}
			if strings.Join(f.Tels, " ") != strings.Join(wantTels, " ") {
				t.Errorf("%s: the help-now box calls %v, want %v", where, f.Tels, wantTels)
			}
			if !f.SkipLink || !f.SafetyLink {
				t.Errorf("%s: skip link %v, footer link to the safety page %v", where, f.SkipLink, f.SafetyLink)
			}
			if !strings.HasSuffix(p, "404.html") && (!f.Sources || !f.Checked) {
				t.Errorf("%s: sources shown %v, checked date shown %v", where, f.Sources, f.Checked)
			}
			for _, lm := range []string{"header", "main", "footer"} {
				if !strings.Contains(" "+strings.Join(f.Landmarks, " ")+" ", " "+lm+" ") {
					t.Errorf("%s: no <%s> landmark", where, lm)
				}
			}
		}
	}
}

type axeResult struct {
	Violations []struct {
		ID    string
		Help  string
		Nodes []struct{ Target []string }
	}
}

// TestNoWCAGViolations runs axe-core (from node_modules) for WCAG 2.1 A and AA on every page
// the survey looks at in depth, in the web variant (the bundle's pages differ only in their
// links).
func TestNoWCAGViolations(t *testing.T) {
	t.Parallel()
	for _, v := range variants(t)[:1] {
		s := surveyOf(t, v)
		for _, p := range inDepth(built.pages) {
			res := s.deep(t, p).Axe
			for _, vi := range res.Violations {
				var where []string
				for _, n := range vi.Nodes {
					where = append(where, strings.Join(n.Target, " "))
				}
				t.Errorf("%s %s: %s (%s) at %s", v.name, p, vi.ID, vi.Help, strings.Join(where, ", "))
			}
		}
	}
}

// TestNarrowScreens: at 320 CSS pixels wide (a small phone, or 1280 px at 400 % zoom) no page
// scrolls sideways, and the quick-exit bar is at most maxBar high (without the Shift hint, which
// shows on a line of its own only where a keyboard is likely).
const maxBar = 48

func TestNarrowScreens(t *testing.T) {
	t.Parallel()
	for _, v := range variants(t) {
		s := surveyOf(t, v)
		for _, p := range inDepth(built.pages) {
			// Measured at 320 px by the survey, which also takes the screenshots
			// (VEIVISER_SCREENSHOTS).
			w := s.deep(t, p).Narrow
			if w[0] > w[1] {
				t.Errorf("%s %s: %d px wide in a %d px window: it scrolls sideways", v.name, p, w[0], w[1])
			}
			if w[2] > maxBar {
				t.Errorf("%s %s: the quick-exit bar is %d px high at 320 px, over %d", v.name, p, w[2], maxBar)
			}
		}
	}
}

// TestReadingNeedsNoJavaScript: with scripts off, every page shows its text, the emergency
// numbers and an exit link that leaves.
func TestReadingNeedsNoJavaScript(t *testing.T) {
	t.Parallel()
	for _, v := range variants(t) {
		s := surveyOf(t, v)
		for _, p := range inDepth(readerPages()) {
			// The survey reads these with DevTools, which runs even with the page's scripts off.
			f := s.deep(t, p).NoJS
			got := []int{f.Text, f.Numbers, f.Exits, f.MainShown}
			if got[0] < 40 || got[1] != 3 || got[2] != 1 || got[3] != 1 {
				t.Errorf("%s %s without JavaScript: text %d chars, %d numbers, %d exit links, main shown %d", v.name, p, got[0], got[1], got[2], got[3])
			}
		}
	}
}

// key sends one real key press (down and up) to the page.
func key(tab *Tab, k, code string, vk int64, modifiers int64, text string) error {
	for _, typ := range []input.DispatchKeyEventType{input.DispatchKeyEventTypeKeyDown, input.DispatchKeyEventTypeKeyUp} {
		p := input.DispatchKeyEventParams{Type: typ, Key: k, Code: code, WindowsVirtualKeyCode: vk, NativeVirtualKeyCode: vk, Modifiers: modifiers}
		if typ == input.DispatchKeyEventTypeKeyDown {
			p.Text = text
		}
		if _, err := Call(tab, input.DispatchKeyEvent, p); err != nil {
			return err
		}
	}
	return nil
}

func shift(tab *Tab) error { return key(tab, "Shift", "ShiftLeft", 16, 8, "") }

// shiftA presses Shift, then A while Shift is held, then lets go of both.
func shiftA(tab *Tab) error {
	steps := []input.DispatchKeyEventParams{
		{Type: input.DispatchKeyEventTypeRawKeyDown, Key: "Shift", Code: "ShiftLeft", WindowsVirtualKeyCode: 16, Modifiers: 8},
		{Type: input.DispatchKeyEventTypeKeyDown, Key: "A", Code: "KeyA", WindowsVirtualKeyCode: 65, Modifiers: 8, Text: "A"},
		{Type: input.DispatchKeyEventTypeKeyUp, Key: "A", Code: "KeyA", WindowsVirtualKeyCode: 65, Modifiers: 8},
		{Type: input.DispatchKeyEventTypeKeyUp, Key: "Shift", Code: "ShiftLeft", WindowsVirtualKeyCode: 16},
	}
	for _, s := range steps {
		if _, err := Call(tab, input.DispatchKeyEvent, s); err != nil {
			return err
		}
	}
	return nil
}

// location returns the tab's address.
func location(t *testing.T, tab *Tab) string {
	t.Helper()
	u, err := Run(tab, chromedp.Location())
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// backDoesNotReturn presses Back in the tab, which left page for the exit's destination, and
// fails the test if that shows page again. The history must hold no entry of page before the
// one shown; where there is an earlier entry, Back must go to it without error and the address
// must change from the destination to something that is not page.
func backDoesNotReturn(t *testing.T, tab *Tab, page, how string) {
	t.Helper()
	h, err := Call(tab, cdppage.GetNavigationHistory, cdp.Empty{})
	if err != nil {
		t.Fatal(err)
	}
	for i, e := range h.Entries {
		if int64(i) < h.CurrentIndex && e.URL == page {
			t.Errorf("%s: the history still holds the page (entry %d of %d) before the exit's destination", how, i, len(h.Entries))
		}
	}
	if h.CurrentIndex == 0 {
		return // nothing to go back to: Back cannot return to the page
	}
	at := h.Entries[h.CurrentIndex].URL
	if err := tab.Do(chromedp.NavigateBack()); err != nil {
		t.Fatalf("%s: Back after the exit: %v", how, err)
	}
	now, moved := waitLocation(tab, func(u string) bool { return u != at })
	if now == page {
		t.Errorf("%s: Back returned to the page", how)
	} else if !moved {
		t.Errorf("%s: Back stayed at %s", how, now)
	}
}

// left reports whether the tab left page for the exit destination of v.
func left(v variant, page, now string) bool {
	if now == page {
		return false
	}
	if v.exit != "" {
		return strings.HasPrefix(now, v.exit) || strings.HasPrefix(now, "chrome-error:") // no network here
	}
	return isNeutral(strings.TrimPrefix(now, v.root))
}

// TestQuickExit: the button and three presses of Shift leave the page for the neutral
// destination, and Back does not return; Shift held for a capital letter does not leave;
// a screen reader is told how many presses remain.
func TestQuickExit(t *testing.T) {
	t.Parallel()
	b := browser(t)
	for _, v := range variants(t) {
		for _, p := range []string{"index.html", "en/is-this-me/get-help/index.html"} {
			page := v.url(p)
			t.Run(v.name+" "+p, func(t *testing.T) {
				t.Parallel()
				for _, how := range []string{"click", "shift"} {
					tab := b.NewTab(t)
					if _, err := tab.Open(page); err != nil {
						t.Fatal(err)
					}
					if how == "click" {
						if err := tab.Do(chromedp.Click(chromedp.CSS(".exit-button"))); err != nil {
							t.Fatal(err)
						}
					} else {
						for i := 0; i < 3; i++ {
							if err := shift(tab); err != nil {
								t.Fatal(err)
							}
						}
					}
					if now, ok := waitLocation(tab, func(u string) bool { return left(v, page, u) }); !ok {
						t.Fatalf("%s: still at %s", how, now)
					}
					backDoesNotReturn(t, tab, page, how)
				}

				tab := b.NewTab(t)
				if _, err := tab.Open(page); err != nil {
					t.Fatal(err)
				}
				for i := 0; i < 3; i++ {
					if err := shiftA(tab); err != nil {
						t.Fatal(err)
					}
				}
				// Shift pressed alone once more must be heard as the first of three (the status
				// says 2 left): so the presses of Shift+A did not count, and had they left the page
				// the address below would show it.
				if err := shift(tab); err != nil {
					t.Fatal(err)
				}
				if !waitUntil(tab, `/2/.test(document.getElementById("exit-status").textContent)`) {
					status, _ := Run(tab, chromedp.TextContent("#exit-status"))
					t.Errorf("after Shift+A three times and one Shift the screen reader hears %q, want the presses left (2)", status)
				}
				if now := location(t, tab); now != page {
					t.Errorf("Shift+A three times left the page for %s", now)
				}
				if err := key(tab, "Tab", "Tab", 9, 0, ""); err != nil {
					t.Fatal(err)
				}
				focused, err := Eval[string](tab, `document.activeElement.className`)
				if err != nil || !strings.Contains(focused, "exit-button") {
					t.Errorf("the first Tab focuses %q, not the exit button", focused)
				}
			})
		}
	}
}

// TestPagesPrintCleanly: in print, no page shows its exit button, skip link, navigation or
// footer, and the emergency numbers are there as text.
func TestPagesPrintCleanly(t *testing.T) {
	t.Parallel()
	v := variants(t)[1]
	s := surveyOf(t, v)
	for _, p := range inDepth(readerPages()) {
		got := s.deep(t, p).Print // with print media emulated
		if got[0] != "" {
			t.Errorf("%s prints %s", p, got[0])
		}
		if !strings.Contains(got[1], "112") {
			t.Errorf("%s prints without the emergency number", p)
		}
	}
}

// waitLocation polls the tab's address until ok accepts it, and returns the last address seen
// and whether ok accepted it within Timeout.
func waitLocation(tab *Tab, ok func(string) bool) (string, bool) {
	deadline := time.Now().Add(Timeout)
	var u string
	for {
		got, err := Run(tab, chromedp.Location())
		if err == nil {
			u = got
			if ok(u) {
				return u, true
			}
		}
		if time.Now().After(deadline) {
			return u, false
		}
		time.Sleep(25 * time.Millisecond)
	}
}

// TestBackAfterExitShowsNoVeiviserPage: with JavaScript a visit is one history entry, so after
// reading three pages and leaving with the quick exit, Back shows the page the reader had open
// before Veiviser (the safety page promises this), over http and file://.
func TestBackAfterExitShowsNoVeiviserPage(t *testing.T) {
	t.Parallel()
	b := browser(t)
	before := filepath.Join(t.TempDir(), "before.html")
	if err := os.WriteFile(before, []byte("<!doctype html><title>before</title><p>Another site"), 0o644); err != nil {
		t.Fatal(err)
	}
	beforeURL := "file://" + filepath.ToSlash(before)
	for _, v := range variants(t) {
		t.Run(v.name, func(t *testing.T) {
			tab := b.NewTab(t)
			if _, err := tab.Open(beforeURL); err != nil {
				t.Fatal(err)
			}
			entries, err := Eval[int](tab, `history.length`)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := tab.Open(v.url("index.html")); err != nil {
				t.Fatal(err)
			}
			// Home → Er dette meg? → Gjeld, by clicking the site's own links. The click is sent in
			// the page itself once it has loaded, so it cannot land on the page before.
			for _, step := range []string{"er-dette-meg", "gjeld"} {
				click := `(function(){if(document.readyState!=="complete")return false;var a=document.querySelector('main a[href*="` + step + `"]');if(!a)return false;a.click();return true})()`
				deadline := time.Now().Add(Timeout)
				for {
					if ok, err := Eval[bool](tab, click); err == nil && ok {
						break
					}
					if time.Now().After(deadline) {
						t.Fatalf("no link to %s to click", step)
					}
					time.Sleep(25 * time.Millisecond)
				}
				if now, ok := waitLocation(tab, func(u string) bool { return strings.Contains(u, step) }); !ok {
					t.Fatalf("the link to %s did not open it: at %s", step, now)
				}
			}
			if _, ok := waitLocation(tab, func(string) bool {
				s, err := Eval[string](tab, `document.readyState`)
				return err == nil && s == "complete"
			}); !ok {
				t.Fatal("the last page did not load")
			}
			if n, err := Eval[int](tab, `history.length`); err != nil || n != entries+1 {
				t.Errorf("after three Veiviser pages history.length = %d (%v), want %d: one entry for the visit", n, err, entries+1)
			}
			page, _ := Run(tab, chromedp.Location())
			if err := tab.Do(chromedp.Click(chromedp.CSS(".exit-button"))); err != nil {
				t.Fatal(err)
			}
			if now, ok := waitLocation(tab, func(u string) bool { return left(v, page, u) }); !ok {
				t.Fatalf("the exit did not leave: at %s", now)
			}
			if err := tab.Do(chromedp.NavigateBack()); err != nil {
				t.Fatalf("Back after the exit: %v", err)
			}
			if now, ok := waitLocation(tab, func(u string) bool { return u == beforeURL }); !ok {
				t.Errorf("Back after the exit shows %s, want the page before Veiviser (%s)", now, beforeURL)
			}
		})
	}
}

// TestShiftHintOnlyWhereAKeyboardIsLikely: the "press Shift three times" hint shows where the
// browser reports a pointer that can hover finely (a PC with a mouse, where a keyboard is
// likely) and stays hidden on a touch screen and without JavaScript, where it cannot work.
func TestShiftHintOnlyWhereAKeyboardIsLikely(t *testing.T) {
	t.Parallel()
	b := browser(t)
	home := variants(t)[0].url("index.html")
	visible := func(t *testing.T, tab *Tab) bool {
		t.Helper()
		if _, err := tab.Open(home); err != nil {
			t.Fatal(err)
		}
		v, err := Eval[bool](tab, `(function(h){return !!h && !h.hidden && h.getBoundingClientRect().height > 0})(document.getElementById("exit-hint"))`)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	// Headless Chromium reports no hovering pointer, as a touch screen does.
	touch := b.NewTab(t)
	if fine, _ := Eval[bool](touch, `matchMedia("(hover: hover) and (pointer: fine)").matches`); fine {
		t.Skip("this Chromium reports a fine pointer; the touch case cannot be arranged")
	}
	if visible(t, touch) {
		t.Error("the Shift hint shows on a touch screen")
	}
	// A PC with a mouse: the same media query answers yes.
	pc := b.NewTab(t)
	if _, err := Call(pc, cdppage.AddScriptToEvaluateOnNewDocument, cdppage.AddScriptToEvaluateOnNewDocumentParams{
		Source: `(function(m){window.matchMedia=function(q){return q==="(hover: hover) and (pointer: fine)"?{matches:true,media:q}:m.call(window,q)}})(window.matchMedia)`,
	}); err != nil {
		t.Fatal(err)
	}
	if !visible(t, pc) {
		t.Error("the Shift hint is hidden on a PC with a mouse")
	}
}
