package tree

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// sources are the parts of a project that Hugo reads files from into the site.
var sources = []string{"content", "static", "assets", "data", "i18n", "layouts", "archetypes", "hugo.toml"}

// LinksOutside finds the symbolic links among the project dir's sources (the paths in
// sources) that lead outside the project, so that no file from elsewhere on the computer
// reaches the site. Links within the project are followed (a linked folder's links are checked
// too). The error names every such link, one a line, relative to dir; nil if there is none.
func LinksOutside(dir string) error {
	root, err := filepath.EvalSymlinks(dir)
	if err != nil {
		return err
	}
	root, err = filepath.Abs(root)
	if err != nil {
		return err
	}
	var found []string
	seen := map[string]bool{} // real folders walked already: links may loop
	var walk func(shown, real string) error
	walk = func(shown, real string) error {
		if seen[real] {
			return nil
		}
		seen[real] = true
		return filepath.WalkDir(real, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				if errors.Is(err, fs.ErrNotExist) {
					return nil
				}
				return err
			}
			if d.Type()&fs.ModeSymlink == 0 {
				return nil
			}
			rel, _ := filepath.Rel(real, p)
			name := filepath.ToSlash(filepath.Join(shown, rel))
			target, inside, err := resolve(root, p)
			if err != nil {
				return nil // a link to nothing brings nothing in
			}
			if !inside {
				found = append(found, fmt.Sprintf("%s: a symbolic link to %s, outside the project: files from outside it never reach the site; copy the file into the project instead", name, target))
				return nil
			}
			if fi, err := os.Stat(target); err == nil && fi.IsDir() {
				return walk(name, target)
			}
			return nil
		})
	}
	for _, s := range sources {
		p := filepath.Join(root, s)
		fi, err := os.Lstat(p)
		if err != nil {
			continue
		}
		if fi.Mode()&fs.ModeSymlink != 0 {
			target, inside, err := resolve(root, p)
			switch {
			case err != nil:
				continue
			case !inside:
				found = append(found, fmt.Sprintf("%s: a symbolic link to %s, outside the project: files from outside it never reach the site; copy the files into the project instead", s, target))
				continue
			}
			p = target
		}
		if err := walk(s, p); err != nil {
			return err
		}
	}
	if len(found) == 0 {
		return nil
	}
	sort.Strings(found)
	return errors.New(strings.Join(found, "\n"))
}

// resolve returns the real path a link at p leads to and whether it lies within root. A link
// to nothing is judged by where it points.
func resolve(root, p string) (string, bool, error) {
	target, err := filepath.EvalSymlinks(p)
	if err != nil {
		dest, rerr := os.Readlink(p)
		if rerr != nil {
			return "", false, rerr
		}
		if !filepath.IsAbs(dest) {
			dest = filepath.Join(filepath.Dir(p), dest)
		}
		if within(root, filepath.Clean(dest)) {
			return "", false, err // dangling, inside: Hugo finds nothing there
		}
		return filepath.Clean(dest), false, nil
	}
	target, err = filepath.Abs(target)
	if err != nil {
		return "", false, err
	}
	return target, within(root, target), nil
}

// within reports whether path p is root or below it.
func within(root, p string) bool {
	rel, err := filepath.Rel(root, p)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) && !filepath.IsAbs(rel)
}
