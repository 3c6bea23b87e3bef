package pipeline_test

import (
	"os"
	"path/filepath"
	"testing"
)

// TestMain leaves the Kiwix edition out of the builds here: zimwriterfs takes a second or
// more for each project, and internal/zim and internal/browsertest test the edition (the zim
// step's skip is what these builds go through).
func TestMain(m *testing.M) {
	os.Setenv("ZIMWRITERFS", filepath.Join(os.TempDir(), "veiviser-no-zimwriterfs"))
	os.Exit(m.Run())
}
