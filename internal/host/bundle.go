// Package host serves a built offline bundle straight from its zip on the local network: a
// Raspberry Pi or a laptop at a shelter, whose residents open it over the shelter's Wi-Fi on
// their phones. The zip is checked against its SHA256SUMS before anything is served, and is
// never unpacked: archive/zip's reader is the file system the handler reads.
//
// The server is read-only (GET and HEAD), lists no folders, sends the web site's security
// headers, logs nothing about who asks for what, and has timeouts and limits for slow or
// greedy clients (Serve).
package host

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/veiviser/veiviser/internal/bundle"
	"github.com/veiviser/veiviser/internal/links"
	"github.com/veiviser/veiviser/internal/verify"
)

// Bundle is an offline zip that passed verify, ready to serve.
type Bundle struct {
	Name    string // the zip's file name, as given
	Folder  string // its top folder
	Version string
	Files   int // files in the zip, SHA256SUMS included

	site     fs.FS             // the top folder of the zip
	etags    map[string]string // path in the folder → ETag, from SHA256SUMS
	notFound map[string][]byte // folder ("." for the top) → its 404.html, links made absolute
	csp      string            // the Content-Security-Policy header

	cache  sync.Map     // path → the file's bytes, unpacked (read)
	cached atomic.Int64 // bytes in cache
}

// maxZip is the largest zip Open reads: far above a real bundle (a few MiB), and verify's
// limit on what the files unpack to.
var maxZip = verify.DefaultLimits.Bytes

// Open reads the zip file name and checks it as veiviser verify does. A zip that is not whole
// is refused with an error of one line that names the file and the first problem.
func Open(name string) (*Bundle, error) {
	f, size, err := verify.OpenFile(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if size > maxZip {
		return nil, fmt.Errorf("%s: %d bytes, more than a bundle may hold (%d)", name, size, maxZip)
	}
	// The zip is read once into memory and both checked and served from those bytes: a file
	// changed on the disk after the check cannot be served unchecked.
	data, err := io.ReadAll(io.LimitReader(f, maxZip+1))
	if err != nil {
		return nil, err
	}
	return Load(name, data)
}

// Load is Open for a zip already in memory; name is used in messages.
func Load(name string, data []byte) (*Bundle, error) {
	rep, err := verify.Reader(bytes.NewReader(data), int64(len(data)), verify.DefaultLimits)
	if err != nil {
		return nil, fmt.Errorf("%s: %v", name, err)
	}
	if !rep.OK() {
		more := ""
		if n := len(rep.Problems) - 1; n > 0 {
			more = fmt.Sprintf(" (and %d more problem(s))", n)
		}
		return nil, fmt.Errorf("%s is not whole, refused: %s%s; veiviser verify %s lists every problem",
			name, oneLine(rep.Problems[0].String()), more, name)
	}
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, fmt.Errorf("%s: %v", name, err)
	}
	site, err := fs.Sub(zr, rep.Folder)
	if err != nil {
		return nil, fmt.Errorf("%s: %v", name, err)
	}
	b := &Bundle{Name: name, Folder: rep.Folder, Version: rep.Version, Files: rep.Files, site: site,
		etags: map[string]string{}, notFound: map[string][]byte{}}
	sums, err := fs.ReadFile(site, bundle.Sums)
	if err != nil {
		return nil, fmt.Errorf("%s: %v", name, err)
	}
	for _, line := range strings.Split(string(sums), "\n") {
		if sum, p, ok := strings.Cut(line, "  "); ok && len(sum) >= 32 {
			// Half the SHA-256 is plenty to tell two versions of a file apart.
			b.etags[p] = `"` + sum[:32] + `"`
		}
	}
	sum := sha256.Sum256(sums) // the one file SHA256SUMS does not list
	b.etags[bundle.Sums] = `"` + hex.EncodeToString(sum[:16]) + `"`
	home, err := fs.ReadFile(site, "index.html")
	if err != nil {
		return nil, fmt.Errorf("%s: %v", name, err)
	}
	b.csp = headerCSP(pageCSP(home))
	// Every 404.html (one for each language), with its relative links made absolute: it is
	// served at whatever address was not found.
	err = fs.WalkDir(site, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || path.Base(p) != "404.html" {
			return err
		}
		page, err := fs.ReadFile(site, p)
		if err != nil {
			return err
		}
		b.notFound[path.Dir(p)] = absolute(page, path.Dir(p))
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("%s: %v", name, err)
	}
	return b, nil
}

// oneLine keeps a message on one line.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// pageCSP is the policy of the Content-Security-Policy <meta> of page, or "".
func pageCSP(page []byte) string {
	csp := ""
	links.HTML(page, func(e *links.Element) {
		if e.Name != "meta" || csp != "" {
			return
		}
		if he := e.Get("http-equiv"); he != nil && strings.EqualFold(he.Val, "Content-Security-Policy") {
			if c := e.Get("content"); c != nil {
				csp = strings.TrimSpace(c.Val)
			}
		}
	}, nil)
	return csp
}

// absolute returns page, found in folder dir of the bundle, with every relative URL in it
// made a path from the root, so that it works at any address.
func absolute(page []byte, dir string) []byte {
	base := &url.URL{Path: "/"}
	if dir != "." {
		base.Path = "/" + dir + "/"
	}
	abs := func(r links.Ref) string {
		u, err := url.Parse(r.URL)
		if err != nil || u.Scheme != "" || u.Host != "" || strings.HasPrefix(r.URL, "/") || strings.HasPrefix(r.URL, "#") || r.URL == "" {
			return r.URL
		}
		return base.ResolveReference(u).String()
	}
	return links.HTML(page, func(e *links.Element) {
		for _, a := range e.Attrs {
			links.EachURL(e, a, abs)
		}
	}, abs)
}

// Newest returns the newest veiviser-offline-*.zip in folder dir (by the time it was written),
// or an error that says how to make one.
func Newest(dir string) (string, error) {
	matches, err := filepath.Glob(filepath.Join(dir, bundle.Folder("*")+".zip"))
	if err != nil {
		return "", err
	}
	type zipFile struct {
		name string
		mod  int64
	}
	var zips []zipFile
	for _, m := range matches {
		if fi, err := os.Stat(m); err == nil && fi.Mode().IsRegular() {
			zips = append(zips, zipFile{m, fi.ModTime().UnixNano()})
		}
	}
	if len(zips) == 0 {
		return "", fmt.Errorf("no %s.zip in %s: run veiviser build first, or name a zip", bundle.Folder("*"), dir)
	}
	sort.Slice(zips, func(i, j int) bool {
		if zips[i].mod != zips[j].mod {
			return zips[i].mod > zips[j].mod
		}
		return zips[i].name > zips[j].name
	})
	return zips[0].name, nil
}

// ExitHref is the href of the quick-exit button (class exit-button) of page, or "".
func ExitHref(page []byte) string {
	href := ""
	links.HTML(page, func(e *links.Element) {
		if c := e.Get("class"); href == "" && e.Name == "a" && c != nil && slices.Contains(strings.Fields(c.Val), "exit-button") {
			if h := e.Get("href"); h != nil {
				href = h.Val
			}
		}
	}, nil)
	return href
}
