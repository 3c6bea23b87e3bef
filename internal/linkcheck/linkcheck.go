// Package linkcheck fetches links to other web sites and says which are dead and which
// redirect: `veiviser check -online`. Each address is fetched once, a few at a time, with a
// timeout per request, HEAD first and GET when a server refuses HEAD; redirects are followed
// by hand, so that the address they lead to can be reported; no cookies are kept.
package linkcheck

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"sync"
	"time"
)

// UserAgent names the check to the sites it fetches from.
const UserAgent = "Veiviser-link-check/1.0 (checks that the links of a public help site still work; one request per link)"

// Defaults of Options.
const (
	DefaultConcurrency  = 8
	DefaultTimeout      = 10 * time.Second
	DefaultMaxRedirects = 10
)

// Options says how to fetch. The zero value fetches with the defaults.
type Options struct {
	// Client does the requests; nil for one without a cookie jar. Its CheckRedirect is
	// not used: redirects are followed here, hop by hop.
	Client       *http.Client
	Concurrency  int           // requests at once (default 8)
	Timeout      time.Duration // per request, each hop its own (default 10 s)
	MaxRedirects int           // hops followed before a link counts as dead (default 10)
	UserAgent    string        // default UserAgent
}

// Result is what fetching one address found.
type Result struct {
	URL    string `json:"url"`
	Status int    `json:"status,omitempty"` // of the last response, 0 when none came
	// Final is where the redirects lead, "" when the address did not redirect.
	Final string `json:"final,omitempty"`
	// Problem says why the link is dead ("404 Not Found", "timed out after 10s", "no such
	// host"); "" for a live link.
	Problem string `json:"problem,omitempty"`
}

// Dead reports whether the link does not work.
func (r Result) Dead() bool { return r.Problem != "" }

// Redirected reports whether the link works but leads somewhere else.
func (r Result) Redirected() bool { return r.Final != "" && r.Problem == "" }

// Check fetches every address once, whatever the number of times it is given, and returns
// what it found for each, by address.
func Check(ctx context.Context, urls []string, opts Options) map[string]Result {
	if opts.Concurrency <= 0 {
		opts.Concurrency = DefaultConcurrency
	}
	if opts.Timeout <= 0 {
		opts.Timeout = DefaultTimeout
	}
	if opts.MaxRedirects <= 0 {
		opts.MaxRedirects = DefaultMaxRedirects
	}
	if opts.UserAgent == "" {
		opts.UserAgent = UserAgent
	}
	client := &http.Client{}
	if opts.Client != nil {
		c := *opts.Client
		client = &c
	}
	client.Jar = nil
	client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }

	seen := map[string]bool{}
	var todo []string
	for _, u := range urls {
		if !seen[u] {
			seen[u] = true
			todo = append(todo, u)
		}
	}
	out := make(map[string]Result, len(todo))
	var mu sync.Mutex
	var wg sync.WaitGroup
	sem := make(chan struct{}, opts.Concurrency)
	for _, u := range todo {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			r := fetch(ctx, client, u, opts)
			mu.Lock()
			out[u] = r
			mu.Unlock()
		}()
	}
	wg.Wait()
	return out
}

// fetch follows the address's redirects, up to opts.MaxRedirects, and judges the last answer.
func fetch(ctx context.Context, client *http.Client, raw string, opts Options) Result {
	r := Result{URL: raw}
	cur, err := url.Parse(raw)
	if err != nil || (cur.Scheme != "http" && cur.Scheme != "https") || cur.Host == "" {
		r.Problem = "not a web address"
		return r
	}
	for hop := 0; ; hop++ {
		status, location, err := ask(ctx, client, cur.String(), opts)
		if err != nil {
			r.Problem = describe(err, opts.Timeout)
			return r
		}
		r.Status = status
		if status >= 300 && status < 400 && location != "" {
			next, err := cur.Parse(location)
			if err != nil {
				r.Problem = fmt.Sprintf("%d redirect to a bad address %q", status, location)
				return r
			}
			if hop >= opts.MaxRedirects {
				r.Final = next.String()
				r.Problem = fmt.Sprintf("more than %d redirects", opts.MaxRedirects)
				return r
			}
			cur = next
			r.Final = cur.String()
			continue
		}
		if status >= 400 {
			r.Problem = fmt.Sprintf("%d %s", status, http.StatusText(status))
		}
		return r
	}
}

// ask does one HEAD request, and a GET when the server refuses HEAD, returning the status and
// the Location of the answer.
func ask(ctx context.Context, client *http.Client, u string, opts Options) (int, string, error) {
	status, loc, err := do(ctx, client, http.MethodHead, u, opts)
	if err == nil && (status == http.StatusMethodNotAllowed || status == http.StatusForbidden || status == http.StatusNotImplemented) {
		return do(ctx, client, http.MethodGet, u, opts)
	}
	return status, loc, err
}

func do(ctx context.Context, client *http.Client, method, u string, opts Options) (int, string, error) {
	ctx, cancel := context.WithTimeout(ctx, opts.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, method, u, nil)
	if err != nil {
		return 0, "", err
	}
	req.Header.Set("User-Agent", opts.UserAgent)
	req.Header.Set("Accept", "text/html,application/xhtml+xml,*/*;q=0.8")
	resp, err := client.Do(req)
	if err != nil {
		return 0, "", err
	}
	resp.Body.Close() // the status is all we want, not the page
	return resp.StatusCode, resp.Header.Get("Location"), nil
}

// describe says in a few words why a request failed.
func describe(err error, timeout time.Duration) string {
	var dns *net.DNSError
	var ne net.Error
	switch {
	case errors.Is(err, context.DeadlineExceeded) || (errors.As(err, &ne) && ne.Timeout()):
		return fmt.Sprintf("timed out after %s", timeout)
	case errors.As(err, &dns):
		if dns.IsNotFound {
			return "no such host " + dns.Name
		}
		return "DNS failure: " + dns.Err
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	return err.Error()
}
