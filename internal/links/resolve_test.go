package links

import (
	"testing"

	"github.com/veiviser/veiviser/internal/tree"
)

func TestResolve(t *testing.T) {
	files := tree.Tree{"index.html": nil, "en/index.html": nil, "en/a/index.html": nil, "css/s.css": nil, "404.html": nil, "søk/index.html": nil}
	for _, tc := range []struct {
		r       *Resolver
		page, u string
		want    Target
	}{
		// The web site, at the root of its address.
		{ForWeb(files, "https://x.example/"), "en/index.html", "/", Target{Kind: File, Path: "index.html"}},
		{ForWeb(files, "https://x.example/"), "en/index.html", "a", Target{Kind: File, Path: "en/a/index.html"}},
		{ForWeb(files, "https://x.example/"), "en/index.html", "../css/s.css?v=1#x", Target{Kind: File, Path: "css/s.css", Fragment: "x", Suffix: "?v=1#x"}},
		{ForWeb(files, "https://x.example/"), "en/index.html", "https://x.example/en/a/#top", Target{Kind: File, Path: "en/a/index.html", Fragment: "top", Suffix: "#top"}},
		{ForWeb(files, "https://x.example/"), "en/index.html", "https://x.example#top", Target{Kind: File, Path: "index.html", Fragment: "top", Suffix: "#top"}},
		{ForWeb(files, "https://x.example/"), "404.html", "#top", Target{Kind: File, Path: "404.html", InPage: true, Fragment: "top", Suffix: "#top"}},
		{ForWeb(files, "https://x.example/"), "404.html", "", Target{Kind: File, Path: "404.html", InPage: true}},
		{ForWeb(files, "https://x.example/"), "404.html", "?q=1", Target{Kind: File, Path: "404.html", Suffix: "?q=1"}},
		{ForWeb(files, "https://x.example/"), "index.html", "/s%C3%B8k/", Target{Kind: File, Path: "søk/index.html"}},
		{ForWeb(files, "https://x.example/"), "index.html", "./", Target{Kind: File, Path: "index.html"}},
		{ForWeb(files, "https://x.example/"), "index.html", "/en/a/../../css/s.css", Target{Kind: File, Path: "css/s.css"}},
		{ForWeb(files, "https://x.example/"), "en/index.html", "/nowhere/", Target{Kind: Missing, Path: "nowhere/", Reason: "no page or file at /nowhere/"}},
		{ForWeb(files, "https://x.example/"), "en/index.html", "../../up", Target{Kind: Outside, Path: "../up", Reason: "points outside the site"}},
		{ForWeb(files, "https://x.example/"), "en/index.html", "https://other.example/", Target{Kind: External, Scheme: "https"}},
		{ForWeb(files, "https://x.example/"), "en/index.html", "//x.example/", Target{Kind: External}},
		{ForWeb(files, "https://x.example/"), "en/index.html", "tel:112", Target{Kind: External, Scheme: "tel"}},
		{ForWeb(files, "https://x.example/"), "en/index.html", "%zz", Target{Kind: Invalid, Reason: "is not a valid URL"}},
		// The web site below a path of its address.
		{ForWeb(files, "https://x.example/sub/"), "en/index.html", "/sub/en/a/", Target{Kind: File, Path: "en/a/index.html"}},
		{ForWeb(files, "https://x.example/sub/"), "en/index.html", "/sub", Target{Kind: File, Path: "index.html"}},
		{ForWeb(files, "https://x.example/sub/"), "en/index.html", "https://x.example/sub/en/", Target{Kind: File, Path: "en/index.html"}},
		{ForWeb(files, "https://x.example/sub/"), "en/index.html", "/en/", Target{Kind: Outside, Path: "/en/", Reason: "/en/ is outside the site's base path /sub/"}},
		// The bundle.
		{ForBundle(files), "en/index.html", "a/index.html#x", Target{Kind: File, Path: "en/a/index.html", Fragment: "x", Suffix: "#x"}},
		{ForBundle(files), "en/index.html", "a/", Target{Kind: Missing, Path: "en/a/", Reason: "links to a folder, which opens a directory listing over file://"}},
		{ForBundle(files), "index.html", "./", Target{Kind: Missing, Path: "./", Reason: "links to a folder, which opens a directory listing over file://"}},
		{ForBundle(files), "en/index.html", "b.html", Target{Kind: Missing, Path: "en/b.html", Reason: "no such file in the bundle (en/b.html)"}},
		{ForBundle(files), "en/index.html", "/css/s.css", Target{Kind: Outside, Reason: "is an absolute path; over file:// it points outside the bundle"}},
		{ForBundle(files), "en/index.html", "../../x.html", Target{Kind: Outside, Path: "../x.html", Reason: "points outside the bundle"}},
		{ForBundle(files), "en/index.html", "https://x.example/", Target{Kind: External, Scheme: "https"}},
	} {
		if got := tc.r.Resolve(tc.page, tc.u); got != tc.want {
			t.Errorf("%s in %s (base %q, bundle %v):\n got %+v\nwant %+v", tc.u, tc.page, tc.r.base, tc.r.bundle, got, tc.want)
		}
	}
}
