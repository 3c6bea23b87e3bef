package version

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"testing"
	"time"
)

// repo makes a git repository with one commit of a small project and returns it and the
// commit.
func repo(t *testing.T) (string, string) {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("no git")
	}
	dir := t.TempDir()
	t.Setenv("GIT_CONFIG_GLOBAL", os.DevNull) // the builder's own settings stay out
	t.Setenv("GIT_CONFIG_NOSYSTEM", "1")
	t.Setenv("GIT_COMMITTER_DATE", "2026-11-24T12:00:00Z")
	t.Setenv("SOURCE_DATE_EPOCH", "")
	write(t, dir, "content/nb/om.md", "om")
	write(t, dir, "hugo.toml", "title = 'x'")
	write(t, dir, "README.md", "readme")
	write(t, dir, "internal/x/x.go", "package x")
	write(t, dir, ".gitignore", "*.log\n")
	run(t, dir, "init", "-q")
	run(t, dir, "add", ".")
	run(t, dir, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-q", "-m", "one", "--date=2026-11-24T12:00:00Z")
	return dir, run(t, dir, "rev-parse", "HEAD")
}

func write(t *testing.T, dir, name, body string) {
	t.Helper()
	p := filepath.Join(dir, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
}

func run(t *testing.T, dir string, args ...string) string {
	t.Helper()
	out, err := exec.Command("git", append([]string{"-C", dir}, args...)...).CombinedOutput()
	if err != nil {
		t.Fatalf("git %v: %v\n%s", args, err, out)
	}
	return string(regexp.MustCompile(`\s+$`).ReplaceAll(out, nil))
}

func TestNameIsTheCommitWhateverTheSettings(t *testing.T) {
	dir, commit := repo(t)
	want := commit[:12]
	for _, abbrev := range []string{"", "4", "7", "16", "40", "auto"} {
		if abbrev != "" {
			run(t, dir, "config", "core.abbrev", abbrev)
		}
		name, when := Of(dir)
		if name != want {
			t.Errorf("core.abbrev=%q: name %q, want %q", abbrev, name, want)
		}
		if !when.Equal(time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC)) {
			t.Errorf("time %v, want the commit's", when)
		}
	}
	// A tag does not change it either (a clone without tags names it alike).
	run(t, dir, "tag", "v1.0")
	if name, _ := Of(dir); name != want {
		t.Errorf("with a tag: %q, want %q", name, want)
	}
}

func TestDirty(t *testing.T) {
	cases := []struct {
		name  string
		edit  func(t *testing.T, dir string)
		dirty bool
	}{
		{"committed", func(t *testing.T, dir string) {}, false},
		{"a page changed", func(t *testing.T, dir string) { write(t, dir, "content/nb/om.md", "endret") }, true},
		{"a page changed and staged", func(t *testing.T, dir string) {
			write(t, dir, "content/nb/om.md", "endret")
			run(t, dir, "add", "content")
		}, true},
		{"a new page, untracked", func(t *testing.T, dir string) { write(t, dir, "content/nb/ny.md", "ny") }, true},
		{"a page removed", func(t *testing.T, dir string) { os.Remove(filepath.Join(dir, "content/nb/om.md")) }, true},
		{"untracked data", func(t *testing.T, dir string) { write(t, dir, "data/contacts.yaml", "x: 1") }, true},
		{"untracked i18n", func(t *testing.T, dir string) { write(t, dir, "i18n/pl.toml", "x = 1") }, true},
		{"untracked layout", func(t *testing.T, dir string) { write(t, dir, "layouts/page.html", "x") }, true},
		{"untracked asset", func(t *testing.T, dir string) { write(t, dir, "assets/css/x.css", "x") }, true},
		{"an ignored file in static", func(t *testing.T, dir string) { write(t, dir, "static/debug.log", "x") }, true},
		{"hugo.toml changed", func(t *testing.T, dir string) { write(t, dir, "hugo.toml", "title = 'y'") }, true},
		{"the program changed", func(t *testing.T, dir string) { write(t, dir, "internal/x/x.go", "package x // y") }, true},
		{"an untracked file outside the inputs", func(t *testing.T, dir string) { write(t, dir, "notes.txt", "x") }, false},
		{"an ignored file outside the inputs", func(t *testing.T, dir string) { write(t, dir, "build.log", "x") }, false},
		{"the README changed", func(t *testing.T, dir string) { write(t, dir, "README.md", "ny") }, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir, commit := repo(t)
			c.edit(t, dir)
			want := commit[:12]
			if c.dirty {
				want += Dirty
			}
			if name, _ := Of(dir); name != want {
				t.Errorf("name %q, want %q", name, want)
			}
		})
	}
}

func TestWithoutGit(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, "content/nb/om.md", "om")
	day := time.Date(2026, 10, 1, 9, 0, 0, 0, time.UTC)
	os.Chtimes(filepath.Join(dir, "content/nb/om.md"), day, day)
	t.Setenv("SOURCE_DATE_EPOCH", "")
	name, when := Of(dir)
	if name != "2026-10-01" || !when.Equal(day) {
		t.Errorf("Of = %q, %v", name, when)
	}
	t.Setenv("SOURCE_DATE_EPOCH", "1700000000")
	if _, when := Of(dir); when.Unix() != 1700000000 {
		t.Errorf("with SOURCE_DATE_EPOCH: %v", when)
	}
}
