package downloads_test

import (
	"strings"
	"testing"

	"github.com/veiviser/veiviser/internal/downloads"
	"github.com/veiviser/veiviser/internal/sitegen"
	"github.com/veiviser/veiviser/internal/tree"
)

// page is a download page as the shortcode makes it (minified).
const page = `<!doctype html><html lang=nb-NO><body><main>` +
	`<ul class=downloads><li data-download=onefile-nb hidden><span class=download-lang lang=nb-NO>Norsk:</span> <span data-download-file=onefile-nb></span></li>` +
	`<li data-download=onefile-ar hidden><span class=download-lang lang=ar>العربية:</span> <span data-download-file=onefile-ar></span></li></ul>` +
	`<p class=downloads data-download=zip hidden><span data-download-file=zip></span></p>` +
	`<p class=downloads data-download=zim hidden><span data-download-file=zim></span></p></main></body></html>`

func files() []downloads.File {
	return []downloads.File{
		{Kind: "zip", Name: "veiviser-offline-v1.zip", Data: []byte(strings.Repeat("z", 1_234_567))},
		{Kind: "onefile-nb", Name: "veiviser-nb-v1.html", Data: []byte("<!doctype html>nb")},
	}
}

func TestWeb(t *testing.T) {
	tr := tree.Tree{"last-ned/index.html": []byte(page)}
	downloads.Web(tr, files())
	sitegen.AssertFileContent(t, tr, "last-ned/index.html",
		// shown, with a link from the page's folder, the size in the page's language, the sum
		`<li><span class=download-lang lang=nb-NO>Norsk:</span> <span> <a class="download-name" href="../downloads/veiviser-nb-v1.html" download dir="ltr">veiviser-nb-v1.html</a> <span class="download-size">(0 kB)</span>`,
		`<p class=downloads><span> <a class="download-name" href="../downloads/veiviser-offline-v1.zip" download dir="ltr">veiviser-offline-v1.zip</a> <span class="download-size">(1,2 MB)</span> <span class="download-sum" dir="ltr">SHA-256 <code>`,
		// not made by this build: hidden, empty
		`<li data-download=onefile-ar hidden>`, `<p class=downloads data-download=zim hidden><span data-download-file=zim></span></p>`,
	)
	if string(tr["downloads/veiviser-nb-v1.html"]) != "<!doctype html>nb" || len(tr["downloads/veiviser-offline-v1.zip"]) != 1_234_567 {
		t.Error("the files are not served from downloads/")
	}
	sums := string(tr["downloads/SHA256SUMS"])
	if !strings.Contains(sums, "  veiviser-nb-v1.html\n") || !strings.HasSuffix(sums, "  veiviser-offline-v1.zip\n") || strings.Count(sums, "\n") != 2 {
		t.Errorf("SHA256SUMS:\n%s", sums)
	}
}

func TestNames(t *testing.T) {
	tr := tree.Tree{"last-ned/index.html": []byte(page)}
	fs := files()
	for i := range fs {
		fs[i].Data = nil
	}
	downloads.Names(tr, fs)
	sitegen.AssertFileContent(t, tr, "last-ned/index.html",
		`<p class=downloads><span> <span class="download-name" dir="ltr">veiviser-offline-v1.zip</span></span></p>`,
		"! href=", "! SHA-256", "! downloads/")
	if len(tr) != 1 {
		t.Errorf("the offline tree got files: %v", tr.Paths())
	}
}

func TestSize(t *testing.T) {
	for _, c := range []struct {
		n          int
		lang, want string
	}{{3_818_800, "en-GB", "3.8 MB"}, {3_818_800, "nb-NO", "3,8 MB"}, {151_600, "nb-NO", "152 kB"}, {999_400, "ar", "999 kB"}} {
		if got := downloads.Size(c.n, c.lang); got != c.want {
			t.Errorf("Size(%d, %s) = %q, want %q", c.n, c.lang, got, c.want)
		}
	}
}
