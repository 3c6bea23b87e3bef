package pipeline

import (
	"testing"

	"github.com/veiviser/veiviser/internal/check"
)

// A page rule that repeats a source rule's finding is dropped; findings that only look alike
// (the same broken link on two lines) are not.
func TestWithoutRepeats(t *testing.T) {
	checked := check.Finding{File: "content/nb/om.md", Line: 4, Severity: check.Error, Rule: "checked", Message: "checked is not a date (YYYY-MM-DD): 24.11.2026"}
	repeat := checked
	repeat.Line = 1
	link := check.Finding{File: "content/nb/om.md", Line: 9, Severity: check.Error, Rule: "link", Message: `link "/x/" does not resolve`}
	again := link
	again.Line = 12
	got := withoutRepeats([]check.Finding{checked, repeat, link, again}, 1)
	if len(got) != 3 || got[0] != checked || got[1] != link || got[2] != again {
		t.Errorf("withoutRepeats = %v", got)
	}
}
