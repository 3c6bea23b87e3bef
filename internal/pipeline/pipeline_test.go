package pipeline_test

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/veiviser/veiviser/internal/links"
	"github.com/veiviser/veiviser/internal/minifier"
	"github.com/veiviser/veiviser/internal/pipeline"
	"github.com/veiviser/veiviser/internal/sitegen"
	"github.com/veiviser/veiviser/internal/tree"
)

// build builds the project in dir, judging its dates as on checkDay.
func build(t *testing.T, dir string) (*pipeline.Result, error) {
	t.Helper()
	t.Setenv("SOURCE_DATE_EPOCH", "1700000000")
	return pipeline.Run(pipeline.Options{Dir: dir, Now: checkDay})
}

func mustBuild(t *testing.T, dir string) *pipeline.Result {
	t.Helper()
	res, err := build(t, dir)
	if err != nil {
		t.Fatalf("build: %v", err)
	}
	return res
}

func TestOfflineLinksAreRelativeFilePaths(t *testing.T) {
	res := mustBuild(t, project(t, ""))
	pages := 0
	for p, b := range res.Offline {
		if path.Ext(p) != ".html" {
			continue
		}
		pages++
		links.Walk(b, func(e *links.Element, r links.Ref) {
			u := r.URL
			if u == "" || strings.HasPrefix(u, "#") || strings.HasPrefix(u, "tel:") || strings.HasPrefix(u, "mailto:") || strings.HasPrefix(u, "data:") {
				return
			}
			if strings.Contains(u, "://") || strings.HasPrefix(u, "/") {
				if r.Resource || strings.Contains(u, "veiviser.example.no") || strings.HasPrefix(u, "/") {
					t.Errorf("%s: %q is not a relative path to a local file", p, u)
				}
				return
			}
			target := path.Join(path.Dir(p), strings.SplitN(u, "#", 2)[0])
			if strings.HasSuffix(u, "/") || res.Offline[target] == nil {
				t.Errorf("%s: %q does not resolve to a file (%s)", p, u, target)
			}
		})
		for _, attr := range []string{"integrity=", "crossorigin", "data-offline-href"} {
			if bytes.Contains(b, []byte(attr)) {
				t.Errorf("%s still has %s", p, attr)
			}
		}
	}
	if pages < 10 {
		t.Fatalf("only %d pages in the offline tree", pages)
	}
	// The exit button leaves for the neutral local page, not the web.
	sitegen.AssertFileContent(t, res.Offline, "index.html", `
		<a class="exit-button" href="vaer/index.html">
		! https://www.yr.no/`)
	for _, webOnly := range []string{"robots.txt", "sitemap.xml"} {
		if res.Offline[webOnly] != nil {
			t.Errorf("offline tree has %s", webOnly)
		}
	}
	// The web tree keeps pretty URLs and the web exit.
	sitegen.AssertFileContent(t, res.Web, "en/index.html", `
		<a href="/en/is-this-me/">
		<a class="exit-button" href="https://www.yr.no/" data-offline-href="/en/weather/">`)
}

func TestBrokenOfflineLinkFailsBuildNamingPageAndLink(t *testing.T) {
	for _, tc := range []struct{ link, want string }{
		{"/css/", `content/en/about.md:7: error: link "/css/" does not resolve in the web site and the offline bundle: no page or file at /css/`},
		{"/en/nowhere/", `content/en/about.md:7: error: link "/en/nowhere/" does not resolve in the web site and the offline bundle`},
		{"/img/missing.png", `content/en/about.md:7: error: link "/img/missing.png" does not resolve in the web site and the offline bundle`},
	} {
		t.Run(tc.link, func(t *testing.T) {
			dir := project(t, "")
			sitegen.Write(t, dir, "-- content/en/about.md --\n---\ntitle: About\ntranslationKey: about\nchecked: 2026-11-01\nsources: [site]\n---\nSee [this]("+tc.link+").\n")
			_, err := build(t, dir)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error = %v, want it to contain %q", err, tc.want)
			}
			if _, statErr := os.Stat(filepath.Join(dir, "public")); statErr == nil {
				t.Errorf("public/ was written although the build failed")
			}
		})
	}
}

