package pipeline_test

import (
	"testing"

	"github.com/veiviser/veiviser/internal/check"
	"github.com/veiviser/veiviser/internal/pipeline"
	"github.com/veiviser/veiviser/internal/render"
)

// CheckSite renders once for the preview's address, hands the site over before the rules
// end, and reports what Check reports: the base-url rule judges hugo.toml's baseURL, not the
// preview's address.
func TestCheckSite(t *testing.T) {
	dir := project(t, "")
	want := runCheck(t, dir)
	var handed []*render.Result
	site, rep, err := pipeline.CheckSite(pipeline.CheckOptions{Dir: dir, Now: checkDay, SiteURL: "http://127.0.0.1:1313/",
		Rendered: func(r *render.Result) { handed = append(handed, r) }})
	if err != nil {
		t.Fatal(err)
	}
	if len(handed) != 1 || handed[0] != site {
		t.Errorf("Rendered was called %d times, or with another site", len(handed))
	}
	if site.BaseURL != "http://127.0.0.1:1313/" || site.Files["index.html"] == nil {
		t.Errorf("the site was rendered for %q, with %d files", site.BaseURL, len(site.Files))
	}
	if findings(rep) != findings(want) || rep.Pages != want.Pages {
		t.Errorf("CheckSite's findings:\n%s\nCheck's:\n%s", findings(rep), findings(want))
	}

	// Hugo's error is returned as well as reported.
	replace("content/nb/om.md", `(?m)^title:.*$`, "title: [Om")(t, dir)
	site, rep, err = pipeline.CheckSite(pipeline.CheckOptions{Dir: dir, Now: checkDay, SiteURL: "http://127.0.0.1:1313/"})
	if err == nil || site != nil || rep == nil || !rep.Failed() {
		t.Fatalf("CheckSite on a broken page = %v, %v, %v", site, rep, err)
	}
	has(t, rep, check.Error, "", "content/nb/om.md", "")
}
