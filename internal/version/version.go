// Package version names a build of the content: the git description of the commit when the
// project is a git checkout, otherwise the date of the newest content file; and the time to
// stamp into the offline zip, so that two builds of the same commit give the same bytes.
package version

import (
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// Of returns the version name and the timestamp for the project in dir. The timestamp is
// SOURCE_DATE_EPOCH when set, else the commit time, else the newest content file's time.
func Of(dir string) (string, time.Time) {
	newest := newestContent(dir)
	name := git(dir, "describe", "--tags", "--always", "--dirty")
	if name == "" {
		name = newest.Format("2006-01-02")
	}
	when := newest
	if ct, err := strconv.ParseInt(git(dir, "log", "-1", "--format=%ct"), 10, 64); err == nil {
		when = time.Unix(ct, 0)
	}
	if s := os.Getenv("SOURCE_DATE_EPOCH"); s != "" {
		if n, err := strconv.ParseInt(s, 10, 64); err == nil {
			when = time.Unix(n, 0)
		}
	}
	return name, when.UTC()
}

func git(dir string, args ...string) string {
	cmd := exec.Command("git", append([]string{"-C", dir}, args...)...)
	cmd.Stderr = nil
	out, err := cmd.Output()
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(out))
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
