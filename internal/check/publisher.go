package check

import (
	"fmt"
	"strings"

	"github.com/gohugoio/hugo/common/hmaps"
)

// Publisher warns while hugo.toml does not say who publishes the site: [params.publisher] with
// a name and an e-mail address for corrections, which the footer of every page and the About
// page show (layouts/_partials/publisher/). params are the site's params as Hugo read them
// (keys in lower case); hugoToml is hugo.toml's text, for the line.
func Publisher(params map[string]any, hugoToml []byte) []Finding {
	p := hmaps.ToStringMap(params["publisher"])
	var missing []string
	for _, k := range []string{"name", "email"} {
		if s, _ := p[k].(string); s == "" {
			missing = append(missing, k)
		}
	}
	if len(missing) == 0 {
		return nil
	}
	line := tomlLines(string(hugoToml))["params.publisher"]
	return []Finding{{File: "hugo.toml", Line: line, Severity: Warning, Rule: "publisher",
		Message: fmt.Sprintf("the publisher is not set (%s missing under [params.publisher]): the footer and the About page cannot say who runs the site and where to send corrections", strings.Join(missing, " and "))}}
}
