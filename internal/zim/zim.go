// Package zim packs the offline tree into a ZIM file, the format Kiwix reads (on phones, on
// Raspberry Pi hotspots, in many offline deployments), with openZIM's zimwriterfs (Debian's
// zim-tools). Like the PDFs, the ZIM is optional: without zimwriterfs the build goes on
// without it (Find says so).
//
// zimwriterfs writes a new random UUID into every file (the header's, and one in each Xapian
// index it embeds) and the day it runs as the ZIM's Date. Make runs it under faketime at the
// build's stamp and writes UUIDs derived from what the ZIM is made from, then the MD5 at the
// end of the file anew: two builds of the same content give the same bytes. ZIMs are cached
// by what they are made from, as the PDFs are, so a build where nothing changed does not run
// the tool.
package zim

import (
	"bytes"
	"context"
	"crypto/md5"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/veiviser/veiviser/internal/publish"
	"github.com/veiviser/veiviser/internal/toolversion"
	"github.com/veiviser/veiviser/internal/tree"
)

// Metadata is what a ZIM says about itself (what Kiwix shows in its library).
type Metadata struct {
	Title       string   // at most 30 characters
	Description string   // at most 80 characters (Short, for a longer text)
	Languages   []string // ISO 639-3 codes (Language), the main one first
	Creator     string   // who made the content
	Publisher   string   // who made the ZIM
	Name        string   // the identifier of the content across versions: "veiviser"
	Welcome     string   // the main page's path in the tree: "index.html"
}

// Tool is the zimwriterfs a ZIM is made with.
type Tool struct {
	Path     string // zimwriterfs; "" for none
	Version  string // what it says for --version (part of the cache key)
	Faketime string // faketime, which dates the ZIM with the stamp; "" for none
}

// Find looks for zimwriterfs (ZIMWRITERFS names another) and faketime on PATH. Without
// zimwriterfs, Path is "". An error is a zimwriterfs that does not say its version.
func Find() (Tool, error) {
	name := os.Getenv("ZIMWRITERFS")
	if name == "" {
		name = "zimwriterfs"
	}
	p, err := exec.LookPath(name)
	if err != nil {
		return Tool{}, nil
	}
	tool := Tool{Path: p}
	if f, err := exec.LookPath("faketime"); err == nil {
		tool.Faketime = f
	}
	tool.Version, err = version(p)
	return tool, err
}

var versions sync.Map // path → what it says for --version

// version is what zimwriterfs says for --version (zim-tools' and libzim's versions), asked
// once per process.
func version(exe string) (string, error) {
	if v, ok := versions.Load(exe); ok {
		return v.(string), nil
	}
	v, err := toolversion.Of(exe)
	if err != nil {
		return "", err
	}
	versions.Store(exe, v)
	return v, nil
}

// Result is a ZIM file made (or taken from the cache).
type Result struct {
	Data []byte
	// Cached says the ZIM came from the cache: zimwriterfs did not run.
	Cached bool
	// Dated says the ZIM carries the stamp as its date (faketime was there), so another build
	// of the same content gives the same bytes; without, it carries the day it was made.
	Dated bool
	// Warnings are what went wrong without stopping the build (the cache), one line each.
	Warnings []string
}

// IllustrationName is the illustration's path in the folder zimwriterfs packs (and so an
// entry of the ZIM): a name no page of the site has.
const IllustrationName = "_veiviser-zim-illustration-48x48.png"

// making names how Make makes a ZIM: change it when that changes, so the cache makes it anew.
const making = "1: zimwriterfs -J 1 under faketime at noon of the stamp's day, UUIDs from the key"

