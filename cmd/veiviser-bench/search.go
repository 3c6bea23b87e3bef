package main

import (
	"context"
	"fmt"
	"github.com/veiviser/veiviser/internal/budget"
	"github.com/veiviser/veiviser/internal/chromium"
	"os"
	"path"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"
	"github.com/veiviser/veiviser/internal/tree"
)

// Search limits (issue 6): the index of each language gzipped, and one query over the
// Norwegian index in headless Chromium.
const (
	indexLimit = 100 * 1024
	queryLimit = 30 * time.Millisecond
)

// Search never freezes the page (issue 13): on a phone-class CPU (Chromium's CPU throttling,
// phoneSlowdown times slower), no task of the main thread may take longer than taskLimit while
// the index is built or a query far beyond what search is for is searched, and a Shift press
// (the quick exit's key) may not wait longer than that for the page to take it. Each is
// measured freezeRuns times, on a fresh page each time; the median counts.
const (
	phoneSlowdown = 4
	taskLimit     = 50 * time.Millisecond
	freezeRuns    = 5
)

// freezeQueries are the queries searched on the slow CPU, each pasted into the box, as a reader
// can (the box keeps the first 200 characters; internal/browsertest also sets them past that).
var freezeQueries = []struct{ name, text string }{
	{"a word of 10,000 characters", strings.Repeat("menneskehandel", 10000/len("menneskehandel")+1)[:10000]},
	{"600 words", strings.TrimSpace(strings.Repeat("barn hjelp ring telefon menneskehandelen refleksjonsperoden barnev ", 100))},
	{"120 long words", strings.TrimSpace(strings.Repeat("refleksjonsperiodene menneskehandelssakene barnevernstjenestene voldsoffererstatningen ", 30))},
}

// searchBench prints each language's search index size, gzipped, and the time the Norwegian
// search takes for a query in headless Chromium, on the web site in folder public (built from
// web). It reports whether everything is within its limit.
func searchBench(web tree.Tree, public string) bool {
	ok := true
	found := 0
	for _, p := range web.Paths() {
		lang, isIndex := indexLanguage(p, web[p])
		if !isIndex {
			continue
		}
		found++
		n := budget.Gzipped(web[p])
		verdict := ""
		if n > indexLimit {
			verdict, ok = " OVER LIMIT", false
		}
		fmt.Printf("search index %s: %.1f KiB gzipped (limit %d KiB)%s\n", lang, float64(n)/1024, indexLimit/1024, verdict)
	}
	if found == 0 {
		fmt.Println("search index: none built")
		return false
	}

	const query = "barna"
	build, times, err := searchTimes(public, query, 25)
	if err != nil {
		fmt.Printf("search query (nb, '%s'): %v\n", query, err)
		return !strings.HasPrefix(err.Error(), "skipped")
	}
	slices.Sort(times)
	median, worst := times[len(times)/2], times[len(times)-1]
	verdict := ""
	if median > queryLimit {
		verdict, ok = " OVER LIMIT", false
	}
	fmt.Printf("search index build (nb, once, on first focus): %s\n", ms(build))
	fmt.Printf("search query (nb, '%s'): %s median of %d, slowest %s, results shown (limit %s)%s\n", query, ms(median), len(times), ms(worst), ms(queryLimit), verdict)

	runs, err := searchFreeze(public)
	if err != nil {
		fmt.Printf("search on a %d× slower CPU: %v\n", phoneSlowdown, err)
		return false
	}
	fmt.Printf("search on a %d× slower CPU (nb), median of %d and worst (limit %s; a long task is one over 50 ms):\n", phoneSlowdown, freezeRuns, ms(taskLimit))
	for _, name := range freezeNames() {
		d := runs[name]
		slices.Sort(d)
		verdict := ""
		if d[len(d)/2] > taskLimit {
			verdict, ok = " OVER LIMIT", false
		}
		fmt.Printf("  %-58s %9s, worst %9s%s\n", name+":", orNone(d[len(d)/2]), orNone(d[len(d)-1]), verdict)
	}
	return ok
}

// freezeNames are the lines searchFreeze measures, in the order printed.
func freezeNames() []string {
	names := []string{"longest task building the index (first focus)"}
	for _, q := range freezeQueries {
		names = append(names, "longest task searching "+q.name)
	}
	for _, q := range freezeQueries {
		names = append(names, "Shift waits while searching "+q.name)
	}
	return names
}

