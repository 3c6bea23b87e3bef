package publish

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestMain lets the test binary hold a lock in a process of its own (see holder).
func TestMain(m *testing.M) {
	if dir := os.Getenv("PUBLISH_TEST_HOLD"); dir != "" {
		l, err := Acquire(filepath.Join(dir, "public"), filepath.Join(dir, "dist"))
		if err != nil {
			fmt.Println("error:", err)
			os.Exit(1)
		}
		fmt.Println("holding")
		bufio.NewReader(os.Stdin).ReadString('\n') // until the test lets go
		l.Release()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// holder starts a process that takes the build lock of dir and holds it until stdin closes.
func holder(t *testing.T, dir string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(os.Args[0])
	cmd.Env = append(os.Environ(), "PUBLISH_TEST_HOLD="+dir)
	stdin, _ := cmd.StdinPipe()
	stdout, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { stdin.Close(); cmd.Process.Kill(); cmd.Wait() })
	line, _ := bufio.NewReader(stdout).ReadString('\n')
	if strings.TrimSpace(line) != "holding" {
		t.Fatalf("the other process says %q", line)
	}
	return cmd
}

func TestASecondBuildStopsWithOneLine(t *testing.T) {
	dir := t.TempDir()
	public, dist := filepath.Join(dir, "public"), filepath.Join(dir, "dist")
	other := holder(t, dir)
	_, err := Acquire(public, dist)
	var busy *BusyError
	if !errors.As(err, &busy) {
		t.Fatalf("err = %v, want a BusyError", err)
	}
	want := fmt.Sprintf("another build is running in %s (pid %d)", dir, other.Process.Pid)
	if err.Error() != want {
		t.Errorf("err = %q, want %q", err, want)
	}

	// The other build is killed: its lock ends with it, though its file stays.
	other.Process.Kill()
	other.Wait()
	if _, err := os.Stat(filepath.Join(dir, LockName)); err != nil {
		t.Fatalf("the killed build's lock file: %v", err)
	}
	l, err := Acquire(public, dist)
	if err != nil {
		t.Fatalf("after the other build died: %v", err)
	}
	// In this process too, a second Acquire is refused while the first holds the lock.
	if _, err := Acquire(public, dist); !errors.As(err, &busy) || busy.PID != os.Getpid() {
		t.Errorf("second Acquire in one process: %v", err)
	}
	l.Release()
	if _, err := os.Stat(filepath.Join(dir, LockName)); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("after Release the lock file is still there: %v", err)
	}
	l, err = Acquire(public, dist)
	if err != nil {
		t.Fatal(err)
	}
	l.Release()
}

func TestLocksEachOutputFolder(t *testing.T) {
	// public/ and dist/ in different folders: both folders are locked.
	a, b := t.TempDir(), t.TempDir()
	holder(t, a) // holds a/public and a/dist
	_, err := Acquire(filepath.Join(b, "public"), filepath.Join(a, "dist"))
	var busy *BusyError
	if !errors.As(err, &busy) || busy.Dir != a {
		t.Fatalf("err = %v, want a BusyError for %s", err, a)
	}
	if _, err := os.Stat(filepath.Join(b, LockName)); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the lock of %s was not let go when that of %s was refused", b, a)
	}
	l, err := Acquire(filepath.Join(b, "public"), filepath.Join(b, "dist"))
	if err != nil {
		t.Fatalf("another folder: %v", err)
	}
	l.Release()
}

// TestAcquireRemovesWhatInterruptedBuildsLeft: staging folders, temporary zips and an aside
// folder go; everything else stays, and a previous site left aside comes back.
func TestAcquireRemovesWhatInterruptedBuildsLeft(t *testing.T) {
	dir := t.TempDir()
	for _, p := range []string{
		"public/index.html", ".public.tmp-123/index.html", ".public.tmp-456/en/index.html",
		"dist/veiviser-offline-v1.zip", "dist/.veiviser-offline-v2.zip.tmp-789",
		".publicity/keep.txt", "notes.tmp-1", "content/.x.md.tmp-2",
	} {
		name := filepath.Join(dir, filepath.FromSlash(p))
		os.MkdirAll(filepath.Dir(name), 0o755)
		os.WriteFile(name, []byte(p), 0o644)
	}
	l, err := Acquire(filepath.Join(dir, "public"), filepath.Join(dir, "dist"))
	if err != nil {
		t.Fatal(err)
	}
	got := snapshot(t, dir)
	l.Release()
	equal(t, "after Acquire", got, map[string]string{
		"./": "", "public/": "", "dist/": "", ".publicity/": "", "content/": "",
		"public/index.html": "public/index.html", "dist/veiviser-offline-v1.zip": "dist/veiviser-offline-v1.zip",
		".publicity/keep.txt": ".publicity/keep.txt", "notes.tmp-1": "notes.tmp-1",
		"content/.x.md.tmp-2": "content/.x.md.tmp-2", LockName: fmt.Sprintln(os.Getpid()),
	})

	// A swap interrupted after moving public/ aside: the previous site is put back.
	os.Rename(filepath.Join(dir, "public"), filepath.Join(dir, ".public.tmp-9.old"))
	os.MkdirAll(filepath.Join(dir, ".public.tmp-9", "new"), 0o755)
	if l, err = Acquire(filepath.Join(dir, "public"), filepath.Join(dir, "dist")); err != nil {
		t.Fatal(err)
	}
	l.Release()
	if b, err := os.ReadFile(filepath.Join(dir, "public", "index.html")); err != nil || string(b) != "public/index.html" {
		t.Errorf("the site left aside was not put back: %q, %v", b, err)
	}
	if m, _ := filepath.Glob(filepath.Join(dir, ".public.tmp-*")); len(m) > 0 {
		t.Errorf("left: %v", m)
	}
}