// Make packs t into a ZIM with tool, dated stamp's day (or today, without faketime), or takes
// it from the cache when it was made before from the same files, metadata, stamp and tool.
// When ctx ends, zimwriterfs is stopped.
func Make(ctx context.Context, t tree.Tree, m Metadata, stamp time.Time, tool Tool) (Result, error) {
	var res Result
	if err := m.valid(t); err != nil {
		return res, err
	}
	if tool.Path == "" {
		return res, errors.New("no zimwriterfs")
	}
	res.Dated = tool.Faketime != ""
	ill := Illustration()
	k := key(t, m, stamp, tool, ill)
	cache := CacheDir()
	cached := filepath.Join(cache, k+".zim")
	if b, err := os.ReadFile(cached); err == nil && verify(b) == nil {
		now := time.Now()
		os.Chtimes(cached, now, now) // recently used: kept when the cache is trimmed
		res.Data, res.Cached = b, true
		return res, nil
	}
	b, err := run(ctx, t, m, stamp, tool, ill)
	if err != nil {
		return res, err
	}
	seed, _ := hex.DecodeString(k)
	if err := patch(b, seed); err != nil {
		return res, fmt.Errorf("the ZIM zimwriterfs wrote: %w", err)
	}
	res.Data = b
	// Written whole or not at all: builds running side by side share the cache.
	if err := os.MkdirAll(cache, 0o755); err != nil {
		res.Warnings = append(res.Warnings, fmt.Sprintf("the ZIM cache: %v", err))
	} else if err := publish.File(cached, b); err != nil {
		res.Warnings = append(res.Warnings, fmt.Sprintf("the ZIM cache: %v", err))
	} else {
		trim(cache, keep, time.Now().Add(-time.Hour))
	}
	return res, nil
}

// valid checks m against the ZIM's rules and the tree.
func (m Metadata) valid(t tree.Tree) error {
	switch {
	case m.Title == "" || utf8.RuneCountInString(m.Title) > 30:
		return fmt.Errorf("the ZIM's title %q: want 1 to 30 characters", m.Title)
	case m.Description == "" || utf8.RuneCountInString(m.Description) > 80:
		return fmt.Errorf("the ZIM's description %q: want 1 to 80 characters", m.Description)
	case m.Creator == "" || m.Publisher == "" || m.Name == "":
		return errors.New("the ZIM needs a creator, a publisher and a name")
	case len(m.Languages) == 0:
		return errors.New("the ZIM needs a language")
	case t[m.Welcome] == nil:
		return fmt.Errorf("the ZIM's main page %q is not in the tree", m.Welcome)
	case t[IllustrationName] != nil:
		return fmt.Errorf("the tree has a file %s, the name of the ZIM's illustration", IllustrationName)
	}
	for _, l := range m.Languages {
		if len(l) != 3 || strings.Trim(l, "abcdefghijklmnopqrstuvwxyz") != "" {
			return fmt.Errorf("the ZIM's language %q: want an ISO 639-3 code (three letters)", l)
		}
	}
	for _, s := range []string{m.Title, m.Description, m.Creator, m.Publisher, m.Name, m.Welcome} {
		if strings.ContainsAny(s, "\x00\n") {
			return fmt.Errorf("the ZIM's metadata %q: no line breaks", s)
		}
	}
	return nil
}

// key names what a ZIM is made from: the tree's files, the metadata, the stamp, the
// illustration, how it is made and the tool (its path, its version, and whether faketime
// dates it; without, the day it is made).
func key(t tree.Tree, m Metadata, stamp time.Time, tool Tool, ill []byte) string {
	h := sha256.New()
	day := "dated " + stamp.UTC().Format(time.DateOnly)
	if tool.Faketime == "" {
		day = "undated, made " + time.Now().UTC().Format(time.DateOnly)
	}
	fmt.Fprintf(h, "%s\x00%s\x00%s\x00%s\x00%d\x00", making, tool.Path, tool.Version, day, stamp.Unix())
	for _, s := range append([]string{m.Title, m.Description, m.Creator, m.Publisher, m.Name, m.Welcome}, m.Languages...) {
		fmt.Fprintf(h, "%d:%s\x00", len(s), s)
	}
	fmt.Fprintf(h, "%d:", len(ill))
	h.Write(ill)
	// Each file's digest (on every CPU: the tree is megabytes), then the digests in order.
	paths := t.Paths()
	sums := make(map[string][sha256.Size]byte, len(paths))
	var mu sync.Mutex
	tree.Each(paths, func(p string) error {
		sum := sha256.Sum256(t[p])
		mu.Lock()
		sums[p] = sum
		mu.Unlock()
		return nil
	})
	for _, p := range paths {
		sum := sums[p]
		fmt.Fprintf(h, "%d:%s\x00", len(p), p)
		h.Write(sum[:])
	}
	return hex.EncodeToString(h.Sum(nil))
}

