package zim

import (
	"bytes"
	"context"
	"crypto/md5"
	"crypto/rand"
	"encoding/binary"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/veiviser/veiviser/internal/tree"
)

// TestMain lets the test binary stand in for zimwriterfs (fakeTool): with FAKE_ZIMWRITERFS
// set it writes a small ZIM with random UUIDs, as zimwriterfs does, and counts its runs.
func TestMain(m *testing.M) {
	if os.Getenv("FAKE_ZIMWRITERFS") != "" {
		fakeZimwriterfs(os.Args[1:])
		return
	}
	os.Exit(m.Run())
}

func fakeZimwriterfs(args []string) {
	if len(args) == 1 && args[0] == "--version" {
		os.Stdout.WriteString("fake zimwriterfs 1\n")
		return
	}
	f, err := os.OpenFile(os.Getenv("FAKE_ZIMWRITERFS"), os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		panic(err)
	}
	f.WriteString("run\n")
	f.Close()
	if err := os.WriteFile(args[len(args)-1], fakeZIM(), 0o644); err != nil {
		panic(err)
	}
}

// fakeZIM is a ZIM's frame: a header with a random UUID, a Xapian database's version file
// with a random UUID, and the MD5 at the end.
func fakeZIM() []byte {
	b := make([]byte, headerLen)
	binary.LittleEndian.PutUint32(b, zimMagic)
	rand.Read(b[uuidAt : uuidAt+16])
	b = append(b, "some content "...)
	b = append(b, xapianMagic...)
	b = append(b, 0, 0)
	b = append(b, rand.Text()[:16]...)
	b = append(b, " more content"...)
	binary.LittleEndian.PutUint64(b[sumPosAt:], uint64(len(b)))
	sum := md5.Sum(b)
	return append(b, sum[:]...)
}

// fakeTool is the test binary as zimwriterfs; runs counts its runs.
func fakeTool(t *testing.T) (tool Tool, runs func() int) {
	count := filepath.Join(t.TempDir(), "runs")
	t.Setenv("FAKE_ZIMWRITERFS", count)
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	return Tool{Path: exe, Version: "fake zimwriterfs 1"}, func() int {
		b, _ := os.ReadFile(count)
		return strings.Count(string(b), "run")
	}
}

var meta = Metadata{Title: "Veiviser", Description: "Hjelp og kunnskap om menneskehandel i Norge",
	Languages: []string{"nob", "eng"}, Creator: "Veiviser", Publisher: "Veiviser", Name: "veiviser", Welcome: "index.html"}

var stamp = time.Date(2024, 3, 5, 23, 59, 30, 0, time.UTC)

func tinyTree() tree.Tree {
	page := func(lang, title, body string) []byte {
		return []byte(`<!doctype html><html lang=` + lang + `><head><meta charset=utf-8><title>` + title +
			`</title><link rel=stylesheet href=style.css></head><body><h1>` + title + `</h1><p>` + body + `</p><a href=en/index.html>English</a></body></html>`)
	}
	return tree.Tree{
		"index.html":    page("nb", "Veiviser", "Hjelp mot menneskehandel."),
		"en/index.html": []byte(strings.ReplaceAll(string(page("en", "Veiviser", "Help against human trafficking.")), "en/index.html", "../index.html")),
		"style.css":     []byte("body{color:#0b0c0c}"),
	}
}

// The patch replaces every random UUID by one derived from the seed and writes the MD5 anew:
// two runs of the tool give the same bytes, which are a whole ZIM.
func TestPatch(t *testing.T) {
	a, b := fakeZIM(), fakeZIM()
	if bytes.Equal(a, b) {
		t.Fatal("the fake ZIMs are equal already")
	}
	seed := []byte("seed")
	for _, z := range [][]byte{a, b} {
		if err := patch(z, seed); err != nil {
			t.Fatal(err)
		}
		if err := verify(z); err != nil {
			t.Errorf("patched: %v", err)
		}
	}
	if !bytes.Equal(a, b) {
		t.Errorf("two patched ZIMs differ:\n%x\n%x", a, b)
	}
	c := fakeZIM()
	patch(c, []byte("another seed"))
	if bytes.Equal(a[uuidAt:uuidAt+16], c[uuidAt:uuidAt+16]) {
		t.Error("another seed gave the same UUID")
	}
	broken := fakeZIM()
	broken[100] ^= 1
	if err := patch(broken, seed); err == nil || !strings.Contains(err.Error(), "MD5") {
		t.Errorf("a ZIM whose checksum does not match: %v", err)
	}
	if err := patch([]byte("PK\x03\x04 not a zim at all, but long enough to have a header of eighty bytes"), seed); err == nil {
		t.Error("patched a file that is no ZIM")
	}
}

