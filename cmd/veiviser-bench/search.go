package main

import (
	"context"
	"fmt"
	"github.com/veiviser/veiviser/internal/budget"
	"github.com/veiviser/veiviser/internal/pdf"
	"net"
	"net/http"
	"os"
	"path"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/veiviser/veiviser/internal/tree"
)

// Search limits (issue 6): the index of each language gzipped, and one query over the
// Norwegian index in headless Chromium.
const (
	indexLimit = 100 * 1024
	queryLimit = 30 * time.Millisecond
)

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
	return ok
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

func ms(d time.Duration) string { return fmt.Sprintf("%.1f ms", float64(d)/float64(time.Millisecond)) }

// searchTimes serves public on 127.0.0.1, opens the home page in headless Chromium and
// searches its search box for query runs times, as typing does (an input event).
// It returns how long building the index took and each search's time, as the page measured
// them (User Timing entries of assets/js/search.js: lunr's query and the results drawn).
func searchTimes(public, query string, runs int) (time.Duration, []time.Duration, error) {
	exe := pdf.Chromium()
	if exe == "" {
		return 0, nil, fmt.Errorf("skipped: no Chromium (apt-get install -y chromium)")
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, nil, err
	}
	srv := &http.Server{Handler: http.FileServer(http.Dir(public))}
	go srv.Serve(ln)
	defer srv.Close()

	profile, err := os.MkdirTemp("", "veiviser-bench-chromium-")
	if err != nil {
		return 0, nil, err
	}
	defer os.RemoveAll(profile)
	actx, acancel := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(exe), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.NoFirstRun, chromedp.NoDefaultBrowserCheck, chromedp.UserDataDir(profile),
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-extensions", true))
	defer acancel()
	ctx, cancel := chromedp.NewContext(actx)
	defer cancel()
	ctx, stop := context.WithTimeout(ctx, time.Minute)
	defer stop()

	search := func() (int, error) {
		return chromedp.Run(ctx, chromedp.Evaluate[int](fmt.Sprintf(`(() => {
			const input = document.getElementById("search-home");
			performance.clearMeasures("search-query");
			input.value = %q;
			input.dispatchEvent(new Event("input", {bubbles: true}));
			return document.querySelectorAll("#search-home-results a").length;
		})()`, query)))
	}
	measured := func(name string) (float64, error) {
		return chromedp.Run(ctx, chromedp.Evaluate[float64](fmt.Sprintf(
			`(performance.getEntriesByName(%q).pop() || {duration: -1}).duration`, name)))
	}
	// The first search loads the index and builds it, as the first focus does.
	if err := chromedp.Do(ctx,
		chromedp.Navigate("http://"+ln.Addr().String()+"/"),
		chromedp.WaitVisible(chromedp.ID("search-home")),
	); err != nil {
		return 0, nil, err
	}
	if _, err := search(); err != nil {
		return 0, nil, err
	}
	var build float64
	for deadline := time.Now().Add(20 * time.Second); ; {
		if build, err = measured("search-index-build"); err != nil {
			return 0, nil, err
		}
		if build >= 0 {
			break
		}
		if time.Now().After(deadline) {
			return 0, nil, fmt.Errorf("the search index was not built within 20 s")
		}
		time.Sleep(20 * time.Millisecond)
	}
	var times []time.Duration
	for range runs {
		n, err := search()
		if err != nil {
			return 0, nil, err
		}
		if n == 0 {
			return 0, nil, fmt.Errorf("no results for %q", query)
		}
		d, err := measured("search-query")
		if err != nil {
			return 0, nil, err
		}
		times = append(times, time.Duration(d*float64(time.Millisecond)))
	}
	return time.Duration(build * float64(time.Millisecond)), times, nil
}
