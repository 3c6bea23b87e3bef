package browsertest

import (
	"net/url"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// The phone the survey opens every page on (a common cheap Android phone, in CSS pixels), and
// what its first screen must show.
const (
	phoneWidth  = 360
	phoneHeight = 740
	h1MaxTop    = 200 // the page's heading starts within this many pixels of the top
	tapTarget   = 44  // the smallest side of a tap-to-call button (WCAG 2.5.5's 44 px)
)

// TestFirstScreenOnAPhone: at 360×740, every page's h1 starts within the first 200 px, the exit
// button is at least 44×44 px and a tap-to-call button (as large) ends within the first screen; on a home page with
// audiences, all of them are in the first screen too. Both variants, every language.
func TestFirstScreenOnAPhone(t *testing.T) {
	t.Parallel()
	for _, v := range variants(t) {
		s := surveyOf(t, v)
		for _, p := range readerPages() {
			f := s.page(t, p).Facts.FirstScreen
			where := v.name + " " + p
			if f[0] < 0 || f[0] > h1MaxTop {
				t.Errorf("%s: the h1 starts at y=%d on a %d×%d screen, want at most %d", where, f[0], phoneWidth, phoneHeight, h1MaxTop)
			}
			if f[1] < 0 || f[1] > phoneHeight {
				t.Errorf("%s: the first tap-to-call button ends at y=%d, below the first screen (%d px)", where, f[1], phoneHeight)
			}
			if f[4] < tapTarget {
				t.Errorf("%s: the exit button is %d px on its smallest side, want at least %d", where, f[4], tapTarget)
			}
			if f[2] < tapTarget {
				t.Errorf("%s: a tap-to-call button is %d px on its smallest side, want at least %d", where, f[2], tapTarget)
			}
			if f[3] > phoneHeight {
				t.Errorf("%s: the audiences end at y=%d, below the first screen (%d px)", where, f[3], phoneHeight)
			}
			if isHome(p) && languageHasAudiences(p) && f[3] == 0 {
				t.Errorf("%s: no audiences on the home page", where)
			}
		}
	}
}

// isHome says whether p is a language's home page.
func isHome(p string) bool {
	first, rest, _ := strings.Cut(p, "/")
	_, lang := locales[first]
	return p == "index.html" || lang && rest == "index.html"
}

// languageHasAudiences says whether the language of home page p has sections (the full site,
// whose home page lists them as audiences): some page of it lies two folders deep.
func languageHasAudiences(p string) bool {
	lang := languageOf(p)
	for _, q := range built.pages {
		if languageOf(q) != lang {
			continue
		}
		if lang != defaultLanguage {
			q = strings.TrimPrefix(q, lang+"/")
		}
		if strings.Count(q, "/") >= 2 {
			return true
		}
	}
	return false
}

// TestFocusNeverUnderTheBar: on a phone's screen, tabbing forward through a long page and
// back again, each focused element outside the sticky quick-exit bar is wholly below the bar
// (WCAG 2.4.11 asks that it be not wholly hidden), and so is main after the skip link.
func TestFocusNeverUnderTheBar(t *testing.T) {
	t.Parallel()
	b := browser(t)
	v := variants(t)[0]
	for _, p := range []string{"jobber-med-dette/loven/index.html", "en/is-this-me/get-help/index.html", "ar/index.html"} {
		t.Run(p, func(t *testing.T) {
			tab := b.NewTab(t)
			if err := tab.Do(chromedp.EmulateViewport(phoneWidth, phoneHeight)); err != nil {
				t.Fatal(err)
			}
			if _, err := tab.Open(v.url(p)); err != nil {
				t.Fatal(err)
			}
			// Where the focused element is against the bar: "" when fine, else what is hidden.
			const hidden = `(() => {
				const e = document.activeElement, bar = document.getElementById('exit');
				if (!e || e === document.body || bar.contains(e)) return '';
				const r = e.getBoundingClientRect(), under = bar.getBoundingClientRect().bottom;
				if (r.top >= under - 1) return '';
				// Its top is where the bar is: hidden, unless it is drawn over the bar (the skip link).
				const hit = document.elementFromPoint(r.left + r.width / 2, Math.max(r.top, 0) + 1);
				return hit && bar.contains(hit) ? (e.id || e.className || e.tagName) + ' ' + (e.textContent || '').trim().slice(0, 30) + ' at y=' + Math.round(r.top) + ', the bar ends at ' + Math.round(under) : '';
			})()`
			n, err := Eval[int](tab, `document.querySelectorAll('a[href], button:not([hidden]), input:not([type=hidden])').length`)
			if err != nil || n < 10 {
				t.Fatalf("%d things to focus (%v): the page no longer fits the test", n, err)
			}
			check := func(how string, i int) {
				if h, err := Eval[string](tab, hidden); err != nil {
					t.Fatal(err)
				} else if h != "" {
					t.Errorf("%s %d: %s", how, i, h)
				}
			}
			for i := 1; i <= n; i++ {
				if err := key(tab, "Tab", "Tab", 9, 0, ""); err != nil {
					t.Fatal(err)
				}
				check("Tab", i)
			}
			for i := 1; i <= n; i++ {
				if err := key(tab, "Tab", "Tab", 9, 8, ""); err != nil { // 8: Shift
					t.Fatal(err)
				}
				check("Shift+Tab", i)
			}
			// The skip link, from the top: main takes the focus below the bar.
			if _, err := tab.Open(v.url(p)); err != nil {
				t.Fatal(err)
			}
			if _, err := Eval[any](tab, `window.scrollTo(0, 200); document.querySelector('.skip-link').focus()`); err != nil {
				t.Fatal(err)
			}
			if err := key(tab, "Enter", "Enter", 13, 0, "\r"); err != nil {
				t.Fatal(err)
			}
			if !waitUntil(tab, `document.activeElement === document.getElementById('main')`) {
				t.Fatal("the skip link does not move the focus to main")
			}
			check("the skip link", 1)
			// main is no control: no frame is drawn round it.
			if frame, err := Eval[string](tab, `(() => { const s = getComputedStyle(document.getElementById('main')); return s.outlineStyle + ' ' + s.boxShadow })()`); err != nil || frame != "none none" {
				t.Errorf("main, focused by the skip link, is drawn with outline and shadow %q (%v)", frame, err)
			}
		})
	}
}

var (
	contentH2   = regexp.MustCompile(`<h2 id=([^ >]+)[^>]*>`)
	contentsNav = regexp.MustCompile(`<nav class=contents[^>]*>.*?</nav>`)
	contentsRef = regexp.MustCompile(`<a href=#([^ >]+)>`)
	pagerNav    = regexp.MustCompile(`<nav class=pager[^>]*>.*?</nav>`)
	pagerRef    = regexp.MustCompile(`<a href=([^ >]+) rel=(prev|next)>`)
)

// TestContentsAndPager: a page with at least 4 sections under h2 headings in its article lists
// them, in order, under "On this page"; a shorter one has no list. A page in a section links
// the pages before and after it there, and only those.
func TestContentsAndPager(t *testing.T) {
	t.Parallel()
	long, paged := 0, 0
	for _, p := range readerPages() {
		b, err := os.ReadFile(filepath.Join(built.bundle, filepath.FromSlash(p)))
		if err != nil {
			t.Fatal(err)
		}
		html := string(b)
		article, _, _ := strings.Cut(html, "</article>")
		if _, a, ok := strings.Cut(article, "<article"); ok {
			article = a
		} else {
			article = ""
		}
		nav := contentsNav.FindString(article)
		var ids, listed []string
		for _, m := range contentH2.FindAllStringSubmatch(contentsNav.ReplaceAllString(article, ""), -1) {
			if m[1] != "help-now-title" {
				ids = append(ids, m[1])
			}
		}
		for _, m := range contentsRef.FindAllStringSubmatch(nav, -1) {
			id, err := url.PathUnescape(m[1])
			if err != nil {
				t.Errorf("%s: On this page links #%s: %v", p, m[1], err)
			}
			listed = append(listed, id)
		}
		switch {
		case len(ids) >= 4 && strings.Join(listed, " ") != strings.Join(ids, " "):
			t.Errorf("%s: On this page lists %v, the page's sections are %v", p, listed, ids)
		case len(ids) < 4 && nav != "":
			t.Errorf("%s: On this page on a page of %d sections", p, len(ids))
		case len(ids) >= 4:
			long++
		}
		for _, m := range pagerRef.FindAllStringSubmatch(pagerNav.FindString(html), -1) {
			paged++
			target := path.Clean(path.Join(path.Dir(p), m[1]))
			if path.Dir(path.Dir(target)) != path.Dir(path.Dir(p)) || target == p {
				t.Errorf("%s: %s links %s, not a page of its section", p, m[2], m[1])
			}
		}
	}
	if long < 4 || paged < 10 {
		t.Errorf("%d pages list their sections, %d previous/next links: the site no longer fits the test", long, paged)
	}
}
