//go:build withdeploy

package deploy

import (
	"regexp"
	"sort"
	"strings"

	"github.com/gohugoio/hugo/deploy/deployconfig"
	"github.com/veiviser/veiviser/internal/serverconf"
)

// ShortCache is the Cache-Control of every file _headers gives none: the pages, the search
// index and the downloads keep their addresses when they change, so a CDN or browser may keep
// them only minutes (a changed phone number reaches readers within them). Fingerprinted files
// (/js/*) get the long one _headers gives them.
const ShortCache = "public, max-age=300"

// kind is a sort of file by name: its Content-Type, and whether gzip makes it smaller.
type kind struct {
	name        string // a regular expression for the file's name (the last part of its path)
	contentType string // "" lets Hugo guess it from the extension
	gzip        bool
}

// kinds are the files the site has, the last one any other. Text says it is UTF-8 (an object
// store sends only what it is told); compressed and binary files (PDF, zip, ZIM, images) are
// not gzipped again.
var kinds = []kind{
	{`[^/]*\.html`, "text/html; charset=utf-8", true},
	{`[^/]*\.js`, "text/javascript; charset=utf-8", true},
	{`[^/]*\.css`, "text/css; charset=utf-8", true},
	{`[^/]*\.json`, "application/json", true},
	{`[^/]*\.xml`, "application/xml; charset=utf-8", true},
	{`[^/]*\.txt`, "text/plain; charset=utf-8", true},
	{`[^/]*\.svg`, "image/svg+xml", true},
	{`SHA256SUMS`, "text/plain; charset=utf-8", true},
	{`[^/]*`, "", false},
}

// Matchers are Hugo's deploy matchers for the site whose _headers has rules: for each path a
// rule gives a Cache-Control, one per kind of file, the most specific path first (Hugo takes
// the first matcher that matches); then each kind with the Cache-Control of every path
// (ShortCache, unless a rule for "/*" gives one).
func Matchers(rules []serverconf.Rule) []*deployconfig.Matcher {
	type cached struct{ path, value string }
	var paths []cached
	short := ShortCache
	for _, r := range rules {
		for _, h := range r.Headers {
			switch {
			case !strings.EqualFold(h.Name, "Cache-Control"):
			case r.Path == "/*":
				short = h.Value
			default:
				paths = append(paths, cached{strings.TrimPrefix(r.Path, "/"), h.Value})
			}
		}
	}
	sort.SliceStable(paths, func(i, j int) bool { return len(paths[i].path) > len(paths[j].path) })

	var out []*deployconfig.Matcher
	add := func(pattern string, k kind, cache string) {
		out = append(out, &deployconfig.Matcher{Pattern: pattern, ContentType: k.contentType, Gzip: k.gzip,
			CacheControl: cache, Re: regexp.MustCompile(pattern)})
	}
	for _, p := range paths {
		if prefix, ok := strings.CutSuffix(p.path, "*"); ok {
			for _, k := range kinds {
				add("^"+regexp.QuoteMeta(prefix)+"(?:.*/)?"+k.name+"$", k, p.value)
			}
			continue
		}
		for _, k := range kinds { // one path: the kind its name is
			if regexp.MustCompile("^(?:.*/)?" + k.name + "$").MatchString(p.path) {
				add("^"+regexp.QuoteMeta(p.path)+"$", k, p.value)
				break
			}
		}
	}
	for _, k := range kinds {
		add("^(?:.*/)?"+k.name+"$", k, short)
	}
	return out
}
