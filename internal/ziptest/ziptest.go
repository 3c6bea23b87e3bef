// Package ziptest changes zips for tests: the offline bundle with one byte flipped, an entry
// renamed, left out or added, to see that what reads the zip refuses it.
package ziptest

import (
	"archive/zip"
	"bytes"
	"io"
	"slices"
	"testing"
)

// Edit is called for every entry of a zip with its name and contents, and returns the name
// and contents to write, or keep false to leave the entry out.
type Edit func(name string, b []byte) (newName string, nb []byte, keep bool)

// Same leaves an entry as it is.
func Same(name string, b []byte) (string, []byte, bool) { return name, b, true }

// Rewrite returns a copy of the zip data with edit applied to every entry (each keeps its
// header: method, times, mode) and the extra entries added at the end, in name order.
func Rewrite(t testing.TB, data []byte, edit Edit, extra map[string]string) []byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatalf("%s: %v", f.Name, err)
		}
		name, nb, keep := edit(f.Name, b)
		if !keep {
			continue
		}
		h := f.FileHeader
		h.Name = name
		w, err := zw.CreateHeader(&h)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write(nb); err != nil {
			t.Fatal(err)
		}
	}
	names := make([]string, 0, len(extra))
	for name := range extra {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write([]byte(extra[name])); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

// Files returns the contents of every entry of the zip data, by name.
func Files(t testing.TB, data []byte) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	Rewrite(t, data, func(name string, b []byte) (string, []byte, bool) {
		out[name] = b
		return name, b, true
	}, nil)
	return out
}
