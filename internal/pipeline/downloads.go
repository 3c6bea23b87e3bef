package pipeline

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/veiviser/veiviser/internal/bundle"
	"github.com/veiviser/veiviser/internal/downloads"
	"github.com/veiviser/veiviser/internal/tree"
	"github.com/veiviser/veiviser/internal/zim"
)

// editionNames are the editions this build makes, by the name each is written to dist/ under,
// without their bytes: the zip, a one-file edition per language, and the ZIM where zimwriterfs
// is installed.
func editionNames(b *build) []downloads.File {
	files := []downloads.File{{Kind: "zip", Name: bundle.Folder(b.version) + ".zip"}}
	for _, l := range b.site.Languages {
		files = append(files, downloads.File{Kind: "onefile-" + l, Name: oneFileName(l, b.version)})
	}
	if tool, _ := zim.Find(); tool.Path != "" {
		files = append(files, downloads.File{Kind: "zim", Name: zimName(b.version)})
	}
	return files
}

func oneFileName(lang, version string) string {
	return fmt.Sprintf("veiviser-%s-%s.html", lang, version)
}

func zimName(version string) string { return "veiviser_" + version + ".zim" }

// downloadsStep fills in the web site's download pages with every edition this build made (a
// link, the size and the SHA-256 of each), puts the editions beside them in downloads/ with
// their SHA256SUMS, and makes dist/SHA256SUMS. The write step adds these to public/.
func downloadsStep(_ context.Context, b *build) (string, error) {
	files := []downloads.File{{Kind: "zip", Name: filepath.Base(b.zipPath), Data: b.zip}}
	for i, e := range b.editions {
		files = append(files, downloads.File{Kind: "onefile-" + b.site.Languages[i], Name: filepath.Base(e.Name), Data: e.Data})
	}
	if b.zim != nil {
		files = append(files, downloads.File{Kind: "zim", Name: filepath.Base(b.zimPath), Data: b.zim})
	}
	t := tree.Tree{}
	for p, body := range b.web {
		if strings.HasSuffix(p, ".html") && strings.Contains(string(body), "data-download") {
			t[p] = body
		}
	}
	downloads.Web(t, files)
	b.downloads, b.sums = t, downloads.Sums(files)
	return "", nil
}
