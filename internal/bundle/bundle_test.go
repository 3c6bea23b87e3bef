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
			data, err := Zip(site, folder, c.version, day, "113")
			if err != nil {
				t.Fatal(err)
			}
			again, _ := Zip(site, folder, c.version, day, "113")
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
			// The number is the one given (data/contacts.yaml's in a build), in both languages.
			if strings.Count(readme, "Ring 113 ") != 1 || strings.Count(readme, "Call 113 ") != 1 {
				t.Errorf("LES-MEG.txt does not give the emergency number it was given:\n%s", readme)
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
		emergency             string
		want                  string
	}{
		{"a folder not of the version", "veiviser-offline-v2", "v1", site, "112", `folder "veiviser-offline-v2" does not match version "v1"`},
		{"a version with a slash", Folder("a/b"), "a/b", site, "112", "does not match"},
		{"no version", Folder(""), "", site, "112", "does not match"},
		{"a site with its own VERSION", Folder("v1"), "v1", tree.Tree{"index.html": nil, "VERSION": []byte("x")}, "112", "the site has a file VERSION"},
		{"no emergency number", Folder("v1"), "v1", site, "", "zip: emergency number \"\" for LES-MEG.txt"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := Zip(c.site, c.folder, c.version, day, c.emergency)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("err = %v, want %q", err, c.want)
			}
		})
	}
}
