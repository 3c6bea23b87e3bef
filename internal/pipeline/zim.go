package pipeline

import (
	"context"
	"fmt"
	"path/filepath"

	"github.com/gohugoio/hugo/common/hmaps"

	"github.com/veiviser/veiviser/internal/zim"
)

// zimStep makes the Kiwix edition, dist/veiviser_<version>.zim, from the offline tree with
// zimwriterfs (internal/zim), or takes it from the cache. Without zimwriterfs it is skipped,
// with one line, as the PDFs are without Chromium.
func zimStep(ctx context.Context, b *build) (string, error) {
	m, err := zimMetadata(b)
	if err != nil {
		return "", err
	}
	tool, err := zim.Find()
	var warnings []string
	if err != nil { // it runs, but does not say its version: the cache is keyed by its path
		warnings = append(warnings, fmt.Sprintf("the ZIM cache is keyed by zimwriterfs's path only: %v", err))
	}
	if tool.Path == "" {
		return "no zimwriterfs (apt-get install zim-tools): the Kiwix edition was skipped", nil
	}
	r, err := zim.Make(ctx, b.off, m, b.stamp, tool)
	if err != nil {
		return "", fmt.Errorf("the Kiwix edition: %w", err)
	}
	b.zim, b.zimPath = r.Data, filepath.Join(b.dist, zimName(b.version))
	line := fmt.Sprintf("%s %s, ", b.zimPath, kib(len(r.Data)))
	if r.Cached {
		line += "from the cache"
	} else {
		line += "made by zimwriterfs"
	}
	if !r.Dated {
		line += "; dated today, so not byte-reproducible (no faketime: apt-get install faketime)"
	}
	for _, w := range append(warnings, r.Warnings...) {
		line += "\n  warning: " + w
	}
	return line, nil
}

// zimMetadata is what the ZIM says about itself, from hugo.toml and the default language's
// home page: the short title, the home page's description (cut to the 80 characters a ZIM
// allows), every language of the site (the default first), and the publisher.
func zimMetadata(b *build) (zim.Metadata, error) {
	m := zim.Metadata{Title: "Veiviser", Creator: "Veiviser", Name: "veiviser", Welcome: "index.html"}
	if s, _ := b.site.Params["shorttitle"].(string); s != "" {
		m.Title = s
	}
	if p := hmaps.ToStringMap(b.site.Params["publisher"]); p != nil {
		if s, _ := p["name"].(string); s != "" {
			m.Creator = s
		}
	}
	m.Publisher = m.Creator
	for _, p := range b.site.Content {
		if p.Kind == "home" && p.Lang == b.site.Languages[0] {
			m.Description, _ = p.Params["description"].(string)
			if m.Description == "" {
				m.Description = p.Title
			}
		}
	}
	if m.Description = zim.Short(m.Description); m.Description == "" {
		m.Description = m.Title
	}
	for _, l := range b.site.Languages {
		code, ok := zim.Language(l)
		if !ok {
			return m, fmt.Errorf("hugo.toml: language %q: no ISO 639-3 code is known for it, which the Kiwix edition needs (add it to internal/zim/meta.go)", l)
		}
		m.Languages = append(m.Languages, code)
	}
	return m, nil
}
