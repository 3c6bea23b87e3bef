package verify

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"crypto/sha256"
	"encoding/hex"
	"hash/crc32"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/veiviser/veiviser/internal/bundle"
	"github.com/veiviser/veiviser/internal/tree"
	"github.com/veiviser/veiviser/internal/ziptest"
)

func good(t *testing.T) []byte {
	t.Helper()
	site := tree.Tree{
		"index.html":          []byte("<!doctype html><title>Veiviser</title>"),
		"en/index.html":       []byte("<!doctype html><title>Home</title>"),
		"css/style.css":       []byte("body{margin:0}"),
		"om/index.html":       []byte("<!doctype html><title>Om</title><p>Om Veiviser."),
		"js/exit.js":          []byte("document.querySelector('.exit')"),
		"en/about/index.html": []byte("<!doctype html><title>About</title>"),
	}
	b, err := bundle.Zip(site, "veiviser-offline-test", "test", time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC), "112")
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// verifyZip verifies a zip held in memory, with DefaultLimits.
func verifyZip(data []byte) (*Report, error) {
	return Reader(bytes.NewReader(data), int64(len(data)), DefaultLimits)
}

func problems(t *testing.T, data []byte) []string {
	t.Helper()
	rep, err := verifyZip(data)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, p := range rep.Problems {
		out = append(out, p.String())
	}
	return out
}

func want(t *testing.T, got []string, wants ...string) {
	t.Helper()
	if len(got) != len(wants) {
		t.Fatalf("problems = %q, want %d: %q", got, len(wants), wants)
	}
	for i, w := range wants {
		if !strings.HasPrefix(got[i], w) {
			t.Errorf("problem %d = %q, want it to start with %q", i, got[i], w)
		}
	}
}

func TestGoodZip(t *testing.T) {
	rep, err := verifyZip(good(t))
	if err != nil {
		t.Fatal(err)
	}
	if !rep.OK() || rep.Folder != "veiviser-offline-test" || rep.Files != 9 || rep.Checked != 8 || rep.Version != "test" {
		t.Fatalf("report = %+v", rep)
	}
	// Unpacked and packed again by another tool, it is still whole.
	if got := problems(t, ziptest.Rewrite(t, good(t), ziptest.Same, nil)); len(got) > 0 {
		t.Fatal(got)
	}
}

func TestChangedByte(t *testing.T) {
	// A valid zip in which one byte of one file differs from what SHA256SUMS says.
	changed := ziptest.Rewrite(t, good(t), func(name string, b []byte) (string, []byte, bool) {
		if name == "veiviser-offline-test/om/index.html" {
			b = bytes.Replace(b, []byte("Om Veiviser"), []byte("Om Veiviset"), 1)
		}
		return name, b, true
	}, nil)
	want(t, problems(t, changed), "veiviser-offline-test/om/index.html: changed: its SHA-256 differs")
}

func TestDamagedByte(t *testing.T) {
	// One byte of the zip itself flipped inside a file's compressed data: the zip still opens,
	// and the file is named.
	data := good(t)
	zr, _ := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	var target *zip.File
	for _, f := range zr.File {
		if f.Name == "veiviser-offline-test/en/about/index.html" {
			target = f
		}
	}
	off, err := target.DataOffset()
	if err != nil {
		t.Fatal(err)
	}
	damaged := bytes.Clone(data)
	damaged[off+int64(target.CompressedSize64)/2] ^= 0x01
	want(t, problems(t, damaged), "veiviser-offline-test/en/about/index.html: changed")
}

func TestMissingAndExtra(t *testing.T) {
	edited := ziptest.Rewrite(t, good(t), func(name string, b []byte) (string, []byte, bool) {
		return name, b, name != "veiviser-offline-test/css/style.css"
	}, map[string]string{"veiviser-offline-test/js/tracker.js": "fetch('//evil')"})
	want(t, problems(t, edited),
		"veiviser-offline-test/js/tracker.js: extra: in the zip but not listed in SHA256SUMS",
		"veiviser-offline-test/css/style.css: missing: listed in SHA256SUMS but not in the zip")
}

