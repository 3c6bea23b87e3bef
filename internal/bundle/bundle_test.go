package bundle

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"testing"
	"time"

	"github.com/veiviser/veiviser/internal/tree"
	"github.com/veiviser/veiviser/internal/ziptest"
)

var site = tree.Tree{"index.html": []byte("<!doctype html><title>x</title>"), "en/index.html": []byte("<p>en")}

var day = time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC)

// unpack returns the zip's files by name.
func unpack(t *testing.T, data []byte) map[string]string {
	t.Helper()
	out := map[string]string{}
	for name, b := range ziptest.Files(t, data) {
		out[name] = string(b)
	}
	return out
}

func TestTheZipRecordsItsVersion(t *testing.T) {
	for _, c := range []struct {
		version string
		dirty   bool
	}{{"0123456789ab", false}, {"0123456789ab-dirty", true}, {"2026-11-24", false}} {
		t.Run(c.version, func(t *testing.T) {
			folder := Folder(c.version)
			data, err := Zip(site, folder, c.version, day)
			if err != nil {
				t.Fatal(err)
			}
			again, _ := Zip(site, folder, c.version, day)
			if !bytes.Equal(data, again) {
				t.Error("two zips of the same tree differ")
			}
			files := unpack(t, data)
			if got := files[folder+"/VERSION"]; got != c.version+"\n" {
				t.Errorf("VERSION = %q", got)
			}
			sum := sha256.Sum256([]byte(c.version + "\n"))
			if !strings.Contains(files[folder+"/SHA256SUMS"], hex.EncodeToString(sum[:])+"  VERSION\n") {
				t.Errorf("SHA256SUMS does not list VERSION:\n%s", files[folder+"/SHA256SUMS"])
			}
			readme := files[folder+"/LES-MEG.txt"]
			if !strings.Contains(readme, "(utgave "+c.version+")") || !strings.Contains(readme, "Åpne mappen "+folder+".") {
				t.Errorf("LES-MEG.txt does not name the edition and folder:\n%s", readme)
			}
			if strings.Contains(readme, "{{") {
				t.Errorf("LES-MEG.txt has a mark left:\n%s", readme)
			}
			for _, note := range []string{"ikke var lagret (committed) i git", "not committed to git"} {
				if strings.Contains(readme, note) != c.dirty {
					t.Errorf("LES-MEG.txt says %q: %v, want %v", note, !c.dirty, c.dirty)
				}
			}
		})
	}
}

func TestZipRefuses(t *testing.T) {
	for _, c := range []struct {
		name, folder, version string
		site                  tree.Tree
		want                  string
	}{
		{"a folder not of the version", "veiviser-offline-v2", "v1", site, `folder "veiviser-offline-v2" does not match version "v1"`},
		{"a version with a slash", Folder("a/b"), "a/b", site, "does not match"},
		{"no version", Folder(""), "", site, "does not match"},
		{"a site with its own VERSION", Folder("v1"), "v1", tree.Tree{"index.html": nil, "VERSION": []byte("x")}, "the site has a file VERSION"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := Zip(c.site, c.folder, c.version, day)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("err = %v, want %q", err, c.want)
			}
		})
	}
}
