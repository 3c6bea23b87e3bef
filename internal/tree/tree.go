// Package tree holds a published site as an in-memory set of files keyed by slash-separated
// paths without a leading slash ("index.html", "en/index.html"). Every step after rendering
// works on a Tree: minify, make offline, validate, pack, publish.
package tree

import (
	"maps"
	"os"
	"path"
	"slices"
	"strings"

	"github.com/spf13/afero"
)

// Tree is a set of files by path.
type Tree map[string][]byte

// FromFs reads every regular file of an afero file system into a Tree.
func FromFs(src afero.Fs) (Tree, error) {
	t := Tree{}
	err := afero.Walk(src, "/", func(p string, fi os.FileInfo, err error) error {
		if err != nil || fi.IsDir() {
			return err
		}
		b, err := afero.ReadFile(src, p)
		if err != nil {
			return err
		}
		t[strings.TrimPrefix(path.Clean(p), "/")] = b
		return nil
	})
	return t, err
}

// Paths returns the tree's paths in sorted order.
func (t Tree) Paths() []string {
	return slices.Sorted(maps.Keys(t))
}

// Clone returns a shallow copy: a new map sharing the file contents.
func (t Tree) Clone() Tree {
	return maps.Clone(t)
}

// IsDir reports whether p names a folder of the tree: some file lives below it.
func (t Tree) IsDir(p string) bool {
	p = strings.Trim(p, "/")
	if p == "" || p == "." {
		return true
	}
	prefix := p + "/"
	for k := range t {
		if strings.HasPrefix(k, prefix) {
			return true
		}
	}
	return false
}

// Size is the total number of bytes in the tree.
func (t Tree) Size() int {
	n := 0
	for _, b := range t {
		n += len(b)
	}
	return n
}
