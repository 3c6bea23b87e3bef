package browsertest

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

// waitUntil evaluates the JavaScript condition cond until it is true, for at most Timeout.
func waitUntil(tab *Tab, cond string) bool {
	deadline := time.Now().Add(Timeout)
	for time.Now().Before(deadline) {
		if ok, err := Eval[bool](tab, cond); err == nil && ok {
			return true
		}
		time.Sleep(50 * time.Millisecond)
	}
	return false
}

// results are the links of the search box box (its input's id) in the order shown.
func results(t *testing.T, tab *Tab, box string) []string {
	t.Helper()
	hrefs, err := Eval[[]string](tab, fmt.Sprintf(`Array.from(document.querySelectorAll('#%s-results a'), a => a.href)`, box))
	if err != nil {
		t.Fatal(err)
	}
	return hrefs
}

// typeQuery focuses the search box box and types query with real key events, then waits until
// the box shows results (or says it found none).
func typeQuery(t *testing.T, tab *Tab, box, query string) {
	t.Helper()
	if err := tab.Do(chromedp.SendKeys(chromedp.ID(box), query)); err != nil {
		t.Fatalf("typing %q: %v", query, err)
	}
	cond := fmt.Sprintf(`(() => {
		const input = document.getElementById(%q);
		return input.value === %q && (document.querySelectorAll('#%s-results a').length > 0 ||
			document.getElementById('%s-status').textContent === input.form.getAttribute('data-none'));
	})()`, box, query, box, box)
	if !waitUntil(tab, cond) {
		t.Fatalf("typing %q into #%s: no results and no message", query, box)
	}
}

// clearQuery empties the search box with real key presses (select all, delete).
func clearQuery(t *testing.T, tab *Tab, box string) {
	t.Helper()
	if _, err := Eval[bool](tab, fmt.Sprintf(`(() => { const i = document.getElementById(%q); i.focus(); i.select(); return true })()`, box)); err != nil {
		t.Fatal(err)
	}
	if err := key(tab, "Backspace", "Backspace", 8, 0, ""); err != nil {
		t.Fatal(err)
	}
	if !waitUntil(tab, fmt.Sprintf(`document.getElementById(%q).value === "" && document.querySelectorAll('#%s-results a').length === 0`, box, box)) {
		t.Fatal("the results stay after the box is emptied")
	}
}

// TestSearch, on the web site and on the unzipped bundle over file://: words typed into the home
// page's search box find the pages they should, inflected Norwegian included, the words for
// getting help put the get-help page first, a result opens a working page, a query is only ever
// text, and searching changes neither the address nor the history nor any storage.
func TestSearch(t *testing.T) {
	b := New(t)
	for _, v := range variants(t) {
		t.Run(v.name, func(t *testing.T) {
			cases := []struct {
				home, query, want string
				first             bool // want must be the first result
			}{
				{"index.html", "barna", "bekymret-for-noen/barn/index.html", false},
				{"index.html", "barnet", "bekymret-for-noen/barn/index.html", false},
				{"index.html", "ROSA", "er-dette-meg/fa-hjelp/index.html", false},
				{"index.html", "ring", "er-dette-meg/fa-hjelp/index.html", true},
				{"index.html", "hjelp", "er-dette-meg/fa-hjelp/index.html", true},
				{"index.html", "telefon", "er-dette-meg/fa-hjelp/index.html", true},
				{"index.html", "menneskehandelen", "er-dette-meg/hva-er-menneskehandel/index.html", false},
				{"index.html", "barnev", "bekymret-for-noen/barn/index.html", false},               // a prefix, while typing
				{"index.html", "refleksjonsperoden", "er-dette-meg/rettigheter/index.html", false}, // "refleksjonsperioden" with a typo
				{"en/index.html", "children", "en/worried-about-someone/children/index.html", false},
				{"en/index.html", "calling", "en/is-this-me/get-help/index.html", false},
				{"en/index.html", "phone", "en/is-this-me/get-help/index.html", true},
				{"en/index.html", "trafficing", "en/is-this-me/what-is-trafficking/index.html", false}, // one typo
			}
			tab := b.NewTab(t)
			opened := ""
			for _, c := range cases {
				page := v.url(c.home)
				if page != opened {
					if _, err := tab.Open(page); err != nil {
						t.Fatal(err)
					}
					opened = page
				}
				typeQuery(t, tab, "search-home", c.query)
				got := results(t, tab, "search-home")
				want := v.url(c.want)
				found := -1
				for i, h := range got {
					if h == want {
						found = i
						break
					}
				}
				switch {
				case found < 0:
					t.Errorf("%s %q: results %v, none is %s", c.home, c.query, got, want)
				case c.first && found != 0:
					t.Errorf("%s %q: %s is result %d of %v, want it first", c.home, c.query, want, found+1, got)
				}
				if marks, _ := Eval[int](tab, `document.querySelectorAll('#search-home-results mark').length`); marks == 0 {
					t.Errorf("%s %q: no match is marked", c.home, c.query)
				}
				clearQuery(t, tab, "search-home")
			}
			if ev := tab.Events(); len(ev.Console)+len(ev.Failed) > 0 {
				checkEvents(t, "searching", ev, v.root)
			}
		})
	}
}