func TestStructure(t *testing.T) {
	t.Run("two folders", func(t *testing.T) {
		got := problems(t, ziptest.Rewrite(t, good(t), ziptest.Same, map[string]string{"other/x.txt": "x"}))
		want(t, got, "2 top-level entries (other/, veiviser-offline-test/), want exactly one folder")
	})
	t.Run("a file at the top", func(t *testing.T) {
		got := problems(t, ziptest.Rewrite(t, good(t), ziptest.Same, map[string]string{"README": "x"}))
		want(t, got, "README: a file at the top of the zip")
	})
	t.Run("no index.html", func(t *testing.T) {
		got := problems(t, ziptest.Rewrite(t, good(t), func(name string, b []byte) (string, []byte, bool) {
			return name, b, name != "veiviser-offline-test/index.html"
		}, nil))
		want(t, got, "veiviser-offline-test/index.html: missing: the folder must hold index.html, LES-MEG.txt, VERSION, SHA256SUMS")
	})
	t.Run("no SHA256SUMS", func(t *testing.T) {
		got := problems(t, ziptest.Rewrite(t, good(t), func(name string, b []byte) (string, []byte, bool) {
			return name, b, !strings.HasSuffix(name, "/SHA256SUMS")
		}, nil))
		want(t, got, "veiviser-offline-test/SHA256SUMS: missing")
	})
	t.Run("a bad line in SHA256SUMS", func(t *testing.T) {
		got := problems(t, ziptest.Rewrite(t, good(t), func(name string, b []byte) (string, []byte, bool) {
			if strings.HasSuffix(name, "/SHA256SUMS") {
				b = append(b, "not a checksum\n"...)
			}
			return name, b, true
		}, nil))
		want(t, got, `veiviser-offline-test/SHA256SUMS: line 9 is not "<sha256>  <file>"`)
	})
	t.Run("an unsafe name", func(t *testing.T) {
		got := problems(t, ziptest.Rewrite(t, good(t), ziptest.Same, map[string]string{"veiviser-offline-test/../../etc/x": "x"}))
		want(t, got, "veiviser-offline-test/../../etc/x: unsafe name")
	})
	t.Run("not a zip", func(t *testing.T) {
		if _, err := verifyZip([]byte("hello")); err == nil || !strings.Contains(err.Error(), "not a zip file, or cut short") {
			t.Fatalf("err = %v", err)
		}
	})
}

// renamed returns the zip with its top folder renamed.
func renamed(t *testing.T, data []byte, to string) []byte {
	return ziptest.Rewrite(t, data, func(name string, b []byte) (string, []byte, bool) {
		return to + strings.TrimPrefix(name, "veiviser-offline-test"), b, true
	}, nil)
}

func TestTheFolderMatchesTheVersion(t *testing.T) {
	t.Run("renamed", func(t *testing.T) {
		want(t, problems(t, renamed(t, good(t), "veiviser-offline-v9")),
			"veiviser-offline-v9/: the folder is named veiviser-offline-v9, but VERSION says this is test: want the folder veiviser-offline-test/")
	})
	t.Run("renamed, and VERSION changed to match", func(t *testing.T) {
		edited := ziptest.Rewrite(t, renamed(t, good(t), "veiviser-offline-v9"), func(name string, b []byte) (string, []byte, bool) {
			if strings.HasSuffix(name, "/VERSION") {
				b = []byte("v9\n")
			}
			return name, b, true
		}, nil)
		want(t, problems(t, edited), "veiviser-offline-v9/VERSION: changed: its SHA-256 differs")
	})
	t.Run("no VERSION", func(t *testing.T) {
		got := problems(t, ziptest.Rewrite(t, good(t), func(name string, b []byte) (string, []byte, bool) {
			return name, b, !strings.HasSuffix(name, "/VERSION")
		}, nil))
		want(t, got, "veiviser-offline-test/VERSION: missing: the folder must hold")
	})
	t.Run("an empty VERSION", func(t *testing.T) {
		got := problems(t, ziptest.Rewrite(t, good(t), func(name string, b []byte) (string, []byte, bool) {
			if strings.HasSuffix(name, "/VERSION") {
				b = nil
			}
			return name, b, true
		}, nil))
		want(t, got, `veiviser-offline-test/VERSION: does not hold a version`, "veiviser-offline-test/VERSION: changed")
	})
}

