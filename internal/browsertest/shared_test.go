package browsertest

import (
	"net"
	"net/http"
	"os"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/veiviser/veiviser/internal/pipeline"
)

// One Chromium and one web server serve every test of the package (the top-level tests run
// side by side, each in tabs of its own); TestMain stops both. VEIVISER_BROWSER_PER_TEST=1
// gives each test a Chromium of its own instead, to compare.
var shared struct {
	once    sync.Once
	browser *Browser
	err     error

	serveOnce sync.Once
	root      string
	srv       *http.Server
}

// browser is the shared Chromium (or, with VEIVISER_BROWSER_PER_TEST set, a new one).
func browser(t *testing.T) *Browser {
	t.Helper()
	exe := Executable(t)
	if os.Getenv("VEIVISER_BROWSER_PER_TEST") != "" {
		return New(t)
	}
	shared.once.Do(func() { shared.browser, shared.err = Start(exe) })
	if shared.err != nil {
		t.Fatal(shared.err)
	}
	return shared.browser
}

// serve serves the web site on a free port of 127.0.0.1, one server for the whole package.
func serve(t *testing.T) string {
	t.Helper()
	shared.serveOnce.Do(func() {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			panic(err)
		}
		shared.srv = &http.Server{Handler: http.FileServer(http.Dir(built.public))}
		go shared.srv.Serve(ln)
		shared.root = "http://" + ln.Addr().String() + "/"
	})
	return shared.root
}

// stopShared stops the shared Chromium and server, after the last test.
func stopShared() {
	if shared.browser != nil {
		shared.browser.Close()
	}

	if shared.srv != nil {
		shared.srv.Close()
	}
}

// siteLanguage is one of the site's languages as hugo.toml declares it.
type siteLanguage struct {
	Locale    string // the lang its pages declare
	Direction string // ltr or rtl
}

// siteLanguages are the site's languages as the build read them from hugo.toml (its
// [languages.*] locale and direction), and the default one, so that a new language needs no
// change to these tests.
func siteLanguages(res *pipeline.Result) (map[string]siteLanguage, string) {
	out := map[string]siteLanguage{}
	for code, l := range res.Locales {
		out[strings.ToLower(code)] = siteLanguage{Locale: l.Tag, Direction: l.Direction}
	}
	return out, res.Languages[0]
}

// languageCodes are the codes of locales, sorted.
func languageCodes() []string {
	var out []string
	for code := range locales {
		out = append(out, code)
	}
	sort.Strings(out)
	return out
}
