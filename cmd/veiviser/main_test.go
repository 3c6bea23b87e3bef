package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
	"github.com/veiviser/veiviser/internal/sitegen"
)

// binDir holds the real veiviser binary, built once: Hugo behaves differently inside a test
// binary (it skips its build lock, for one), so these scripts run the program users run.
var binDir string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "veiviser-bin-")
	if err != nil {
		panic(err)
	}
	build := exec.Command("go", "build", "-o", filepath.Join(dir, "veiviser"), ".")
	build.Stdout, build.Stderr = os.Stdout, os.Stderr
	if err := build.Run(); err != nil {
		panic("building veiviser: " + err.Error())
	}
	binDir = dir
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// TestScripts runs testdata/*.txtar against a copy of the repository's templates with the
// minimal content; each script adds or changes files as it needs.
func TestScripts(t *testing.T) {
	testscript.Run(t, testscript.Params{
		Dir: "testdata",
		Setup: func(env *testscript.Env) error {
			env.Setenv("PATH", binDir+string(os.PathListSeparator)+os.Getenv("PATH"))
			env.Setenv("SOURCE_DATE_EPOCH", "1700000000")
			if err := sitegen.CopyProject(sitegen.Root(), env.WorkDir); err != nil {
				return err
			}
			return sitegen.WriteArchive(env.WorkDir, sitegen.Minimal)
		},
	})
}
