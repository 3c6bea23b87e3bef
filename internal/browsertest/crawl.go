package browsertest

import (
	"net/url"
	"strings"
	"testing"
)

// Page is one page the crawl opened.
type Page struct {
	URL    string
	Events Events
	Links  []string
}

// Crawl opens start and every page it links to that lies under prefix, breadth first, and
// calls visit for each. Links elsewhere (other sites, tel:, mailto:) are not followed.
func Crawl(t testing.TB, tab *Tab, start, prefix string, visit func(Page)) int {
	t.Helper()
	seen := map[string]bool{start: true}
	queue := []string{start}
	for len(queue) > 0 {
		u := queue[0]
		queue = queue[1:]
		ev, err := tab.Open(u)
		if err != nil {
			t.Errorf("%s: %v", u, err)
			continue
		}
		links, err := tab.Links()
		if err != nil {
			t.Errorf("%s: reading links: %v", u, err)
			continue
		}
		visit(Page{URL: u, Events: ev, Links: links})
		for _, l := range links {
			next := withoutFragment(l)
			if strings.HasPrefix(next, prefix) && !seen[next] && (strings.HasSuffix(next, ".html") || strings.HasSuffix(next, "/")) {
				seen[next] = true
				queue = append(queue, next)
			}
		}
	}
	return len(seen)
}

func withoutFragment(u string) string {
	p, err := url.Parse(u)
	if err != nil {
		return u
	}
	p.Fragment = ""
	return p.String()
}
