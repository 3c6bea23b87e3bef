package sitegen

import (
	"fmt"
	"strings"
	"testing"

	"github.com/veiviser/veiviser/internal/tree"
)

// recorder is a TB that records the errors a helper reports.
type recorder struct {
	testing.TB
	errs []string
}

func (r *recorder) Helper() {}
func (r *recorder) Errorf(format string, args ...any) {
	r.errs = append(r.errs, fmt.Sprintf(format, args...))
}

func TestAssertFileContent(t *testing.T) {
	files := tree.Tree{
		"index.html": []byte(`<!doctype html><html lang=nb><a class="exit-button big" href=vaer/index.html data-x>Forlat</a><p>Ring 116&nbsp;006<script src=/js/a.js defer></script><svg viewBox="0 0 2 2"><path d=M0/></svg>`),
	}
	for _, tc := range []struct {
		lines []string
		errs  []string // what each error says, in order; none for a pass
	}{
		{[]string{`<a href="vaer/index.html" class="exit-button">`, `<script defer src="/js/a.js">`, `<a data-x>`, "Ring 116&nbsp;006", "! tel:", "! <a href=/en/>", "<svg viewBox='0 0 2 2'>", "<path>"}, nil},
		{[]string{"<html lang=nb>\n\n  ! <html lang=en>\n"}, nil},
		{[]string{`<a class="exit-button" href="/vaer/">`}, []string{`index.html has no <a class="exit-button" href="/vaer/">; its <a> elements:` + "\n\t" + `<a class="exit-button big" href="vaer/index.html" data-x="">`}},
		{[]string{`<img src=x>`}, []string{"its <img> elements: none"}},
		{[]string{"! <a class=big>"}, []string{"index.html has <a class=big>, which it must not"}},
		{[]string{"! Ring"}, []string{`index.html has "Ring", which it must not: …`}},
		{[]string{"112"}, []string{`lacks "112"`}},
	} {
		r := &recorder{TB: t}
		AssertFileContent(r, files, "index.html", tc.lines...)
		if len(r.errs) != len(tc.errs) {
			t.Errorf("%q: errors %q, want %d", tc.lines, r.errs, len(tc.errs))
			continue
		}
		for i, e := range r.errs {
			if !strings.Contains(e, tc.errs[i]) {
				t.Errorf("%q: error %q, want it to contain %q", tc.lines, e, tc.errs[i])
			}
		}
	}
	r := &recorder{TB: t}
	AssertFiles(r, files, "-- index.html --\n<a class=exit-button>\n! Forlat\n-- en/index.html --\nHello\n")
	if len(r.errs) != 2 || !strings.Contains(r.errs[0], `has "Forlat"`) || r.errs[1] != "en/index.html: no such file" {
		t.Errorf("AssertFiles errors %q", r.errs)
	}
}
