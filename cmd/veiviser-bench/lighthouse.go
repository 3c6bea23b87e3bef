package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/veiviser/veiviser/internal/chromium"
)

// Lighthouse (the npm package, from package.json's devDependencies) scores the home page and
// two inner pages as a phone (its default: mobile, simulated slow 4G and CPU), in the four
// categories; the target is lighthouseTarget in each (issue 15). Lighthouse starts its own
// headless Chromium: internal/chromium's, the headless shell where it is installed. Its
// performance score moves by ten points and more from run to run on a busy machine, so each
// page is scored lighthouseRuns times and the median of each category counts.
const (
	lighthouseTarget = 95
	lighthouseRuns   = 3
)

var lighthousePages = []string{"", "er-dette-meg/fa-hjelp/", "jobber-med-dette/"}

var lighthouseCategories = []struct{ id, name string }{
	{"performance", "performance"}, {"accessibility", "accessibility"},
	{"best-practices", "best practices"}, {"seo", "SEO"},
}

// lighthouseReport is the part of Lighthouse's JSON report read here.
type lighthouseReport struct {
	RuntimeError *struct{ Message string } `json:"runtimeError"`
	Categories   map[string]struct {
		Score     *float64 `json:"score"`
		AuditRefs []struct {
			ID string `json:"id"`
		} `json:"auditRefs"`
	} `json:"categories"`
	Audits map[string]struct {
		Score *float64 `json:"score"`
		Mode  string   `json:"scoreDisplayMode"`
	} `json:"audits"`
}

// lighthouseBench runs Lighthouse lighthouseRuns times on each of lighthousePages of the web
// site in folder public (served as a static host serves it) and prints the median of each of
// its four scores and the audits that fail in most runs (those scored below 0.9, or failed
// where an audit passes or fails). It reports whether every median is at least
// lighthouseTarget; without Lighthouse or Chromium it says so and reports true.
func lighthouseBench(root, public string) bool {
	cli := filepath.Join(root, "node_modules", ".bin", "lighthouse")
	exe := chromium.Find()
	if _, err := os.Stat(cli); err != nil {
		fmt.Println("lighthouse: skipped: not installed (npm ci)")
		return true
	}
	if exe == "" {
		fmt.Println("lighthouse: skipped: no Chromium (apt-get install -y chromium-headless-shell)")
		return true
	}
	site, stop, err := serve(public)
	if err != nil {
		fmt.Println("lighthouse:", err)
		return false
	}
	defer stop()
	fmt.Printf("lighthouse (mobile; medians of %d runs; target ≥ %d in each category):\n", lighthouseRuns, lighthouseTarget)
	ok := true
	for _, page := range lighthousePages {
		scores := map[string][]int{}
		failed := map[string]int{}
		var order []string // the failing audits in the order first seen
		for range lighthouseRuns {
			rep, err := lighthouse(cli, exe, site+page)
			if err != nil {
				fmt.Printf("  /%s: %v\n", page, err)
				return false
			}
			for _, c := range lighthouseCategories {
				if cat := rep.Categories[c.id]; cat.Score != nil {
					scores[c.id] = append(scores[c.id], int(*cat.Score*100+0.5))
				}
			}
			for _, id := range failingAudits(rep) {
				if failed[id]++; failed[id] == 1 {
					order = append(order, id)
				}
			}
		}
		var line []string
		for _, c := range lighthouseCategories {
			runs := scores[c.id]
			if len(runs) < lighthouseRuns {
				line, ok = append(line, c.name+" not scored"), false
				continue
			}
			slices.Sort(runs)
			median, verdict := runs[len(runs)/2], ""
			if median < lighthouseTarget {
				verdict, ok = " BELOW TARGET", false
			}
			line = append(line, fmt.Sprintf("%s %d%s", c.name, median, verdict))
		}
		fmt.Printf("  %-26s %s\n", "/"+page+":", strings.Join(line, ", "))
		var most []string
		for _, id := range order {
			if 2*failed[id] > lighthouseRuns {
				most = append(most, id)
			}
		}
		if len(most) > 0 {
			fmt.Printf("  %-26s failing in most runs: %s\n", "", strings.Join(most, ", "))
		}
	}
	return ok
}

// lighthouse runs Lighthouse's command line on url, with Chromium exe, and reads its report.
func lighthouse(cli, exe, url string) (*lighthouseReport, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, cli, url, "--quiet", "--output=json", "--output-path=stdout",
		"--chrome-flags=--headless --no-sandbox --disable-gpu")
	cmd.Env = append(os.Environ(), "CHROME_PATH="+exe)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("lighthouse: %v: %s", err, strings.TrimSpace(stderr.String()))
	}
	var rep lighthouseReport
	if err := json.Unmarshal(out, &rep); err != nil {
		return nil, fmt.Errorf("lighthouse's report: %v", err)
	}
	if rep.RuntimeError != nil && rep.RuntimeError.Message != "" {
		return nil, fmt.Errorf("lighthouse: %s", rep.RuntimeError.Message)
	}
	return &rep, nil
}

// failingAudits are the ids of the audits of rep's four categories that fail, each once.
func failingAudits(rep *lighthouseReport) []string {
	var out []string
	seen := map[string]bool{}
	for _, c := range lighthouseCategories {
		for _, ref := range rep.Categories[c.id].AuditRefs {
			a, ok := rep.Audits[ref.ID]
			if !ok || seen[ref.ID] || a.Score == nil {
				continue
			}
			failed := false
			switch a.Mode {
			case "binary":
				failed = *a.Score < 1
			case "numeric", "metricSavings":
				failed = *a.Score < 0.9
			}
			if failed {
				seen[ref.ID] = true
				out = append(out, ref.ID)
			}
		}
	}
	return out
}
