package pipeline

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/veiviser/veiviser/internal/publish"
	"github.com/veiviser/veiviser/internal/serverconf"
)

// serverDir is the folder in dist/ of the servers' header snippets.
const serverDir = "server"

// serverconfOthers are the files of dist/server/ an earlier build left that this one does not
// write (for CommitWith, relative to dist/).
var serverconfOthers = filepath.Join(serverDir, "*")

// serverOutputs are the header snippets for nginx, Caddy and Apache (internal/serverconf),
// made from the web site's _headers so that they say what it says, with the site's 404 pages;
// none when the site has no _headers (a project without layouts/home.headers).
func serverOutputs(b *build) ([]publish.Output, error) {
	headers, ok := b.web["_headers"]
	if !ok {
		return nil, nil
	}
	files, err := serverconf.Files(headers, notFoundPages(b))
	if err != nil {
		return nil, fmt.Errorf("layouts/home.headers: %w", err)
	}
	var out []publish.Output
	for _, f := range files {
		out = append(out, publish.Output{Name: filepath.Join(b.dist, serverDir, f.Name), Data: f.Data})
	}
	return out, nil
}

// notFoundPages are the web site's 404 pages: each language's, for the paths under its folder,
// and the default language's (at the root) for the rest.
func notFoundPages(b *build) []serverconf.NotFound {
	var out []serverconf.NotFound
	for i, lang := range b.site.Languages {
		prefix := "/" + lang + "/"
		if i == 0 {
			prefix = "/"
		}
		if _, ok := b.web[strings.TrimPrefix(prefix, "/")+"404.html"]; ok {
			out = append(out, serverconf.NotFound{Prefix: prefix, Page: prefix + "404.html"})
		}
	}
	return out
}