// TestSearchResultOpens: Enter goes to the first result without leaving the page, arrow keys
// move through the results, the count is announced, and a click on a result opens its page, in
// both variants, with no console error, nothing outside the site requested and the address
// unchanged until then.
func TestSearchResultOpens(t *testing.T) {
	b := New(t)
	for _, v := range variants(t) {
		for _, c := range []struct{ from, box, query, want string }{
			{"index.html", "search-home", "barna", "bekymret-for-noen/barn/index.html"},
			{"er-dette-meg/gjeld/index.html", "search-header", "ROSA", "er-dette-meg/fa-hjelp/index.html"},
			{"en/index.html", "search-home", "children", "en/worried-about-someone/children/index.html"},
		} {
			t.Run(v.name+" "+c.from+" "+c.query, func(t *testing.T) {
				tab := b.NewTab(t)
				start := v.url(c.from)
				if _, err := tab.Open(start); err != nil {
					t.Fatal(err)
				}
				history, _ := Eval[int](tab, `history.length`)
				typeQuery(t, tab, c.box, c.query)
				if err := key(tab, "Enter", "Enter", 13, 0, "\r"); err != nil {
					t.Fatal(err)
				}
				if !waitUntil(tab, fmt.Sprintf(`document.activeElement === document.querySelector('#%s-results a')`, c.box)) {
					t.Error("Enter does not move to the first result")
				}
				if err := key(tab, "ArrowDown", "ArrowDown", 40, 0, ""); err == nil {
					if ok, _ := Eval[bool](tab, fmt.Sprintf(`document.querySelectorAll('#%[1]s-results a').length < 2 || document.activeElement === document.querySelectorAll('#%[1]s-results a')[1]`, c.box)); !ok {
						t.Error("ArrowDown does not move to the next result")
					}
				}
				if !waitUntil(tab, fmt.Sprintf(`/\d/.test(document.getElementById('%s-status').textContent)`, c.box)) {
					t.Error("the number of results is not announced")
				}
				live, _ := Eval[string](tab, fmt.Sprintf(`document.getElementById('%s-status').getAttribute('aria-live')`, c.box))
				if live != "polite" {
					t.Errorf("the count's region has aria-live=%q", live)
				}
				if now := location(t, tab); now != start {
					t.Errorf("searching changed the address to %s", now)
				}
				if n, _ := Eval[int](tab, `history.length`); n != history {
					t.Errorf("searching added %d history entries", n-history)
				}
				stored, _ := Eval[string](tab, `localStorage.length + "/" + sessionStorage.length + "/" + document.cookie`)
				if stored != "0/0/" {
					t.Errorf("after searching, localStorage/sessionStorage/cookie: %s", stored)
				}

				got := results(t, tab, c.box)
				want := v.url(c.want)
				n := -1
				for i, h := range got {
					if h == want {
						n = i
					}
				}
				if n < 0 {
					t.Fatalf("results %v, none is %s", got, want)
				}
				if err := tab.Do(chromedp.Click(chromedp.CSS(fmt.Sprintf("#%s-results li:nth-child(%d) a", c.box, n+1)))); err != nil {
					t.Fatal(err)
				}
				if !waitUntil(tab, fmt.Sprintf(`location.href === %q && document.readyState === "complete" && !!document.querySelector("main h1")`, want)) {
					t.Fatalf("the result did not open %s (at %s)", want, location(t, tab))
				}
				checkEvents(t, c.from+" → "+c.want, tab.Events(), v.root)
			})
		}
	}
}

