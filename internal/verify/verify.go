// Package verify checks an offline zip as its receiver gets it: one top-level folder holding
// index.html, LES-MEG.txt and SHA256SUMS, and every file as SHA256SUMS lists it, none missing,
// changed or extra.
package verify

import (
	"archive/zip"
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path"
	"slices"
	"strings"

	"github.com/veiviser/veiviser/internal/bundle"
)

// Problem is one thing wrong with the zip, naming the file inside it where there is one.
type Problem struct {
	File string // the entry's name in the zip; "" for the zip as a whole
	What string
}

func (p Problem) String() string {
	if p.File == "" {
		return p.What
	}
	return p.File + ": " + p.What
}

// Report is what Zip found.
type Report struct {
	Folder   string    // the top-level folder
	Files    int       // files in the zip, SHA256SUMS included
	Checked  int       // files whose checksum matched
	Problems []Problem // in the order of the entries, then SHA256SUMS's
}

// OK reports whether the zip is whole.
func (r *Report) OK() bool { return len(r.Problems) == 0 }

// File verifies the zip file at name.
func File(name string) (*Report, error) {
	b, err := os.ReadFile(name)
	if err != nil {
		return nil, err
	}
	return Zip(b)
}

// required are the files the top-level folder must hold.
var required = []string{"index.html", bundle.Readme, bundle.Sums}

// Zip verifies a zip held in memory. The error is for data that is not a zip at all; whatever
// is wrong inside a zip is a Problem.
func Zip(data []byte) (*Report, error) {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, fmt.Errorf("not a zip file: %w", err)
	}
	rep := &Report{}
	add := func(file, format string, args ...any) {
		rep.Problems = append(rep.Problems, Problem{file, fmt.Sprintf(format, args...)})
	}

	// Structure: one folder at the top, every file inside it, no name twice, no name that
	// would unpack outside the folder.
	tops := map[string]bool{}
	files := map[string]*zip.File{} // path inside the folder → entry
	var order []string
	for _, f := range zr.File {
		name := f.Name
		clean := path.Clean(name)
		if strings.HasPrefix(name, "/") || clean == ".." || strings.HasPrefix(clean, "../") || strings.Contains(name, "\\") {
			add(name, "unsafe name: it would unpack outside the folder")
			continue
		}
		top, rest, _ := strings.Cut(strings.TrimSuffix(name, "/"), "/")
		if f.FileInfo().IsDir() {
			tops[top] = true
			continue
		}
		if rest == "" {
			add(name, "a file at the top of the zip: everything belongs in one folder")
			continue
		}
		tops[top] = true
		if _, dup := files[rest]; dup {
			add(name, "in the zip twice")
			continue
		}
		files[rest] = f
		order = append(order, rest)
	}
	rep.Files = len(files)
	switch len(tops) {
	case 0:
		if len(zr.File) == 0 {
			add("", "the zip is empty")
		} else {
			add("", "no top-level folder: want exactly one, holding %s", strings.Join(required, ", "))
		}
		return rep, nil
	case 1:
		for t := range tops {
			rep.Folder = t
		}
	default:
		names := make([]string, 0, len(tops))
		for t := range tops {
			names = append(names, t+"/")
		}
		slices.Sort(names)
		add("", "%d top-level entries (%s), want exactly one folder", len(names), strings.Join(names, ", "))
		return rep, nil
	}
	in := func(p string) string { return rep.Folder + "/" + p }
	missing := map[string]bool{}
	for _, r := range required {
		if files[r] == nil {
			missing[r] = true
			add(in(r), "missing: the folder must hold %s", strings.Join(required, ", "))
		}
	}
	sumsFile := files[bundle.Sums]
	if sumsFile == nil {
		return rep, nil
	}
	sumsData, err := read(sumsFile)
	if err != nil {
		add(in(bundle.Sums), "cannot be read: %v", err)
		return rep, nil
	}

	// Every file listed must be there with the same checksum; every file there must be listed.
	want := map[string]string{}
	var listed []string
	sc := bufio.NewScanner(bytes.NewReader(sumsData))
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSuffix(sc.Text(), "\r")
		if strings.TrimSpace(line) == "" {
			continue
		}
		sum, name, ok := strings.Cut(line, " ")
		name = strings.TrimPrefix(strings.TrimPrefix(name, " "), "*") // "  name" or " *name" (binary)
		if _, err := hex.DecodeString(sum); !ok || len(sum) != 64 || err != nil || name == "" {
			add(in(bundle.Sums), "line %d is not \"<sha256>  <file>\": %q", n, line)
			continue
		}
		if _, dup := want[name]; dup {
			add(in(bundle.Sums), "line %d lists %s a second time", n, name)
			continue
		}
		want[name] = strings.ToLower(sum)
		listed = append(listed, name)
	}
	for _, p := range order {
		if p == bundle.Sums {
			continue
		}
		sum, ok := want[p]
		if !ok {
			add(in(p), "extra: in the zip but not listed in %s", bundle.Sums)
			continue
		}
		b, err := read(files[p])
		if err != nil {
			add(in(p), "changed: cannot be read (%v)", err)
			continue
		}
		h := sha256.Sum256(b)
		if hex.EncodeToString(h[:]) != sum {
			add(in(p), "changed: its SHA-256 differs from the one in %s", bundle.Sums)
			continue
		}
		rep.Checked++
	}
	for _, p := range listed {
		if files[p] == nil && !missing[p] {
			add(in(p), "missing: listed in %s but not in the zip", bundle.Sums)
		}
	}
	return rep, nil
}

// read returns an entry's contents; archive/zip checks its CRC-32 as it reads.
func read(f *zip.File) ([]byte, error) {
	rc, err := f.Open()
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	return io.ReadAll(rc)
}
