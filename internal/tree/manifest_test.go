package tree

import (
	"strings"
	"testing"
)

// A tree with its manifest checks; a changed, missing or added file, or none, is named.
func TestManifest(t *testing.T) {
	site := Tree{"index.html": []byte("<p>Hei"), "en/index.html": []byte("<p>Hi"), "js/a.js": []byte("1")}
	built := site.Clone()
	built[ManifestName] = Manifest(site, "abc123")
	if !strings.HasPrefix(string(built[ManifestName]), "# The files veiviser build abc123 wrote") {
		t.Errorf("manifest: %q", built[ManifestName])
	}
	if err := CheckManifest(built, "public"); err != nil {
		t.Fatal(err)
	}
	for name, change := range map[string]struct {
		edit func(Tree)
		want string
	}{
		"changed":     {func(t Tree) { t["index.html"] = []byte("<p>Hallo") }, "public is not as veiviser build wrote it: index.html changed; run make again"},
		"missing":     {func(t Tree) { delete(t, "js/a.js") }, "public is not as veiviser build wrote it: js/a.js is missing; run make again"},
		"added":       {func(t Tree) { t["x.html"] = nil }, "public is not as veiviser build wrote it: x.html was not written by the build; run make again"},
		"no manifest": {func(t Tree) { delete(t, ManifestName) }, "public has no .veiviser-build: it was not written by veiviser build (run make)"},
		"many": {func(t Tree) {
			for _, p := range []string{"a", "b", "c", "d", "e"} {
				t[p] = nil
			}
		}, "public is not as veiviser build wrote it: a was not written by the build, b was not written by the build, c was not written by the build (and 2 more); run make again"},
	} {
		tr := built.Clone()
		change.edit(tr)
		if err := CheckManifest(tr, "public"); err == nil || err.Error() != change.want {
			t.Errorf("%s: %v, want %q", name, err, change.want)
		}
	}
}
