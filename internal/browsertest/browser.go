// Package browsertest drives Debian's Chromium from Go tests (through chromedp) to check the
// built site as a reader sees it: over http:// from a local server and over file:// from the
// unzipped offline bundle. It records what a page logs, what it requests and what fails.
package browsertest

import (
	"context"
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/veiviser/veiviser/internal/chromium"
)

// Executable finds Chromium (internal/chromium). Without one the test is skipped, except in
// CI (CI=true), where .ci/run installs it and a missing browser is a failure.
func Executable(t testing.TB) string {
	t.Helper()
	if p := chromium.Find(); p != "" {
		return p
	}
	if os.Getenv("CI") != "" {
		t.Fatal("no Chromium found: install it with apt-get install -y chromium-headless-shell")
	}
	t.Skip("no Chromium found (apt-get install -y chromium-headless-shell); browser tests skipped")
	return ""
}

// Browser is a headless Chromium.
type Browser struct {
	ctx   context.Context
	Close func() // stops Chromium and removes its profile
}

// New starts a headless Chromium with a new empty profile and no background networking;
// it is stopped when the test ends.
func New(t testing.TB, opts ...chromedp.ExecAllocatorOption) *Browser {
	t.Helper()
	b, err := Start(Executable(t), opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(b.Close)
	return b
}

// Start starts the headless Chromium exe (internal/chromium's flags, a 1024×768 window) with a
// new empty profile in a scratch folder; Close stops it and removes the folder.
func Start(exe string, opts ...chromedp.ExecAllocatorOption) (*Browser, error) {
	scratch, err := chromium.NewScratch()
	if err != nil {
		return nil, err
	}
	actx, acancel := chromedp.NewExecAllocator(context.Background(),
		scratch.Options(exe, append([]chromedp.ExecAllocatorOption{chromedp.WindowSize(1024, 768)}, opts...)...)...)
	ctx, cancel := chromedp.NewContext(actx)
	b := &Browser{ctx: ctx, Close: sync.OnceFunc(func() { cancel(); acancel(); scratch.Remove() })}
	if err := chromedp.Do(ctx); err != nil {
		b.Close()
		return nil, fmt.Errorf("starting Chromium: %v", err)
	}
	return b, nil
}

// Tab is one browser tab that records what its pages do.
type Tab struct {
	Ctx    context.Context
	Close  func()
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
	tab, err := b.OpenTab()
	if err != nil {
		t.Fatalf("opening a tab: %v", err)
	}
	t.Cleanup(tab.Close)
	return tab
}

// OpenTab opens a tab; Close closes it.
func (b *Browser) OpenTab() (*Tab, error) {
	ctx, cancel := chromedp.NewContext(b.ctx)
	tab := &Tab{Ctx: ctx, Close: cancel}
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
		cancel()
		return nil, err
	}
	if err := chromedp.Do(ctx); err != nil {
		cancel()
		return nil, err
	}
	for _, enable := range []func() error{
		func() error { _, err := chromedp.Call(ctx, network.Enable, network.EnableParams{}); return err },
		func() error { _, err := chromedp.Call(ctx, runtime.Enable, cdp.Empty{}); return err },
		func() error { _, err := chromedp.Call(ctx, log.Enable, cdp.Empty{}); return err },
	} {
		if err := enable(); err != nil {
			cancel()
			return nil, err
		}
	}
	return tab, nil
}

// Timeout bounds every action in a tab, so that a missing element fails a test instead of
// hanging it.
const Timeout = 15 * time.Second

// Open loads url, waits until the page has loaded and its scripts have run (the document is
// complete), and returns what happened while it loaded.
func (tab *Tab) Open(url string) (Events, error) {
	tab.Reset()
	err := tab.Do(chromedp.Navigate(url), chromedp.WaitReady(chromedp.CSS("body")))
	if err == nil {
		err = tab.Until(`document.readyState === "complete"`)
	}
	return tab.Events(), err
}

// Until evaluates the JavaScript condition cond, every 10 ms, until it is true; it fails after
// Timeout.
func (tab *Tab) Until(cond string) error {
	deadline := time.Now().Add(Timeout)
	for {
		ok, err := Eval[bool](tab, cond)
		if err == nil && ok {
			return nil
		}
		if time.Now().After(deadline) {
			if err == nil {
				err = fmt.Errorf("%s: still false after %s", cond, Timeout)
			}
			return err
		}
		time.Sleep(10 * time.Millisecond)
	}
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
