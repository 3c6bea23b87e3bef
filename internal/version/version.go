// Package version names a build of the content: the commit when the project is a git
// checkout, otherwise the date of the newest content file; and the time to stamp into the
// offline zip, so that two builds of the same commit give the same bytes.
//
// The name is the first 12 hex digits of the commit, whatever the builder's git settings
// (core.abbrev) or tags, so that every clone of a commit names its zip alike. A build from a
// checkout whose inputs differ from the commit (a change not committed, or a file git does not
// track, ignored ones included, in the folders the site is made from) is named <commit>-dirty.
package version

import (
	"bytes"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// Dirty ends the name of a build whose inputs are not all committed.
const Dirty = "-dirty"

// abbrev is the number of hex digits of the commit in the name.
const abbrev = 12

// inputs are the files and folders of a project the site is made from: any file in them that
// git does not hold as committed makes the build dirty.
var inputs = []string{"content", "data", "i18n", "layouts", "assets", "static", "archetypes", "hugo.toml"}

// program are the paths of the program that renders (when it lives in the project's
// checkout): a change to a tracked file there makes the build dirty too.
var program = []string{"cmd", "internal", "go.mod", "go.sum", "package.json", "package-lock.json"}

// Of returns the version name and the timestamp for the project in dir. The timestamp is
// SOURCE_DATE_EPOCH when set, else the commit time, else the newest content file's time.
func Of(dir string) (string, time.Time) {
	newest := newestContent(dir)
	name := newest.Format("2006-01-02")
	when := newest
	if commit := git(dir, "rev-parse", "--verify", "--quiet", "HEAD^{commit}"); len(commit) >= abbrev {
		name = commit[:abbrev]
		if dirty(dir) {
			name += Dirty
		}
		if ct, err := strconv.ParseInt(git(dir, "log", "-1", "--format=%ct", "HEAD"), 10, 64); err == nil {
			when = time.Unix(ct, 0)
		}
	}
	if s := os.Getenv("SOURCE_DATE_EPOCH"); s != "" {
		if n, err := strconv.ParseInt(s, 10, 64); err == nil {
			when = time.Unix(n, 0)
		}
	}
	return name, when.UTC()
}

// dirty reports whether the checkout at dir differs from its commit where it matters: any
// change or file not committed among the inputs, any change to a tracked file of the program.
// When git cannot tell, the build counts as dirty.
func dirty(dir string) bool {
	changed, ok := gitOK(dir, append([]string{"status", "--porcelain=v1", "-z", "--untracked-files=all", "--ignored=matching", "--"}, inputs...)...)
	if !ok || len(changed) > 0 {
		return true
	}
	code, ok := gitOK(dir, append([]string{"status", "--porcelain=v1", "-z", "--untracked-files=no", "--"}, program...)...)
	return !ok || len(code) > 0
}

func git(dir string, args ...string) string {
	out, _ := gitOK(dir, args...)
	return strings.TrimSpace(string(out))
}

// gitOK runs git in dir and returns its output and whether it succeeded.
func gitOK(dir string, args ...string) ([]byte, bool) {
	// The builder's git settings must not change the answers: no pager, no colours, no
	// optional locks taken on a checkout someone else is using.
	cmd := exec.Command("git", append([]string{"-C", dir, "-c", "core.quotePath=false", "-c", "color.ui=false"}, args...)...)
	cmd.Env = append(os.Environ(), "GIT_OPTIONAL_LOCKS=0", "GIT_PAGER=cat", "LC_ALL=C")
	out, err := cmd.Output()
	if err != nil {
		return nil, false
	}
	return bytes.TrimRight(out, "\n"), true
}

// newestContent is the modification time of the newest file below dir/content.
func newestContent(dir string) time.Time {
	var newest time.Time
	filepath.WalkDir(filepath.Join(dir, "content"), func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			if fi, err := d.Info(); err == nil && fi.ModTime().After(newest) {
				newest = fi.ModTime()
			}
		}
		return nil
	})
	if newest.IsZero() {
		newest = time.Unix(0, 0)
	}
	return newest
}
