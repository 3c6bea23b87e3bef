package browsertest

import (
	"archive/zip"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/veiviser/veiviser/internal/pipeline"
	"github.com/veiviser/veiviser/internal/sitegen"
)

// built is the real site, built once for every test in this package.
var built struct {
	public string // the web site
	bundle string // the unzipped offline bundle's top folder
	pages  []string
	deep   map[string]bool // the pages the survey looks at in depth (deepPages)
	data   map[string]any  // data/ as Hugo read it
	web    map[string][]byte
	off    map[string][]byte
	// oneFile are the one-file editions, by language.
	oneFile map[string]string
	zim     string // the Kiwix edition, "" without zimwriterfs
}

// RealBaseURL is the address the browser tests build the site for.
const RealBaseURL = "https://veiviser.no/"

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "veiviser-browser-")
	if err != nil {
		panic(err)
	}
	// Built for a real address, as a site is published: only then do the sheets carry a QR
	// code and the address (internal/pipeline's TestPlaceholderBaseURL covers the other case).
	// The content's dates are judged as on the newest of them (sitegen.ContentDay): these
	// tests test the site, not the age of its content.
	day, err := sitegen.ContentDay(sitegen.Root())
	if err != nil {
		panic(err)
	}
	res, err := pipeline.Run(pipeline.Options{Dir: sitegen.Root(), BaseURL: RealBaseURL, Now: day,
		Public: filepath.Join(dir, "public"), Dist: filepath.Join(dir, "dist")})
	if err != nil {
		panic("building the site: " + err.Error())
	}
	built.public = filepath.Join(dir, "public")
	built.data = res.Data
	built.web, built.off = res.Web, res.Offline
	built.oneFile = res.OneFile
	built.zim = res.ZimPath
	built.bundle, err = unzip(res.ZipPath, filepath.Join(dir, "unzipped"))
	if err != nil {
		panic(err)
	}
	for p := range res.Offline {
		if strings.HasSuffix(p, ".html") {
			built.pages = append(built.pages, p)
		}
	}
	sort.Strings(built.pages)
	locales, defaultLanguage = siteLanguages(res)
	built.deep = deepPages(os.Getenv("VEIVISER_ALL_PAGES") != "")
	code := m.Run()
	stopShared()
	os.RemoveAll(dir)
	os.Exit(code)
}

// unzip extracts the zip into dir and returns its one top-level folder.
func unzip(name, dir string) (string, error) {
	zr, err := zip.OpenReader(name)
	if err != nil {
		return "", err
	}
	defer zr.Close()
	top := ""
	for _, f := range zr.File {
		target := filepath.Join(dir, filepath.FromSlash(f.Name))
		if f.FileInfo().IsDir() {
			if top == "" {
				top = target
			}
			if err := os.MkdirAll(target, 0o755); err != nil {
				return "", err
			}
			continue
		}
		rc, err := f.Open()
		if err != nil {
			return "", err
		}
		out, err := os.Create(target)
		if err != nil {
			return "", err
		}
		_, err = io.Copy(out, rc)
		rc.Close()
		out.Close()
		if err != nil {
			return "", err
		}
	}
	return top, nil
}

// TestOfflineBundleWorksFromDisk opens the unzipped bundle's index.html over file:// and every
// page reachable from it: no console error, no failed or outside request, no folder link.
func TestOfflineBundleWorksFromDisk(t *testing.T) {
	t.Parallel()
	v := variants(t)[1]
	s := surveyOf(t, v)
	root := v.root
	visited := map[string]bool{}
	for _, p := range s.reach(root+"index.html", root) {
		if p.Err != nil {
			t.Errorf("%s: %v", p.URL, p.Err)
			continue
		}
		rel := strings.TrimPrefix(p.URL, root)
		visited[rel] = true
		checkEvents(t, rel, p.Events, root)
		for _, l := range p.Links {
			if !strings.HasPrefix(l, "file://") {
				continue
			}
			target := withoutFragment(l)
			if strings.HasSuffix(target, "/") {
				t.Errorf("%s: link to a folder: %s", rel, l)
				continue
			}
			if !strings.HasPrefix(target, root) {
				t.Errorf("%s: link outside the bundle: %s", rel, l)
				continue
			}
			fi, err := os.Stat(strings.TrimPrefix(target, "file://"))
			if err != nil || fi.IsDir() {
				t.Errorf("%s: link to %s, which is not a file in the bundle", rel, l)
			}
		}
	}
	for _, p := range built.pages {
		if !visited[p] && !strings.HasSuffix(p, "404.html") {
			t.Errorf("%s cannot be reached from index.html", p)
		}
	}
}

// TestWebSiteWorksOverHTTP crawls the web site served on 127.0.0.1 with the same checks.
func TestWebSiteWorksOverHTTP(t *testing.T) {
	t.Parallel()
	v := variants(t)[0]
	s := surveyOf(t, v)
	root := v.root
	reached := s.reach(root, root)
	for _, p := range reached {
		if p.Err != nil {
			t.Errorf("%s: %v", p.URL, p.Err)
			continue
		}
		checkEvents(t, strings.TrimPrefix(p.URL, root), p.Events, root)
	}
	n := len(reached)
	// Every page but the 404 pages and the neutral exit pages (which only the offline bundle
	// links to) is reachable from the home page.
	unlinked := 0
	for _, p := range built.pages {
		if strings.HasSuffix(p, "404.html") || isNeutral(p) {
			unlinked++
		}
	}
	if n < len(built.pages)-unlinked {
		t.Errorf("reached %d pages of %d", n, len(built.pages))
	}
}

