package publish

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/veiviser/veiviser/internal/tree"
)

// snapshot is every file and folder below dir (relative path → contents, "/" for a folder).
func snapshot(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		if d.IsDir() {
			out[filepath.ToSlash(rel)+"/"] = ""
			return nil
		}
		b, err := os.ReadFile(p)
		out[filepath.ToSlash(rel)] = string(b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func equal(t *testing.T, what string, got, want map[string]string) {
	t.Helper()
	for k, v := range want {
		if g, ok := got[k]; !ok || g != v {
			t.Errorf("%s: %s is %q (there: %v), want %q", what, k, g, ok, v)
		}
	}
	for k := range got {
		if _, ok := want[k]; !ok {
			t.Errorf("%s: %s should not be there", what, k)
		}
	}
}

// project is a folder with a previous build: public/ and dist/ with one zip.
func project(t *testing.T) (dir, public, dist string) {
	t.Helper()
	dir = t.TempDir()
	public, dist = filepath.Join(dir, "public"), filepath.Join(dir, "dist")
	for name, body := range map[string]string{
		"public/index.html":            "old home",
		"public/om/index.html":         "old about",
		"dist/veiviser-offline-v1.zip": "old zip",
		"hugo.toml":                    "title = 'x'",
	} {
		p := filepath.Join(dir, filepath.FromSlash(name))
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir, public, dist
}

// stage stages a new build of public/.
func stage(t *testing.T, public string) *Staged {
	t.Helper()
	s, err := NewStaging(public)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Sync(tree.Tree{"index.html": []byte("new home"), "en/index.html": []byte("new en")}, nil); err != nil {
		t.Fatal(err)
	}
	return s
}

func TestCommitWithPutsBothInPlace(t *testing.T) {
	for _, exchangeWorks := range []bool{true, false} {
		t.Run(map[bool]string{true: "exchange", false: "rename aside"}[exchangeWorks], func(t *testing.T) {
			if !exchangeWorks {
				saved := exchange
				exchange = func(a, b string) error { return errors.ErrUnsupported }
				t.Cleanup(func() { exchange = saved })
			}
			dir, public, dist := project(t)
			s := stage(t, public)
			zip := filepath.Join(dist, "veiviser-offline-v2.zip")
			if err := s.CommitWith([]Output{{zip, []byte("new zip")}}, "veiviser-offline-*.zip"); err != nil {
				t.Fatal(err)
			}
			equal(t, "after the commit", snapshot(t, dir), map[string]string{
				"./": "", "public/": "", "public/en/": "", "dist/": "",
				"public/index.html": "new home", "public/en/index.html": "new en",
				"dist/veiviser-offline-v2.zip": "new zip", "hugo.toml": "title = 'x'",
			})
		})
	}
}

// TestCommitWithFailureKeepsThePrevious: whatever step fails, the previous public/ and zip
// are byte for byte as they were, the error names what failed, and nothing is left behind.
func TestCommitWithFailureKeepsThePrevious(t *testing.T) {
	cases := []struct {
		name string
		fail func(dir, public, dist string) (restore func()) // makes one step fail
		want string                                          // in the error
	}{
		{"swap fails (a read-only folder)", func(dir, public, dist string) func() {
			savedR, savedX := rename, exchange
			deny := func(a, b string) error {
				if a == public || b == public {
					return &os.LinkError{Op: "rename", Old: a, New: b, Err: fs.ErrPermission}
				}
				return savedR(a, b)
			}
			rename, exchange = deny, deny
			return func() { rename, exchange = savedR, savedX }
		}, "replace " + "PUBLIC"},
		{"swap fails after moving the old folder aside", func(dir, public, dist string) func() {
			savedR, savedX := rename, exchange
			exchange = func(a, b string) error { return errors.ErrUnsupported }
			rename = func(a, b string) error {
				if b == public && strings.Contains(a, ".tmp-") && !strings.HasSuffix(a, ".old") {
					return &os.LinkError{Op: "rename", Old: a, New: b, Err: fs.ErrPermission}
				}
				return savedR(a, b)
			}
			return func() { rename, exchange = savedR, savedX }
		}, "replace PUBLIC"},
		{"the zip cannot be put in place", func(dir, public, dist string) func() {
			saved := rename
			rename = func(a, b string) error {
				if strings.HasSuffix(b, ".zip") {
					return &os.LinkError{Op: "rename", Old: a, New: b, Err: fs.ErrPermission}
				}
				return saved(a, b)
			}
			return func() { rename = saved }
		}, "write DIST/veiviser-offline-v2.zip"},
		{"the zip cannot be put in place, without exchange", func(dir, public, dist string) func() {
			savedR, savedX := rename, exchange
			exchange = func(a, b string) error { return errors.ErrUnsupported }
			rename = func(a, b string) error {
				if strings.HasSuffix(b, ".zip") {
					return &os.LinkError{Op: "rename", Old: a, New: b, Err: fs.ErrPermission}
				}
				return savedR(a, b)
			}
			return func() { rename, exchange = savedR, savedX }
		}, "write DIST/veiviser-offline-v2.zip"},
		{"dist is a file", func(dir, public, dist string) func() {
			os.RemoveAll(dist)
			os.WriteFile(dist, []byte("a file"), 0o644)
			return func() {}
		}, "DIST"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir, public, dist := project(t)
			s := stage(t, public)
			restore := c.fail(dir, public, dist)
			before := snapshot(t, dir)
			err := s.CommitWith([]Output{{filepath.Join(dist, "veiviser-offline-v2.zip"), []byte("new zip")}}, "veiviser-offline-*.zip")
			restore()
			want := strings.NewReplacer("PUBLIC", public, "DIST", dist).Replace(c.want)
			if err == nil || !strings.Contains(err.Error(), want) || strings.Contains(err.Error(), "\n") {
				t.Fatalf("err = %v, want one line naming %s", err, want)
			}
			// The staged folder is gone too: before held it, now it must not be there.
			after := snapshot(t, dir)
			for k := range before {
				if strings.Contains(k, ".tmp-") {
					delete(before, k)
				}
			}
			equal(t, "after the failure", after, before)
		})
	}
}

func TestNewStagingRefusesAFileInPlaceOfTheFolder(t *testing.T) {
	dir := t.TempDir()
	public := filepath.Join(dir, "public")
	os.WriteFile(public, []byte("not a folder"), 0o644)
	_, err := NewStaging(public)
	if err == nil || !strings.Contains(err.Error(), public+" is not a folder") {
		t.Fatalf("err = %v", err)
	}
	equal(t, "after", snapshot(t, dir), map[string]string{"./": "", "public": "not a folder"})
	// Nor does a commit swap a folder in for a file put there while the build ran.
	if err := os.Remove(public); err != nil {
		t.Fatal(err)
	}
	s := stage(t, public)
	os.WriteFile(public, []byte("not a folder"), 0o644)
	if err := s.CommitWith([]Output{{filepath.Join(dir, "dist", "x.zip"), []byte("zip")}}); err == nil || !strings.Contains(err.Error(), "is not a folder") {
		t.Fatalf("err = %v", err)
	}
	equal(t, "after the commit", snapshot(t, dir), map[string]string{"./": "", "public": "not a folder"})
}

func TestFileIsAtomic(t *testing.T) {
	dir := t.TempDir()
	name := filepath.Join(dir, "a", "x.pdf")
	if err := File(name, []byte("one")); err != nil {
		t.Fatal(err)
	}
	saved := rename
	rename = func(a, b string) error { return fs.ErrPermission }
	err := File(name, []byte("two"))
	rename = saved
	if err == nil {
		t.Fatal("no error")
	}
	equal(t, "after", snapshot(t, dir), map[string]string{"./": "", "a/": "", "a/x.pdf": "one"})
}

// TestCommitWithSeveralEditions: the zip and the other editions go in together with public/;
// when one of them cannot be put in place, those written before it are taken back (a file of
// the same name from an earlier build of the same version is put back too) and public/ and
// dist/ are as they were.
func TestCommitWithSeveralEditions(t *testing.T) {
	editions := func(dist string) []Output {
		return []Output{
			{filepath.Join(dist, "veiviser-offline-v1.zip"), []byte("new zip")}, // the same version, built again
			{filepath.Join(dist, "veiviser-nb-v1.html"), []byte("new nb")},
			{filepath.Join(dist, "veiviser-en-v1.html"), []byte("new en")},
		}
	}
	dir, public, dist := project(t)
	os.WriteFile(filepath.Join(dist, "veiviser-nb-v0.html"), []byte("older nb"), 0o644)
	if err := stage(t, public).CommitWith(editions(dist), "veiviser-offline-*.zip", "veiviser-*-*.html"); err != nil {
		t.Fatal(err)
	}
	equal(t, "after the commit", snapshot(t, dir), map[string]string{
		"./": "", "public/": "", "public/en/": "", "dist/": "",
		"public/index.html": "new home", "public/en/index.html": "new en",
		"dist/veiviser-offline-v1.zip": "new zip", "dist/veiviser-nb-v1.html": "new nb", "dist/veiviser-en-v1.html": "new en",
		"hugo.toml": "title = 'x'",
	})

	for _, exchangeWorks := range []bool{true, false} {
		t.Run(map[bool]string{true: "exchange", false: "rename aside"}[exchangeWorks], func(t *testing.T) {
			dir, public, dist := project(t)
			savedR, savedX := rename, exchange
			if !exchangeWorks {
				exchange = func(a, b string) error { return errors.ErrUnsupported }
			}
			rename = func(a, b string) error {
				if strings.HasSuffix(b, "veiviser-en-v1.html") {
					return &os.LinkError{Op: "rename", Old: a, New: b, Err: fs.ErrPermission}
				}
				return savedR(a, b)
			}
			t.Cleanup(func() { rename, exchange = savedR, savedX })
			s := stage(t, public)
			before := snapshot(t, dir)
			err := s.CommitWith(editions(dist), "veiviser-offline-*.zip", "veiviser-*-*.html")
			if want := "write " + filepath.Join(dist, "veiviser-en-v1.html"); err == nil || !strings.Contains(err.Error(), want) {
				t.Fatalf("err = %v, want one naming %s", err, want)
			}
			after := snapshot(t, dir)
			for k := range before {
				if strings.Contains(k, ".tmp-") {
					delete(before, k)
				}
			}
			equal(t, "after the failure", after, before)
		})
	}
}
