// Command veiviser-bench measures the full Veiviser build (both variants, validation and zip)
// against plain Hugo (`hugo --minify` through Hugo's commands package) on the same content: the
// real content of the repository and a generated site of 1,000 pages. It prints the median of
// each and their ratio (target ≤ 1.3), where the build's time goes on the real content, and
// how the build grows with the number of pages: generated sites of 1,000 to 10,000 pages, on
// which the time per page of veiviser's own work (its time less plain Hugo's) must stay within
// 1.25 times that at 1,000 (linear growth). It also prints the
// page weights of the real content, each language's search index gzipped, the time a search
// takes in headless Chromium, the home page's first contentful paint on a slow phone
// (firstpaint.go), Lighthouse's four scores of three pages (lighthouse.go) and how `veiviser
// host` serves 200 phones at once (host.go). It exits 1 when a ratio is over its target, a page
// over its budget, an index over 100 KiB, a query over 30 ms, the first paint over 2.5 s, a
// Lighthouse score under 95 or a request to the host fails. Run it in the repository's root folder
// (make bench does).
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"time"

	"github.com/gohugoio/hugo/commands"
	"github.com/veiviser/veiviser/internal/pipeline"
	"github.com/veiviser/veiviser/internal/sitegen"
)

func main() {
	runs := flag.Int("runs", 5, "builds of each kind per site")
	pages := flag.Int("pages", 1000, "pages in the generated site")
	target := flag.Float64("target", 1.3, "the largest acceptable ratio of veiviser to plain Hugo")
	largest := flag.Int("largest", 10000, "pages in the largest generated site of the growth series")
	growth := flag.Float64("growth", 1.25, "the largest acceptable ratio of veiviser's own time per page at -largest pages to that at -pages")
	flag.Parse()

	tmp, err := os.MkdirTemp("", "veiviser-bench-")
	check(err)
	defer os.RemoveAll(tmp)
	generated := filepath.Join(tmp, "generated")
	root, err := os.Getwd()
	check(err)
	check(sitegen.Generate(root, generated, *pages))

	failed := false
	res, err := pipeline.Run(pipeline.Options{Dir: root, Public: filepath.Join(tmp, "budget", "public"), Dist: filepath.Join(tmp, "budget", "dist")})
	check(err)
	fmt.Printf("page weight: %s\n", res.Budget)
	for _, over := range res.Budget.Over() {
		fmt.Printf("OVER BUDGET: %s\n", over)
		failed = true
	}
	if !searchBench(res.Web, filepath.Join(tmp, "budget", "public")) {
		failed = true
	}
	if !firstPaintBench(filepath.Join(tmp, "budget", "public")) {
		failed = true
	}
	if !lighthouseBench(root, filepath.Join(tmp, "budget", "public")) {
		failed = true
	}
	if !hostBench(root, res.ZipPath) {
		failed = true
	}

	for _, site := range []struct{ name, dir string }{
		{"real content", root},
		{fmt.Sprintf("generated, %d pages", *pages), generated},
	} {
		hugo, vv, steps := compare(site.dir, tmp, *runs)
		ratio := float64(vv) / float64(hugo)
		verdict := "ok"
		if ratio > *target {
			verdict, failed = "OVER TARGET", true
		}
		fmt.Printf("%-24s plain hugo --minify median %8s   veiviser build median %8s   ratio %.2f (target ≤ %.1f) %s\n",
			site.name+":", hugo.Round(time.Millisecond), vv.Round(time.Millisecond), ratio, *target, verdict)
		if site.dir == root {
			fmt.Println(steps)
		}
	}
	if !grows(root, tmp, *pages, *largest, *growth) {
		failed = true
	}
	if failed {
		os.Exit(1)
	}
}

// compare builds dir alternately with plain Hugo and with veiviser, runs times each after one
// warm-up of each, and returns the medians, with where the veiviser build's time went.
func compare(dir, tmp string, runs int) (hugo, vv time.Duration, steps string) {
	var hs, vs []time.Duration
	var all [][]pipeline.StepTime
	for i := 0; i <= runs; i++ {
		out := filepath.Join(tmp, fmt.Sprint("out-", i))
		h := hugoBuild(dir, filepath.Join(out, "hugo"))
		start := time.Now()
		res, err := pipeline.Run(pipeline.Options{Dir: dir, Public: filepath.Join(out, "public"), Dist: filepath.Join(out, "dist")})
		check(err)
		v := time.Since(start)
		if i > 0 { // the first of each warms caches
			hs, vs = append(hs, h), append(vs, v)
			all = append(all, res.Steps)
		}
		os.RemoveAll(out)
	}
	return median(hs), median(vs), stepMedians(all)
}