// A ZIM made once is taken from the cache after: the tool does not run again, and the bytes
// are the same. A file in the cache that is not a whole ZIM is made anew.
func TestCache(t *testing.T) {
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
	tool, runs := fakeTool(t)
	first, err := Make(context.Background(), tinyTree(), meta, stamp, tool)
	if err != nil {
		t.Fatal(err)
	}
	if first.Cached || runs() != 1 {
		t.Fatalf("the first Make: cached %v, %d runs", first.Cached, runs())
	}
	second, err := Make(context.Background(), tinyTree(), meta, stamp, tool)
	if err != nil {
		t.Fatal(err)
	}
	if !second.Cached || runs() != 1 || !bytes.Equal(first.Data, second.Data) {
		t.Errorf("the second Make: cached %v, %d runs, same bytes %v", second.Cached, runs(), bytes.Equal(first.Data, second.Data))
	}
	// Anything that changes: the tree, the metadata, the stamp, the tool's version.
	changed := tinyTree()
	changed["style.css"] = []byte("body{color:#000}")
	other := meta
	other.Languages = []string{"eng", "nob"}
	newer := tool
	newer.Version = "fake zimwriterfs 2"
	for i, c := range []struct {
		t     tree.Tree
		m     Metadata
		stamp time.Time
		tool  Tool
	}{{changed, meta, stamp, tool}, {tinyTree(), other, stamp, tool}, {tinyTree(), meta, stamp.Add(time.Second), tool}, {tinyTree(), meta, stamp, newer}} {
		r, err := Make(context.Background(), c.t, c.m, c.stamp, c.tool)
		if err != nil {
			t.Fatal(err)
		}
		if r.Cached || runs() != 2+i {
			t.Errorf("change %d: taken from the cache", i)
		}
	}
	// A cached file cut short is no ZIM: made anew.
	zims, _ := filepath.Glob(filepath.Join(CacheDir(), "*.zim"))
	for _, z := range zims {
		b, _ := os.ReadFile(z)
		os.WriteFile(z, b[:len(b)-1], 0o644)
	}
	before := runs()
	r, err := Make(context.Background(), tinyTree(), meta, stamp, tool)
	if err != nil {
		t.Fatal(err)
	}
	if r.Cached || runs() != before+1 || !bytes.Equal(r.Data, first.Data) {
		t.Errorf("a broken cache file: cached %v, runs %d → %d", r.Cached, before, runs())
	}
}

// A cache that cannot be written is a warning: the ZIM is made all the same.
func TestCacheFails(t *testing.T) {
	file := filepath.Join(t.TempDir(), "a-file")
	os.WriteFile(file, nil, 0o644)
	t.Setenv("XDG_CACHE_HOME", file) // the cache folder would be inside a file
	tool, _ := fakeTool(t)
	r, err := Make(context.Background(), tinyTree(), meta, stamp, tool)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Data) == 0 || len(r.Warnings) != 1 || !strings.HasPrefix(r.Warnings[0], "the ZIM cache: ") {
		t.Errorf("%d bytes, warnings %q", len(r.Data), r.Warnings)
	}
}

// The cache keeps the newest ZIMs up to its size only, and the temporary files of interrupted
// builds go.
func TestTrim(t *testing.T) {
	dir := t.TempDir()
	for i := range 10 {
		name := filepath.Join(dir, string(rune('a'+i))+".zim")
		os.WriteFile(name, make([]byte, 100), 0o644)
		when := time.Now().Add(time.Duration(i) * time.Minute)
		os.Chtimes(name, when, when)
	}
	os.WriteFile(filepath.Join(dir, ".x.zim.tmp-1"), nil, 0o644)
	trim(dir, 300, time.Now().Add(time.Hour)) // three of them
	if left, _ := os.ReadDir(dir); len(left) != 3 {
		t.Errorf("left %d files", len(left))
	}
	trim(dir, 10, time.Now().Add(time.Hour)) // fewer bytes than one: the newest is kept
	left, _ := os.ReadDir(dir)
	var names []string
	for _, e := range left {
		names = append(names, e.Name())
	}
	if strings.Join(names, " ") != "j.zim" {
		t.Errorf("left %v", names)
	}
}

