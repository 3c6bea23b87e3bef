package browsertest

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/veiviser/veiviser/internal/sitegen"
)

// The tests that look at every page (the crawls, the safety parts, WCAG, narrow screens,
// print, no JavaScript, the sheets) share one survey per variant. Every page is opened once
// with JavaScript and read for what it logs, requests and links to (the crawls) and for the
// facts the tests assert (pageFacts; a sheet is printed on A4). The pages looked at in depth
// (deepPages) are also checked with axe-core (in the web variant; opened in a tab of their own,
// the only one that loads axe-core into every page), measured at 320 px and in print in that
// same visit, and opened once more with JavaScript off. Pages are surveyed by surveyWorkers
// sets of tabs side by side.
const surveyWorkers = 3

// deepPages are the pages the survey looks at in depth: every page with all set (make test sets
// VEIVISER_ALL_PAGES=1); else, to keep go test quick, a sample with every layout and both
// directions: of the default language every page at the top (the home page, the sections, the
// pages of their own: about, languages, A–Z, the sheet, 404) and the first page of each
// section; the home page of each language written in the other direction; and the English home
// and A–Z pages.
func deepPages(all bool) map[string]bool {
	deep := map[string]bool{"en/index.html": true, "en/a-z/index.html": true}
	seen := map[string]bool{}       // the sections whose first page is in
	for _, p := range built.pages { // sorted: a section's first page comes first
		lang := languageOf(p)
		section, _, _ := strings.Cut(p, "/")
		switch depth := strings.Count(p, "/"); {
		case all:
		case lang == defaultLanguage && depth <= 1: // index.html, om/index.html, 404.html
		case lang == defaultLanguage && depth == 2 && !seen[section]:
			seen[section] = true
		case p == lang+"/index.html" && locales[lang].Direction != locales[defaultLanguage].Direction:
		default:
			continue
		}
		deep[p] = true
	}
	return deep
}

// inDepth are those of pages the survey looks at in depth.
func inDepth(pages []string) []string {
	var out []string
	for _, p := range pages {
		if built.deep[p] {
			out = append(out, p)
		}
	}
	return out
}

// visit is what one page showed in the survey.
type visit struct {
	URL    string
	Deep   bool   // looked at in depth: Axe, Narrow, Print and the NoJS fields are read
	Err    error  // opening the page, or reading a fact of it
	Events Events // while it loaded
	Links  []string
	Facts  pageFacts
	Axe    axeResult
	Narrow [3]int // scrollWidth, innerWidth and the exit bar's height without its Shift hint, at 320 CSS pixels
	Print  [2]string
	PDF    []byte // the page printed on A4, for a sheet
	NoJS   noJSFacts
	NoJSEv Events
	trace  string // how long each step took
}

// noJSFacts are what a page shows with scripts off.
type noJSFacts struct {
	Text, Numbers, Exits, MainShown int
	SearchDisplay, SearchSays       string
	SearchLinks                     string
	Links                           []string
}

type survey struct {
	v      variant
	mu     sync.Mutex
	visits map[string]*visit // by URL
	extra  *Tab              // for pages outside the built tree a crawl reaches
	extraN *Tab
	err    error
}

var surveys sync.Map // variant name → *surveyOnce

type surveyOnce struct {
	once sync.Once
	s    *survey
}

// surveyOf surveys every built page of v (once for the whole package) and returns the survey.
func surveyOf(t *testing.T, v variant) *survey {
	t.Helper()
	so, _ := surveys.LoadOrStore(v.name, &surveyOnce{})
	o := so.(*surveyOnce)
	b := browser(t)
	o.once.Do(func() { o.s = runSurvey(b, v) })
	if o.s.err != nil {
		t.Fatalf("surveying the %s pages: %v", v.name, o.s.err)
	}
	return o.s
}

// axeSource is axe-core, from node_modules.
func axeSource() (string, error) {
	b, err := os.ReadFile(filepath.Join(sitegen.Root(), "node_modules", "axe-core", "axe.min.js"))
	if err != nil {
		return "", fmt.Errorf("axe-core is not installed (make test runs npm ci): %v", err)
	}
	return string(b), nil
}

// surveyTabs are one worker's tabs: one with JavaScript, one for the pages looked at in depth
// with axe-core injected into every document it opens (the js tab itself unless axe is ""), and
// one with JavaScript off.
type surveyTabs struct{ js, deep, nojs *Tab }

