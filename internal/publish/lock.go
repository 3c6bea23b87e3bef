package publish

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"
)

// LockName is the lock file a build holds in each folder it writes into: the folder holding
// public/ and the one holding dist/ (both the project folder, by default).
const LockName = ".veiviser-build.lock"

// BusyError says another build holds the lock.
type BusyError struct {
	Dir string // the folder whose lock is held
	PID int    // the process holding it, 0 if unknown
}

func (e *BusyError) Error() string {
	pid := "pid unknown"
	if e.PID > 0 {
		pid = "pid " + strconv.Itoa(e.PID)
	}
	return fmt.Sprintf("another build is running in %s (%s)", e.Dir, pid)
}

// Lock is the build lock on the output folders.
type Lock struct {
	held []*held
}

// Acquire takes the build lock for a build that replaces the folder public and writes into
// the folder dist, without waiting: when another build holds it the error is a *BusyError.
// The lock is an operating-system lock on the file (flock, LockFileEx), so it ends with the
// process that holds it, however that ends; the file names the holder's process id for the
// message. Holding the lock, Acquire removes what interrupted builds left: staging folders
// beside public (".public.tmp-*") and temporary files in dist (".*.tmp-*"). A previous public/
// that an interrupted swap left aside is put back first if public/ is missing.
func Acquire(public, dist string) (*Lock, error) {
	public, dist = filepath.Clean(public), filepath.Clean(dist)
	dirs := []string{filepath.Dir(public), filepath.Dir(dist)}
	slices.Sort(dirs)
	dirs = slices.Compact(dirs)
	l := &Lock{}
	for _, d := range dirs {
		if err := os.MkdirAll(d, 0o755); err != nil {
			l.Release()
			return nil, err
		}
		h, err := lockFile(filepath.Join(d, LockName))
		if err != nil {
			l.Release()
			var busy *BusyError
			if errors.As(err, &busy) {
				if abs, aerr := filepath.Abs(d); aerr == nil {
					d = abs
				}
				busy.Dir = d
			}
			return nil, err
		}
		l.held = append(l.held, h)
	}
	cleanStaging(public)
	cleanTemp(dist)
	return l, nil
}

// Release gives the lock up and removes its files.
func (l *Lock) Release() {
	for _, h := range l.held {
		h.release()
	}
	l.held = nil
}

// cleanStaging removes the staging folders of dir that a build left behind, after putting
// back a previous dir left aside if dir itself is missing.
func cleanStaging(dir string) {
	matches, _ := filepath.Glob(filepath.Join(filepath.Dir(dir), "."+filepath.Base(dir)+tmpInfix+"*"))
	if _, err := os.Lstat(dir); errors.Is(err, fs.ErrNotExist) {
		for _, m := range matches {
			if strings.HasSuffix(m, ".old") && rename(m, dir) == nil {
				break
			}
		}
	}
	for _, m := range matches {
		os.RemoveAll(m)
	}
}

// cleanTemp removes the temporary files a build left in dir.
func cleanTemp(dir string) {
	matches, _ := filepath.Glob(filepath.Join(dir, ".*"+tmpInfix+"*"))
	for _, m := range matches {
		os.RemoveAll(m)
	}
}

// readPID reads the process id a lock file names, waiting briefly for a holder that has just
// taken it to write it.
func readPID(name string) int {
	for range 10 {
		b, err := os.ReadFile(name)
		if err == nil {
			if n, err := strconv.Atoi(strings.TrimSpace(string(b))); err == nil && n > 0 {
				return n
			}
		}
		time.Sleep(10 * time.Millisecond)
	}
	return 0
}

// writePID writes this process's id into the lock file f.
func writePID(f *os.File) error {
	if err := f.Truncate(0); err != nil {
		return err
	}
	_, err := f.WriteAt([]byte(strconv.Itoa(os.Getpid())+"\n"), 0)
	return err
}