// TestSearchQueryIsText: a query that is markup shows as text; no element is made from it.
func TestSearchQueryIsText(t *testing.T) {
	b := New(t)
	for _, v := range variants(t) {
		t.Run(v.name, func(t *testing.T) {
			tab := b.NewTab(t)
			if _, err := tab.Open(v.url("index.html")); err != nil {
				t.Fatal(err)
			}
			if _, err := Eval[bool](tab, `window.alert = () => { window.alerted = true }; true`); err != nil {
				t.Fatal(err)
			}
			images, _ := Eval[int](tab, `document.images.length`)
			query := `<img src=x onerror=alert(1)>`
			typeQuery(t, tab, "search-home", query)
			time.Sleep(200 * time.Millisecond)
			got, err := Eval[[]any](tab, `[document.querySelectorAll('.search img').length, document.images.length, !!window.alerted, document.querySelector('.search').innerHTML.includes('<img')]`)
			if err != nil {
				t.Fatal(err)
			}
			if got[0] != 0.0 || got[1] != float64(images) || got[2] != false || got[3] != false {
				t.Errorf("query %q: img elements in the search box %v, images on the page %v (before %d), alert %v, markup %v", query, got[0], got[1], images, got[2], got[3])
			}
			checkEvents(t, "index.html", tab.Events(), v.root)
		})
	}
}

// TestSearchIsNarrowAndLoadsLazily: the index is not loaded until the box is focused, and at
// 320 px results do not make the page scroll sideways.
func TestSearchIsNarrowAndLoadsLazily(t *testing.T) {
	tab := New(t).NewTab(t)
	if err := tab.Do(chromedp.EmulateViewport(320, 640)); err != nil {
		t.Fatal(err)
	}
	for _, v := range variants(t) {
		for _, p := range []string{"index.html", "er-dette-meg/gjeld/index.html"} {
			ev, err := tab.Open(v.url(p))
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range ev.Requests {
				if strings.Contains(r, "search-index") {
					t.Errorf("%s %s: the index is loaded before anyone searches: %s", v.name, p, r)
				}
			}
			box := "search-header"
			if p == "index.html" {
				box = "search-home"
			}
			typeQuery(t, tab, box, "menneskehandel")
			w, err := Eval[[]int](tab, `[document.documentElement.scrollWidth, window.innerWidth]`)
			if err != nil {
				t.Fatal(err)
			}
			if w[0] > w[1] {
				t.Errorf("%s %s with results: %d px wide in a %d px window", v.name, p, w[0], w[1])
			}
		}
	}
}

var (
	htmlLang = regexp.MustCompile(`<html[^>]* lang="?([a-zA-Z-]+)`)
	noindex  = regexp.MustCompile(`<meta name="?robots"? content="?noindex`)
)

// TestSearchWithoutJavaScript: with scripts off the search form says it needs JavaScript and
// links the A–Z page, which lists every page of its language.
func TestSearchWithoutJavaScript(t *testing.T) {
	tab := New(t).NewTab(t)
	if _, err := Call(tab, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true}); err != nil {
		t.Fatal(err)
	}
	// The pages of each language, from the built files.
	pagesOf := map[string][]string{}
	for _, p := range built.pages {
		b, err := os.ReadFile(filepath.Join(built.bundle, filepath.FromSlash(p)))
		if err != nil {
			t.Fatal(err)
		}
		m := htmlLang.FindSubmatch(b)
		if m == nil || noindex.Match(b) || strings.HasSuffix(p, "404.html") {
			continue
		}
		pagesOf[string(m[1])] = append(pagesOf[string(m[1])], p)
	}
	for _, v := range variants(t) {
		for _, c := range []struct{ home, locale, az string }{
			{"index.html", "nb-NO", "a-a/index.html"},
			{"en/index.html", "en-GB", "en/a-z/index.html"},
		} {
			if _, err := tab.Open(v.url(c.home)); err != nil {
				t.Fatal(err)
			}
			got, err := Eval[[]any](tab, `(() => {
				const f = document.querySelector('form.search');
				const field = f.querySelector('.search-field');
				return [getComputedStyle(field).display, f.querySelector('.search-nojs').innerText.trim(),
					Array.from(f.querySelectorAll('a'), a => a.href).join(' ')];
			})()`)
			if err != nil {
				t.Fatal(err)
			}
			if got[0] != "none" || got[1] == "" || got[2] != v.url(c.az) {
				t.Errorf("%s %s without JavaScript: search field display %v, says %q, links %q (want %s)", v.name, c.home, got[0], got[1], got[2], v.url(c.az))
			}
			if _, err := tab.Open(v.url(c.az)); err != nil {
				t.Fatal(err)
			}
			listed, err := tab.Links()
			if err != nil {
				t.Fatal(err)
			}
			has := map[string]bool{}
			for _, l := range listed {
				has[l] = true
			}
			for _, p := range pagesOf[c.locale] {
				if p != c.az && !has[v.url(p)] {
					t.Errorf("%s %s: the A–Z page does not link %s", v.name, c.az, p)
				}
			}
		}
	}
}