// indexLanguage tells whether p is a language's search index (search-index.js, which sets
// window.VEIVISER_INDEX_<LANG>), and its language.
func indexLanguage(p string, b []byte) (string, bool) {
	if path.Base(p) != "search-index.js" {
		return "", false
	}
	m := indexGlobal.FindSubmatch(b)
	if m == nil {
		return "", false
	}
	return strings.ToLower(string(m[1])), true
}

var indexGlobal = regexp.MustCompile(`^window\.VEIVISER_INDEX_([A-Z]+)=`)

// orNone is ms(d), or "none" for no long task at all.
func orNone(d time.Duration) string {
	if d == 0 {
		return "none"
	}
	return ms(d)
}

func ms(d time.Duration) string { return fmt.Sprintf("%.1f ms", float64(d)/float64(time.Millisecond)) }

// browse serves public (serve), starts headless Chromium with a fresh profile and calls fn
// with a tab and the site's address, within a few minutes.
func browse(public string, fn func(ctx context.Context, root string) error) error {
	exe := chromium.Find()
	if exe == "" {
		return fmt.Errorf("skipped: no Chromium (apt-get install -y chromium-headless-shell)")
	}
	root, stopServer, err := serve(public)
	if err != nil {
		return err
	}
	defer stopServer()

	profile, err := os.MkdirTemp("", "veiviser-bench-chromium-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(profile)
	actx, acancel := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(exe), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.NoFirstRun, chromedp.NoDefaultBrowserCheck, chromedp.UserDataDir(profile),
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-extensions", true))
	defer acancel()
	ctx, cancel := chromedp.NewContext(actx)
	defer cancel()
	ctx, stop := context.WithTimeout(ctx, 5*time.Minute)
	defer stop()
	// A focused page, as the reader's is: a background tab gets no focus events, and the
	// first focus of the search box is what loads the index.
	if _, err := chromedp.Call(ctx, emulation.SetFocusEmulationEnabled, emulation.SetFocusEmulationEnabledParams{Enabled: true}); err != nil {
		return err
	}
	return fn(ctx, root)
}

// searched is a script that waits until the search box's search is done (its User Timing entry
// is made; the script cleared it before) and gives the number of results shown.
const searched = `new Promise((done) => {
	const check = () => performance.getEntriesByName("search-query").length
		? done(document.querySelectorAll("#search-home-results a").length)
		: setTimeout(check, 1);
	check();
})`

// searchTimes opens the home page in headless Chromium and searches its search box for query
// runs times, as typing does (an input event). It returns how long building the index took and
// each search's time, as the page measured them (User Timing entries of assets/js/search.js:
// from the input to the results drawn, the slices the search is split into included).
func searchTimes(public, query string, runs int) (build time.Duration, times []time.Duration, err error) {
	err = browse(public, func(ctx context.Context, root string) error {
		search := func() (int, error) {
			return chromedp.Run(ctx, chromedp.Evaluate[int](fmt.Sprintf(`(() => {
				const input = document.getElementById("search-home");
				performance.clearMeasures("search-query");
				input.value = %q;
				input.dispatchEvent(new Event("input", {bubbles: true}));
				return %s;
			})()`, query, searched), chromedp.EvalAwaitPromise))
		}
		measured := func(name string) (float64, error) {
			return chromedp.Run(ctx, chromedp.Evaluate[float64](fmt.Sprintf(
				`(performance.getEntriesByName(%q).pop() || {duration: -1}).duration`, name)))
		}
		// Focusing the box loads the index and builds it.
		if err := chromedp.Do(ctx, chromedp.Navigate(root), chromedp.WaitVisible(chromedp.ID("search-home"))); err != nil {
			return err
		}
		if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`(() => { document.getElementById("search-home").focus(); return true })()`)); err != nil {
			return err
		}
		ms, err := waitMeasure(ctx, "search-index-build")
		if err != nil {
			return err
		}
		build = time.Duration(ms * float64(time.Millisecond))
		for range runs {
			n, err := search()
			if err != nil {
				return err
			}
			if n == 0 {
				return fmt.Errorf("no results for %q", query)
			}
			d, err := measured("search-query")
			if err != nil {
				return err
			}
			times = append(times, time.Duration(d*float64(time.Millisecond)))
		}
		return nil
	})
	return build, times, err
}

