package main

import (
	"archive/zip"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
	"github.com/veiviser/veiviser/internal/sitegen"
)

// binDir holds the real veiviser binary, built once: Hugo behaves differently inside a test
// binary (it skips its build lock, for one), so these scripts run the program users run.
var binDir string

// cacheDir is the user cache folder (XDG_CACHE_HOME) of every script, shared for the whole
// run: the scripts build the same sheets, which Chromium then prints once, not in every build
// (internal/pdf tests the cache itself).
var cacheDir string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "veiviser-bin-")
	if err != nil {
		panic(err)
	}
	// The binary deploys when these tests were built to (go test -tags withdeploy, as make test).
	args := []string{"build", "-o", filepath.Join(dir, "veiviser")}
	if deployBuilt {
		args = append(args, "-tags", "withdeploy")
	}
	build := exec.Command("go", append(args, ".")...)
	build.Stdout, build.Stderr = os.Stdout, os.Stderr
	if err := build.Run(); err != nil {
		panic("building veiviser: " + err.Error())
	}
	binDir = dir
	cacheDir = filepath.Join(dir, "cache")
	// The builds here leave the Kiwix edition out: zimwriterfs takes a second or more for each
	// project, and internal/zim and internal/browsertest test the edition.
	os.Setenv("ZIMWRITERFS", noZimwriterfs(dir))
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// TestScripts runs testdata/*.txtar against a copy of the repository's templates with the
// minimal content; each script adds or changes files as it needs (the sheets command writes
// the emergency sheets the rules require). The scripts pass -today 2026-11-24, so that no
// date in them ages.
func TestScripts(t *testing.T) {
	testscript.Run(t, testscript.Params{
		Dir: "testdata",
		Setup: func(env *testscript.Env) error {
			env.Setenv("PATH", binDir+string(os.PathListSeparator)+os.Getenv("PATH"))
			env.Setenv("SOURCE_DATE_EPOCH", "1700000000")
			env.Setenv("XDG_CACHE_HOME", cacheDir)
			env.Setenv("ZIMWRITERFS", noZimwriterfs(binDir))
			if err := sitegen.CopyProject(sitegen.Root(), env.WorkDir); err != nil {
				return err
			}
			// The scripts judge dates as on -today 2026-11-24: every contact is compared and
			// confirmed shortly before, whatever the real data/contacts.yaml says.
			if err := sitegen.PinContactDates(env.WorkDir, "2026-11-01"); err != nil {
				return err
			}
			if err := sitegen.SetPublisher(env.WorkDir, "Eksempelorganisasjonen", "rettelser@example.org"); err != nil {
				return err
			}
			return sitegen.WriteArchive(env.WorkDir, sitegen.Minimal)
		},
		Condition: func(cond string) (bool, error) {
			if cond == "withdeploy" {
				return deployBuilt, nil
			}
			return false, fmt.Errorf("unknown condition %q", cond)
		},
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			"append-env": appendEnv,
			"gzgrep":     gzGrep,
			"sheets":     sheets,
			"json":       validJSON,
			"zip-byte":   zipByte,
			"exitcode":   exitCode,
			"host-check": hostCheck,
			"unzip":      unzipTo,
			"linkserver": linkServerCmd, // online_test.go
			"linkhits":   linkHits,
		},
	})
}

// appendEnv appends the file src, its ${VAR}s expanded, to dst: append-env dst src.
func appendEnv(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: append-env dst src")
	}
	f, err := os.OpenFile(ts.MkAbs(args[0]), os.O_APPEND|os.O_WRONLY, 0)
	ts.Check(err)
	_, err = f.WriteString(os.Expand(ts.ReadFile(args[1]), ts.Getenv))
	ts.Check(err)
	ts.Check(f.Close())
}

// gzGrep is grep for a gzipped file (as deploy uploads pages): [!] gzgrep regexp file.
func gzGrep(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 2 {
		ts.Fatalf("usage: gzgrep regexp file")
	}
	re, err := regexp.Compile(args[0])
	ts.Check(err)
	zr, err := gzip.NewReader(strings.NewReader(ts.ReadFile(args[1])))
	ts.Check(err)
	text, err := io.ReadAll(zr)
	ts.Check(err)
	if re.Match(text) == neg {
		ts.Fatalf("%s: match for %q: %v, want %v", args[1], args[0], !neg, neg)
	}
}

// sheets writes an emergency sheet for every language hugo.toml configures (see
// sitegen.Sheets): the rules require one in each.
func sheets(ts *testscript.TestScript, neg bool, args []string) {
	ts.Check(sitegen.WriteSheets(ts.MkAbs(".")))
}

// exitCode runs a command as exec does (its stdout and stderr are then the ones checked) and
// fails unless it exits with the code given: exitcode 1 veiviser build.
func exitCode(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 2 {
		ts.Fatalf("usage: exitcode N command [args...]")
	}
	want, err := strconv.Atoi(args[0])
	ts.Check(err)
	got := 0
	if err := ts.Exec(args[1], args[2:]...); err != nil {
		var exit *exec.ExitError
		if !errors.As(err, &exit) {
			ts.Fatalf("%s: %v", args[1], err)
		}
		got = exit.ExitCode()
	}
	if got != want {
		ts.Fatalf("%s exited with %d, want %d", args[1], got, want)
	}
}

// validJSON fails unless file (or stdout) holds one JSON document.
func validJSON(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 1 {
		ts.Fatalf("usage: json file|stdout")
	}
	text := ""
	if args[0] == "stdout" {
		text = ts.ReadFile("stdout")
	} else {
		text = ts.ReadFile(args[0])
	}
	var v any
	err := json.Unmarshal([]byte(text), &v)
	if (err == nil) == neg {
		ts.Fatalf("json %s: valid = %v (%v)", args[0], err == nil, err)
	}
}

// zipByte copies zip file in to out with one byte changed in the middle of the file at path
// (inside the zip's top-level folder); the copy is a valid zip.
func zipByte(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 3 {
		ts.Fatalf("usage: zip-byte in.zip path/in/folder out.zip")
	}
	data := []byte(ts.ReadFile(args[0]))
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	ts.Check(err)
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	changed := false
	for _, f := range zr.File {
		rc, err := f.Open()
		ts.Check(err)
		b, err := io.ReadAll(rc)
		ts.Check(err)
		rc.Close()
		if _, rest, _ := strings.Cut(f.Name, "/"); rest == args[1] {
			b[len(b)/2] ^= 0x01
			changed = true
		}
		h := f.FileHeader
		w, err := zw.CreateHeader(&h)
		ts.Check(err)
		_, err = w.Write(b)
		ts.Check(err)
	}
	ts.Check(zw.Close())
	if !changed {
		ts.Fatalf("%s has no %s", args[0], args[1])
	}
	ts.Check(os.WriteFile(ts.MkAbs(args[2]), out.Bytes(), 0o644))
	fmt.Fprintf(ts.Stdout(), "changed one byte of %s\n", args[1])
}

// noZimwriterfs is a zimwriterfs that is not there: with ZIMWRITERFS naming it, a build skips
// the Kiwix edition.
func noZimwriterfs(dir string) string { return filepath.Join(dir, "no-zimwriterfs") }
