package check

import "strings"

// Drafts lists the pages of the project in dir that have draft: true in their front matter
// (veiviser new makes pages as drafts). Hugo publishes no draft (buildDrafts is off), so a
// draft is neither in the web site nor in the offline bundle, and the other page rules, which
// read what Hugo built, do not see it: each draft is a warning, which does not fail a build,
// so that editors see what is not published.
func Drafts(dir string) []Finding {
	var out []Finding
	eachFrontMatter(dir, func(file string, src []byte, fm map[string]any) {
		for k, v := range fm {
			if strings.EqualFold(k, "draft") && v == true {
				out = append(out, Finding{File: file, Line: max(1, frontMatterLines(src)["draft"]),
					Severity: Warning, Rule: "draft", Message: "draft: not published (delete draft: true from the front matter to publish it)"})
			}
		}
	})
	return out
}