// TestUnsafeEntries: every entry that could unpack outside the folder, or as something but a
// file or folder, is one problem naming it, on one line.
func TestUnsafeEntries(t *testing.T) {
	for _, c := range []struct{ name, want string }{
		{"../x", "../x: unsafe name: a \"..\""},
		{"veiviser-offline-test/../../etc/x", "veiviser-offline-test/../../etc/x: unsafe name"},
		{"veiviser-offline-test/a/../b", "veiviser-offline-test/a/../b: unsafe name"},
		{"/etc/passwd", "/etc/passwd: unsafe name: an absolute path"},
		{"C:/Windows/x", "C:/Windows/x: unsafe name: a drive letter"},
		{`veiviser-offline-test\..\..\x`, `veiviser-offline-test\..\..\x: unsafe name: a backslash`},
		{"veiviser-offline-test//x", "veiviser-offline-test//x: unsafe name"},
		{"veiviser-offline-test/x\nveiviser-offline-test/y", `"veiviser-offline-test/x\nveiviser-offline-test/y": unsafe name: a control character`},
	} {
		t.Run(c.name, func(t *testing.T) {
			got := problems(t, ziptest.Rewrite(t, good(t), ziptest.Same, map[string]string{c.name: "x"}))
			want(t, got, c.want)
			if strings.Contains(got[0], "\n") {
				t.Errorf("the problem is more than one line: %q", got[0])
			}
		})
	}
	t.Run("a symbolic link", func(t *testing.T) {
		data := good(t)
		zr, _ := zip.NewReader(bytes.NewReader(data), int64(len(data)))
		var out bytes.Buffer
		zw := zip.NewWriter(&out)
		for _, f := range zr.File {
			zw.Copy(f)
		}
		h := &zip.FileHeader{Name: "veiviser-offline-test/passwd"}
		h.SetMode(fs.ModeSymlink | 0o777)
		w, _ := zw.CreateHeader(h)
		w.Write([]byte("/etc/passwd"))
		zw.Close()
		want(t, problems(t, out.Bytes()), "veiviser-offline-test/passwd: not a file but a symbolic link")
	})
	t.Run("two names differing in case", func(t *testing.T) {
		got := problems(t, ziptest.Rewrite(t, good(t), ziptest.Same, map[string]string{"veiviser-offline-test/OM/index.html": "x"}))
		want(t, got, "veiviser-offline-test/OM/index.html: the same name as veiviser-offline-test/om/index.html but for upper and lower case")
	})
}

func TestCutShort(t *testing.T) {
	data := good(t)
	for _, n := range []int{len(data) - 1, len(data) - 30, len(data) / 2, 100, 0} {
		_, err := verifyZip(data[:n])
		if err == nil || !strings.HasPrefix(err.Error(), "not a zip file, or cut short") || strings.Contains(err.Error(), "\n") {
			t.Errorf("cut to %d of %d bytes: err = %v", n, len(data), err)
		}
	}
	name := filepath.Join(t.TempDir(), "veiviser-offline-test.zip")
	os.WriteFile(name, data[:len(data)/2], 0o644)
	if _, err := File(name); err == nil || err.Error() != "not a zip file, or cut short: "+name+" (zip: not a valid zip file)" {
		t.Errorf("File: err = %v, want it to name the file", err)
	}
}

