package check

import (
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/gohugoio/hugo/common/htime"
	"github.com/gohugoio/hugo/parser/pageparser"
	"github.com/pelletier/go-toml/v2"
)

// The values a template or Hugo itself would fail on, or read as something else, are checked
// in the files as they are, before Hugo runs: so that the error names the key, its file and
// its line, and says what it should be, rather than naming the template that met the value.

// contentRoot is the folder of the pages, relative to the project (the languages' content
// folders are in it).
const contentRoot = "content"

// hugoDates are the front matter keys Hugo reads as dates (its default front matter
// configuration): a value it cannot parse fails the build.
var hugoDates = []string{"date", "lastmod", "publishdate", "expirydate", "pubdate", "published", "modified", "unpublishdate"}

// FrontMatterTypes checks the front matter of every page in the project in dir for values of
// the wrong type: checked is a date (YYYY-MM-DD), sources a list of ids (or one id), and the
// dates Hugo reads (date, lastmod, …) are dates it can read. A front matter Hugo cannot parse
// at all is left to Hugo, whose error names the file and line.
func FrontMatterTypes(dir string) []Finding {
	var out []Finding
	eachFrontMatter(dir, func(file string, src []byte, fm map[string]any) {
		out = append(out, frontMatterTypes(file, src, fm)...)
	})
	return out
}

// eachFrontMatter calls fn for every page file of the project in dir that has a front matter
// Hugo can parse, with its path relative to dir (slashes), its bytes and its front matter.
func eachFrontMatter(dir string, fn func(file string, src []byte, fm map[string]any)) {
	filepath.WalkDir(filepath.Join(dir, contentRoot), func(p string, e fs.DirEntry, err error) error {
		if err != nil || e.IsDir() || !pageExts[strings.ToLower(filepath.Ext(p))] {
			return nil
		}
		src, err := os.ReadFile(p)
		if err != nil {
			return nil
		}
		cf, err := pageparser.ParseFrontMatterAndContent(bytes.NewReader(src))
		if err != nil || len(cf.FrontMatter) == 0 {
			return nil
		}
		rel, _ := filepath.Rel(dir, p)
		fn(filepath.ToSlash(rel), src, cf.FrontMatter)
		return nil
	})
}

// pageExts are the extensions of the content files whose front matter is checked.
var pageExts = map[string]bool{".md": true, ".markdown": true, ".html": true, ".htm": true}

func frontMatterTypes(file string, src []byte, fm map[string]any) []Finding {
	var out []Finding
	lines := frontMatterLines(src)
	keys := make([]string, 0, len(fm))
	for k := range fm {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		v, key := fm[k], strings.ToLower(k)
		if v == nil {
			continue
		}
		add := func(rule, format string, args ...any) {
			line := lines[key]
			if line == 0 {
				line = 1
			}
			out = append(out, Finding{File: file, Line: line, Severity: Error, Rule: rule, Message: fmt.Sprintf(format, args...)})
		}
		switch {
		case key == "checked":
			if _, isTOMLDate := v.(htime.AsTimeProvider); isTOMLDate {
				continue
			}
			if _, ok := date(v); !ok {
				_, msg, _ := checkedDate(v, Config{})
				add("checked", "%s", msg)
			}
		case key == "sources":
			if !isStringList(v) {
				add("sources", "sources is not a list of source ids: %v (sources: [id, …] from data/sources.yaml)", v)
			}
		case slices.Contains(hugoDates, key):
			if _, err := htime.ToTimeInDefaultLocationE(v, time.UTC); err != nil {
				add("date", "%s is not a date: %v (write it as YYYY-MM-DD)", k, v)
			}
		}
	}
	return out
}

// isStringList says whether v is a front matter list of strings, or one string (one id).
func isStringList(v any) bool {
	switch v := v.(type) {
	case string:
		return v != ""
	case []string:
		return true
	case []any:
		for _, x := range v {
			if _, ok := x.(string); !ok {
				return false
			}
		}
		return true
	}
	return false
}

// frontMatterLines is the line of each top-level key of the front matter at the start of src
// (YAML "key:", TOML "key =", or JSON written one key a line), by key in lower case.
func frontMatterLines(src []byte) map[string]int {
	out := map[string]int{}
	lines := strings.Split(string(src), "\n")
	if len(lines) == 0 {
		return out
	}
	fence := strings.TrimSpace(lines[0])
	switch fence {
	case "---", "+++":
	case "{":
		fence = "}"
	default:
		return out
	}
	for i := 1; i < len(lines) && strings.TrimSpace(lines[i]) != fence; i++ {
		if m := frontMatterKey.FindStringSubmatch(lines[i]); m != nil {
			k := strings.ToLower(strings.Trim(m[1], `"'`))
			if _, seen := out[k]; !seen {
				out[k] = i + 1
			}
		}
	}
	return out
}

// frontMatterKey matches a top-level key of YAML ("key:"), TOML ("key =") or JSON ("\"key\":").
var frontMatterKey = regexp.MustCompile(`^\s{0,2}("[^"]+"|'[^']+'|[A-Za-z_][\w-]*)\s*[:=]`)

