// Package publish writes outputs whole or not at all: a file is written beside its target and
// renamed over it; a folder is written beside its target and swapped in, so a failed or
// interrupted build leaves the previous output as it was, and files of an earlier build do not
// survive in the new one. The web folder and the offline zip are committed together
// (CommitWith): both from the same build, or neither.
//
// A build holds a lock on the folders it writes into (Acquire), so two builds into the same
// folders do not interleave: the second one stops at once with one line naming the folder and
// the first build's process id. While it holds the lock, a build removes what an interrupted
// build left there (staging folders, temporary zips).
package publish

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/veiviser/veiviser/internal/tree"
)

// rename and exchange are variables so that tests can make them fail.
var rename = os.Rename

// File writes data to name atomically.
func File(name string, data []byte) error {
	tmp, err := writeTemp(name, data)
	if err != nil {
		return err
	}
	if err := rename(tmp, name); err != nil {
		os.Remove(tmp)
		return err
	}
	return nil
}

// writeTemp writes data to a new file beside name (".name.tmp-*", which Acquire removes when a
// build left it behind) and returns its path.
func writeTemp(name string, data []byte) (string, error) {
	dir := filepath.Dir(name)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	f, err := os.CreateTemp(dir, "."+filepath.Base(name)+tmpInfix+"*")
	if err != nil {
		return "", err
	}
	tmp := f.Name()
	if _, err := f.Write(data); err != nil {
		f.Close()
		os.Remove(tmp)
		return "", fmt.Errorf("write %s: %w", name, err)
	}
	if err := f.Close(); err != nil {
		os.Remove(tmp)
		return "", err
	}
	if err := os.Chmod(tmp, 0o644); err != nil {
		os.Remove(tmp)
		return "", err
	}
	return tmp, nil
}

// tmpInfix marks the names of files and folders being written: ".public.tmp-123",
// ".veiviser-offline-v1.zip.tmp-456".
const tmpInfix = ".tmp-"

// Staged is a folder written beside the folder it is to replace.
type Staged struct {
	tmp, dir string
}

// NewStaging makes an empty folder beside dir, for a build to write into and commit
// (CommitWith). dir must be a folder or not exist: a file (or link) in its place is an error,
// found before any work.
func NewStaging(dir string) (*Staged, error) {
	dir = filepath.Clean(dir)
	if err := replaceable(dir); err != nil {
		return nil, err
	}
	parent := filepath.Dir(dir)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return nil, err
	}
	tmp, err := os.MkdirTemp(parent, "."+filepath.Base(dir)+tmpInfix+"*")
	if err != nil {
		return nil, err
	}
	if err := os.Chmod(tmp, 0o755); err != nil {
		os.RemoveAll(tmp)
		return nil, err
	}
	return &Staged{tmp: tmp, dir: dir}, nil
}

// replaceable reports an error unless dir is a folder or is missing.
func replaceable(dir string) error {
	fi, err := os.Lstat(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil
	case err != nil:
		return err
	case !fi.IsDir():
		return fmt.Errorf("%s is not a folder: the build replaces it whole; move it away first", dir)
	}
	return nil
}

// Path is the staged folder.
func (s *Staged) Path() string { return s.tmp }

// Sync makes the staged folder hold exactly the files of t, given that it holds those of
// before: files whose bytes changed are written again, new ones added, gone ones removed.
func (s *Staged) Sync(t, before tree.Tree) error {
	var changed []string
	for _, p := range t.Paths() {
		if old, ok := before[p]; !ok || !bytes.Equal(old, t[p]) {
			changed = append(changed, p)
		}
	}
	for p := range before {
		if _, ok := t[p]; !ok {
			if err := os.Remove(filepath.Join(s.tmp, filepath.FromSlash(p))); err != nil {
				return err
			}
		}
	}
	return s.writeFiles(t, changed)
}

// Add writes the files of t into the staged folder, beside what it holds.
func (s *Staged) Add(t tree.Tree) error {
	return s.writeFiles(t, t.Paths())
}

// writeFiles writes the files of t named in paths into the staged folder.
func (s *Staged) writeFiles(t tree.Tree, paths []string) error {
	made := map[string]bool{}
	for _, p := range paths {
		if d := filepath.Dir(filepath.FromSlash(p)); d != "." && !made[d] {
			if err := os.MkdirAll(filepath.Join(s.tmp, d), 0o755); err != nil {
				return err
			}
			made[d] = true
		}
	}
	return tree.Each(paths, func(p string) error {
		if err := os.WriteFile(filepath.Join(s.tmp, filepath.FromSlash(p)), t[p], 0o644); err != nil {
			return fmt.Errorf("write %s: %w", filepath.Join(s.dir, p), err)
		}
		return nil
	})
}

// Output is a file to write with the staged folder's commit: an edition in dist/.
type Output struct {
	Name string
	Data []byte
}