// bomb is a valid bundle but for one more file, size zero bytes, listed in SHA256SUMS with
// its true checksum; claimed is the size its header states (size when < 0).
func bomb(t *testing.T, size, claimed int64) []byte {
	t.Helper()
	data := good(t)
	zr, _ := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	h := sha256.New()
	io.CopyN(h, zeros{}, size)
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	for _, f := range zr.File {
		if !strings.HasSuffix(f.Name, "/SHA256SUMS") {
			zw.Copy(f)
			continue
		}
		rc, _ := f.Open()
		sums, _ := io.ReadAll(rc)
		w, _ := zw.Create(f.Name)
		w.Write(append(sums, hex.EncodeToString(h.Sum(nil))+"  zeros.bin\n"...))
	}
	// The entry is deflated here, then written raw with the size it claims.
	var deflated bytes.Buffer
	fw, _ := flate.NewWriter(&deflated, flate.BestSpeed)
	crc := crc32.NewIEEE()
	io.CopyN(io.MultiWriter(fw, crc), zeros{}, size)
	fw.Close()
	if claimed < 0 {
		claimed = size
	}
	w, err := zw.CreateRaw(&zip.FileHeader{Name: "veiviser-offline-test/zeros.bin", Method: zip.Deflate,
		CRC32: crc.Sum32(), CompressedSize64: uint64(deflated.Len()), UncompressedSize64: uint64(claimed)})
	if err != nil {
		t.Fatal(err)
	}
	w.Write(deflated.Bytes())
	zw.Close()
	return out.Bytes()
}

type zeros struct{}

func (zeros) Read(p []byte) (int, error) { clear(p); return len(p), nil }

func TestBoundedWork(t *testing.T) {
	const mib = 1 << 20
	lim := Limits{Bytes: 4 * mib, Files: 100}
	check := func(t *testing.T, data []byte, lim Limits, wants ...string) *Report {
		t.Helper()
		rep, err := Reader(bytes.NewReader(data), int64(len(data)), lim)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, p := range rep.Problems {
			got = append(got, p.String())
		}
		want(t, got, wants...)
		return rep
	}
	t.Run("within the limit", func(t *testing.T) {
		rep := check(t, bomb(t, 3*mib, -1), lim)
		if rep.Checked != 9 {
			t.Errorf("checked %d files", rep.Checked)
		}
	})
	t.Run("over the limit", func(t *testing.T) {
		rep := check(t, bomb(t, 16*mib, -1), lim, "veiviser-offline-test/zeros.bin: too big: the files unpack to more than 4 MiB")
		if rep.Bytes > 4*mib+mib {
			t.Errorf("read %d bytes, past the limit", rep.Bytes)
		}
	})
	t.Run("over the limit, the header claiming little", func(t *testing.T) {
		check(t, bomb(t, 16*mib, 100), lim, "veiviser-offline-test/zeros.bin: changed: cannot be read")
	})
	t.Run("over the limit, the header claiming less than the limit", func(t *testing.T) {
		check(t, bomb(t, 16*mib, 2*mib), lim, "veiviser-offline-test/zeros.bin: changed: cannot be read")
	})
	t.Run("the header claiming more than there is", func(t *testing.T) {
		check(t, bomb(t, mib, 1<<40), lim, "veiviser-offline-test/zeros.bin: changed: cannot be read")
	})
	t.Run("too many entries", func(t *testing.T) {
		check(t, good(t), Limits{Bytes: mib, Files: 5}, "15 entries, more than the 5 a bundle may hold")
	})
	t.Run("memory stays small", func(t *testing.T) {
		// 64 MiB unpacked from a zip of some 64 KiB, checked with the default limits: it
		// passes, hashed as a stream, with no copy of the file in memory.
		data := bomb(t, 64*mib, -1)
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		rep := check(t, data, DefaultLimits)
		runtime.ReadMemStats(&after)
		if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 2*mib {
			t.Errorf("verifying allocated %d KiB for a zip of %d KiB", alloc>>10, len(data)>>10)
		}
		if rep.Bytes < 64*mib {
			t.Errorf("hashed %d bytes", rep.Bytes)
		}
	})
}