// hugoBuild builds dir with plain `hugo --minify` into out and returns how long it took.
func hugoBuild(dir, out string) time.Duration {
	start := time.Now()
	check(commands.Execute([]string{"--minify", "--quiet", "--source", dir, "--destination", out, "--noBuildLock"}))
	return time.Since(start)
}

// stepMedians says, for each step, the median of when it started and how long it took.
func stepMedians(runs [][]pipeline.StepTime) string {
	starts, lengths := map[string][]time.Duration{}, map[string][]time.Duration{}
	var order []string
	for _, run := range runs {
		for _, st := range run {
			if _, ok := starts[st.Name]; !ok {
				order = append(order, st.Name)
			}
			starts[st.Name] = append(starts[st.Name], st.Start)
			lengths[st.Name] = append(lengths[st.Name], st.Length)
		}
	}
	slices.SortStableFunc(order, func(a, b string) int { return int(median(starts[a]) - median(starts[b])) })
	out := "  where the build's time goes (medians; steps side by side overlap):"
	for _, name := range order {
		out += fmt.Sprintf("\n    %-9s starts at %7s, takes %7s", name,
			median(starts[name]).Round(time.Millisecond), median(lengths[name]).Round(time.Millisecond))
	}
	return out
}

// grows builds generated sites from small to large pages with veiviser and with plain Hugo
// (once each, after a warm-up at the smallest) and prints the time per page of each. Hugo's own
// time per page grows with the site on a small machine (its memory grows); what veiviser adds
// to it, its own work (its time less plain Hugo's), must grow linearly: grows reports whether
// that work's time per page at the largest stays within limit times that at the smallest.
func grows(root, tmp string, small, large int, limit float64) bool {
	fmt.Printf("growth (one build each, after a warm-up of each size; time per page):\n")
	var first time.Duration
	ok := true
	sizes := []int{small, 2 * small, 5 * small, large}
	sizes = slices.DeleteFunc(slices.Compact(sizes), func(n int) bool { return n > large })
	for i, n := range sizes {
		dir := filepath.Join(tmp, fmt.Sprint("growth-", n))
		check(sitegen.Generate(root, dir, n))
		build := func() time.Duration {
			start := time.Now()
			_, err := pipeline.Run(pipeline.Options{Dir: dir, Public: filepath.Join(dir, "public"), Dist: filepath.Join(dir, "dist")})
			check(err)
			return time.Since(start)
		}
		// A warm-up of each size: what is cached by its inputs (the PDFs, the ZIM) comes from
		// the cache in the build measured, as on the real content.
		build()
		if i == 0 {
			hugoBuild(dir, filepath.Join(dir, "hugo-out"))
		}
		h := hugoBuild(dir, filepath.Join(dir, "hugo-out"))
		v := build()
		own := max(v-h, 0) / time.Duration(n)
		if i == 0 {
			first = max(own, time.Microsecond)
		}
		verdict := ""
		if i > 0 {
			r := float64(own) / float64(first)
			verdict = fmt.Sprintf(", %.2f× that at %d (limit %.2f)", r, small, limit)
			if r > limit {
				verdict += " NOT LINEAR"
				ok = false
			}
		}
		fmt.Printf("  %6d pages: plain hugo %8s (%6s a page), veiviser %8s (%6s a page, ratio %.2f); veiviser's own work %6s a page%s\n",
			n, h.Round(time.Millisecond), (h / time.Duration(n)).Round(time.Microsecond),
			v.Round(time.Millisecond), (v / time.Duration(n)).Round(time.Microsecond), float64(v)/float64(h),
			own.Round(time.Microsecond), verdict)
		os.RemoveAll(dir)
	}
	return ok
}

func median(d []time.Duration) time.Duration {
	slices.Sort(d)
	return d[len(d)/2]
}

func check(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, "veiviser-bench:", err)
		os.Exit(1)
	}
}
