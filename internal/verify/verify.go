// Package verify checks an offline zip as its receiver gets it: one top-level folder, named
// for the version its VERSION file records, holding index.html, LES-MEG.txt, VERSION and
// SHA256SUMS, and every file as SHA256SUMS lists it, none missing, changed or extra.
//
// The zip is read from the disk as it is checked, and every file is hashed as a stream: memory
// stays small whatever the zip holds. What the zip says of itself is not trusted: the bytes
// actually unpacked are counted against Limits (a small zip can unpack to gigabytes), and a
// name that would unpack outside the folder, a link, or a name twice is a problem, not a file.
package verify

import (
	"archive/zip"
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"github.com/veiviser/veiviser/internal/bundle"
)

// Limits bound the work of a check.
type Limits struct {
	Bytes int64 // the bytes of all files together, unpacked
	Files int   // the entries of the zip
}

// DefaultLimits are far above any real bundle (a few MiB in some hundred files) and far below
// what would strain a laptop.
var DefaultLimits = Limits{Bytes: 512 << 20, Files: 20000}

// Small files are read whole: at most this much.
const (
	maxSums    = 4 << 20
	maxVersion = 256
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
	Version  string    // the version VERSION records
	Files    int       // files in the zip, SHA256SUMS included
	Checked  int       // files whose checksum matched
	Bytes    int64     // bytes unpacked and hashed
	Problems []Problem // in the order of the entries, then SHA256SUMS's
}

// OK reports whether the zip is whole.
func (r *Report) OK() bool { return len(r.Problems) == 0 }

// OpenFile opens the file name for reading, and returns its size: a folder or a device is
// refused, naming it. The caller closes the file.
func OpenFile(name string) (*os.File, int64, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, 0, err
	}
	fi, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, 0, err
	}
	if !fi.Mode().IsRegular() {
		f.Close()
		return nil, 0, fmt.Errorf("%s: not a file", name)
	}
	return f, fi.Size(), nil
}

