package browsertest

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestOneFileEditionWorksAlone copies each of three one-file editions (the default language,
// English and Arabic) alone into an empty folder, as a phone's Downloads folder holds it, and
// opens it over file:// at 360×740: nothing else is requested, nothing fails, no console error
// (a style the policy refuses would be one), every #link leads to an element of the file, the
// help-now numbers are in the first screen, a note says what the exit does without JavaScript,
// and the exit link leaves it.
func TestOneFileEditionWorksAlone(t *testing.T) {
	t.Parallel()
	b := browser(t)
	for _, lang := range []string{defaultLanguage, "en", "ar"} {
		t.Run(lang, func(t *testing.T) {
			src := built.oneFile[lang]
			if src == "" {
				t.Fatalf("no one-file edition in %s", lang)
			}
			body, err := os.ReadFile(src)
			if err != nil {
				t.Fatal(err)
			}
			alone := filepath.Join(t.TempDir(), filepath.Base(src))
			if err := os.WriteFile(alone, body, 0o644); err != nil {
				t.Fatal(err)
			}
			page := "file://" + filepath.ToSlash(alone)
			tab := b.NewTab(t)
			if err := tab.Do(chromedp.EmulateViewport(phoneWidth, phoneHeight)); err != nil {
				t.Fatal(err)
			}
			ev, err := tab.Open(page)
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range ev.Requests {
				if r != page && !strings.HasPrefix(r, "data:") {
					t.Errorf("it requests %s", r)
				}
			}
			if len(ev.Failed) > 0 || len(ev.Console) > 0 {
				t.Errorf("failed requests %v, console errors %v", ev.Failed, ev.Console)
			}
			got, err := Eval[[]string](tab, `(() => {
				const out = [];
				const links = document.querySelectorAll('a[href^="#"]');
				for (const a of links) {
					const id = decodeURIComponent(a.getAttribute('href').slice(1));
					if (!document.getElementById(id)) out.push('#' + id + ' (' + a.textContent.trim().slice(0, 30) + ')');
				}
				const call = document.querySelector('.help-now a[href^="tel:"]');
				if (!call || call.getBoundingClientRect().bottom > innerHeight) out.push('no call button in the first screen');
				if (links.length < 10) out.push('only ' + links.length + ' links within the file');
				if (getComputedStyle(document.querySelector('.exit')).position !== 'sticky') out.push('the stylesheet does not apply');
				// The file says that its quick exit works without JavaScript: at its top, before
				// the contents, and on the safety page, where the web site's words follow.
				const notes = document.querySelectorAll('.onefile-note');
				if (notes.length !== 2 || [...notes].some(n => n.hidden || !n.offsetHeight || !n.textContent.includes(document.querySelector('.exit-button').textContent.trim())))
					out.push(notes.length + ' notes on what the quick exit does in the file, want 2 shown, naming the button');
				const contents = document.querySelector('.onefile-contents');
				if (notes.length && !(notes[0].compareDocumentPosition(contents) & Node.DOCUMENT_POSITION_FOLLOWING)) out.push('the note on the quick exit comes after the contents');
				return out;
			})()`)
			if err != nil {
				t.Fatal(err)
			}
			for _, g := range got {
				t.Error(g)
			}
			if err := tab.Do(chromedp.Click(chromedp.CSS(".exit-button"))); err != nil {
				t.Fatal(err)
			}
			if now, ok := waitLocation(tab, func(u string) bool { return u != page }); !ok || !(strings.HasPrefix(now, "https://www.yr.no/") || strings.HasPrefix(now, "chrome-error:")) {
				t.Errorf("the exit link leads to %s", now)
			}
		})
	}
}
