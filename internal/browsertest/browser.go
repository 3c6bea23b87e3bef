// Package browsertest drives Debian's Chromium from Go tests (through chromedp) to check the
// built site as a reader sees it: over http:// from a local server and over file:// from the
// unzipped offline bundle. It records what a page logs, what it requests and what fails.
package browsertest

import (
	"context"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// Executable finds Chromium. Without one the test is skipped, except in CI (CI=true), where
// .ci/run installs it and a missing browser is a failure.
func Executable(t testing.TB) string {
	t.Helper()
	for _, name := range []string{os.Getenv("CHROMIUM"), "chromium", "chromium-browser", "google-chrome"} {
		if name == "" {
			continue
		}
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") != "" {
		t.Fatal("no Chromium found: install it with apt-get install -y chromium")
	}
	t.Skip("no Chromium found (apt-get install -y chromium); browser tests skipped")
	return ""
}

// Browser is a headless Chromium.
type Browser struct {
	ctx    context.Context
	cancel context.CancelFunc
}

// New starts a headless Chromium with a new empty profile and no background networking;
// it is stopped when the test ends.
func New(t testing.TB, opts ...chromedp.ExecAllocatorOption) *Browser {
	t.Helper()
	exe := Executable(t)
	all := append([]chromedp.ExecAllocatorOption{
		chromedp.ExecPath(exe),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.UserDataDir(t.TempDir()),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-default-apps", true),
		chromedp.Flag("disable-extensions", true),
		chromedp.WindowSize(1024, 768),
	}, opts...)
	actx, acancel := chromedp.NewExecAllocator(context.Background(), all...)
	ctx, cancel := chromedp.NewContext(actx)
	if err := chromedp.Do(ctx); err != nil {
		acancel()
		t.Fatalf("starting Chromium: %v", err)
	}
	b := &Browser{ctx: ctx, cancel: func() { cancel(); acancel() }}
	t.Cleanup(b.cancel)
	return b
}

// Tab is one browser tab that records what its pages do.
type Tab struct {
	Ctx    context.Context
	mu     sync.Mutex
	events Events
}

// Events is what pages in a tab did since the last Reset.
type Events struct {
	Console  []string // console errors and uncaught exceptions
	Requests []string // every URL requested
	Failed   []string // requests that failed, with the reason
}

// NewTab opens a tab; it is closed when the test ends.
func (b *Browser) NewTab(t testing.TB) *Tab {
	t.Helper()
	ctx, cancel := chromedp.NewContext(b.ctx)
	t.Cleanup(cancel)
	tab := &Tab{Ctx: ctx}
	requested := map[network.RequestID]string{}
	err := chromedp.Listen(ctx, func(ev any) {
		tab.mu.Lock()
		defer tab.mu.Unlock()
		switch ev := ev.(type) {
		case *runtime.EventConsoleAPICalled:
			if ev.Type == runtime.ConsoleAPICalledTypeError || ev.Type == runtime.ConsoleAPICalledTypeAssert {
				var parts []string
				for _, a := range ev.Args {
					parts = append(parts, strings.Trim(string(a.Value), `"`)+a.Description)
				}
				tab.events.Console = append(tab.events.Console, "console.error: "+strings.Join(parts, " "))
			}
		case *runtime.EventExceptionThrown:
			msg := ev.ExceptionDetails.Text
			if ev.ExceptionDetails.Exception != nil {
				msg += " " + ev.ExceptionDetails.Exception.Description
			}
			tab.events.Console = append(tab.events.Console, "exception: "+msg)
		case *log.EventEntryAdded:
			if ev.Entry.Level == log.EntryLevelError {
				tab.events.Console = append(tab.events.Console, "log: "+ev.Entry.Text+" "+ev.Entry.URL)
			}
		case *network.EventRequestWillBeSent:
			requested[ev.RequestID] = ev.Request.URL
			tab.events.Requests = append(tab.events.Requests, ev.Request.URL)
		case *network.EventLoadingFailed:
			if !ev.Canceled {
				tab.events.Failed = append(tab.events.Failed, requested[ev.RequestID]+": "+ev.ErrorText)
			}
		}
	})
	if err != nil {
		t.Fatalf("listening to a tab: %v", err)
	}
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("opening a tab: %v", err)
	}
	for _, enable := range []func() error{
		func() error { _, err := chromedp.Call(ctx, network.Enable, network.EnableParams{}); return err },
		func() error { _, err := chromedp.Call(ctx, runtime.Enable, cdp.Empty{}); return err },
		func() error { _, err := chromedp.Call(ctx, log.Enable, cdp.Empty{}); return err },
	} {
		if err := enable(); err != nil {
			t.Fatalf("opening a tab: %v", err)
		}
	}
	return tab
}

// Timeout bounds every action in a tab, so that a missing element fails a test instead of
// hanging it.
const Timeout = 15 * time.Second

// Open loads url, waits until the page has loaded and its scripts have run, and returns
// what happened while it loaded.
func (tab *Tab) Open(url string) (Events, error) {
	tab.Reset()
	err := tab.Do(chromedp.Navigate(url), chromedp.WaitReady("body"), chromedp.Sleep(50*time.Millisecond))
	return tab.Events(), err
}

// Do runs chromedp actions in the tab, within Timeout.
func (tab *Tab) Do(actions ...chromedp.Action[chromedp.Void]) error {
	ctx, cancel := context.WithTimeout(tab.Ctx, Timeout)
	defer cancel()
	return chromedp.Do(ctx, actions...)
}

// Run runs one action in the tab and returns its value, within Timeout.
func Run[T any](tab *Tab, a chromedp.Action[T]) (T, error) {
	ctx, cancel := context.WithTimeout(tab.Ctx, Timeout)
	defer cancel()
	return chromedp.Run(ctx, a)
}

// Eval evaluates JavaScript in the tab and decodes its result, within Timeout.
func Eval[T any](tab *Tab, expr string, opts ...chromedp.EvaluateOption) (T, error) {
	return Run(tab, chromedp.Evaluate[T](expr, opts...))
}

// Call sends a DevTools protocol command to the tab, within Timeout.
func Call[P, R any](tab *Tab, cmd cdp.Command[P, R], params P) (R, error) {
	ctx, cancel := context.WithTimeout(tab.Ctx, Timeout)
	defer cancel()
	return chromedp.Call(ctx, cmd, params)
}

// Events returns what happened since the last Reset.
func (tab *Tab) Events() Events {
	tab.mu.Lock()
	defer tab.mu.Unlock()
	e := tab.events
	return Events{append([]string(nil), e.Console...), append([]string(nil), e.Requests...), append([]string(nil), e.Failed...)}
}

// Reset forgets what happened so far.
func (tab *Tab) Reset() {
	tab.mu.Lock()
	tab.events = Events{}
	tab.mu.Unlock()
}

// Links returns the absolute URLs of every link (a[href]) on the current page.
func (tab *Tab) Links() ([]string, error) {
	return Eval[[]string](tab, `Array.from(document.querySelectorAll("a[href]"), a => a.href)`)
}
