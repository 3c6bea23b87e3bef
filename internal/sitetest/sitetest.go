// Package sitetest makes Veiviser projects for tests: the repository's own configuration,
// layouts, assets, i18n and data, with content given as a txtar archive, in a temporary folder.
package sitetest

import (
	"testing"

	"github.com/veiviser/veiviser/internal/sitegen"
)

// Minimal is the smallest content the templates need; see sitegen.Minimal.
const Minimal = sitegen.Minimal

// Root is the repository's root folder.
func Root() string { return sitegen.Root() }

// New returns a temporary project with the repository's configuration and templates and the
// files of archive (a txtar text: "-- content/nb/_index.md --" and so on).
func New(t testing.TB, archive string) string {
	t.Helper()
	dir := t.TempDir()
	if err := sitegen.CopyProject(sitegen.Root(), dir); err != nil {
		t.Fatal(err)
	}
	Write(t, dir, archive)
	return dir
}

// Write writes the files of a txtar archive into dir, replacing files of the same name.
func Write(t testing.TB, dir, archive string) {
	t.Helper()
	if err := sitegen.WriteArchive(dir, archive); err != nil {
		t.Fatal(err)
	}
}
