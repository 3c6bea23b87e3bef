package check

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"github.com/pelletier/go-toml/v2"
	"github.com/veiviser/veiviser/internal/render"
)

// I18n is one language's i18n file: the words the layouts use.
type I18n struct {
	Lang, File string                 // "pl", "i18n/pl.toml"
	Values     map[string]string      // every key ("exitButton", "sheet.title") and its text (the "other" form)
	Messages   map[string]I18nMessage // every key and its message: its forms and the hash it records
	lines      map[string]int         // the line of each key and table ("sheet", "contact.rosa", "exitButton.hash")
}

// I18nMessage is one message of an i18n file, as go-i18n (Hugo's i18n) reads it: a key with a
// string (its "other" form), or a table of go-i18n's reserved fields only:
//
//	[exitButton]
//	hash = "3f2a9c1b0d4e"
//	other = "Opuść tę stronę"
//
// Hugo shows the plural forms (zero, one, two, few, many, other); hash is go-i18n's field for
// the version of the message this one was translated from (see MessageVersion), and is never shown.
type I18nMessage struct {
	Forms map[string]string // "other" and any other plural form, by its name in lower case
	Hash  string            // "" when it records none
}

// Line is the line of key in the file, or of the nearest table above it ("sheet" for
// "sheet.title"), or 0.
func (f *I18n) Line(key string) int {
	for k := key; k != ""; {
		if l := f.lines[k]; l > 0 {
			return l
		}
		i := strings.LastIndexByte(k, '.')
		if i < 0 {
			break
		}
		k = k[:i]
	}
	return 0
}

// i18nDir is the folder of the i18n files, relative to the project.
const i18nDir = "i18n"

// ReadI18n reads the i18n file of each language in langs that has one (i18n/<lang>.toml), by
// language. A file Hugo cannot read is left out: Hugo's error names it.
func ReadI18n(dir string, langs []string) map[string]*I18n {
	out := map[string]*I18n{}
	for _, lang := range langs {
		name := i18nDir + "/" + lang + ".toml"
		src, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(name)))
		if err != nil {
			continue
		}
		var m map[string]any
		if err := toml.Unmarshal(src, &m); err != nil {
			continue
		}
		f := &I18n{Lang: lang, File: name, Values: map[string]string{}, Messages: map[string]I18nMessage{}, lines: tomlLines(string(src))}
		flatten("", m, f)
		out[lang] = f
	}
	return out
}

// flatten writes the messages of m into f, nested keys joined by dots. A table is one message
// when all its keys are go-i18n's reserved fields with strings (as go-i18n decides): its words
// are its "other" form.
func flatten(prefix string, m map[string]any, f *I18n) {
	for k, v := range m {
		switch v := v.(type) {
		case map[string]any:
			if msg, ok := i18nMessage(v); ok {
				f.Messages[prefix+k] = msg
				f.Values[prefix+k] = msg.Forms["other"]
				continue
			}
			flatten(prefix+k+".", v, f)
		default:
			f.Messages[prefix+k] = I18nMessage{Forms: map[string]string{"other": fmt.Sprint(v)}}
			f.Values[prefix+k] = fmt.Sprint(v)
		}
	}
}

// i18nFields are go-i18n's reserved fields of a message (i18n/parse.go): a table with these
// keys only is a message; "translation" is go-i18n v1's name for "other".
var i18nFields = []string{"id", "description", "hash", "leftdelim", "rightdelim", "zero", "one", "two", "few", "many", "other", "translation"}

// pluralForms are the plural forms of a message, in the order MessageVersion joins them.
var pluralForms = []string{"zero", "one", "two", "few", "many", "other"}

// i18nMessage reads t as a message, if it is one: a table whose keys are all reserved fields
// with strings (a table with none is a table of keys; go-i18n refuses one with both).
func i18nMessage(t map[string]any) (I18nMessage, bool) {
	msg := I18nMessage{Forms: map[string]string{}}
	if len(t) == 0 {
		return msg, false
	}
	for k, v := range t {
		s, ok := v.(string)
		field := strings.ToLower(k)
		if !ok || !slices.Contains(i18nFields, field) {
			return msg, false
		}
		switch {
		case field == "hash":
			msg.Hash = strings.ToLower(strings.TrimSpace(s))
		case field == "translation":
			msg.Forms["other"] = s
		case slices.Contains(pluralForms, field):
			msg.Forms[field] = s
		}
	}
	return msg, true
}

var (
	tomlTable = regexp.MustCompile(`^\s*\[\s*([^\]]+?)\s*\]`)
	tomlKey   = regexp.MustCompile(`^\s*("[^"]*"|[A-Za-z0-9_.-]+)\s*=`)
)

