package render_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/spf13/afero"
	"github.com/veiviser/veiviser/internal/render"
	"github.com/veiviser/veiviser/internal/sitegen"
	"github.com/veiviser/veiviser/internal/tree"
)

// The site Hugo writes into a folder is the site Result.Files holds, byte for byte, and the
// same site a build in memory gives.
func TestFilesAreWhatWasPublished(t *testing.T) {
	dir := sitegen.New(t, sitegen.Minimal)
	sitegen.Write(t, dir, "-- static/extra/print.css --\nbody {\n  color: black;\n}\n")
	out := t.TempDir()
	onDisk, err := render.Site(render.Options{Dir: dir, PublishDir: out})
	if err != nil {
		t.Fatal(err)
	}
	written, err := tree.FromFs(afero.NewBasePathFs(afero.NewOsFs(), out))
	if err != nil {
		t.Fatal(err)
	}
	inMemory, err := render.Site(render.Options{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	if len(written) < 20 {
		t.Fatalf("only %d files were written: %v", len(written), written.Paths())
	}
	for name, got := range map[string]tree.Tree{"Files of the build into a folder": onDisk.Files, "Files of the build in memory": inMemory.Files} {
		for _, p := range written.Paths() {
			if !bytes.Equal(got[p], written[p]) {
				t.Errorf("%s: %s differs from the file written (%d bytes, want %d)", name, p, len(got[p]), len(written[p]))
			}
		}
		for _, p := range got.Paths() {
			if _, ok := written[p]; !ok {
				t.Errorf("%s: has %s, which was not written", name, p)
			}
		}
	}
	if got := strings.Join(onDisk.Static, " "); got != "extra/print.css" {
		t.Errorf("Static = %q, want the one file of static/", got)
	}
	if !onDisk.MinifiedPages {
		t.Errorf("MinifiedPages = false, but hugo.toml sets minify.minifyOutput")
	}
}

func TestPublishDirMustBeEmpty(t *testing.T) {
	dir := sitegen.New(t, sitegen.Minimal)
	out := t.TempDir()
	if err := os.WriteFile(filepath.Join(out, "old.html"), []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := render.Site(render.Options{Dir: dir, PublishDir: out})
	if err == nil || !strings.Contains(err.Error(), "not an empty folder") {
		t.Fatalf("error = %v, want one saying the folder is not empty", err)
	}
}

// Content holds the pages the site lists, and leaves out those whose front matter keeps them
// out of every list (build: {list: never}), as the neutral page does: the rules on Content,
// such as the one on descriptions, judge what readers find in lists and search.
func TestContentIsTheListedPages(t *testing.T) {
	res, err := render.Site(render.Options{Dir: sitegen.New(t, sitegen.Minimal)})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]bool{
		"content/nb/er-dette-meg/fa-hjelp.md": true,
		"content/nb/er-dette-meg/_index.md":   true,
		"content/en/is-this-me/get-help.md":   true,
		"content/nb/vaer.md":                  false,
		"content/en/weather.md":               false,
	}
	got := map[string]bool{}
	for _, p := range res.Content {
		got[p.File] = true
	}
	for f, w := range want {
		if got[f] != w {
			t.Errorf("%s in Content: %v, want %v", f, got[f], w)
		}
	}
	if _, ok := res.Files["vaer/index.html"]; !ok {
		t.Error("the neutral page was not published")
	}
}