// licenseComment matches the comments minifiers keep on purpose: /*! … */ and @license blocks.
var licenseComment = regexp.MustCompile(`(?s)/\*[!*][^*]*(\*+[^*/][^*]*)*\*+/`)

func TestEverythingPublishedIsMinified(t *testing.T) {
	res := mustBuild(t, project(t, ""))
	assertMinified(t, res)
}

// Hugo minifies the pages it renders only when the project says so; the build minifies them
// when Hugo did not.
func TestPagesAreMinifiedWhenHugoIsNotToldTo(t *testing.T) {
	dir := project(t, "")
	config := filepath.Join(dir, "hugo.toml")
	b, err := os.ReadFile(config)
	if err != nil {
		t.Fatal(err)
	}
	off := bytes.Replace(b, []byte("minifyOutput = true"), []byte("minifyOutput = false"), 1)
	if bytes.Equal(off, b) {
		t.Fatal("hugo.toml has no minifyOutput = true to turn off")
	}
	if err := os.WriteFile(config, off, 0o644); err != nil {
		t.Fatal(err)
	}
	assertMinified(t, mustBuild(t, dir))
}

// blockBreak is a line break before a block element's tag, which minified HTML has none of.
var blockBreak = regexp.MustCompile(`>\n</?(?:html|head|body|main|div|section|article|header|footer|nav|aside|ul|ol|li|p|h[1-6]|meta|link|script|style|table|tr|td|th|form|title)[\s>]`)

// assertMinified fails for every published file that has a minifier and is not minified: one
// with the line breaks or indentation of source code, or one that minifying again shrinks.
func assertMinified(t *testing.T, res *pipeline.Result) {
	t.Helper()
	for name, tr := range map[string]tree.Tree{"web": res.Web, "offline": res.Offline} {
		again := tr.Clone()
		if _, err := minifier.Tree(again, nil); err != nil {
			t.Fatal(err)
		}
		for p, b := range tr {
			switch path.Ext(p) {
			case ".html", ".css", ".js", ".xml", ".json", ".svg":
				if len(again[p]) < len(b) { // (minifying JavaScript again may rename, not shrink)
					t.Errorf("%s %s is not minified: minifying it makes %d bytes of %d", name, p, len(again[p]), len(b))
				}
				b = licenseComment.ReplaceAll(b, nil)
				breaks := bytes.Count(b, []byte("\n"))
				if path.Ext(p) == ".html" {
					// Between inline elements a minifier keeps a line break as the one space
					// it is (the sheets' spans): only breaks before block elements are source.
					breaks = len(blockBreak.FindAll(b, -1))
				}
				if len(b) > 2000 && breaks > len(b)/2000 {
					t.Errorf("%s %s has %d line breaks in %d bytes", name, p, breaks, len(b))
				}
				if blockBreak.Match(b) || bytes.Contains(b, []byte("{\n")) || bytes.Contains(b, []byte("\n  ")) {
					t.Errorf("%s %s is not minified: %.200s", name, p, b)
				}
			}
		}
	}
}