// tomlLines finds the line of each table and key of a TOML file, by full dotted name.
func tomlLines(src string) map[string]int {
	out := map[string]int{}
	table := ""
	for i, l := range strings.Split(src, "\n") {
		if m := tomlTable.FindStringSubmatch(l); m != nil {
			table = strings.ReplaceAll(m[1], `"`, "")
			if _, ok := out[table]; !ok {
				out[table] = i + 1
			}
		} else if m := tomlKey.FindStringSubmatch(l); m != nil {
			k := strings.Trim(m[1], `"`)
			if table != "" {
				k = table + "." + k
			}
			if _, ok := out[k]; !ok {
				out[k] = i + 1
			}
		}
	}
	return out
}

// OptionalI18n reads the layouts of the project in dir for the i18n keys they only show when
// they have words: {{ with i18n "translationNote" }}, and the contact texts read in a with
// ({{ with partial "contact/contact-text.html" (dict "id" $id "field" "hours") }}: contact.*.hours).
// It returns whether a key is one of them.
func OptionalI18n(dir string) func(key string) bool {
	literal := map[string]bool{}
	var fields []string
	root := filepath.Join(dir, "layouts")
	filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return nil
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return nil
		}
		for _, m := range optionalKey.FindAllStringSubmatch(string(b), -1) {
			literal[m[1]] = true
		}
		for _, m := range optionalContactText.FindAllStringSubmatch(string(b), -1) {
			fields = append(fields, m[1])
		}
		return nil
	})
	return func(key string) bool {
		if literal[key] {
			return true
		}
		if rest, ok := strings.CutPrefix(key, "contact."); ok {
			if i := strings.LastIndexByte(rest, '.'); i >= 0 && slices.Contains(fields, rest[i+1:]) {
				return true
			}
		}
		return false
	}
}

var (
	optionalKey         = regexp.MustCompile(`\bwith\s+(?:i18n|T)\s+"([^"]+)"`)
	optionalContactText = regexp.MustCompile(`\bwith\s+partial\s+"contact/contact-text\.html"\s+\(dict\s[^)]*"field"\s+"([^"]+)"`)
)

// MissingTranslations turns the i18n keys pages asked for in vain (Hugo's
// i18n|MISSING_TRANSLATION warnings) into errors at the language's i18n file: Hugo showed the
// default language's words instead, or nothing. A key a layout only shows when it has words
// (see OptionalI18n) is missing only where the default language has it, so that its words
// were shown instead.
func MissingTranslations(missing []render.MissingTranslation, files map[string]*I18n, defaultLang string, optional func(string) bool) []Finding {
	var out []Finding
	seen := map[render.MissingTranslation]bool{}
	for _, m := range missing {
		if seen[m] {
			continue
		}
		seen[m] = true
		f := files[m.Lang]
		if f == nil {
			continue // the language has no i18n file: Languages reports it
		}
		fallback := ""
		if d := files[defaultLang]; m.Lang != defaultLang && d != nil && d.Values[m.Key] != "" {
			fallback = defaultLang
		}
		if optional != nil && optional(m.Key) && fallback == "" {
			continue
		}
		what := "is missing"
		if _, ok := f.Values[m.Key]; ok {
			what = "is empty"
		}
		shown := "nothing where a layout uses it"
		if fallback != "" {
			shown = "the words of " + fallback + " (" + defaultLang + ".toml) instead"
		}
		out = append(out, Finding{File: f.File, Line: f.Line(m.Key), Severity: Error, Rule: "i18n",
			Message: fmt.Sprintf("i18n key %q %s: the %s pages show %s", m.Key, what, m.Lang, shown)})
	}
	return out
}

// Languages checks that every configured language has its i18n file and its content folder;
// hugoToml is the text of hugo.toml, for the line of each language.
func Languages(dir string, site *render.Result, files map[string]*I18n, hugoToml []byte) []Finding {
	var out []Finding
	lines := tomlLines(string(hugoToml))
	for _, lang := range site.Languages {
		line := lines["languages."+lang]
		if files[lang] == nil {
			msg := fmt.Sprintf("language %q has no %s/%s.toml: its pages show the words of %s", lang, i18nDir, lang, site.Languages[0])
			if _, err := os.Stat(filepath.Join(dir, i18nDir, lang+".toml")); err == nil {
				msg = fmt.Sprintf("language %q: %s/%s.toml cannot be read as TOML", lang, i18nDir, lang)
			}
			out = append(out, Finding{File: "hugo.toml", Line: line, Severity: Error, Rule: "language", Message: msg})
		}
		cd := site.ContentDirs[lang]
		if cd == "" {
			continue
		}
		if fi, err := os.Stat(filepath.Join(dir, filepath.FromSlash(cd))); err != nil || !fi.IsDir() {
			l := lines["languages."+lang+".contentDir"]
			if l == 0 {
				l = line
			}
			out = append(out, Finding{File: "hugo.toml", Line: l, Severity: Error, Rule: "language",
				Message: fmt.Sprintf("language %q has no content folder: %s/ does not exist (contentDir)", lang, cd)})
		}
	}
	return out
}
