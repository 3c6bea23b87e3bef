// Package minifier minifies every file of a site that has a minifier: HTML, CSS, JavaScript,
// JSON, SVG and XML, whether Hugo rendered it or only copied it.
package minifier

import (
	"bytes"
	"fmt"
	"path"
	"regexp"
	"sync"

	"github.com/tdewolff/minify/v2"
	"github.com/tdewolff/minify/v2/css"
	"github.com/tdewolff/minify/v2/html"
	"github.com/tdewolff/minify/v2/js"
	"github.com/tdewolff/minify/v2/json"
	"github.com/tdewolff/minify/v2/svg"
	"github.com/tdewolff/minify/v2/xml"
	"github.com/veiviser/veiviser/internal/tree"
)

var types = map[string]string{
	".html": "text/html",
	".css":  "text/css",
	".js":   "application/javascript",
	".json": "application/json",
	".svg":  "image/svg+xml",
	".xml":  "text/xml",
}

var (
	once sync.Once
	m    *minify.M
)

func minifier() *minify.M {
	once.Do(func() {
		m = minify.New()
		// Hugo's own defaults, so that files Hugo minified while rendering come out unchanged.
		m.Add("text/html", &html.Minifier{KeepDocumentTags: true, KeepSpecialComments: true, KeepEndTags: true, KeepDefaultAttrVals: true})
		m.Add("text/css", &css.Minifier{})
		m.Add("image/svg+xml", &svg.Minifier{KeepNamespaces: []string{"", "x-bind"}})
		m.AddRegexp(regexp.MustCompile("^(application|text)/(x-)?(java|ecma)script$"), &js.Minifier{Version: 2022})
		m.AddRegexp(regexp.MustCompile("[/+]json$"), &json.Minifier{})
		m.AddRegexp(regexp.MustCompile("[/+]xml$"), &xml.Minifier{})
	})
	return m
}

// Stats says how much minification saved.
type Stats struct {
	Files         int // files minified
	Before, After int // their bytes before and after
	Skipped       int // files that were minified already
}

// Tree minifies, in place, every file of t whose type has a minifier, but for those done
// says are minified already (done may be nil: none is).
func Tree(t tree.Tree, done func(p string) bool) (Stats, error) {
	var st Stats
	todo := map[string]bool{}
	for p, b := range t {
		if _, ok := types[path.Ext(p)]; !ok {
			continue
		}
		if done != nil && done(p) {
			st.Skipped++
			continue
		}
		todo[p] = true
		st.Files++
		st.Before += len(b)
	}
	mm := minifier()
	err := t.Transform(func(p string) bool { return todo[p] }, func(p string, b []byte) ([]byte, error) {
		var buf bytes.Buffer
		buf.Grow(len(b))
		if err := mm.Minify(types[path.Ext(p)], &buf, bytes.NewReader(b)); err != nil {
			return nil, fmt.Errorf("minify %s: %w", p, err)
		}
		return buf.Bytes(), nil
	})
	for p := range todo {
		st.After += len(t[p])
	}
	return st, err
}