// File verifies the zip file at name, with DefaultLimits.
func File(name string) (*Report, error) {
	f, size, err := OpenFile(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	rep, err := Reader(f, size, DefaultLimits)
	var nz *NotZipError
	if errors.As(err, &nz) {
		return nil, fmt.Errorf("not a zip file, or cut short: %s (%w)", name, nz.Err)
	}
	return rep, err
}

// NotZipError is the error for data that is not a zip, or not all of one.
type NotZipError struct{ Err error }

func (e *NotZipError) Error() string { return fmt.Sprintf("not a zip file, or cut short (%v)", e.Err) }
func (e *NotZipError) Unwrap() error { return e.Err }

// required are the files the top-level folder must hold.
var required = []string{"index.html", bundle.Readme, bundle.Version, bundle.Sums}

// errTooBig stops reading when the limit on unpacked bytes is reached.
var errTooBig = errors.New("too big")

// Reader verifies the zip of size bytes that r reads. The error is for data that is not a
// zip at all (or is cut short); whatever is wrong inside a zip is a Problem.
func Reader(r io.ReaderAt, size int64, lim Limits) (*Report, error) {
	zr, err := zip.NewReader(r, size)
	if err != nil {
		return nil, &NotZipError{err}
	}
	rep := &Report{}
	add := func(file, format string, args ...any) {
		rep.Problems = append(rep.Problems, Problem{file, fmt.Sprintf(format, args...)})
	}
	if len(zr.File) > lim.Files {
		add("", "%d entries, more than the %d a bundle may hold", len(zr.File), lim.Files)
		return rep, nil
	}

	// Structure: one folder at the top, every file inside it, no name twice, no name that
	// would unpack outside the folder, nothing but files and folders.
	tops := map[string]bool{}
	files := map[string]*zip.File{} // path inside the folder → entry
	folded := map[string]string{}   // the same, in lower case → path
	var order []string
	for _, f := range zr.File {
		name := f.Name
		if why := unsafeName(name); why != "" {
			add(printable(name), "unsafe name: %s", why)
			continue
		}
		mode := f.Mode()
		if !mode.IsDir() && !mode.IsRegular() {
			add(name, "not a file but a %s: unpacked, it could point outside the folder", kind(mode))
			continue
		}
		top, rest, _ := strings.Cut(strings.TrimSuffix(name, "/"), "/")
		if mode.IsDir() {
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
		if other, dup := folded[strings.ToLower(rest)]; dup {
			add(name, "the same name as %s/%s but for upper and lower case: one would overwrite the other when unpacked", top, other)
			continue
		}
		files[rest] = f
		folded[strings.ToLower(rest)] = rest
		order = append(order, rest)
	}
	rep.Files = len(files)
	switch len(tops) {
	case 0:
		if len(zr.File) == 0 {
			add("", "the zip is empty")
		} else if len(rep.Problems) == 0 {
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

	// Every byte unpacked counts against the limit, whatever the headers say.
	left := lim.Bytes
	read := func(f *zip.File, w io.Writer, max int64) error {
		rc, err := f.Open()
		if err != nil {
			return err
		}
		defer rc.Close()
		budget := min(left, max)
		n, err := io.Copy(w, io.LimitReader(rc, budget+1))
		left -= min(n, budget)
		rep.Bytes += n
		if err == nil && n > budget {
			return errTooBig
		}
		return err
	}
	tooBig := func(p string) {
		add(in(p), "too big: the files unpack to more than %d MiB, far more than a bundle holds (a zip bomb?)", lim.Bytes>>20)
	}
	readSmall := func(p string, max int64) ([]byte, bool) {
		var b bytes.Buffer
		switch err := read(files[p], &b, max); {
		case errors.Is(err, errTooBig) && left <= 0:
			tooBig(p)
		case errors.Is(err, errTooBig):
			add(in(p), "too big for a %s: more than %d bytes", p, max)
		case err != nil:
			add(in(p), "cannot be read: %v", err)
		default:
			return b.Bytes(), true
		}
		return nil, false
	}

	// The folder is named for the version the bundle records.
	if f := files[bundle.Version]; f != nil {
		if b, ok := readSmall(bundle.Version, maxVersion); ok {
			v := strings.TrimSpace(string(b))
			rep.Version = v
			if want := bundle.Folder(v); v == "" || strings.ContainsAny(v, "/\\\n") {
				add(in(bundle.Version), "does not hold a version: %q", printable(string(b)))
			} else if rep.Folder != want {
				add(rep.Folder+"/", "the folder is named %s, but %s says this is %s: want the folder %s/ (renamed?)", rep.Folder, bundle.Version, v, want)
			}
		}
	}

	if files[bundle.Sums] == nil {
		return rep, nil
	}
	sumsData, ok := readSmall(bundle.Sums, maxSums)
	if !ok {
		return rep, nil
	}

	// Every file listed must be there with the same checksum; every file there must be listed.
	want := map[string]string{}
	var listed []string
	sc := bufio.NewScanner(bytes.NewReader(sumsData))
	sc.Buffer(nil, maxSums)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSuffix(sc.Text(), "\r")
		if strings.TrimSpace(line) == "" {
			continue
		}
		sum, name, ok := strings.Cut(line, " ")
		name = strings.TrimPrefix(strings.TrimPrefix(name, " "), "*") // "  name" or " *name" (binary)
		if _, err := hex.DecodeString(sum); !ok || len(sum) != 64 || err != nil || name == "" {
			add(in(bundle.Sums), "line %d is not \"<sha256>  <file>\": %q", n, printable(line))
			continue
		}
		if _, dup := want[name]; dup {
			add(in(bundle.Sums), "line %d lists %s a second time", n, printable(name))
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
		if left <= 0 {
			tooBig(p)
			return rep, nil // nothing more is read
		}
		h := sha256.New()
		if err := read(files[p], h, left); errors.Is(err, errTooBig) {
			tooBig(p)
			return rep, nil
		} else if err != nil {
			add(in(p), "changed: cannot be read (%v)", err)
			continue
		}
		if hex.EncodeToString(h.Sum(nil)) != sum {
			add(in(p), "changed: its SHA-256 differs from the one in %s", bundle.Sums)
			continue
		}
		rep.Checked++
	}
	for _, p := range listed {
		if files[p] == nil && !missing[p] {
			add(in(printable(p)), "missing: listed in %s but not in the zip", bundle.Sums)
		}
	}
	return rep, nil
}

// unsafeName says why an entry's name could unpack outside the folder it is unpacked into,
// or "" when it cannot.
func unsafeName(name string) string {
	switch {
	case name == "":
		return "empty"
	case strings.ContainsAny(name, "\\"):
		return "a backslash, which unpacks as a folder separator on Windows"
	case strings.HasPrefix(name, "/"):
		return "an absolute path: it would unpack outside the folder"
	case len(name) >= 2 && name[1] == ':':
		return "a drive letter: it would unpack outside the folder"
	case strings.ContainsFunc(name, func(r rune) bool { return r < 0x20 || r == 0x7f }):
		return "a control character"
	}
	for _, part := range strings.Split(strings.TrimSuffix(name, "/"), "/") {
		switch part {
		case "..":
			return "a \"..\": it would unpack outside the folder"
		case "", ".":
			return "an empty or \".\" part"
		}
	}
	return ""
}

// printable quotes a name with control characters, so that a report is one line per problem.
func printable(s string) string {
	if strings.ContainsFunc(s, func(r rune) bool { return r < 0x20 || r == 0x7f }) {
		return fmt.Sprintf("%q", s)
	}
	return s
}

func kind(m os.FileMode) string {
	switch {
	case m&os.ModeSymlink != 0:
		return "symbolic link"
	case m&os.ModeDevice != 0:
		return "device"
	case m&os.ModeNamedPipe != 0:
		return "named pipe"
	case m&os.ModeSocket != 0:
		return "socket"
	}
	return "special file"
}
