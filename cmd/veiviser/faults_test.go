package main

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"testing"

	"github.com/veiviser/veiviser/internal/sitegen"
)

// These tests run the real binary against a project that built once, break it one way at a
// time, and assert what an editor sees and what is left: exit code 1, every line of stderr
// "veiviser build: …", one of them naming the file at fault, and public/ and dist/
// byte-identical to what the good build wrote, with no staging folder or temporary file left.

const today = "2026-11-24" // the day the builds judge dates on (-today)

// newProject writes the minimal project with every language's sheet into a new folder.
func newProject(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	for _, err := range []error{
		sitegen.CopyProject(sitegen.Root(), dir),
		sitegen.PinContactDates(dir, "2026-11-01"),
		sitegen.WriteArchive(dir, sitegen.Minimal),
		sitegen.WriteSheets(dir),
	} {
		if err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// veiviser runs the binary in dir and returns its exit code, stdout and stderr.
func veiviser(t *testing.T, dir string, args ...string) (int, string, string) {
	t.Helper()
	cmd := exec.Command(filepath.Join(binDir, "veiviser"), args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "SOURCE_DATE_EPOCH=1700000000")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	code := 0
	if exit, ok := err.(*exec.ExitError); ok {
		code = exit.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return code, stdout.String(), stderr.String()
}

// mustBuild builds the project in dir and fails the test if the build fails.
func mustBuild(t *testing.T, dir string) {
	t.Helper()
	if code, _, stderr := veiviser(t, dir, "build", "-today", today, "-quiet"); code != 0 {
		t.Fatalf("build failed (%d):\n%s", code, stderr)
	}
}

// outputs is the state of a project's outputs: every file and folder under public/ and dist/
// with a hash of its content, and every staging folder or temporary file a build left.
func outputs(t *testing.T, dir string) string {
	t.Helper()
	var lines []string
	for _, out := range []string{"public", "dist"} {
		root := filepath.Join(dir, out)
		filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				lines = append(lines, p+": "+err.Error())
				return nil
			}
			rel, _ := filepath.Rel(dir, p)
			rel = filepath.ToSlash(rel)
			switch {
			case d.Type()&fs.ModeSymlink != 0:
				lines = append(lines, rel+" -> link")
			case d.IsDir():
				lines = append(lines, rel+"/")
			default:
				b, err := os.ReadFile(p)
				if err != nil {
					t.Fatal(err)
				}
				sum := sha256.Sum256(b)
				lines = append(lines, rel+" "+hex.EncodeToString(sum[:8]))
			}
			return nil
		})
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.Contains(e.Name(), ".tmp-") {
			lines = append(lines, "left behind: "+e.Name())
		}
	}
	sort.Strings(lines)
	return strings.Join(lines, "\n")
}

// copyTree copies the folder from into to, keeping symbolic links as links.
func copyTree(t *testing.T, from, to string) {
	t.Helper()
	err := filepath.WalkDir(from, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(from, p)
		target := filepath.Join(to, rel)
		info, err := d.Info()
		if err != nil {
			return err
		}
		switch {
		case d.Type()&fs.ModeSymlink != 0:
			link, err := os.Readlink(p)
			if err != nil {
				return err
			}
			return os.Symlink(link, target)
		case d.IsDir():
			return os.MkdirAll(target, 0o755)
		default:
			b, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			return os.WriteFile(target, b, info.Mode().Perm())
		}
	})
	if err != nil {
		t.Fatal(err)
	}
}

