package tree

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestLinksOutside: every link that leads out of the project is named, one a line; links
// within it are followed and pass.
func TestLinksOutside(t *testing.T) {
	cases := []struct {
		name  string
		links map[string]string // link (in the project) → target; "OUT" is a folder outside
		want  []string          // the links named, in order
	}{
		{"none", nil, nil},
		{"a file in static to a file outside", map[string]string{"static/leak.txt": "OUT/secret.txt"}, []string{"static/leak.txt"}},
		{"a folder in assets to a folder outside", map[string]string{"assets/fonts": "OUT"}, []string{"assets/fonts"}},
		{"relative, climbing out", map[string]string{"layouts/_partials/x.html": "../../../outside/secret.txt"}, []string{"layouts/_partials/x.html"}},
		{"data itself", map[string]string{"data": "OUT"}, []string{"data"}},
		{"i18n and content", map[string]string{"i18n/pl.toml": "OUT/secret.txt", "content/nb/x.md": "OUT/secret.txt"}, []string{"content/nb/x.md", "i18n/pl.toml"}},
		{"to nothing, outside", map[string]string{"static/gone.txt": "/nonexistent/veiviser/x"}, []string{"static/gone.txt"}},
		{"to nothing, inside", map[string]string{"static/gone.txt": "../content/gone.md"}, nil},
		{"within the project", map[string]string{"i18n/nb.toml": "../hugo.toml", "static/pages": "../content"}, nil},
		{"through a folder within the project", map[string]string{"static/more": "../notes", "notes/leak.txt": "OUT/secret.txt"}, []string{"static/more/leak.txt"}},
		{"a loop", map[string]string{"static/loop": ".", "assets/up": ".."}, nil},
		{"outside the sources, not read by Hugo", map[string]string{"node_modules": "OUT", "notes/x": "OUT/secret.txt"}, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			base := t.TempDir()
			dir, out := filepath.Join(base, "project"), filepath.Join(base, "outside")
			for _, f := range []string{"project/hugo.toml", "project/content/nb/om.md", "project/static/a.txt", "project/assets/css/main.css",
				"project/layouts/_partials/head.html", "project/data/contacts.yaml", "project/i18n/en.toml", "project/notes/n.txt", "outside/secret.txt"} {
				p := filepath.Join(base, filepath.FromSlash(f))
				os.MkdirAll(filepath.Dir(p), 0o755)
				os.WriteFile(p, []byte(f), 0o644)
			}
			for link, target := range c.links {
				p := filepath.Join(dir, filepath.FromSlash(link))
				os.RemoveAll(p)
				os.MkdirAll(filepath.Dir(p), 0o755)
				if err := os.Symlink(strings.Replace(target, "OUT", out, 1), p); err != nil {
					t.Fatal(err)
				}
			}
			err := LinksOutside(dir)
			var got []string
			if err != nil {
				for _, line := range strings.Split(err.Error(), "\n") {
					name, _, _ := strings.Cut(line, ": ")
					got = append(got, name)
					if !strings.Contains(line, "a symbolic link to ") || !strings.Contains(line, "outside the project") {
						t.Errorf("line %q does not say what is wrong", line)
					}
				}
			}
			if strings.Join(got, " ") != strings.Join(c.want, " ") {
				t.Errorf("named %q, want %q (err %v)", got, c.want, err)
			}
		})
	}
}

func TestLinksOutsideFromALinkedProject(t *testing.T) {
	// The project folder itself reached through a link: its own files are inside.
	base := t.TempDir()
	real := filepath.Join(base, "real")
	os.MkdirAll(filepath.Join(real, "static"), 0o755)
	os.WriteFile(filepath.Join(real, "hugo.toml"), nil, 0o644)
	os.Symlink("../hugo.toml", filepath.Join(real, "static", "config.txt"))
	os.Symlink(real, filepath.Join(base, "link"))
	if err := LinksOutside(filepath.Join(base, "link")); err != nil {
		t.Error(err)
	}
}