func openSurveyTabs(b *Browser, axe string) (tabs surveyTabs, err error) {
	if tabs.js, err = b.OpenTab(); err != nil {
		return tabs, err
	}
	tabs.deep = tabs.js
	if axe != "" {
		if tabs.deep, err = b.OpenTab(); err != nil {
			return tabs, err
		}
		if _, err = Call(tabs.deep, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: axe}); err != nil {
			return tabs, err
		}
	}
	if tabs.nojs, err = b.OpenTab(); err != nil {
		return tabs, err
	}
	if _, err = Call(tabs.nojs, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true}); err != nil {
		return tabs, err
	}
	return tabs, nil
}

// close closes the tabs.
func (tabs surveyTabs) close() {
	for _, tab := range []*Tab{tabs.js, tabs.deep, tabs.nojs} {
		if tab != nil {
			tab.Close()
		}
	}
}

func runSurvey(b *Browser, v variant) *survey {
	s := &survey{v: v, visits: map[string]*visit{}}
	// axe-core judges the web variant's pages only: the bundle's are the same pages with their
	// links rewritten (offline.Make), and axe-core is the survey's slowest part.
	axe := ""
	if v.name == "web" {
		var err error
		if axe, err = axeSource(); err != nil {
			s.err = err
			return s
		}
	}
	began := time.Now()
	var workers []surveyTabs
	for range surveyWorkers {
		tabs, err := openSurveyTabs(b, axe)
		if err != nil {
			tabs.close()
			s.err = err
			return s
		}
		workers = append(workers, tabs)
	}
	jobs := make(chan string)
	var wg sync.WaitGroup
	for _, tabs := range workers {
		wg.Go(func() {
			for p := range jobs {
				u := v.url(p)
				js := tabs.js
				if built.deep[p] {
					js = tabs.deep
				}
				vi := s.look(js, tabs.nojs, u, built.deep[p])
				s.mu.Lock()
				s.visits[u] = vi
				s.mu.Unlock()
			}
		})
	}
	for _, p := range built.pages {
		jobs <- p
	}
	close(jobs)
	wg.Wait()
	if os.Getenv("VEIVISER_SURVEY_TRACE") != "" {
		fmt.Fprintf(os.Stderr, "survey of the %s pages: %s\n", v.name, time.Since(began).Round(time.Millisecond))
	}
	// The first worker's tabs stay open for pages outside the tree that a crawl reaches.
	s.extra, s.extraN = workers[0].js, workers[0].nojs
	if workers[0].deep != workers[0].js {
		workers[0].deep.Close()
	}
	for _, tabs := range workers[1:] {
		tabs.close()
	}
	return s
}

// get returns the visit of u, surveying it now if it is not a built page.
func (s *survey) get(u string) *visit {
	s.mu.Lock()
	defer s.mu.Unlock()
	if vi, ok := s.visits[u]; ok {
		return vi
	}
	vi := s.look(s.extra, s.extraN, u, false)
	s.visits[u] = vi
	return vi
}

// page returns the visit of built page p, failing the test if it could not be surveyed.
func (s *survey) page(t *testing.T, p string) *visit {
	t.Helper()
	vi := s.get(s.v.url(p))
	if vi.Err != nil {
		t.Fatalf("%s %s: %v", s.v.name, p, vi.Err)
	}
	return vi
}

// deep returns the visit of built page p, failing the test unless the survey looked at it in
// depth.
func (s *survey) deep(t *testing.T, p string) *visit {
	t.Helper()
	vi := s.page(t, p)
	if !vi.Deep {
		t.Fatalf("%s %s: not one of the pages the survey looks at in depth (deepPages)", s.v.name, p)
	}
	return vi
}

// look opens u in js and reads its facts; in depth, it reads the rest too, then opens it in
// nojs.
func (s *survey) look(js, nojs *Tab, u string, deep bool) *visit {
	vi := &visit{URL: u, Deep: deep}
	start := time.Now()
	if vi.Err = s.lookJS(js, vi); vi.Err != nil || !deep {
		return vi
	}
	mid := time.Now()
	vi.NoJSEv, vi.Err = nojs.Open(u)
	if vi.Err == nil {
		vi.NoJS, vi.Err = Eval[noJSFacts](nojs, noJSFactsJS)
	}
	if os.Getenv("VEIVISER_SURVEY_TRACE") != "" {
		fmt.Fprintf(os.Stderr, "survey %s: %s with JavaScript (%s), %s without\n", u, mid.Sub(start).Round(time.Millisecond), vi.trace, time.Since(mid).Round(time.Millisecond))
	}
	return vi
}