// CommitWith swaps the staged folder in for its target and, as part of the same commit,
// writes the files and then removes the other files matching the glob patterns others, in
// the files' folder (earlier editions beside them). The folder and the files are all the new
// ones or all the previous ones: when the swap fails, no file is written; when a file cannot
// be put in place, the files already written are taken back (a file of the same name that
// was there before is put back) and the swap is undone. On error the staged folder is
// removed.
func (s *Staged) CommitWith(files []Output, others ...string) error {
	if err := replaceable(s.dir); err != nil {
		s.Discard()
		return err
	}
	temps := make([]string, len(files))
	removeTemps := func() {
		for _, t := range temps {
			if t != "" {
				os.Remove(t)
			}
		}
	}
	for i, f := range files {
		t, err := writeTemp(f.Name, f.Data)
		if err != nil {
			removeTemps()
			s.Discard()
			return err
		}
		temps[i] = t
	}
	old, undo, err := swapIn(s.tmp, s.dir)
	if err != nil {
		removeTemps()
		s.Discard()
		return fmt.Errorf("replace %s: %w (the previous site and editions are kept)", s.dir, err)
	}
	// Each file in place, the previous one of its name (a rebuild of the same version) aside
	// until all are.
	var placed, asides []string
	takeBack := func() {
		for _, p := range placed {
			os.Remove(p)
		}
		for i, a := range asides {
			if a != "" {
				rename(a, files[i].Name)
			}
		}
	}
	for i, f := range files {
		aside := ""
		if _, err := os.Lstat(f.Name); err == nil {
			aside = temps[i] + ".old"
			if err := rename(f.Name, aside); err != nil {
				return s.abort(fmt.Errorf("write %s: %w", f.Name, err), takeBack, removeTemps, undo)
			}
		}
		asides = append(asides, aside)
		if err := rename(temps[i], f.Name); err != nil {
			return s.abort(fmt.Errorf("write %s: %w", f.Name, err), takeBack, removeTemps, undo)
		}
		temps[i] = ""
		placed = append(placed, f.Name)
	}
	for _, a := range asides {
		if a != "" {
			os.Remove(a)
		}
	}
	if old != "" {
		defer os.RemoveAll(old)
	}
	if len(files) == 0 {
		return nil
	}
	keep := map[string]bool{}
	for _, f := range files {
		keep[f.Name] = true
	}
	for _, pattern := range others {
		if err := removeOthers(filepath.Join(filepath.Dir(files[0].Name), pattern), keep); err != nil {
			return err
		}
	}
	return nil
}

// abort takes back what a failed commit put in place and says what failed, in one line.
func (s *Staged) abort(err error, takeBack, removeTemps func(), undo func() error) error {
	takeBack()
	removeTemps()
	if uerr := undo(); uerr != nil {
		// Both failed: say so plainly, the outputs no longer match.
		return fmt.Errorf("%w; and putting the previous %s back failed: %v, so %s is from this build and the editions are not", err, s.dir, uerr, s.dir)
	}
	s.Discard() // it holds this build's files again
	return fmt.Errorf("%w (the previous site and editions are kept)", err)
}

// removeOthers removes the files matching pattern but those to keep.
func removeOthers(pattern string, keep map[string]bool) error {
	matches, err := filepath.Glob(pattern)
	if err != nil {
		return err
	}
	for _, p := range matches {
		if !keep[p] {
			if err := os.Remove(p); err != nil {
				return fmt.Errorf("the new build is in place, but an earlier one is left: %w", err)
			}
		}
	}
	return nil
}

// Discard removes the staged folder, leaving dir as it was.
func (s *Staged) Discard() {
	os.RemoveAll(s.tmp)
}

// swapIn puts folder tmp in the place of dir. It returns where the previous dir's files are
// now ("" when there was no dir) and a function that undoes the swap.
func swapIn(tmp, dir string) (old string, undo func() error, err error) {
	if err := replaceable(dir); err != nil {
		return "", nil, err
	}
	if _, err := os.Lstat(dir); errors.Is(err, fs.ErrNotExist) {
		if err := rename(tmp, dir); err != nil {
			return "", nil, err
		}
		return "", func() error { return rename(dir, tmp) }, nil
	}
	// One atomic step where the system offers it (Linux): dir is never missing.
	if err := exchange(tmp, dir); err == nil {
		return tmp, func() error { return exchange(tmp, dir) }, nil
	}
	// Elsewhere, or where the file system cannot: move the old folder aside, the new one in,
	// and put the old one back if that fails.
	aside := tmp + ".old"
	if err := rename(dir, aside); err != nil {
		return "", nil, err
	}
	if err := rename(tmp, dir); err != nil {
		if rerr := rename(aside, dir); rerr != nil {
			return "", nil, fmt.Errorf("%w; and putting it back failed: %v (the previous files are in %s)", err, rerr, aside)
		}
		return "", nil, err
	}
	return aside, func() error {
		if err := rename(dir, tmp); err != nil {
			return err
		}
		return rename(aside, dir)
	}, nil
}
