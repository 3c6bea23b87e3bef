// Package publish writes outputs whole or not at all: a file is written beside its target and
// renamed over it; a folder is written beside its target and swapped in, so a failed or
// interrupted build leaves the previous output as it was, and files of an earlier build do not
// survive in the new one.
package publish

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/veiviser/veiviser/internal/tree"
	"golang.org/x/sys/unix"
)

// File writes data to name atomically.
func File(name string, data []byte) error {
	dir := filepath.Dir(name)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	f, err := os.CreateTemp(dir, "."+filepath.Base(name)+".tmp-*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	defer os.Remove(tmp) // a no-op once renamed
	if _, err := f.Write(data); err != nil {
		f.Close()
		return fmt.Errorf("write %s: %w", name, err)
	}
	if err := f.Close(); err != nil {
		return err
	}
	if err := os.Chmod(tmp, 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, name)
}

// Staged is a folder written beside the folder it is to replace.
type Staged struct {
	tmp, dir string
}

// NewStaging makes an empty folder beside dir, for a build to write into and Commit.
func NewStaging(dir string) (*Staged, error) {
	dir = filepath.Clean(dir)
	parent := filepath.Dir(dir)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return nil, err
	}
	tmp, err := os.MkdirTemp(parent, "."+filepath.Base(dir)+".tmp-*")
	if err != nil {
		return nil, err
	}
	if err := os.Chmod(tmp, 0o755); err != nil {
		os.RemoveAll(tmp)
		return nil, err
	}
	return &Staged{tmp: tmp, dir: dir}, nil
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

// Commit swaps the staged folder in and removes the previous one.
func (s *Staged) Commit() error {
	defer os.RemoveAll(s.tmp) // after the swap it holds the previous output
	return swap(s.tmp, s.dir)
}

// Discard removes the staged folder, leaving dir as it was.
func (s *Staged) Discard() {
	os.RemoveAll(s.tmp)
}

// swap puts folder tmp in the place of dir, leaving the old dir's files at tmp.
func swap(tmp, dir string) error {
	if _, err := os.Lstat(dir); errors.Is(err, os.ErrNotExist) {
		return os.Rename(tmp, dir)
	}
	// One atomic step where the kernel offers it: dir is never missing.
	if err := unix.Renameat2(unix.AT_FDCWD, tmp, unix.AT_FDCWD, dir, unix.RENAME_EXCHANGE); err == nil {
		return nil
	}
	old := tmp + ".old"
	if err := os.Rename(dir, old); err != nil {
		return err
	}
	if err := os.Rename(tmp, dir); err != nil {
		os.Rename(old, dir)
		return err
	}
	return os.RemoveAll(old)
}
