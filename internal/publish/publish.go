// Package publish writes outputs whole or not at all: a file is written beside its target and
// renamed over it; a folder is written beside its target and swapped in, so a failed or
// interrupted build leaves the previous output as it was, and files of an earlier build do not
// survive in the new one.
package publish

import (
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
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	if err := os.Chmod(tmp, 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, name)
}

// Dir replaces folder dir with the files of t.
func Dir(dir string, t tree.Tree) error {
	dir = filepath.Clean(dir)
	parent := filepath.Dir(dir)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return err
	}
	tmp, err := os.MkdirTemp(parent, "."+filepath.Base(dir)+".tmp-*")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp) // after the swap it holds the previous output
	if err := os.Chmod(tmp, 0o755); err != nil {
		return err
	}
	for _, p := range t.Paths() {
		name := filepath.Join(tmp, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(name, t[p], 0o644); err != nil {
			return fmt.Errorf("write %s: %w", filepath.Join(dir, p), err)
		}
	}
	return swap(tmp, dir)
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