// ConfigTypes checks hugo.toml of the project in dir for values of the wrong type that Hugo
// would read as something else or that the rules read: the site's address and the languages'
// settings are text, each language is a table, and the limits in [params] are numbers. A file
// that is not TOML is left to Hugo, whose error names the line.
func ConfigTypes(dir string) []Finding {
	src, err := os.ReadFile(filepath.Join(dir, "hugo.toml"))
	if err != nil {
		return nil
	}
	var cfg map[string]any
	if toml.Unmarshal(src, &cfg) != nil {
		return nil
	}
	lines := tomlLines(string(src))
	var out []Finding
	bad := func(table, key string, v any, want string) {
		full, where := key, ""
		if table != "" {
			full, where = table+"."+key, " in ["+table+"]"
		}
		line := lines[full]
		if line == 0 {
			line = lines[table]
		}
		out = append(out, Finding{File: "hugo.toml", Line: line, Severity: Error, Rule: "config",
			Message: fmt.Sprintf("%s = %s%s: want %s", key, tomlValue(v), where, want)})
	}
	text := func(table string, m map[string]any, keys ...string) {
		for _, k := range keys {
			if k, v, ok := lookup(m, k); ok {
				if _, isText := v.(string); !isText {
					bad(table, k, v, fmt.Sprintf(`text in quotes, like %s = %q`, k, textExamples[strings.ToLower(k)]))
				}
			}
		}
	}
	text("", cfg, "baseURL", "title", "defaultContentLanguage", "timeZone", "languageCode")
	if name, v, ok := lookup(cfg, "languages"); ok {
		langs, isTable := v.(map[string]any)
		if !isTable {
			bad("", name, v, "a table of languages, like [languages.nb]")
		}
		for _, code := range sortedKeys(langs) {
			l, isTable := langs[code].(map[string]any)
			if !isTable {
				bad(name, code, langs[code], fmt.Sprintf("a table of the language's settings, like [%s.%s] with contentDir = \"content/%s\"", name, code, code))
				continue
			}
			text(name+"."+code, l, "label", "locale", "languageName", "title", "contentDir", "direction")
			if k, w, ok := lookup(l, "weight"); ok && !isWhole(w) {
				bad(name+"."+code, k, w, "a whole number, like weight = 1")
			}
		}
	}
	if name, v, ok := lookup(cfg, "params"); ok {
		if params, isTable := v.(map[string]any); isTable {
			for _, k := range []string{"checkedWarnMonths", "checkedErrorMonths"} {
				if k, n, ok := lookup(params, k); ok && (!isWhole(n) || toInt(n) < 1) {
					bad(name, k, n, fmt.Sprintf("a whole number of months, like %s = %d", k, map[string]int{"checkedwarnmonths": 12, "checkederrormonths": 24}[strings.ToLower(k)]))
				}
			}
			if k, n, ok := lookup(params, "lixLimit"); ok && !isNumber(n) {
				bad(name, k, n, fmt.Sprintf("a number, like %s = 40", k))
			}
			text(name, params, "neutralPage", "exitURL")
		}
	}
	return out
}

// textExamples are examples of the text keys of hugo.toml, for the messages.
var textExamples = map[string]string{"baseurl": "https://veiviser.no/", "title": "Veiviser", "defaultcontentlanguage": "nb",
	"timezone": "Europe/Oslo", "languagecode": "nb-NO", "label": "Norsk (bokmål)", "locale": "nb-NO", "languagename": "Norsk",
	"contentdir": "content/nb", "direction": "rtl", "neutralpage": "/vaer", "exiturl": "https://www.yr.no/"}

// lookup finds key in m as Hugo does, in any case: the key as written, its value, and whether
// it is there.
func lookup(m map[string]any, key string) (string, any, bool) {
	for k, v := range m {
		if strings.EqualFold(k, key) {
			return k, v, true
		}
	}
	return "", nil, false
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

func isWhole(v any) bool {
	switch v.(type) {
	case int64, int:
		return true
	}
	return false
}

func isNumber(v any) bool {
	_, f := v.(float64)
	return f || isWhole(v)
}

func toInt(v any) int64 {
	switch v := v.(type) {
	case int64:
		return v
	case int:
		return int64(v)
	}
	return 0
}

// tomlValue writes v as TOML would: text in quotes, tables and lists as written.
func tomlValue(v any) string {
	switch v := v.(type) {
	case string:
		return fmt.Sprintf("%q", v)
	case map[string]any:
		return "[table]"
	case []any:
		parts := make([]string, len(v))
		for i, x := range v {
			parts[i] = tomlValue(x)
		}
		return "[" + strings.Join(parts, ", ") + "]"
	}
	if b, err := toml.Marshal(map[string]any{"v": v}); err == nil {
		return strings.TrimSpace(strings.TrimPrefix(string(b), "v = "))
	}
	return fmt.Sprint(v)
}