func write(name, text string) func(t *testing.T, dir string) {
	return func(t *testing.T, dir string) {
		t.Helper()
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func substitute(name, old, new string) func(t *testing.T, dir string) {
	return func(t *testing.T, dir string) {
		t.Helper()
		p := filepath.Join(dir, filepath.FromSlash(name))
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Contains(b, []byte(old)) {
			t.Fatalf("%s has no %q: the case no longer fits the project", name, old)
		}
		if err := os.WriteFile(p, bytes.Replace(b, []byte(old), []byte(new), 1), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// page is the front matter of a bokmål page with a valid translationKey and source.
const page = "---\ntitle: Om\ntranslationKey: about\nchecked: 2026-11-01\nsources: [site]\n---\n"

// TestBadInputs: each bad input an editor can make fails the build with the file named, and
// leaves the previous outputs as they were.
func TestBadInputs(t *testing.T) {
	good := newProject(t)
	mustBuild(t, good)
	before := outputs(t, good)

	for _, tc := range []struct {
		name   string
		break_ func(t *testing.T, dir string)
		names  string // what a line of stderr starts with after "veiviser build: "
	}{
		{"malformed front matter", write("content/nb/om.md", "---\ntitle: [Om\n---\nTekst.\n"), "content/nb/om.md"},
		{"front matter that is not closed", write("content/nb/om.md", "---\ntitle: Om\nTekst.\n"), "content/nb/om.md"},
		{"an unknown contact", write("content/nb/om.md", page+"Ring {{< phone \"finnes_ikke\" >}}.\n"), "content/nb/om.md"},
		{"an unknown source", substitute("content/nb/om.md", "sources: [site]", "sources: [finnes_ikke]"), "content/nb/om.md"},
		{"a typed phone number", write("content/nb/om.md", page+"Ring 22 33 11 60.\n"), "content/nb/om.md"},
		{"a dead link", write("content/nb/om.md", page+"Se [siden](/finnes-ikke/).\n"), "content/nb/om.md"},
		{"a dead anchor", write("content/nb/om.md", page+"Se [siden](#finnes-ikke).\n"), "content/nb/om.md"},
		{"a page without its translation", write("content/nb/ny.md", "---\ntitle: Ny\ntranslationKey: new\nchecked: 2026-11-01\nsources: [site]\n---\nNy.\n"), "content/nb/ny.md"},
		{"invalid UTF-8", write("content/nb/om.md", page+"Bl\xe5.\n"), "content/nb/om.md"},
		{"a javascript: link", write("content/nb/om.md", page+"[Lukk](javascript:window.close())\n"), "content/nb/om.md"},
		{"a bad phone number", substitute("data/contacts.yaml", `phone: "22 33 11 60"`, `phone: "2233 1160"`), "data/contacts.yaml"},
		{"a missing translation string", substitute("i18n/pl.toml", "[exitButton]\n", "[exitButtonX]\n"), "i18n/pl.toml"},
		{"malformed data", write("data/facts.yaml", "age_adult: {value: 18\n"), "data/facts.yaml"},
		{"malformed i18n", write("i18n/fr.toml", "exitButton = \"Quitter\n"), "i18n/fr.toml"},
		{"a template error", write("layouts/_partials/footer.html", "{{ .Nope.Nope }}"), "layouts/_partials/footer.html"},
		{"a checked date in another format", substitute("content/nb/om.md", "checked: 2026-11-01", "checked: 24.11.2026"), "content/nb/om.md"},
		{"a shortcode without its argument", write("content/nb/om.md", page+"Ring {{< phone >}}.\n"), "content/nb/om.md"},
		{"a wrong type in hugo.toml", substitute("hugo.toml", "baseURL = ", "baseURL = 3 # "), "hugo.toml"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			copyTree(t, good, dir)
			tc.break_(t, dir)
			code, _, stderr := veiviser(t, dir, "build", "-today", today, "-quiet")
			if code != 1 {
				t.Errorf("exit code %d, want 1; stderr:\n%s", code, stderr)
			}
			named := false
			for _, line := range strings.Split(strings.TrimSuffix(stderr, "\n"), "\n") {
				if !strings.HasPrefix(line, "veiviser build: ") {
					t.Errorf("a line of stderr that is not a message of veiviser build: %q", line)
				}
				// A template's own error is named in the line (after the page it failed on);
				// every other file comes first.
				named = named || strings.HasPrefix(line, "veiviser build: "+tc.names) ||
					strings.HasPrefix(tc.names, "layouts/") && strings.Contains(line, tc.names)
				if strings.Contains(line, dir) {
					t.Errorf("an absolute path in %q", line)
				}
			}
			if !named {
				t.Errorf("no line names %s:\n%s", tc.names, stderr)
			}
			if after := outputs(t, dir); after != before {
				t.Errorf("the outputs changed:\n%s", diffLines(before, after))
			}
		})
	}
}

// TestSymlinkOutsideTheProject: a file linked from outside the project is never published.
func TestSymlinkOutsideTheProject(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("symbolic links need privileges on Windows")
	}
	dir := newProject(t)
	mustBuild(t, dir)
	before := outputs(t, dir)
	secret := filepath.Join(t.TempDir(), "secret.txt")
	if err := os.WriteFile(secret, []byte("not for the web"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(dir, "static"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(secret, filepath.Join(dir, "static", "secret.txt")); err != nil {
		t.Fatal(err)
	}
	code, _, stderr := veiviser(t, dir, "build", "-today", today, "-quiet")
	if code != 1 || !strings.HasPrefix(stderr, "veiviser build: static/secret.txt") {
		t.Errorf("exit %d, stderr:\n%s", code, stderr)
	}
	if after := outputs(t, dir); after != before {
		t.Errorf("the outputs changed:\n%s", diffLines(before, after))
	}
}

// TestFullDisk: a write that fails (here: beyond the file size limit, as on a full disk)
// fails the build with one line and leaves the previous outputs.
func TestFullDisk(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("the file size limit is set with the shell's ulimit")
	}
	dir := newProject(t)
	mustBuild(t, dir)
	before := outputs(t, dir)
	write("content/nb/om.md", page+"Ny tekst.\n")(t, dir)
	// Chromium does not start under a file size limit, and the change reaches the sheets (their
	// footer names the page): the same change built in a copy first puts their PDFs in the
	// cache, so that the build below prints none.
	warm := t.TempDir()
	copyTree(t, dir, warm)
	mustBuild(t, warm)
	// 256 KiB: enough for Hugo's pages, not for the zip (about 1 MiB).
	cmd := exec.Command("sh", "-c", `ulimit -f 512 && exec "$0" build -today `+today+` -quiet`, filepath.Join(binDir, "veiviser"))
	cmd.Dir = dir
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	err := cmd.Run()
	exit, ok := err.(*exec.ExitError)
	if !ok || exit.ExitCode() != 1 {
		t.Fatalf("build with a full disk: %v; stderr:\n%s", err, stderr.String())
	}
	if lines := strings.Split(strings.TrimSpace(stderr.String()), "\n"); len(lines) != 1 || !strings.HasPrefix(lines[0], "veiviser build: ") {
		t.Errorf("stderr, want one line:\n%s", stderr.String())
	}
	if after := outputs(t, dir); after != before {
		t.Errorf("the outputs changed:\n%s", diffLines(before, after))
	}
}

// TestKilledBuild: a build killed (SIGKILL, no chance to clean up) after each of its steps
// leaves public/ and dist/ both from the previous build or both from the new one, never a mix;
// the next build succeeds and removes what the killed one left.
func TestKilledBuild(t *testing.T) {
	dir := newProject(t)
	mustBuild(t, dir)
	old := outputs(t, dir)
	write("content/nb/om.md", page+"Ny tekst.\n")(t, dir)
	other := t.TempDir()
	copyTree(t, dir, other)
	mustBuild(t, other)
	changed := outputs(t, other)
	if changed == old {
		t.Fatal("the changed page did not change the outputs: the test cannot tell them apart")
	}

	for _, step := range []string{"render", "minify", "check", "pdf", "offline", "pack", "editions", "zim", "write"} {
		cmd := exec.Command(filepath.Join(binDir, "veiviser"), "build", "-today", today)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "SOURCE_DATE_EPOCH=1700000000")
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		killed := false
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			if strings.HasPrefix(sc.Text(), step+" ") {
				cmd.Process.Kill()
				killed = true
				break
			}
		}
		cmd.Wait()
		if !killed {
			t.Fatalf("the build printed no %q line", step)
		}
		if now := outputs(t, dir); now != old && now != changed {
			// A staging folder or a temporary file may be left: the next build removes it.
			if strip(now) != old && strip(now) != changed {
				t.Errorf("killed after %s: the outputs are neither the old nor the new build's:\n%s", step, diffLines(changed, now))
			}
		}
	}
	mustBuild(t, dir)
	if now := outputs(t, dir); now != changed {
		t.Errorf("the build after the killed ones:\n%s", diffLines(changed, now))
	}
}

// strip drops the lines about what a build left behind.
func strip(state string) string {
	var keep []string
	for _, l := range strings.Split(state, "\n") {
		if !strings.HasPrefix(l, "left behind: ") && !strings.Contains(l, ".tmp-") {
			keep = append(keep, l)
		}
	}
	return strings.Join(keep, "\n")
}

// diffLines lists the lines only in a (-) and only in b (+).
func diffLines(a, b string) string {
	in := func(s string) map[string]bool {
		m := map[string]bool{}
		for _, l := range strings.Split(s, "\n") {
			m[l] = true
		}
		return m
	}
	ma, mb := in(a), in(b)
	var out []string
	for l := range ma {
		if !mb[l] {
			out = append(out, "- "+l)
		}
	}
	for l := range mb {
		if !ma[l] {
			out = append(out, "+ "+l)
		}
	}
	sort.Strings(out)
	if len(out) > 20 {
		out = append(out[:20], "…")
	}
	return strings.Join(out, "\n")
}
