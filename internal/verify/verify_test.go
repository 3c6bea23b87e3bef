package verify

import (
	"archive/zip"
	"bytes"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/veiviser/veiviser/internal/bundle"
	"github.com/veiviser/veiviser/internal/tree"
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
	b, err := bundle.Zip(site, "veiviser-offline-test", "test", time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// rewrite returns the zip with edit applied to every entry: it returns the new name and
// contents, or keep false to leave the entry out. extra entries are added at the end.
func rewrite(t *testing.T, data []byte, edit func(name string, b []byte) (string, []byte, bool), extra map[string]string) []byte {
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
		b, _ := io.ReadAll(rc)
		rc.Close()
		name, nb, keep := edit(f.Name, b)
		if !keep {
			continue
		}
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(nb)
	}
	for name, body := range extra {
		w, _ := zw.Create(name)
		w.Write([]byte(body))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

func same(name string, b []byte) (string, []byte, bool) { return name, b, true }

func problems(t *testing.T, data []byte) []string {
	t.Helper()
	rep, err := Zip(data)
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
	rep, err := Zip(good(t))
	if err != nil {
		t.Fatal(err)
	}
	if !rep.OK() || rep.Folder != "veiviser-offline-test" || rep.Files != 8 || rep.Checked != 7 {
		t.Fatalf("report = %+v", rep)
	}
	// Unpacked and packed again by another tool, it is still whole.
	if got := problems(t, rewrite(t, good(t), same, nil)); len(got) > 0 {
		t.Fatal(got)
	}
}

func TestChangedByte(t *testing.T) {
	// A valid zip in which one byte of one file differs from what SHA256SUMS says.
	changed := rewrite(t, good(t), func(name string, b []byte) (string, []byte, bool) {
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
	edited := rewrite(t, good(t), func(name string, b []byte) (string, []byte, bool) {
		return name, b, name != "veiviser-offline-test/css/style.css"
	}, map[string]string{"veiviser-offline-test/js/tracker.js": "fetch('//evil')"})
	want(t, problems(t, edited),
		"veiviser-offline-test/js/tracker.js: extra: in the zip but not listed in SHA256SUMS",
		"veiviser-offline-test/css/style.css: missing: listed in SHA256SUMS but not in the zip")
}

func TestStructure(t *testing.T) {
	t.Run("two folders", func(t *testing.T) {
		got := problems(t, rewrite(t, good(t), same, map[string]string{"other/x.txt": "x"}))
		want(t, got, "2 top-level entries (other/, veiviser-offline-test/), want exactly one folder")
	})
	t.Run("a file at the top", func(t *testing.T) {
		got := problems(t, rewrite(t, good(t), same, map[string]string{"README": "x"}))
		want(t, got, "README: a file at the top of the zip")
	})
	t.Run("no index.html", func(t *testing.T) {
		got := problems(t, rewrite(t, good(t), func(name string, b []byte) (string, []byte, bool) {
			return name, b, name != "veiviser-offline-test/index.html"
		}, nil))
		want(t, got, "veiviser-offline-test/index.html: missing: the folder must hold index.html, LES-MEG.txt, SHA256SUMS")
	})
	t.Run("no SHA256SUMS", func(t *testing.T) {
		got := problems(t, rewrite(t, good(t), func(name string, b []byte) (string, []byte, bool) {
			return name, b, !strings.HasSuffix(name, "/SHA256SUMS")
		}, nil))
		want(t, got, "veiviser-offline-test/SHA256SUMS: missing")
	})
	t.Run("a bad line in SHA256SUMS", func(t *testing.T) {
		got := problems(t, rewrite(t, good(t), func(name string, b []byte) (string, []byte, bool) {
			if strings.HasSuffix(name, "/SHA256SUMS") {
				b = append(b, "not a checksum\n"...)
			}
			return name, b, true
		}, nil))
		want(t, got, `veiviser-offline-test/SHA256SUMS: line 8 is not "<sha256>  <file>"`)
	})
	t.Run("an unsafe name", func(t *testing.T) {
		got := problems(t, rewrite(t, good(t), same, map[string]string{"veiviser-offline-test/../../etc/x": "x"}))
		want(t, got, "veiviser-offline-test/../../etc/x: unsafe name")
	})
	t.Run("not a zip", func(t *testing.T) {
		if _, err := Zip([]byte("hello")); err == nil || !strings.Contains(err.Error(), "not a zip file") {
			t.Fatalf("err = %v", err)
		}
	})
}
