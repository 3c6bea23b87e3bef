package chromium

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"
)

// Version asks an executable once and then reads its answer from the cache folder, until the
// executable changes.
func TestVersionIsKeptOnDisk(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("the fake Chromium is a shell script")
	}
	dir := t.TempDir()
	t.Setenv("XDG_CACHE_HOME", filepath.Join(dir, "cache"))
	t.Setenv("HOME", dir)
	asked := filepath.Join(dir, "asked")
	exe := filepath.Join(dir, "chromium")
	write := func(version string) {
		script := "#!/bin/sh\necho x >> '" + asked + "'\necho '" + version + "'\n"
		if err := os.WriteFile(exe, []byte(script), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	times := func() int {
		b, _ := os.ReadFile(asked)
		return strings.Count(string(b), "x")
	}
	version := func() string {
		versions = sync.Map{} // as a new process would start
		v, err := Version(exe)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}

	write("Chromium 140.0")
	if v := version(); v != "Chromium 140.0" || times() != 1 {
		t.Fatalf("first: %q, asked %d times", v, times())
	}
	if v := version(); v != "Chromium 140.0" || times() != 1 {
		t.Fatalf("second: %q, asked %d times, want it read from the cache", v, times())
	}
	// An update replaces the executable: a new size and modification time.
	write("Chromium 141.0.1")
	later := time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)
	if err := os.Chtimes(exe, later, later); err != nil {
		t.Fatal(err)
	}
	if v := version(); v != "Chromium 141.0.1" || times() != 2 {
		t.Fatalf("after an update: %q, asked %d times", v, times())
	}
}
