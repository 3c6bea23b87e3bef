package main

import (
	"archive/zip"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
)

// unzipTo extracts a zip (a glob, matching one file) into a folder and prints the names of its
// files, one a line: unzip dist/veiviser-offline-*.zip out.
func unzipTo(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: unzip file.zip folder")
	}
	names, err := filepath.Glob(ts.MkAbs(args[0]))
	ts.Check(err)
	if len(names) != 1 {
		ts.Fatalf("%s matches %d files, want 1", args[0], len(names))
	}
	zr, err := zip.OpenReader(names[0])
	ts.Check(err)
	defer zr.Close()
	out := ts.MkAbs(args[1])
	for _, f := range zr.File {
		ts.Stdout().Write([]byte(f.Name + "\n"))
		if strings.HasSuffix(f.Name, "/") {
			continue
		}
		dst := filepath.Join(out, filepath.FromSlash(f.Name))
		if !strings.HasPrefix(dst, out+string(filepath.Separator)) {
			ts.Fatalf("%s: %s is outside the zip's folder", args[0], f.Name)
		}
		ts.Check(os.MkdirAll(filepath.Dir(dst), 0o755))
		rc, err := f.Open()
		ts.Check(err)
		b, err := io.ReadAll(rc)
		rc.Close()
		ts.Check(err)
		ts.Check(os.WriteFile(dst, b, 0o644))
	}
}

func TestPlanNew(t *testing.T) {
	dir := t.TempDir()
	put := func(name, text string) { t.Helper(); write(name, text)(t, dir) } // faults_test.go
	put("hugo.toml", "")
	put("content/nb/er-dette-meg/_index.md", "---\ntranslationKey: is-this-me\n---\n")
	put("content/en/is-this-me/_index.md", "---\ntranslationKey: is-this-me\n---\n")
	put("content/en/worried/_index.md", "---\ntranslationKey: worried\n---\n")
	put("content/nb/er-dette-meg/gjeld.md", "---\ntranslationKey: debt\n---\n")
	put("content/en/is-this-me/debt.md", "---\ntranslationKey: debt\n---\n")
	put("content/nb/bekymret/_index.md", "---\ntitle: Bekymret\n---\n")
	put("content/nb/ensom/_index.md", "---\ntranslationKey: alone\n---\n")

	p, err := planNew(dir, "er-dette-meg/ny-side", "")
	if err != nil {
		t.Fatal(err)
	}
	want := newPages{nb: "content/nb/er-dette-meg/ny-side.md", en: "content/en/is-this-me/ny-side.md", name: "ny-side", key: "ny-side"}
	if p != want {
		t.Errorf("planNew = %+v, want %+v", p, want)
	}
	if p, err := planNew(dir, "er-dette-meg/ny-side.md", "new-page"); err != nil || p.en != "content/en/is-this-me/new-page.md" || p.key != "ny-side" {
		t.Errorf("planNew -en new-page = %+v, %v", p, err)
	}
	for _, c := range []struct{ target, en, err string }{
		{"ny-side", "", "want <section>/<name>"},
		{"er-dette-meg/Ny_side", "", `name "Ny_side" is not a clean name`},
		{"er-dette-meg/ny--side", "", "not a clean name"},
		{"../er-dette-meg/x", "", "is not a clean name"},
		{"er-dette-meg/ny-side", "New Page", `-en "New Page" is not a clean name`},
		{"finnes-ikke/x", "", "no section content/nb/finnes-ikke: no content/nb/finnes-ikke/_index.md"},
		{"bekymret/x", "", "content/nb/bekymret/_index.md has no translationKey"},
		{"ensom/x", "", `no English section for content/nb/ensom: no _index.md in content/en has translationKey "alone"`},
		{"er-dette-meg/gjeld", "", "content/nb/er-dette-meg/gjeld.md exists"},
		{"er-dette-meg/ny", "debt", "content/en/is-this-me/debt.md exists"},
		{"er-dette-meg/debt", "owed", `translationKey "debt" is already used by content/nb/er-dette-meg/gjeld.md`},
	} {
		_, err := planNew(dir, c.target, c.en)
		if err == nil || !strings.Contains(err.Error(), c.err) {
			t.Errorf("planNew(%q, -en %q) = %v, want an error with %q", c.target, c.en, err, c.err)
		}
	}
}
