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
	if key(tr, "pl/sheet/index.html", exe+"\x00Chromium 140") == key(tr, "pl/sheet/index.html", exe+"\x00Chromium 141") {
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