// tmpPrefix names the temporary folders zimwriterfs packs from.
const tmpPrefix = "veiviser-zim-"

// run writes t and the illustration into a temporary folder and has zimwriterfs pack it.
func run(ctx context.Context, t tree.Tree, m Metadata, stamp time.Time, tool Tool, ill []byte) ([]byte, error) {
	// What builds killed while zimwriterfs ran left behind (they could not remove it) goes.
	if old, _ := filepath.Glob(filepath.Join(os.TempDir(), tmpPrefix+"*")); len(old) > 0 {
		for _, o := range old {
			if fi, err := os.Lstat(o); err == nil && fi.ModTime().Before(time.Now().Add(-time.Hour)) {
				os.RemoveAll(o)
			}
		}
	}
	tmp, err := os.MkdirTemp("", tmpPrefix)
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(tmp)
	dir := filepath.Join(tmp, "site")
	paths := t.Paths()
	made := map[string]bool{dir: true}
	for _, p := range paths {
		if d := filepath.Dir(filepath.Join(dir, filepath.FromSlash(p))); !made[d] {
			if err := os.MkdirAll(d, 0o755); err != nil {
				return nil, err
			}
			made[d] = true
		}
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	if err := tree.Each(paths, func(p string) error {
		return os.WriteFile(filepath.Join(dir, filepath.FromSlash(p)), t[p], 0o644)
	}); err != nil {
		return nil, err
	}
	if err := os.WriteFile(filepath.Join(dir, IllustrationName), ill, 0o644); err != nil {
		return nil, err
	}
	out := filepath.Join(tmp, "out.zim")
	args := []string{tool.Path, "-w", m.Welcome, "-I", IllustrationName, "-l", strings.Join(m.Languages, ","),
		"-t", m.Title, "-d", m.Description, "-c", m.Creator, "-p", m.Publisher, "-n", m.Name,
		"-J", "1", // one thread: the clusters in the same order every time
		dir, out}
	if tool.Faketime != "" {
		// Noon of the stamp's day, in UTC: the ZIM's Date is a day, which a clock that runs on
		// from the stamp could pass the end of.
		args = append([]string{tool.Faketime, stamp.UTC().Format(time.DateOnly) + " 12:00:00"}, args...)
	}
	cmd := exec.CommandContext(ctx, args[0], args[1:]...)
	cmd.Env = append(os.Environ(), "TZ=UTC")
	cmd.Dir = tmp
	var log bytes.Buffer
	cmd.Stdout, cmd.Stderr = &log, &log
	cmd.WaitDelay = 5 * time.Second
	ownGroup(cmd) // stopped with faketime's child
	if err := cmd.Run(); err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, fmt.Errorf("zimwriterfs: %w%s", err, lastLines(log.String(), 3))
	}
	b, err := os.ReadFile(out)
	if err != nil {
		return nil, fmt.Errorf("zimwriterfs wrote no ZIM: %w%s", err, lastLines(log.String(), 3))
	}
	return b, nil
}

// lastLines are the last n lines of what a tool printed, as the tail of an error.
func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	if len(lines) == 1 && lines[0] == "" {
		return ""
	}
	return ": " + strings.Join(lines, " / ")
}

