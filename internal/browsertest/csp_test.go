package browsertest

import (
	"slices"
	"strings"
	"testing"

	cdppage "github.com/chromedp/cdproto/page"
)

// recordViolations is run in every document before its own content: it keeps each
// Content-Security-Policy violation the page reports.
const recordViolations = `window.cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) =>
	cspViolations.push(e.violatedDirective + " blocked " + (e.blockedURI || "inline") + (e.sample ? " (" + e.sample + ")" : "")));`

// TestStylesApplyUnderThePolicy: the stylesheet inlined in every page is allowed by the page's
// Content-Security-Policy (by its hash) and applies, over http and over file://, with no
// violation of the policy (internal/pipeline checks the hash on every page; this checks that
// Chromium agrees), on the pages the survey looks at in depth.
func TestStylesApplyUnderThePolicy(t *testing.T) {
	t.Parallel()
	tab := browser(t).NewTab(t)
	if _, err := Call(tab, cdppage.AddScriptToEvaluateOnNewDocument, cdppage.AddScriptToEvaluateOnNewDocumentParams{Source: recordViolations}); err != nil {
		t.Fatal(err)
	}
	var pages []string
	for p := range built.deep {
		if !isNeutral(p) {
			pages = append(pages, p)
		}
	}
	slices.Sort(pages)
	for _, v := range variants(t) {
		for _, p := range pages {
			ev, err := tab.Open(v.url(p))
			if err != nil {
				t.Errorf("%s %s: %v", v.name, p, err)
				continue
			}
			for _, c := range ev.Console {
				if strings.Contains(c, "Content Security Policy") {
					t.Errorf("%s %s: %s", v.name, p, c)
				}
			}
			violations, err := Eval[[]string](tab, `window.cspViolations`)
			if err != nil {
				t.Errorf("%s %s: %v", v.name, p, err)
			}
			for _, vi := range violations {
				t.Errorf("%s %s: Content-Security-Policy violation: %s", v.name, p, vi)
			}
			// A <style> the policy blocks has no style sheet; one it allows has the rules, and
			// they apply (the stylesheet sets the body's margin to 0; a browser's own is 8px).
			applied, err := Eval[string](tab, `(() => {
				const styles = document.querySelectorAll("style");
				if (styles.length !== 1) return styles.length + " <style> elements, want 1";
				if (!styles[0].sheet || styles[0].sheet.cssRules.length === 0) return "the <style> has no rules: blocked";
				const m = getComputedStyle(document.body).marginTop;
				return m === "0px" ? "" : "the body's margin is " + m + ": the stylesheet does not apply";
			})()`)
			if err != nil {
				t.Errorf("%s %s: %v", v.name, p, err)
			} else if applied != "" {
				t.Errorf("%s %s: %s", v.name, p, applied)
			}
			if n := len(ev.Requests); n > 0 {
				for _, r := range ev.Requests[1:] {
					if strings.HasSuffix(strings.SplitN(r, "?", 2)[0], ".css") {
						t.Errorf("%s %s: loads a stylesheet, %s: the page's CSS is inline", v.name, p, r)
					}
				}
			}
		}
	}
}