// With the real zimwriterfs and faketime: two ZIMs made at different times from the same
// tree (each with an empty cache) are the same bytes, and zimcheck passes.
func TestReproducible(t *testing.T) {
	tool, err := Find()
	if err != nil {
		t.Fatal(err)
	}
	if tool.Path == "" {
		t.Skip("no zimwriterfs (apt-get install zim-tools)")
	}
	if tool.Faketime == "" {
		t.Skip("no faketime (apt-get install faketime): the ZIM carries the day it is made")
	}
	var zims [][]byte
	for i := range 2 {
		if i == 1 {
			time.Sleep(1100 * time.Millisecond) // another second on the clock
		}
		t.Setenv("XDG_CACHE_HOME", t.TempDir())
		r, err := Make(context.Background(), tinyTree(), meta, stamp, tool)
		if err != nil {
			t.Fatal(err)
		}
		if r.Cached || !r.Dated || len(r.Warnings) > 0 {
			t.Fatalf("cached %v, dated %v, warnings %v", r.Cached, r.Dated, r.Warnings)
		}
		zims = append(zims, r.Data)
	}
	if !bytes.Equal(zims[0], zims[1]) {
		n := 0
		for i := range min(len(zims[0]), len(zims[1])) {
			if zims[0][i] != zims[1][i] && n < 10 {
				t.Logf("byte %d differs", i)
				n++
			}
		}
		t.Fatalf("two ZIMs of the same tree differ (%d and %d bytes)", len(zims[0]), len(zims[1]))
	}
	zimcheck, err := exec.LookPath("zimcheck")
	if err != nil {
		t.Skip("no zimcheck: the ZIM is not checked")
	}
	name := filepath.Join(t.TempDir(), "tiny.zim")
	os.WriteFile(name, zims[0], 0o644)
	if out, err := exec.Command(zimcheck, name).CombinedOutput(); err != nil {
		t.Errorf("zimcheck: %v\n%s", err, out)
	}
}

// When its context ends, zimwriterfs (and faketime) are stopped and Make returns at once.
func TestMakeStops(t *testing.T) {
	dir := t.TempDir()
	slow := filepath.Join(dir, "zimwriterfs")
	os.WriteFile(slow, []byte("#!/bin/sh\nsleep 30\n"), 0o755)
	if _, err := exec.LookPath("sh"); err != nil {
		t.Skip("no sh")
	}
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := Make(ctx, tinyTree(), meta, stamp, Tool{Path: slow, Version: "slow"})
	if err == nil || time.Since(start) > 5*time.Second {
		t.Errorf("after %v: %v", time.Since(start), err)
	}
}

func TestMetadataRules(t *testing.T) {
	for _, c := range []struct {
		edit func(*Metadata)
		want string
	}{
		{func(m *Metadata) { m.Description = strings.Repeat("a", 81) }, "description"},
		{func(m *Metadata) { m.Title = "" }, "title"},
		{func(m *Metadata) { m.Languages = []string{"nb"} }, "ISO 639-3"},
		{func(m *Metadata) { m.Languages = nil }, "language"},
		{func(m *Metadata) { m.Welcome = "start.html" }, "main page"},
		{func(m *Metadata) { m.Creator = "" }, "creator"},
	} {
		m := meta
		c.edit(&m)
		_, err := Make(context.Background(), tinyTree(), m, stamp, Tool{Path: "unused"})
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%+v: %v, want an error about %s", m, err, c.want)
		}
	}
	tr := tinyTree()
	tr[IllustrationName] = []byte("x")
	if _, err := Make(context.Background(), tr, meta, stamp, Tool{Path: "unused"}); err == nil {
		t.Error("a tree with the illustration's name")
	}
}

func TestShort(t *testing.T) {
	for in, want := range map[string]string{
		"Kort.": "Kort.",
		"Hjelp og kunnskap om menneskehandel i Norge: hvem du kan ringe, hvilke rettigheter du har og hvilke tegn du kan se etter.": "Hjelp og kunnskap om menneskehandel i Norge: hvem du kan ringe",
		strings.Repeat("ord ", 30): strings.TrimSpace(strings.Repeat("ord ", 19)) + "…",
		strings.Repeat("x", 100):   strings.Repeat("x", 79) + "…",
	} {
		got := Short(in)
		if got != want {
			t.Errorf("Short(%q) = %q, want %q", in, got, want)
		}
		if n := utf8.RuneCountInString(got); n > 80 {
			t.Errorf("Short(%q) has %d characters", in, n)
		}
	}
}

func TestLanguage(t *testing.T) {
	for code, want := range map[string]string{"nb": "nob", "en": "eng", "EN-gb": "eng", "fil": "fil", "ar": "ara", "uk": "ukr"} {
		if got, ok := Language(code); !ok || got != want {
			t.Errorf("Language(%q) = %q, %v; want %q", code, got, ok, want)
		}
	}
	if got, ok := Language("xx"); ok {
		t.Errorf("Language(xx) = %q", got)
	}
}

// The illustration is a 48×48 PNG, the same bytes every time, dark with something light on it.
func TestIllustration(t *testing.T) {
	a := Illustration()
	if !bytes.Equal(a, Illustration()) {
		t.Error("two illustrations differ")
	}
	img, err := png.Decode(bytes.NewReader(a))
	if err != nil {
		t.Fatal(err)
	}
	if b := img.Bounds(); b.Dx() != 48 || b.Dy() != 48 {
		t.Errorf("%v", b)
	}
	light := 0
	for y := range 48 {
		for x := range 48 {
			if r, _, _, _ := img.At(x, y).RGBA(); r > 0xc000 {
				light++
			}
		}
	}
	if light < 48*48/10 || light > 48*48/2 {
		t.Errorf("%d light pixels of %d", light, 48*48)
	}
}
