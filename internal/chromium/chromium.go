// Package chromium finds and starts headless Chromium, for the sheets' PDFs (internal/pdf), the
// browser tests (internal/browsertest) and the benchmark (cmd/veiviser-bench): which executable
// ($CHROMIUM, or the first of Names found), its version, the flags every headless
// run uses, and a scratch folder that holds its profile and its temporary files and is removed
// with everything in it when Chromium has exited.
package chromium

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sync"

	"github.com/chromedp/chromedp"

	"github.com/veiviser/veiviser/internal/toolversion"
)

// Names are the executables looked for, in order, after $CHROMIUM. Chromium's headless shell
// (Debian's chromium-headless-shell) comes first: it is the same engine without the browser's
// own windows and pages, and opens a page with about a third of the work of headless chromium.
var Names = []string{"chromium-headless-shell", "chromium", "chromium-browser", "google-chrome"}

// Find returns the path of the Chromium to use ($CHROMIUM, or the first of Names on the PATH),
// or "" if there is none.
func Find() string {
	for _, name := range append([]string{os.Getenv("CHROMIUM")}, Names...) {
		if name == "" {
			continue
		}
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

var versions sync.Map // path → string

// Version returns what exe --version prints ("Chromium 140.0.7339.185 built on Debian …"),
// trimmed. Asking takes a start of Chromium (a fifth of a second or more, longer than a
// cached build's PDF step otherwise takes), so the answer is kept for each executable once
// per process and on disk in the user's cache folder, keyed by the executable's path, size and
// modification time and those of the program it runs, which an update of Chromium changes.
func Version(exe string) (string, error) {
	if v, ok := versions.Load(exe); ok {
		return v.(string), nil
	}
	memo := versionFile(exe)
	if b, err := os.ReadFile(memo); err == nil && len(bytes.TrimSpace(b)) > 0 {
		v := string(bytes.TrimSpace(b))
		versions.Store(exe, v)
		return v, nil
	}
	v, err := toolversion.Of(exe)
	if err != nil {
		return "", err
	}
	versions.Store(exe, v)
	if memo != "" && os.MkdirAll(filepath.Dir(memo), 0o755) == nil {
		// Whole or not at all: another build may read it at the same time.
		tmp := fmt.Sprintf("%s.%d.tmp", memo, os.Getpid())
		if os.WriteFile(tmp, []byte(v+"\n"), 0o644) == nil {
			if os.Rename(tmp, memo) != nil {
				os.Remove(tmp)
			}
		}
	}
	return v, nil
}

// versionFile is where Version keeps exe's version on disk, or "" where there is no place.
// Its name is a hash of the path, size and modification time of exe and, for a wrapper
// script like Debian's /usr/bin/chromium, of the program the script starts.
func versionFile(exe string) string {
	dir, err := os.UserCacheDir()
	if err != nil {
		return ""
	}
	h := sha256.New()
	for _, p := range append([]string{exe}, wrapped...) {
		if fi, err := os.Stat(p); err == nil {
			fmt.Fprintf(h, "%s\x00%d\x00%d\x00", p, fi.Size(), fi.ModTime().UnixNano())
		}
	}
	return filepath.Join(dir, "veiviser", "chromium", hex.EncodeToString(h.Sum(nil))[:32]+".version")
}

// wrapped are the programs the wrapper scripts of Linux distributions start
// (/usr/bin/chromium is a shell script on Debian).
var wrapped = []string{"/usr/lib/chromium/chromium-headless-shell", "/usr/lib/chromium/chromium", "/usr/lib/chromium-browser/chromium-browser"}

// Options are the allocator options of a headless Chromium run from exe with the profile
// folder profile: no sandbox (it runs in containers), no GPU, no first-run or default-browser
// questions, and no network of its own (updates, sync, QUIC, crash reports). Extra options
// come after them and win.
func Options(exe, profile string, extra ...chromedp.ExecAllocatorOption) []chromedp.ExecAllocatorOption {
	return append([]chromedp.ExecAllocatorOption{
		chromedp.ExecPath(exe),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.UserDataDir(profile),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-default-apps", true),
		chromedp.Flag("disable-extensions", true),
		chromedp.Flag("disable-breakpad", true),
		chromedp.Flag("disable-crash-reporter", true),
	}, extra...)
}

// MaxTmpDir is the longest temporary folder Chromium starts with: the path of its
// single-instance socket, TMPDIR/org.chromium.Chromium.XXXXXX/SingletonSocket, must fit in a
// socket address (107 bytes).
const MaxTmpDir = 107 - len("/org.chromium.Chromium.XXXXXX/SingletonSocket")

// scratchParent is the folder for Chromium's scratch folder: the temporary folder, or /tmp
// where that one's name is too long for Chromium's socket.
func scratchParent() string {
	dir := os.TempDir()
	if len(filepath.Join(dir, "veiviser-chromium-0123456789", "tmp")) <= MaxTmpDir || runtime.GOOS == "windows" {
		return dir
	}
	if fi, err := os.Stat("/tmp"); err == nil && fi.IsDir() {
		return "/tmp"
	}
	return dir
}

// Scratch is one folder of ours for one Chromium: its profile and every temporary folder it
// makes (its TMPDIR: the org.chromium.Chromium.* folders of its single-instance socket, among
// others). Remove it after Chromium has exited.
type Scratch struct {
	Dir     string
	Profile string   // the user data folder
	Env     []string // TMPDIR, TMP and TEMP in the folder, or nil where its name is too long
}

// NewScratch makes a scratch folder under the temporary folder (or /tmp, where the
// temporary folder's name is too long for Chromium's socket).
func NewScratch() (*Scratch, error) {
	dir, err := os.MkdirTemp(scratchParent(), "veiviser-chromium-")
	if err != nil {
		return nil, err
	}
	s := &Scratch{Dir: dir, Profile: filepath.Join(dir, "profile")}
	tmp := filepath.Join(dir, "tmp")
	for _, d := range []string{s.Profile, tmp} {
		if err := os.Mkdir(d, 0o700); err != nil {
			os.RemoveAll(dir)
			return nil, err
		}
	}
	if len(tmp) <= MaxTmpDir {
		s.Env = []string{"TMPDIR=" + tmp, "TMP=" + tmp, "TEMP=" + tmp}
	}
	return s, nil
}

// Options are Options(exe, s.Profile, …) with Chromium's temporary folders in s.
func (s *Scratch) Options(exe string, extra ...chromedp.ExecAllocatorOption) []chromedp.ExecAllocatorOption {
	return Options(exe, s.Profile, append([]chromedp.ExecAllocatorOption{chromedp.Env(s.Env...)}, extra...)...)
}

// Remove removes the folder and everything in it.
func (s *Scratch) Remove() error { return os.RemoveAll(s.Dir) }