// The ZIM format (https://wiki.openzim.org/wiki/ZIM_file_format): a header of 80 bytes, the
// magic number first, the UUID at 8, the checksum's position at 72; the file ends with the
// MD5 of everything before it.
const (
	zimMagic  = 0x044D495A
	headerLen = 80
	uuidAt    = 8
	sumPosAt  = 72
)

// xapianMagic starts the version file of a Xapian (glass) database: its UUID is 16 bytes
// from there, 16 bytes long. zimwriterfs embeds a title index and a full-text index.
var xapianMagic = []byte("\x0f\x0dXapian Glass")

// verify checks that b is a whole ZIM file: its magic number, its checksum's position, and
// its checksum.
func verify(b []byte) error {
	if len(b) < headerLen+16 || binary.LittleEndian.Uint32(b) != zimMagic {
		return errors.New("not a ZIM file")
	}
	if pos := binary.LittleEndian.Uint64(b[sumPosAt:]); pos != uint64(len(b)-16) {
		return fmt.Errorf("the checksum is at %d, not at the end (%d)", pos, len(b)-16)
	}
	if sum := md5.Sum(b[:len(b)-16]); !bytes.Equal(sum[:], b[len(b)-16:]) {
		return errors.New("its MD5 checksum does not match")
	}
	return nil
}

// patch replaces the random UUIDs zimwriterfs wrote into b (the header's, each Xapian
// index's) by ones derived from seed, and writes the checksum anew.
func patch(b []byte, seed []byte) error {
	if err := verify(b); err != nil {
		return err
	}
	n := 0
	uuid := func() []byte {
		h := sha256.Sum256(append(append([]byte{}, seed...), byte(n)))
		n++
		u := h[:16]
		u[6] = u[6]&0x0f | 0x80 // version 8: made up, not random
		u[8] = u[8]&0x3f | 0x80 // the RFC 9562 variant
		return u
	}
	copy(b[uuidAt:uuidAt+16], uuid())
	end := len(b) - 16
	for from := 0; ; {
		i := bytes.Index(b[from:end], xapianMagic)
		if i < 0 {
			break
		}
		p := from + i
		if p+32 <= end {
			copy(b[p+16:p+32], uuid())
		}
		from = p + len(xapianMagic)
	}
	sum := md5.Sum(b[:end])
	copy(b[end:], sum[:])
	return nil
}

// CacheDir is where ZIMs are kept between builds: the user's cache folder (XDG_CACHE_HOME).
func CacheDir() string {
	dir, err := os.UserCacheDir()
	if err != nil {
		dir = os.TempDir()
	}
	return filepath.Join(dir, "veiviser", "zim")
}

// keep is how many bytes of ZIMs the cache keeps, the most recently used first: a few
// megabytes each, one for each content built (the tests' sites included), and never fewer
// than the newest.
const keep = 128 << 20

// trim removes from the cache the ZIMs beyond the newest n bytes (but the newest), and the temporary files that builds
// interrupted while writing to it left there before the time before (builds of other
// projects share the cache, so a file being written now is left alone).
func trim(dir string, n int64, before time.Time) {
	tmps, _ := filepath.Glob(filepath.Join(dir, ".*.tmp-*"))
	for _, m := range tmps {
		if fi, err := os.Lstat(m); err == nil && fi.ModTime().Before(before) {
			os.Remove(m)
		}
	}
	zims, _ := filepath.Glob(filepath.Join(dir, "*.zim"))
	type entry struct {
		name string
		mod  time.Time
		size int64
	}
	var es []entry
	for _, z := range zims {
		if fi, err := os.Lstat(z); err == nil {
			es = append(es, entry{z, fi.ModTime(), fi.Size()})
		}
	}
	slices.SortFunc(es, func(a, b entry) int { return b.mod.Compare(a.mod) })
	var total int64
	for i, e := range es {
		if total += e.size; i > 0 && total > n {
			os.Remove(e.name)
		}
	}
}
