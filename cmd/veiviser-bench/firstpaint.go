package main

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

// The home page's first contentful paint on a phone on a slow network (issue 15): DevTools'
// Slow 3G (2 s from a request to its response's headers, 400 kbit/s each way) and a CPU
// four times slower, in headless Chromium, the site served gzipped as static hosts serve it.
// With the HTML and the CSS it needs in one response, one round trip paints the page.
const (
	slowLatency    = 2000 * time.Millisecond
	slowThroughput = 400 * 1000 / 8 // bytes a second
	paintTarget    = 2500 * time.Millisecond
	paintRuns      = 5
)

// firstPaintBench prints the median first contentful paint of the home page of the web site
// in folder public under those conditions, and reports whether it is within paintTarget.
func firstPaintBench(public string) bool {
	times, err := firstPaints(public, paintRuns)
	label := fmt.Sprintf("home page first contentful paint (Slow 3G: %s latency, %d kbit/s; CPU %d× slower)",
		slowLatency, slowThroughput*8/1000, phoneSlowdown)
	if err != nil {
		fmt.Printf("%s: %v\n", label, err)
		return strings.HasPrefix(err.Error(), "skipped")
	}
	slices.Sort(times)
	median := times[len(times)/2]
	verdict := ""
	if median > paintTarget {
		verdict = " OVER TARGET"
	}
	fmt.Printf("%s: %s median of %d (fastest %s, slowest %s; target ≤ %s)%s\n", label,
		secs(median), len(times), secs(times[0]), secs(times[len(times)-1]), secs(paintTarget), verdict)
	return verdict == ""
}

// firstPaints opens the home page runs times, each in a new tab with the browser's cache off
// and the network and CPU slowed down, and returns each first contentful paint (the page's
// "first-contentful-paint" paint entry: from the start of the navigation).
func firstPaints(public string, runs int) ([]time.Duration, error) {
	var out []time.Duration
	err := browse(public, func(browser context.Context, root string) error {
		for range runs {
			d, err := firstPaint(browser, root)
			if err != nil {
				return err
			}
			out = append(out, d)
		}
		return nil
	})
	return out, err
}

func firstPaint(browser context.Context, root string) (time.Duration, error) {
	ctx, cancel := chromedp.NewContext(browser)
	defer cancel()
	// A small file of the same site first, unthrottled, so that the home page opens in the
	// renderer the throttling is set on (a new site can get a new one).
	if err := chromedp.Do(ctx, chromedp.Navigate(root+"robots.txt")); err != nil {
		return 0, err
	}
	if _, err := chromedp.Call(ctx, network.Enable, network.EnableParams{}); err != nil {
		return 0, err
	}
	if _, err := chromedp.Call(ctx, network.SetCacheDisabled, network.SetCacheDisabledParams{CacheDisabled: true}); err != nil {
		return 0, err
	}
	slow := &network.Conditions{ // no URL pattern: every request
		Latency:            float64(slowLatency / time.Millisecond),
		DownloadThroughput: slowThroughput,
		UploadThroughput:   slowThroughput,
	}
	if _, err := chromedp.Call(ctx, network.EmulateNetworkConditionsByRule,
		network.EmulateNetworkConditionsByRuleParams{MatchedNetworkConditions: []*network.Conditions{slow}}); err != nil {
		return 0, err
	}
	if _, err := chromedp.Call(ctx, emulation.SetCPUThrottlingRate, emulation.SetCPUThrottlingRateParams{Rate: phoneSlowdown}); err != nil {
		return 0, err
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(root)); err != nil {
		return 0, err
	}
	ms, err := chromedp.Run(ctx, chromedp.Evaluate[float64](`new Promise((done) => {
		new PerformanceObserver((list) => {
			const fcp = list.getEntriesByName("first-contentful-paint")[0];
			if (fcp) done(fcp.startTime);
		}).observe({type: "paint", buffered: true});
	})`, chromedp.EvalAwaitPromise))
	if err != nil {
		return 0, err
	}
	return time.Duration(ms * float64(time.Millisecond)), nil
}

func secs(d time.Duration) string { return fmt.Sprintf("%.2f s", d.Seconds()) }