// waitMeasure waits up to 20 s for the page's User Timing entry name and returns its duration
// in milliseconds.
func waitMeasure(ctx context.Context, name string) (float64, error) {
	for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		d, err := chromedp.Run(ctx, chromedp.Evaluate[float64](fmt.Sprintf(
			`(performance.getEntriesByName(%q).pop() || {duration: -1}).duration`, name)))
		if err != nil {
			return 0, err
		}
		if d >= 0 {
			return d, nil
		}
		if time.Now().After(deadline) {
			return 0, fmt.Errorf("no %s within 20 s", name)
		}
	}
}

// searchFreeze opens the home page freezeRuns times in headless Chromium with the CPU slowed
// down phoneSlowdown times, and each time measures the longest task of the page's main thread
// (a PerformanceObserver of "longtask" entries, which are those over 50 ms; 0 when there is
// none) while the first focus builds the index and while each of freezeQueries, pasted, is
// searched, and how long a Shift press sent right after each paste waited before the page's
// key handlers ran (from the event's timeStamp, when the browser received it). It returns the
// measurements by the names of freezeNames.
func searchFreeze(public string) (map[string][]time.Duration, error) {
	out := map[string][]time.Duration{}
	add := func(name string, ms float64) {
		out[name] = append(out[name], time.Duration(ms*float64(time.Millisecond)))
	}
	err := browse(public, func(ctx context.Context, root string) error {
		longest := func() (float64, error) {
			return chromedp.Run(ctx, chromedp.Evaluate[float64](`(() => {
				longTaskObserver.takeRecords().forEach((e) => longTasks.push(e.duration));
				const max = Math.max(0, ...longTasks);
				longTasks = [];
				return max;
			})()`))
		}
		key := func(k, code string, vk int64) error {
			for _, typ := range []input.DispatchKeyEventType{input.DispatchKeyEventTypeRawKeyDown, input.DispatchKeyEventTypeKeyUp} {
				if _, err := chromedp.Call(ctx, input.DispatchKeyEvent, input.DispatchKeyEventParams{Type: typ, Key: k, Code: code, WindowsVirtualKeyCode: vk, NativeVirtualKeyCode: vk}); err != nil {
					return err
				}
			}
			return nil
		}
		for range freezeRuns {
			if err := chromedp.Do(ctx, chromedp.Navigate(root), chromedp.WaitVisible(chromedp.ID("search-home"))); err != nil {
				return err
			}
			if _, err := chromedp.Call(ctx, emulation.SetCPUThrottlingRate, emulation.SetCPUThrottlingRateParams{Rate: phoneSlowdown}); err != nil {
				return err
			}
			if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`(() => {
				window.longTasks = [];
				window.longTaskObserver = new PerformanceObserver((list) => list.getEntries().forEach((e) => longTasks.push(e.duration)));
				longTaskObserver.observe({type: "longtask"});
				window.shiftWaited = -1;
				window.addEventListener("keyup", (e) => {
					if (e.key === "Shift") shiftWaited = performance.now() - e.timeStamp;
				}, true);
				document.getElementById("search-home").focus();
				return true;
			})()`)); err != nil {
				return err
			}
			if _, err := waitMeasure(ctx, "search-index-build"); err != nil {
				return err
			}
			build, err := longest()
			if err != nil {
				return err
			}
			add("longest task building the index (first focus)", build)
			for _, q := range freezeQueries {
				if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`(() => {
					const input = document.getElementById("search-home");
					input.value = "";
					input.dispatchEvent(new Event("input", {bubbles: true}));
					input.focus();
					longTasks = [];
					longTaskObserver.takeRecords();
					performance.clearMeasures("search-query");
					return true;
				})()`)); err != nil {
					return err
				}
				if _, err := chromedp.Call(ctx, input.InsertText, input.InsertTextParams{Text: q.text}); err != nil {
					return err
				}
				// One Shift press while the search works, then Control, which starts the quick
				// exit's count of presses again, so that the runs never add up to three.
				if err := key("Shift", "ShiftLeft", 16); err != nil {
					return err
				}
				if err := key("Control", "ControlLeft", 17); err != nil {
					return err
				}
				if _, err := chromedp.Run(ctx, chromedp.Evaluate[int](searched, chromedp.EvalAwaitPromise)); err != nil {
					return err
				}
				task, err := longest()
				if err != nil {
					return err
				}
				waited, err := chromedp.Run(ctx, chromedp.Evaluate[float64](`shiftWaited`))
				if err != nil {
					return err
				}
				if waited < 0 {
					return fmt.Errorf("the Shift press did not reach the page")
				}
				add("longest task searching "+q.name, task)
				add("Shift waits while searching "+q.name, waited)
			}
		}
		return nil
	})
	return out, err
}