const noJSFactsJS = `(() => {
	const main = document.querySelector('main');
	const f = document.querySelector('form.search');
	const field = f && f.querySelector('.search-field');
	const says = f && f.querySelector('.search-nojs');
	return {
		Text: main ? main.innerText.trim().length : 0,
		Numbers: document.querySelectorAll('.help-now a[href^="tel:"]').length,
		Exits: document.querySelectorAll('a.exit-button[href]').length,
		MainShown: main && getComputedStyle(main).display !== 'none' ? 1 : 0,
		SearchDisplay: field ? getComputedStyle(field).display : '',
		SearchSays: says ? says.innerText.trim() : '',
		SearchLinks: f ? Array.from(f.querySelectorAll('a'), a => a.href).join(' ') : '',
		Links: Array.from(document.querySelectorAll("a[href]"), a => a.href),
	};
})()`

func (s *survey) lookJS(tab *Tab, vi *visit) (err error) {
	last := time.Now()
	step := func(name string) {
		vi.trace += fmt.Sprintf(" %s %s", name, time.Since(last).Round(time.Millisecond))
		last = time.Now()
	}
	// Each page opens on a phone's screen, 360×740 CSS pixels, whatever the page before left.
	if err := tab.Do(chromedp.EmulateViewport(phoneWidth, phoneHeight)); err != nil {
		return err
	}
	if _, err := Call(tab, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: ""}); err != nil {
		return err
	}
	if vi.Events, err = tab.Open(vi.URL); err != nil {
		return err
	}
	step("open")
	if vi.Links, err = tab.Links(); err != nil {
		return fmt.Errorf("reading links: %v", err)
	}
	if vi.Facts, err = Eval[pageFacts](tab, factsJS); err != nil {
		return err
	}
	if vi.Facts.Sheet {
		if vi.PDF, err = printA4(tab); err != nil {
			return fmt.Errorf("printing: %v", err)
		}
	}
	step("facts")
	if !vi.Deep {
		return nil
	}
	if s.v.name == "web" {
		if vi.Axe, err = Eval[axeResult](tab,
			`axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}, resultTypes: ['violations']})`,
			chromedp.EvalAwaitPromise); err != nil {
			return fmt.Errorf("running axe-core: %v", err)
		}
		step("axe")
	}
	// At 320 CSS pixels wide (a small phone, or 1280 px at 400 % zoom).
	if err := tab.Do(chromedp.EmulateViewport(320, 640)); err != nil {
		return err
	}
	w, err := Eval[[]int](tab, `(() => {
		const bar = document.getElementById('exit'), hint = document.getElementById('exit-hint');
		const h = (e) => e && !e.hidden ? e.getBoundingClientRect().height : 0;
		return [document.documentElement.scrollWidth, window.innerWidth, Math.round(h(bar) - h(hint))];
	})()`)
	if err != nil || len(w) != 3 {
		return fmt.Errorf("measuring at 320 px: %v", err)
	}
	vi.Narrow = [3]int{w[0], w[1], w[2]}
	if dir := os.Getenv("VEIVISER_SCREENSHOTS"); dir != "" && s.v.name == "offline" {
		if shot, err := Run(tab, chromedp.FullScreenshot(90)); err == nil {
			os.WriteFile(filepath.Join(dir, strings.ReplaceAll(strings.TrimPrefix(vi.URL, s.v.root), "/", "_")+".jpg"), shot, 0o644)
		}
	}
	// In print.
	if _, err := Call(tab, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"}); err != nil {
		return err
	}
	got, err := Eval[[]string](tab, `(() => {
		const shown = Array.from(document.querySelectorAll('.exit, .skip-link, nav, .site-footer'))
			.filter(e => getComputedStyle(e).display !== 'none').map(e => e.className || e.tagName);
		return [shown.join(' '), document.body.innerText];
	})()`)
	if err != nil || len(got) != 2 {
		return fmt.Errorf("reading the page in print: %v", err)
	}
	vi.Print = [2]string{got[0], got[1]}
	step("narrow+print")
	return nil
}

// reach returns the pages reachable from start through links under prefix that name a page
// (.html) or a folder (/), breadth first, as a reader clicking through would find them, in the
// order found, with each one's visit.
func (s *survey) reach(start, prefix string) []*visit {
	seen := map[string]bool{start: true}
	queue := []string{start}
	var out []*visit
	for len(queue) > 0 {
		u := queue[0]
		queue = queue[1:]
		vi := s.get(u)
		out = append(out, vi)
		if vi.Err != nil {
			continue
		}
		for _, l := range vi.Links {
			next := withoutFragment(l)
			if strings.HasPrefix(next, prefix) && !seen[next] && (strings.HasSuffix(next, ".html") || strings.HasSuffix(next, "/")) {
				seen[next] = true
				queue = append(queue, next)
			}
		}
	}
	return out
}
