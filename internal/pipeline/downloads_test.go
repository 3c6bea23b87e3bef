package pipeline_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/veiviser/veiviser/internal/pipeline"
	"github.com/veiviser/veiviser/internal/sitegen"
)

// downloadPage is a download page listing every edition.
const downloadPage = `
-- content/nb/last-ned.md --
---
title: Last ned
translationKey: download
checked: 2026-11-01
sources: [site]
---
Én fil:

{{< download "onefile" >}}

Zip:

{{< download "zip" >}}

Kiwix:

{{< download "zim" >}}
-- content/en/download.md --
---
title: Download
translationKey: download
checked: 2026-11-01
sources: [site]
---
{{< download "zip" >}}
`

// The download page lists every edition the build made: on the web site with a link to it
// (served from downloads/, byte for byte what dist/ holds), its size and its SHA-256; in the
// offline bundle by name only. dist/SHA256SUMS covers every edition; an edition the build did
// not make (the ZIM, without zimwriterfs) stays hidden.
func TestDownloadPage(t *testing.T) {
	t.Setenv("ZIMWRITERFS", filepath.Join(t.TempDir(), "none")) // no Kiwix edition
	dir := project(t, downloadPage)
	res, err := pipeline.Run(pipeline.Options{Dir: dir, Now: checkDay, Log: io.Discard})
	if err != nil {
		t.Fatal(err)
	}
	zipName := filepath.Base(res.ZipPath)
	nbName := filepath.Base(res.OneFile["nb"])
	sitegen.AssertFileContent(t, res.Web, "last-ned/index.html",
		`href="../downloads/`+zipName+`" download`, res.ZipSHA256,
		`href="../downloads/`+nbName+`" download`,
		`<p class=downloads data-download=zim hidden>`, // no ZIM in this build
		"! data-download-file=zip", "! data-download=onefile-nb")
	sitegen.AssertFileContent(t, res.Offline, "last-ned/index.html",
		`<span class="download-name" dir="ltr">`+zipName+`</span>`, `<span class="download-name" dir="ltr">`+nbName+`</span>`,
		"! SHA-256", "! downloads/", "! data-download-file=zip")

	dist := filepath.Dir(res.ZipPath)
	public := filepath.Join(dir, "public")
	sums, err := os.ReadFile(filepath.Join(dist, "SHA256SUMS"))
	if err != nil {
		t.Fatal(err)
	}
	entries, _ := os.ReadDir(dist)
	listed := 0
	for _, e := range entries {
		if e.Name() == "SHA256SUMS" || e.IsDir() { // dist/server/: the servers' header snippets, not an edition
			continue
		}
		b, err := os.ReadFile(filepath.Join(dist, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		sum := sha256.Sum256(b)
		if !strings.Contains(string(sums), hex.EncodeToString(sum[:])+"  "+e.Name()+"\n") {
			t.Errorf("dist/SHA256SUMS does not list %s with its sum", e.Name())
		}
		listed++
		served, err := os.ReadFile(filepath.Join(public, "downloads", e.Name()))
		if err != nil || !bytes.Equal(served, b) {
			t.Errorf("public/downloads/%s is not dist's (%v)", e.Name(), err)
		}
	}
	if n := strings.Count(string(sums), "\n"); n != listed || listed != 1+len(res.Languages) {
		t.Errorf("dist/SHA256SUMS has %d lines, dist %d editions, want the zip and %d one-file editions:\n%s", n, listed, len(res.Languages), sums)
	}
	if served, _ := os.ReadFile(filepath.Join(public, "downloads", "SHA256SUMS")); !bytes.Equal(served, sums) {
		t.Error("public/downloads/SHA256SUMS is not dist's")
	}
}
