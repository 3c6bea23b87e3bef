package browsertest

import (
	"bytes"
	"fmt"
	"html"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/veiviser/veiviser/internal/sitegen"
	"github.com/veiviser/veiviser/internal/version"
)

// TestKiwixEdition: the build's ZIM passes zimcheck, and kiwix-serve (Debian's kiwix-tools)
// serves it so that, at 360×740, its home page and a content page open with nothing failing,
// their heading and the exit button, which leads to the bundle's neutral page. Kiwix's library
// lists it with its title, name, languages and illustration, dated the build's stamp.
func TestKiwixEdition(t *testing.T) {
	t.Parallel()
	if built.zim == "" {
		if os.Getenv("CI") != "" {
			t.Fatal("the build made no ZIM: install zimwriterfs with apt-get install -y zim-tools")
		}
		t.Skip("the build made no ZIM (apt-get install zim-tools); the Kiwix edition is not tested")
	}
	tools := map[string]string{}
	for _, name := range []string{"zimcheck", "kiwix-serve"} {
		p, err := exec.LookPath(name)
		if err != nil {
			if os.Getenv("CI") != "" {
				t.Fatalf("no %s: install it with apt-get install -y zim-tools kiwix-tools", name)
			}
			t.Skipf("no %s (apt-get install zim-tools kiwix-tools); the Kiwix edition is not tested", name)
		}
		tools[name] = p
	}
	b := browser(t)
	if out, err := exec.Command(tools["zimcheck"], built.zim).CombinedOutput(); err != nil {
		t.Errorf("zimcheck %s: %v\n%s", filepath.Base(built.zim), err, out)
	}

	root := kiwixServe(t, tools["kiwix-serve"], built.zim)
	book := strings.TrimSuffix(filepath.Base(built.zim), ".zim")
	catalog := get(t, root+"catalog/v2/entries")
	want := []string{"<title>Veiviser</title>", "<name>veiviser</name>", "<language>nob,eng,", `href="/` + book + `"`,
		"/catalog/v2/illustration/" + book + "/?size=48"}
	if _, err := exec.LookPath("faketime"); err == nil {
		_, stamp := version.Of(sitegen.Root())
		want = append(want, "<updated>"+stamp.Format(time.DateOnly)+"T00:00:00Z</updated>")
	}
	for _, w := range want {
		if !strings.Contains(catalog, w) {
			t.Errorf("Kiwix's catalog has no %s:\n%s", w, catalog)
		}
	}

	titleOf := regexp.MustCompile(`<title>([^<]*)</title>`)
	for _, p := range []string{"index.html", "en/is-this-me/get-help/index.html"} {
		t.Run(p, func(t *testing.T) {
			page := root + book + "/" + p
			m := titleOf.FindSubmatch(built.off[p])
			if m == nil {
				t.Fatalf("%s has no title in the bundle", p)
			}
			tab := b.NewTab(t)
			if err := tab.Do(chromedp.EmulateViewport(phoneWidth, phoneHeight)); err != nil {
				t.Fatal(err)
			}
			ev, err := tab.Open(page)
			if err != nil {
				t.Fatal(err)
			}
			if len(ev.Failed) > 0 {
				t.Errorf("failed requests: %v", ev.Failed)
			}
			// kiwix-serve puts its own bar into every page, with jQuery, whose feature tests
			// the page's policy refuses (inline event handlers): its scripts' messages are its.
			for _, c := range ev.Console {
				if !strings.Contains(c, root+"skin/") {
					t.Errorf("console: %s", c)
				}
			}
			for _, r := range ev.Requests {
				if !strings.HasPrefix(r, root) && !strings.HasPrefix(r, "data:") {
					t.Errorf("a request outside kiwix-serve: %s", r)
				}
			}
			got, err := Eval[[]string](tab, `(() => {
				const h1 = document.querySelector('main h1, h1');
				const exit = document.querySelector('.exit-button');
				return [document.title, h1 ? h1.textContent.trim() : '', exit ? exit.textContent.trim() : ''];
			})()`)
			if err != nil {
				t.Fatal(err)
			}
			if want := html.UnescapeString(string(m[1])); got[0] != want {
				t.Errorf("the page's title is %q, want %q: another page?", got[0], want)
			}
			if got[1] == "" {
				t.Error("no heading")
			}
			if got[2] == "" {
				t.Fatal("no exit button")
			}
			if err := tab.Do(chromedp.Click(chromedp.CSS(".exit-button"))); err != nil {
				t.Fatal(err)
			}
			if now, ok := waitLocation(tab, func(u string) bool { return isNeutral(strings.TrimPrefix(u, root+book+"/")) }); !ok {
				t.Errorf("the exit button leads to %s, not to the bundle's neutral page", now)
			}
		})
	}
}

// kiwixServe starts kiwix-serve on a free port of 127.0.0.1 for the ZIM, waits until it
// answers, and stops it when the test ends. It returns the server's root URL.
func kiwixServe(t *testing.T, exe, zim string) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	var log bytes.Buffer
	cmd := exec.Command(exe, "--port", fmt.Sprint(port), "--address", "127.0.0.1", zim)
	cmd.Stdout, cmd.Stderr = &log, &log
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	t.Cleanup(func() {
		cmd.Process.Kill()
		<-exited
	})
	root := fmt.Sprintf("http://127.0.0.1:%d/", port)
	client := &http.Client{Timeout: time.Second}
	for deadline := time.Now().Add(10 * time.Second); ; {
		if resp, err := client.Get(root + "catalog/v2/entries"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return root
			}
		}
		select {
		case err := <-exited:
			exited <- err // for the cleanup
			t.Fatalf("kiwix-serve stopped: %v\n%s", err, log.String())
		case <-time.After(20 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			err := <-exited // so that its output is all written
			exited <- err
			t.Fatalf("kiwix-serve did not answer on %s within 10 s\n%s", root, log.String())
		}
	}
}

// get fetches url and returns its body; anything but 200 fails the test.
func get(t *testing.T, url string) string {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("%s: %d %v", url, resp.StatusCode, err)
	}
	return string(b)
}
