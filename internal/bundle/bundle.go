// Package bundle packs the offline tree into a zip file that is byte-for-byte the same every
// time the same tree is packed: one top-level folder, entries in sorted order, fixed
// timestamps and permissions, a LES-MEG.txt on how to open it and a SHA256SUMS for every file.
package bundle

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"fmt"
	"hash/crc32"
	"io/fs"
	"path"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/veiviser/veiviser/internal/tree"
	ver "github.com/veiviser/veiviser/internal/version"
)

// Readme, Version and Sums are the names of the files the bundle adds to the site. Version
// holds the version the zip is of, so that a renamed folder is found out (verify); Sums lists
// every other file, Version too.
const (
	Readme  = "LES-MEG.txt"
	Version = "VERSION"
	Sums    = "SHA256SUMS"
)

// Added are the files Zip adds to the site.
var Added = []string{Readme, Version, Sums}

// Folder is the name of the top folder of the zip of version (and of the zip, with ".zip").
func Folder(version string) string { return "veiviser-offline-" + version }

//go:embed LES-MEG.txt
var readme string

// compressors are reused: a new flate.Writer allocates more than a page of the site weighs.
var compressors = sync.Pool{New: func() any {
	fw, _ := flate.NewWriter(nil, flate.BestSpeed) // a USB stick has room; builds should be quick
	return fw
}}

// entry is a file of the zip, ready to be written.
type entry struct {
	body, raw []byte // the file, and what is stored: body deflated, or body itself
	crc       uint32
	sum       [sha256.Size]byte
}

// Zip packs t into a zip whose single top-level folder is named folder, which must be
// Folder(version). Every entry carries the time modified, so the same tree and time give the
// same bytes. emergency is the emergency number LES-MEG.txt gives (data/contacts.yaml's).
func Zip(t tree.Tree, folder, version string, modified time.Time, emergency string) ([]byte, error) {
	if folder != Folder(version) || version == "" || strings.ContainsAny(version, "/\\\n") {
		return nil, fmt.Errorf("zip: folder %q does not match version %q (want %q)", folder, version, Folder(version))
	}
	if emergency == "" || strings.ContainsAny(emergency, "\n{}") {
		return nil, fmt.Errorf("zip: emergency number %q for %s: want the number of the contact emergency in data/contacts.yaml", emergency, Readme)
	}
	for _, name := range Added {
		if _, ok := t[name]; ok {
			return nil, fmt.Errorf("zip: the site has a file %s, which the bundle adds itself", name)
		}
	}
	// Every file is checksummed and compressed in parallel; the entries are then written in
	// sorted order.
	entries := make(map[string]*entry, len(t)+2)
	for p, b := range t {
		entries[p] = &entry{body: b}
	}
	pack := func(p string) error {
		e := entries[p]
		e.crc = crc32.ChecksumIEEE(e.body)
		e.sum = sha256.Sum256(e.body)
		if !deflated(p) {
			e.raw = e.body
			return nil
		}
		var c bytes.Buffer
		fw := compressors.Get().(*flate.Writer)
		defer compressors.Put(fw)
		fw.Reset(&c)
		if _, err := fw.Write(e.body); err != nil {
			return fmt.Errorf("zip %s: %w", p, err)
		}
		if err := fw.Close(); err != nil {
			return fmt.Errorf("zip %s: %w", p, err)
		}
		e.raw = c.Bytes()
		return nil
	}
	if err := tree.Each(t.Paths(), pack); err != nil {
		return nil, err
	}
	entries[Readme] = &entry{body: readmeFor(folder, version, emergency)}
	entries[Version] = &entry{body: []byte(version + "\n")}
	for _, name := range []string{Readme, Version} {
		if err := pack(name); err != nil {
			return nil, err
		}
	}
	entries[Sums] = &entry{body: sums(entries)}
	if err := pack(Sums); err != nil {
		return nil, err
	}
	paths := make([]string, 0, len(entries))
	for p := range entries {
		paths = append(paths, p)
	}
	sort.Strings(paths)

	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	modified = modified.UTC().Truncate(2 * time.Second)
	dirs := map[string]bool{}
	add := func(name string, mode fs.FileMode, e *entry) error {
		h := &zip.FileHeader{Name: name, Modified: modified, Method: zip.Store}
		h.ModifiedDate, h.ModifiedTime = msDosTime(modified) // CreateRaw does not derive them
		h.SetMode(mode)
		var raw []byte
		if e != nil {
			if deflated(name) {
				h.Method = zip.Deflate
			}
			h.CRC32 = e.crc
			h.UncompressedSize64 = uint64(len(e.body))
			raw = e.raw
			h.CompressedSize64 = uint64(len(raw))
		}
		w, err := zw.CreateRaw(h)
		if err != nil {
			return err
		}
		_, err = w.Write(raw)
		return err
	}
	if err := add(folder+"/", dirMode, nil); err != nil {
		return nil, err
	}
	for _, p := range paths {
		if err := addDirs(add, dirs, folder, path.Dir(p)); err != nil {
			return nil, err
		}
		if err := add(folder+"/"+p, fileMode, entries[p]); err != nil {
			return nil, fmt.Errorf("zip %s: %w", p, err)
		}
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// readmeFor is LES-MEG.txt for the zip of version, giving the emergency number: its lines
// marked {{DIRTY}} are kept (without the mark) only for a build whose files were not all
// committed.
func readmeFor(folder, version, emergency string) []byte {
	var b strings.Builder
	for _, line := range strings.SplitAfter(readme, "\n") {
		if rest, ok := strings.CutPrefix(line, "{{DIRTY}}"); ok {
			if !strings.HasSuffix(version, ver.Dirty) {
				continue
			}
			line = strings.TrimPrefix(rest, " ")
		}
		b.WriteString(line)
	}
	return []byte(strings.NewReplacer("{{VERSION}}", version, "{{FOLDER}}", folder, "{{EMERGENCY}}", emergency).Replace(b.String()))
}

// deflated reports whether a file is worth compressing: formats that are compressed already
// (PDF, images, fonts, archives) are stored as they are.
func deflated(name string) bool {
	switch strings.ToLower(path.Ext(name)) {
	case ".pdf", ".png", ".jpg", ".jpeg", ".gif", ".webp", ".avif", ".woff", ".woff2", ".zip", ".gz":
		return false
	}
	return true
}

const (
	fileMode fs.FileMode = 0o644
	dirMode              = fs.ModeDir | 0o755
)

// addDirs adds the entries for folder d and its parents that are not in the zip yet.
func addDirs(add func(string, fs.FileMode, *entry) error, seen map[string]bool, top, d string) error {
	if d == "." || seen[d] {
		return nil
	}
	if err := addDirs(add, seen, top, path.Dir(d)); err != nil {
		return err
	}
	seen[d] = true
	return add(top+"/"+d+"/", dirMode, nil)
}

// sums is the SHA256SUMS file for the entries, each checksummed already, in the format of
// sha256sum(1).
func sums(entries map[string]*entry) []byte {
	paths := make([]string, 0, len(entries))
	for p := range entries {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	var b bytes.Buffer
	for _, p := range paths {
		b.WriteString(hex.EncodeToString(entries[p].sum[:]) + "  " + p + "\n")
	}
	return b.Bytes()
}

// msDosTime is t in the date and time fields of a zip entry (two-second resolution).
func msDosTime(t time.Time) (date, clock uint16) {
	date = uint16(t.Day() + int(t.Month())<<5 + (t.Year()-1980)<<9)
	clock = uint16(t.Second()/2 + t.Minute()<<5 + t.Hour()<<11)
	return date, clock
}