// checkEvents fails the test for console errors, failed requests and requests outside root.
func checkEvents(t *testing.T, page string, ev Events, root string) {
	t.Helper()
	for _, c := range ev.Console {
		t.Errorf("%s: %s", page, c)
	}
	for _, f := range ev.Failed {
		t.Errorf("%s: failed to load %s", page, f)
	}
	for _, r := range ev.Requests {
		if !strings.HasPrefix(r, root) && !strings.HasPrefix(r, "data:") {
			t.Errorf("%s: requested %s, outside the site", page, r)
		}
	}
}

// TestDatesAreWrittenOut: every date a page shows in a <time> element is written out in the
// page's language with its day and year, and nothing of the date pattern is left over (Hugo's
// long Thai date left its era as a stray "G": "24 พฤศจิกายน G 2026").
func TestDatesAreWrittenOut(t *testing.T) {
	t.Parallel()
	timeElement := regexp.MustCompile(`<time datetime="?(\d{4})-(\d{2})-(\d{2})"?>([^<]*)</time>`)
	loneLetter := regexp.MustCompile(`(^|\s)[A-Za-z](\s|$)`)
	langs := map[string]bool{}
	for _, p := range built.pages {
		b, err := os.ReadFile(filepath.Join(built.public, filepath.FromSlash(p)))
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range timeElement.FindAllStringSubmatch(string(b), -1) {
			year, day, text := m[1], strings.TrimPrefix(m[3], "0"), m[4]
			if !strings.Contains(text, year) || !regexp.MustCompile(`(^|\D)`+day+`(\D|$)`).MatchString(text) || loneLetter.MatchString(text) {
				t.Errorf("%s: %s-%s-%s written as %q", p, m[1], m[2], m[3], text)
			}
			langs[languageOf(p)] = true
		}
	}
	if len(langs) != len(locales) {
		t.Errorf("dates found in the pages of %d languages, want all %d", len(langs), len(locales))
	}
}

// TestSourcesAreMarkedNorwegian: in every page's list of sources, each source's name and title
// (Norwegian texts) are marked lang=nb and set apart from the page's direction: a screen
// reader then speaks them in Norwegian, and on an Arabic page the date stays in its place.
func TestSourcesAreMarkedNorwegian(t *testing.T) {
	t.Parallel()
	item := regexp.MustCompile(`<li>(.*?)</li>`)
	marked := regexp.MustCompile(`^<span lang="?nb"? dir="?ltr"?>[^<]*<cite>`)
	n := 0
	for _, p := range built.pages {
		b, err := os.ReadFile(filepath.Join(built.public, filepath.FromSlash(p)))
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range item.FindAllStringSubmatch(string(b), -1) {
			if !strings.Contains(m[1], "<cite>") {
				continue
			}
			n++
			if !marked.MatchString(m[1]) {
				t.Errorf("%s: source %q is not marked as Norwegian text", p, m[1])
			}
		}
	}
	if n == 0 {
		t.Error("no source found in any page")
	}
}

// TestPrintProductsSayTheyAreTranslations: every emergency sheet and poster but the default
// language's says it is a translation of the Norwegian one, and of which version (its date);
// the Norwegian ones do not.
func TestPrintProductsSayTheyAreTranslations(t *testing.T) {
	t.Parallel()
	for _, kind := range []string{"sheet", "poster"} {
		note := regexp.MustCompile(`<p class="?` + kind + `-translation"?>[^<]*\d{4}`)
		for lang := range locales {
			p := productPath(kind, lang)
			b, err := os.ReadFile(filepath.Join(built.public, filepath.FromSlash(p)))
			if err != nil {
				t.Fatal(err)
			}
			if got, want := note.Match(b), lang != defaultLanguage; got != want {
				t.Errorf("%s: it says it is a translation: %v, want %v", p, got, want)
			}
		}
	}
}

// TestArabicSheetUsesTheArabicComma: in the Arabic sheet's foot, the organisations are set
// apart by the Arabic comma (hugo.toml's listSeparator), not a Latin one.
func TestArabicSheetUsesTheArabicComma(t *testing.T) {
	t.Parallel()
	if _, ok := locales["ar"]; !ok {
		t.Skip("no Arabic in hugo.toml")
	}
	b, err := os.ReadFile(filepath.Join(built.public, filepath.FromSlash(sheetPath("ar"))))
	if err != nil {
		t.Fatal(err)
	}
	foot := regexp.MustCompile(`(?s)<footer class="?sheet-foot"?>(.*?)</footer>`).FindSubmatch(b)
	if foot == nil {
		t.Fatal("no sheet-foot")
	}
	if !strings.Contains(string(foot[1]), "، ") || strings.Contains(string(foot[1]), ", ") {
		t.Errorf("the organisations in the foot are not set apart by Arabic commas: %s", foot[1])
	}
}

// TestLanguagesPageMarksItsTwoLanguages: the page Languages / Språk, in English and bokmål at
// once, marks each half with its language (in its heading, its lead and the footer's link to
// it on every page), so that a screen reader speaks each in its own voice.
func TestLanguagesPageMarksItsTwoLanguages(t *testing.T) {
	t.Parallel()
	both := regexp.MustCompile(`<span lang="?en"?>[^<]+</span> / <span lang="?nb"?>[^<]+</span>`)
	for _, p := range built.pages {
		b, err := os.ReadFile(filepath.Join(built.public, filepath.FromSlash(p)))
		if err != nil {
			t.Fatal(err)
		}
		want := 1 // the footer's link
		if strings.HasSuffix(p, "sprak/index.html") || strings.HasSuffix(p, "languages/index.html") {
			want = 3 // and the heading and the lead
		}
		if isNeutral(p) || strings.HasSuffix(p, "404.html") {
			continue
		}
		if got := len(both.FindAll(b, -1)); got != want {
			t.Errorf("%s: %d texts in English and bokmål with each half marked, want %d", p, got, want)
		}
	}
}