func TestZipIsReproducibleAndComplete(t *testing.T) {
	dir := project(t, "")
	first := mustBuild(t, dir)
	a, err := os.ReadFile(first.ZipPath)
	if err != nil {
		t.Fatal(err)
	}
	second := mustBuild(t, dir)
	b, _ := os.ReadFile(second.ZipPath)
	if !bytes.Equal(a, b) {
		t.Fatalf("two builds of the same content gave different zips")
	}
	zips, _ := filepath.Glob(filepath.Join(dir, "dist", "*.zip"))
	if len(zips) != 1 {
		t.Fatalf("dist holds %v, want exactly one zip", zips)
	}

	zr, err := zip.NewReader(bytes.NewReader(a), int64(len(a)))
	if err != nil {
		t.Fatal(err)
	}
	top := strings.TrimSuffix(filepath.Base(first.ZipPath), ".zip") + "/"
	files := map[string][]byte{}
	for _, f := range zr.File {
		if !strings.HasPrefix(f.Name, top) {
			t.Errorf("entry %s is outside the top folder %s", f.Name, top)
		}
		if f.Modified.Unix() != 1700000000 {
			t.Errorf("entry %s has time %v", f.Name, f.Modified)
		}
		if f.FileInfo().IsDir() {
			continue
		}
		if f.Mode().Perm() != 0o644 {
			t.Errorf("entry %s has mode %v", f.Name, f.Mode())
		}
		rc, _ := f.Open()
		var buf bytes.Buffer
		buf.ReadFrom(rc)
		rc.Close()
		files[strings.TrimPrefix(f.Name, top)] = buf.Bytes()
	}
	for _, want := range []string{"index.html", "LES-MEG.txt", "SHA256SUMS", "en/index.html"} {
		if files[want] == nil {
			t.Errorf("zip lacks %s", want)
		}
	}
	listed := 0
	for _, line := range strings.Split(strings.TrimSpace(string(files["SHA256SUMS"])), "\n") {
		sum, name, _ := strings.Cut(line, "  ")
		h := sha256.Sum256(files[name])
		if files[name] == nil || hex.EncodeToString(h[:]) != sum {
			t.Errorf("SHA256SUMS line %q does not match the file", line)
		}
		listed++
	}
	if listed != len(files)-1 {
		t.Errorf("SHA256SUMS lists %d files, the zip holds %d besides it", listed, len(files)-1)
	}
}

func TestBadFrontMatterNamesTheFile(t *testing.T) {
	dir := project(t, "")
	sitegen.Write(t, dir, "-- content/nb/er-dette-meg/feil.md --\n---\ntitle: \"Uten slutt\nchecked: [\n---\nTekst.\n")
	_, err := build(t, dir)
	if err == nil {
		t.Fatal("build succeeded with malformed front matter")
	}
	msg := err.Error()
	if !strings.HasPrefix(msg, "content/nb/er-dette-meg/feil.md:") || strings.Contains(msg, "\n") {
		t.Fatalf("error = %q, want one line starting with the file name", msg)
	}
}

func TestUnknownContactNamesTheFile(t *testing.T) {
	dir := project(t, "")
	sitegen.Write(t, dir, "-- content/nb/er-dette-meg/ukjent.md --\n---\ntitle: Ukjent\nchecked: 2026-11-01\nsources: [udi]\n---\nRing {{< phone \"finnes_ikke\" >}}.\n")
	_, err := build(t, dir)
	if err == nil || !strings.Contains(err.Error(), "content/nb/er-dette-meg/ukjent.md") || !strings.Contains(err.Error(), "finnes_ikke") {
		t.Fatalf("error = %v, want it to name the file and the contact", err)
	}
}

