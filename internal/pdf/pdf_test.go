package pdf

import (
	"strings"
	"testing"
	"time"

	"github.com/veiviser/veiviser/internal/tree"
)

func TestWithoutChromiumTheLinkStaysHiddenAndTheBuildGoesOn(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	t.Setenv("CHROMIUM", "")
	page := `<p>ark</p><a class=sheet-pdf data-pdf=veiviser-pl.pdf hidden>PDF</a>`
	tr := tree.Tree{"pl/sheet/index.html": []byte(page)}
	res, err := Sheets(tr, time.Unix(0, 0))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(res.Skipped, "PDFs were skipped") {
		t.Errorf("Skipped = %q", res.Skipped)
	}
	if string(tr["pl/sheet/index.html"]) != page || len(tr) != 1 {
		t.Errorf("the tree changed: %v", tr.Paths())
	}
}

func TestRestampKeepsLengthAndSetsTheTime(t *testing.T) {
	in := []byte("<</CreationDate (D:20261124150041+00'00')\n/ModDate (D:20261124150041+00'00')>>")
	out := restamp(in, time.Date(2023, 11, 14, 22, 13, 20, 0, time.UTC))
	if len(out) != len(in) || strings.Count(string(out), "(D:20231114221320+00'00')") != 2 {
		t.Errorf("restamp = %s", out)
	}
}
