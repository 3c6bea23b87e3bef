package pdf

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/veiviser/veiviser/internal/chromium"
	"github.com/veiviser/veiviser/internal/tree"
)

func TestWithoutChromiumTheLinkStaysHiddenAndTheBuildGoesOn(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	t.Setenv("CHROMIUM", "")
	page := `<p>ark</p><a class=sheet-pdf data-pdf=veiviser-pl.pdf hidden>PDF</a>`
	tr := tree.Tree{"pl/sheet/index.html": []byte(page)}
	res, err := Sheets(context.Background(), tr, time.Unix(0, 0))
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

// TestPrintingLeavesNothingInTheTempFolder: Chromium's profile and its own temporary folders
// (org.chromium.Chromium.*) are removed when the sheets are printed, and the PDF is one; with
// a temporary folder whose name is too long for Chromium's socket it prints all the same; and
// the two prints, each with an empty cache, are the same bytes (the zip is reproducible only
// if printing is).
func TestPrintingLeavesNothingInTheTempFolder(t *testing.T) {
	if chromium.Find() == "" {
		t.Skip("no Chromium")
	}
	short, err := os.MkdirTemp("/tmp", "vp-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(short) })
	long := filepath.Join(t.TempDir(), strings.Repeat("long-", 12))
	os.Mkdir(long, 0o755)
	var printed [][]byte
	for _, tmp := range []string{short, long} {
		t.Run(map[bool]string{true: "short", false: "long"}[tmp == short], func(t *testing.T) {
			t.Setenv("XDG_CACHE_HOME", t.TempDir()) // an empty cache: the page is printed
			t.Setenv("TMPDIR", tmp)
			tr := tree.Tree{"pl/sheet/index.html": []byte(`<!doctype html><title>x</title><p>ark</p><a data-pdf=veiviser-pl.pdf hidden>PDF</a>`)}
			res, err := Sheets(context.Background(), tr, time.Unix(0, 0))
			if err != nil {
				t.Fatal(err)
			}
			if res.Printed != 1 || !strings.HasPrefix(string(tr["pl/sheet/veiviser-pl.pdf"]), "%PDF-") {
				t.Fatalf("result %+v, files %v", res, tr.Paths())
			}
			printed = append(printed, tr["pl/sheet/veiviser-pl.pdf"])
			left, err := os.ReadDir(tmp)
			if err != nil {
				t.Fatal(err)
			}
			for _, e := range left {
				t.Errorf("left in the temporary folder: %s", e.Name())
			}
		})
	}
	if len(printed) == 2 && !bytes.Equal(printed[0], printed[1]) {
		t.Error("the same page printed twice gave two different PDFs")
	}
}

func TestCleanCacheRemovesOnlyOldTemporaryFiles(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{".a.pdf.tmp-1", ".b.pdf.tmp-2", "c.pdf"} {
		os.WriteFile(filepath.Join(dir, name), nil, 0o644)
	}
	old := time.Now().Add(-2 * time.Hour)
	os.Chtimes(filepath.Join(dir, ".a.pdf.tmp-1"), old, old)
	os.Chtimes(filepath.Join(dir, "c.pdf"), old, old)
	cleanCache(dir, time.Now().Add(-time.Hour))
	var names []string
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if strings.Join(names, " ") != ".b.pdf.tmp-2 c.pdf" {
		t.Errorf("left %v, want .b.pdf.tmp-2 (being written) and c.pdf", names)
	}
}

// TestCacheKeyHasTheBrowsersVersion: a new Chromium at the same path prints anew.
func TestCacheKeyHasTheBrowsersVersion(t *testing.T) {
	tr := tree.Tree{"pl/sheet/index.html": []byte(`<p>ark</p>`)}
	exe := "/usr/bin/chromium"
	if key(tr, "pl/sheet/index.html", "A4", exe+"\x00Chromium 140") == key(tr, "pl/sheet/index.html", "A4", exe+"\x00Chromium 141") {
		t.Error("two versions of Chromium at the same path share the cache")
	}
}

// TestCacheWriteFailureIsReported: a cache that cannot be written is a warning in the result,
// and the PDF is made all the same.
func TestCacheWriteFailureIsReported(t *testing.T) {
	if chromium.Find() == "" {
		t.Skip("no Chromium")
	}
	notADir := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(notADir, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Setenv("XDG_CACHE_HOME", notADir) // the cache folder would be inside a file
	tr := tree.Tree{"pl/sheet/index.html": []byte(`<!doctype html><title>x</title><p>ark</p><a data-pdf=veiviser-pl.pdf hidden>PDF</a>`)}
	res, err := Sheets(context.Background(), tr, time.Unix(0, 0))
	if err != nil {
		t.Fatal(err)
	}
	if res.Printed != 1 || tr["pl/sheet/veiviser-pl.pdf"] == nil {
		t.Fatalf("result %+v, files %v", res, tr.Paths())
	}
	if len(res.Warnings) == 0 || !strings.Contains(strings.Join(res.Warnings, "\n"), "cache") {
		t.Errorf("warnings %q, want one about the cache", res.Warnings)
	}
}

// A build that fails elsewhere cancels the context: Sheets prints nothing more and says so.
func TestSheetsStopWhenTheBuildStops(t *testing.T) {
	if chromium.Find() == "" {
		t.Skip("no Chromium")
	}
	t.Setenv("XDG_CACHE_HOME", t.TempDir()) // nothing in the cache: every sheet would be printed
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	page := `<!doctype html><html lang=pl><title>ark</title><p>ark</p><a class=sheet-pdf data-pdf=veiviser-pl.pdf hidden>PDF</a>`
	tr := tree.Tree{"pl/sheet/index.html": []byte(page)}
	res, err := Sheets(ctx, tr, time.Unix(0, 0))
	if err != context.Canceled {
		t.Fatalf("Sheets = %+v, %v; want context.Canceled", res, err)
	}
	if _, ok := tr["pl/sheet/veiviser-pl.pdf"]; ok || res.Printed != 0 {
		t.Errorf("a sheet was printed after the build stopped")
	}
}

// TestCacheKeyHasThePaper: the same page printed on A4 and on A3 are two PDFs in the cache.
func TestCacheKeyHasThePaper(t *testing.T) {
	tr := tree.Tree{"pl/poster/index.html": []byte(`<p>plakat</p>`)}
	if key(tr, "pl/poster/index.html", "A4", "chromium") == key(tr, "pl/poster/index.html", "A3", "chromium") {
		t.Error("A4 and A3 share the cache")
	}
}

// TestBadRequestsFailNamingThePage: an unknown paper, a name that is not a PDF file beside the
// page, and the same PDF asked for twice each stop the build with a line naming the page.
func TestBadRequestsFailNamingThePage(t *testing.T) {
	t.Setenv("PATH", t.TempDir()) // no Chromium: the requests are read all the same
	t.Setenv("CHROMIUM", "")
	for name, page := range map[string]string{
		"unknown paper": `<a data-pdf=a.pdf data-pdf-paper=A5 hidden>PDF</a>`,
		"not a pdf":     `<a data-pdf=a.html hidden>PDF</a>`,
		"in a folder":   `<a data-pdf=x/a.pdf hidden>PDF</a>`,
		"twice":         `<a data-pdf=a.pdf hidden>PDF</a><a data-pdf=a.pdf data-pdf-paper=A3 hidden>PDF</a>`,
	} {
		tr := tree.Tree{"pl/poster/index.html": []byte(page)}
		if _, err := Sheets(context.Background(), tr, time.Unix(0, 0)); err == nil || !strings.Contains(err.Error(), "pl/poster/index.html") {
			t.Errorf("%s: err = %v, want one naming the page", name, err)
		}
	}
}

// TestSeveralPapersAndLinks: a page that asks for an A4 and an A3 PDF gets both, each one page
// of its paper's size (the page's CSS asks for A4 unless data-pdf-paper says A3, and the
// page with no size of its own in CSS gets the paper), and both links on it turned on; a page elsewhere that links to one of
// them with data-pdf-link gets that link turned on, and its link to a PDF nobody asked for
// stays hidden. Printed again, both come from the cache.
func TestSeveralPapersAndLinks(t *testing.T) {
	if chromium.Find() == "" {
		t.Skip("no Chromium")
	}
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
	poster := `<!doctype html><title>x</title><style>@page{size:A4;margin:10mm} @page big{size:A3} ` +
		`html[data-pdf-paper=A3] body{page:big}</style><p>plakat</p>` +
		`<a data-pdf=p-a4.pdf hidden>A4</a><a data-pdf=p-a3.pdf data-pdf-paper=A3 hidden>A3</a>`
	plain := `<!doctype html><title>z</title><p>ark</p><a data-pdf=s-a3.pdf data-pdf-paper=A3 hidden>A3</a>`
	list := `<!doctype html><title>y</title><a data-pdf-link=/pl/poster/p-a3.pdf hidden>A3</a><a data-pdf-link=/pl/poster/none.pdf hidden>none</a>`
	for round, want := range []Result{{Printed: 3}, {Cached: 3}} {
		tr := tree.Tree{"pl/poster/index.html": []byte(poster), "print/index.html": []byte(list), "pl/sheet/index.html": []byte(plain)}
		res, err := Sheets(context.Background(), tr, time.Unix(0, 0))
		if err != nil {
			t.Fatal(err)
		}
		if res.Printed != want.Printed || res.Cached != want.Cached {
			t.Errorf("round %d: %+v, want %d printed and %d from the cache", round, res, want.Printed, want.Cached)
		}
		for name, want := range map[string][2]int{"pl/poster/p-a4.pdf": {595, 842}, "pl/poster/p-a3.pdf": {842, 1191}, "pl/sheet/s-a3.pdf": {842, 1191}} {
			boxes := PageSizes(tr[name])
			if len(boxes) != 1 || boxes[0] != want {
				t.Errorf("%s: pages %v, want one of %v pt", name, boxes, want)
			}
		}
		if got := string(tr["pl/poster/index.html"]); strings.Contains(got, "hidden") || strings.Contains(got, "<a data-pdf") ||
			!strings.Contains(got, "href=p-a4.pdf") || !strings.Contains(got, "href=p-a3.pdf") {
			t.Errorf("poster page: %s", got)
		}
		if got := string(tr["print/index.html"]); !strings.Contains(got, `<a href=/pl/poster/p-a3.pdf>A3</a>`) ||
			!strings.Contains(got, `<a data-pdf-link=/pl/poster/none.pdf hidden>none</a>`) {
			t.Errorf("print page: %s", got)
		}
	}
}
