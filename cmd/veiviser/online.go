package main

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/veiviser/veiviser/internal/check"
	"github.com/veiviser/veiviser/internal/linkcheck"
)

// errDeadLinks is returned by check -online when the report, already printed, found no error
// but dead external links: exit 3, so that a script can tell "the content is wrong" (1) from
// "a site we link to is not answering" (3), which may pass by itself.
var errDeadLinks = errors.New("dead external links")

// Rules of the findings check -online adds.
const (
	ruleDeadLink = "dead-link"
	ruleRedirect = "redirect"
)

// checkOnline fetches every external link of the report (each address once) and adds a
// warning at every place a dead or redirected link is written. It returns how many
// addresses are dead.
//
// A dead link is a warning, not an error: the page is not at fault (another site is), and a
// site that is down for an hour, or refuses this machine, would otherwise stop a build or a
// release for nothing the editors can fix in the content. The exit code (3) still says so.
func checkOnline(ctx context.Context, rep *check.Report, opts linkcheck.Options) int {
	var urls []string
	for _, pl := range rep.External {
		for _, l := range pl.Links {
			urls = append(urls, l.URL)
		}
	}
	if len(urls) == 0 {
		return 0
	}
	results := linkcheck.Check(ctx, urls, opts)
	rep.Findings = append(rep.Findings, onlineFindings(rep.External, results)...)
	check.Sort(rep.Findings)
	rep.Fetched = true
	dead := 0
	for _, r := range results {
		if r.Dead() {
			dead++
		}
	}
	return dead
}

// onlineFindings are the findings of what linkcheck found, at each file and line the links
// are written.
func onlineFindings(ext []check.PageLinks, results map[string]linkcheck.Result) []check.Finding {
	var out []check.Finding
	for _, pl := range ext {
		for _, l := range pl.Links {
			r, ok := results[l.URL]
			if !ok {
				continue
			}
			via := ""
			if l.Via != "" {
				via = " (contact " + l.Via + ")"
			}
			f := check.Finding{File: pl.File, Line: l.Line, Severity: check.Warning}
			switch {
			case r.Dead() && r.Final != "":
				f.Rule, f.Message = ruleDeadLink, fmt.Sprintf("dead link %s%s: redirects to %s, which fails: %s", l.URL, via, r.Final, r.Problem)
			case r.Dead():
				f.Rule, f.Message = ruleDeadLink, fmt.Sprintf("dead link %s%s: %s", l.URL, via, r.Problem)
			case r.Redirected():
				f.Rule, f.Message = ruleRedirect, fmt.Sprintf("link %s%s redirects to %s: link to the new address", l.URL, via, r.Final)
			default:
				continue
			}
			out = append(out, f)
		}
	}
	return out
}

// onlineOptions are the options of check -online: the timeout of each request from -timeout.
func onlineOptions(timeout time.Duration) linkcheck.Options {
	return linkcheck.Options{Timeout: timeout}
}