func TestFailedBuildLeavesEarlierOutputsAndNoStaleFiles(t *testing.T) {
	dir := project(t, "")
	first := mustBuild(t, dir)
	stale := filepath.Join(dir, "public", "stale.html")
	if err := os.WriteFile(stale, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	before := snapshot(t, dir)

	sitegen.Write(t, dir, "-- content/nb/om.md --\n---\ntitle: [\n---\n")
	if _, err := build(t, dir); err == nil {
		t.Fatal("build succeeded with broken content")
	}
	if after := snapshot(t, dir); after != before {
		t.Fatalf("a failed build changed the outputs")
	}

	sitegen.Write(t, dir, "-- content/nb/om.md --\n---\ntitle: Om\ntranslationKey: about\nchecked: 2026-11-01\nsources: [site]\n---\nNy tekst.\n")
	mustBuild(t, dir)
	if _, err := os.Stat(stale); err == nil {
		t.Errorf("a file from an earlier build survived in public/")
	}
	if _, err := os.Stat(first.ZipPath); err != nil {
		t.Errorf("zip missing after rebuild: %v", err)
	}
	leftovers, _ := filepath.Glob(filepath.Join(dir, ".public.tmp-*"))
	tmpZips, _ := filepath.Glob(filepath.Join(dir, "dist", ".*"))
	if len(leftovers)+len(tmpZips) > 0 {
		t.Errorf("temporary files left behind: %v %v", leftovers, tmpZips)
	}
}

// snapshot is a digest of every file under public/ and dist/.
func snapshot(t *testing.T, dir string) string {
	t.Helper()
	h := sha256.New()
	for _, sub := range []string{"public", "dist"} {
		filepath.WalkDir(filepath.Join(dir, sub), func(p string, d os.DirEntry, err error) error {
			if err != nil {
				t.Fatal(err)
			}
			if !d.IsDir() {
				b, _ := os.ReadFile(p)
				h.Write([]byte(p))
				h.Write(b)
			}
			return nil
		})
	}
	return hex.EncodeToString(h.Sum(nil))
}

// TestRealContentIsReproducible: two builds of the real content give the same zip. The second
// takes the sheets' PDFs from the cache the first filled (printing 14 again would take most of
// a minute); that printing itself is reproducible is internal/pdf's
// TestPrintingLeavesNothingInTheTempFolder.
func TestRealContentIsReproducible(t *testing.T) {
	t.Setenv("SOURCE_DATE_EPOCH", "1700000000")
	day, err := sitegen.ContentDay(sitegen.Root())
	if err != nil {
		t.Fatal(err)
	}
	var zips [2][]byte
	for i := range zips {
		dir := t.TempDir()
		res, err := pipeline.Run(pipeline.Options{Dir: sitegen.Root(), Now: day, Public: filepath.Join(dir, "public"), Dist: filepath.Join(dir, "dist")})
		if err != nil {
			t.Fatal(err)
		}
		if zips[i], err = os.ReadFile(res.ZipPath); err != nil {
			t.Fatal(err)
		}
	}
	if !bytes.Equal(zips[0], zips[1]) {
		t.Fatal("two builds of the real content gave different zips")
	}
}

func TestShortcodeInHeadingWithoutIDFailsNamingTheFile(t *testing.T) {
	dir := project(t, "")
	sitegen.Write(t, dir, "-- content/nb/om.md --\n---\ntitle: Om\ntranslationKey: about\nchecked: 2026-11-01\nsources: [site]\n---\nTekst.\n\n## Under {{< fact \"age_adult\" >}} år\n")
	_, err := build(t, dir)
	if err == nil || !strings.Contains(err.Error(), "content/nb/om.md:9:") || !strings.Contains(err.Error(), "{#some-id}") {
		t.Fatalf("error = %v, want it to name content/nb/om.md:9 and ask for an id", err)
	}
}

func TestStaticFilesArePublishedMinified(t *testing.T) {
	dir := project(t, "")
	sitegen.Write(t, dir, "-- static/extra/print.css --\nbody {\n  color: black;\n}\n-- static/files/note.txt --\nkeep me\n"+
		"-- static/extra/page.html --\n<!doctype html>\n<html lang=nb>\n  <title>Side</title>\n  <p>Tekst\n</html>\n")
	res := mustBuild(t, dir)
	for _, tr := range []map[string][]byte{res.Web, res.Offline} {
		if got := string(tr["extra/print.css"]); got != "body{color:#000}" {
			t.Errorf("static CSS = %q, want it minified", got)
		}
		if got := string(tr["extra/page.html"]); got != "<!doctype html><html lang=nb><title>Side</title><p>Tekst</html>" {
			t.Errorf("static HTML = %q, want it minified", got)
		}
		if got := string(tr["files/note.txt"]); got != "keep me\n" {
			t.Errorf("static text file = %q", got)
		}
	}
}

func TestMissingLayoutFailsTheBuild(t *testing.T) {
	dir := project(t, "")
	if err := os.Remove(filepath.Join(dir, "layouts", "page.html")); err != nil {
		t.Fatal(err)
	}
	_, err := build(t, dir)
	if err == nil || !strings.Contains(err.Error(), `found no layout file for "html" for kind "page"`) {
		t.Fatalf("error = %v, want it to say which layout is missing", err)
	}
}

func TestTemplateErrorNamesTheTemplateAndLine(t *testing.T) {
	dir := project(t, "")
	sitegen.Write(t, dir, "-- layouts/page.html --\n{{ define \"main\" }}\n<h1>{{ .Title }</h1>\n{{ end }}\n")
	_, err := build(t, dir)
	if err == nil || !strings.HasPrefix(err.Error(), "layouts/page.html:2:") || strings.Contains(err.Error(), "\n") {
		t.Fatalf("error = %v, want one line starting with layouts/page.html:2:", err)
	}
}

func TestContentRulesFailTheBuildNamingEachFile(t *testing.T) {
	dir := project(t, "")
	sitegen.Write(t, dir, `
-- content/nb/om.md --
---
title: Om
translationKey: about
checked: 2026-11-01
---
Uten kilder.
-- content/en/about.md --
---
title: About
translationKey: about
sources: [site]
---
No date.
-- content/nb/trygg-bruk.md --
---
title: Trygg bruk
translationKey: safety
checked: 2026-11-01
sources: [site]
---
Ring ROSA på 22 33 11 60.
`)
	_, err := build(t, dir)
	if err == nil {
		t.Fatal("build succeeded")
	}
	for _, want := range []string{
		"content/en/about.md:1: error: no checked date",
		"content/nb/om.md:1: error: no sources",
		`content/nb/trygg-bruk.md:7: error: phone number "22 33 11 60"`,
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q:\n%v", want, err)
		}
	}
	if _, statErr := os.Stat(filepath.Join(dir, "public")); statErr == nil {
		t.Errorf("public/ was written although the content check failed")
	}
}

