// Command veiviser-bench measures the full Veiviser build (both variants, validation and zip)
// against plain Hugo (`hugo --minify` through Hugo's commands package) on the same content: the
// real content of the repository and a generated site of 1,000 pages. It prints the median of
// each and their ratio, the page weights of the real content, each language's search index
// gzipped and the time a search takes in headless Chromium; it exits 1 when the ratio is over
// the target, a page over its budget, an index over 100 KiB or a query over 30 ms. Run it in
// the repository's root folder (make bench does).
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
	target := flag.Float64("target", 1.5, "the largest acceptable ratio of veiviser to plain Hugo")
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

	for _, site := range []struct{ name, dir string }{
		{"real content", root},
		{fmt.Sprintf("generated, %d pages", *pages), generated},
	} {
		hugo, vv := compare(site.dir, tmp, *runs)
		ratio := float64(vv) / float64(hugo)
		verdict := "ok"
		if ratio > *target {
			verdict, failed = "OVER TARGET", true
		}
		fmt.Printf("%-24s plain hugo --minify median %8s   veiviser build median %8s   ratio %.2f (target ≤ %.1f) %s\n",
			site.name+":", hugo.Round(time.Millisecond), vv.Round(time.Millisecond), ratio, *target, verdict)
	}
	if failed {
		os.Exit(1)
	}
}

// compare builds dir alternately with plain Hugo and with veiviser, runs times each after one
// warm-up of each, and returns the medians.
func compare(dir, tmp string, runs int) (hugo, vv time.Duration) {
	var hs, vs []time.Duration
	for i := 0; i <= runs; i++ {
		out := filepath.Join(tmp, fmt.Sprint("out-", i))
		start := time.Now()
		check(commands.Execute([]string{"--minify", "--quiet", "--source", dir, "--destination", filepath.Join(out, "hugo"), "--noBuildLock"}))
		h := time.Since(start)
		start = time.Now()
		_, err := pipeline.Run(pipeline.Options{Dir: dir, Public: filepath.Join(out, "public"), Dist: filepath.Join(out, "dist")})
		check(err)
		v := time.Since(start)
		if i > 0 { // the first of each warms caches
			hs, vs = append(hs, h), append(vs, v)
		}
		os.RemoveAll(out)
	}
	return median(hs), median(vs)
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
