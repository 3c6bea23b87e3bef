package check

import (
	"os"
	"path/filepath"
	"testing"
)

func TestDrafts(t *testing.T) {
	dir := t.TempDir()
	for name, text := range map[string]string{
		"content/nb/utkast.md":    "---\ntitle: Utkast\n# a comment\ndraft: true\n---\nTekst.\n",
		"content/en/draft.md":     "+++\ntitle = 'Draft'\ndraft = true\n+++\nText.\n",
		"content/nb/publisert.md": "---\ntitle: Publisert\ndraft: false\n---\n",
		"content/nb/om.md":        "---\ntitle: Om\n---\n",
		"content/nb/tekst.txt":    "draft: true\n",
	} {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got := Drafts(dir)
	Sort(got)
	want := []string{
		"content/en/draft.md:3: warning: draft: not published (delete draft: true from the front matter to publish it)",
		"content/nb/utkast.md:4: warning: draft: not published (delete draft: true from the front matter to publish it)",
	}
	if len(got) != len(want) {
		t.Fatalf("Drafts = %v, want %d findings", got, len(want))
	}
	for i, f := range got {
		if f.String() != want[i] || f.Rule != "draft" || f.Severity != Warning {
			t.Errorf("finding %d = %s [%s], want %s [draft]", i, f, f.Rule, want[i])
		}
	}
}