func TestChangingANumberChangesEverySheet(t *testing.T) {
	dir := t.TempDir()
	if err := sitegen.CopyProject(sitegen.Root(), dir); err != nil {
		t.Fatal(err)
	}
	if err := os.CopyFS(filepath.Join(dir, "content"), os.DirFS(filepath.Join(sitegen.Root(), "content"))); err != nil {
		t.Fatal(err)
	}
	contacts := filepath.Join(dir, "data", "contacts.yaml")
	b, err := os.ReadFile(contacts)
	if err != nil {
		t.Fatal(err)
	}
	changed := strings.Replace(string(b), `phone: "22 33 11 60"`, `phone: "22 99 88 77"`, 1)
	if changed == string(b) {
		t.Fatal("ROSA's number is not in data/contacts.yaml as expected")
	}
	os.WriteFile(contacts, []byte(changed), 0o644)
	t.Setenv("PATH", t.TempDir()) // no Chromium: the HTML is what this test reads
	t.Setenv("CHROMIUM", "")
	// The real content's dates are judged as on the day it records last, not on checkDay: the
	// test must pass whatever day the content was last checked.
	day, err := sitegen.ContentDay(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv("SOURCE_DATE_EPOCH", "1700000000")
	res, err := pipeline.Run(pipeline.Options{Dir: dir, Now: day})
	if err != nil {
		t.Fatal(err)
	}
	sheets := 0
	for p, page := range res.Web {
		if !bytes.Contains(page, []byte("class=sheet-contacts")) || strings.HasPrefix(p, "downloads/") {
			continue // the one-file editions in downloads/ hold the sheets too
		}
		sheets++
		sitegen.AssertFileContent(t, res.Web, p, `<a href="tel:+4722998877">`, "22 99 88 77", "! 22 33 11 60")
	}
	if sheets != 14 {
		t.Errorf("found %d sheets, want 14", sheets)
	}
}
