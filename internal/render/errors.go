package render

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/gohugoio/hugo/common/herrors"
)

// Error is a build error at the file of the project that caused it: the page (and the line in
// it) whose front matter or shortcode a template failed on, rather than the template; the
// key of hugo.toml Hugo could not read. Its message is one line and names no absolute path.
type Error struct {
	File    string // relative to the project, with slashes: "content/nb/om.md", "hugo.toml"
	Line    int    // from 1; 0 when not known
	Message string
}

func (e *Error) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Message)
	}
	return fmt.Sprintf("%s: %s", e.File, e.Message)
}

// describe turns an error of Hugo's build into one line that names the file relative to the
// project directory, and the line where it can be known: an *Error when it names a file.
//
// A template that fails on what a page gave it is reported at the page: at the shortcode's
// line when a shortcode failed, else at the front matter line holding the value the template
// could not use (or line 1), with the template's file and line after the message. When Hugo
// only says that it logged errors (as for errorf in a template), the first logged error is
// the one described.
func describe(dir string, err error, log *bytes.Buffer) error {
	clean := cleaner(dir)
	if strings.Contains(err.Error(), "logged ") {
		for _, line := range strings.Split(clean(log.String()), "\n") {
			if msg, ok := strings.CutPrefix(line, "ERROR "); ok {
				return logged(dir, strings.TrimSpace(msg))
			}
		}
	}

	chain := causes(err)
	cause := firstLine(clean(chain[len(chain)-1].Error()))
	// The positions Hugo attached on the way, outermost first: the templates it was executing,
	// and the page (a shortcode in it) or data file it was reading.
	var culprit, template *herrors.FileError
	var inner []error // the chain below the culprit
	for i, e := range chain {
		fe, ok := e.(herrors.FileError)
		if !ok || fe.Position().Filename == "" {
			continue
		}
		if isTemplate(dir, fe.Position().Filename) {
			template = &fe
		} else {
			culprit, template, inner = &fe, nil, chain[i:]
		}
	}
	where := func() string {
		if template == nil {
			return ""
		}
		pos := (*template).Position()
		name := relative(dir, pos.Filename)
		if filepath.IsAbs(name) { // a template from outside the project: its name is enough
			name = filepath.Base(name)
		}
		return fmt.Sprintf(" (%s:%d)", name, pos.LineNumber)
	}

	if culprit != nil {
		pos := (*culprit).Position()
		msg := cause
		if template != nil {
			// A shortcode (or a render hook) failed: say which, then why.
			if what := firstSegment(inner[min(1, len(inner)-1)].Error()); what != "" && what != cause {
				msg = what + ": " + cause
			}
		}
		return &Error{File: relative(dir, pos.Filename), Line: pos.LineNumber, Message: msg + where()}
	}
	if page := renderedPage(dir, chain); page != "" {
		line, key := valueLine(filepath.Join(dir, filepath.FromSlash(page)), cause)
		if key != "" {
			cause = key + ": " + cause
		}
		return &Error{File: page, Line: line, Message: cause + where()}
	}
	// A template's own fault (a syntax error, a call of a function that does not exist):
	// the template's file and line, as Go's template package names them.
	if m := templateErr.FindStringSubmatch(firstLine(clean(err.Error()))); m != nil {
		return &Error{File: "layouts/" + m[1], Line: atoi(m[2]), Message: m[3]}
	}
	if template != nil {
		pos := (*template).Position()
		return &Error{File: relative(dir, pos.Filename), Line: pos.LineNumber, Message: cause}
	}
	return errors.New(firstLine(clean(err.Error())))
}

// describeConfig turns an error of loading hugo.toml into one line naming hugo.toml, and the
// key and its line when Hugo could not decode a value.
func describeConfig(dir string, err error) error {
	clean := cleaner(dir)
	if e := decodeError(dir, err); e != nil {
		return e
	}
	if fe := herrors.UnwrapFileError(err); fe != nil && fe.Position().Filename != "" {
		pos := fe.Position()
		msg := firstLine(clean(causes(fe)[len(causes(fe))-1].Error()))
		return &Error{File: relative(dir, pos.Filename), Line: pos.LineNumber, Message: msg}
	}
	return &Error{File: "hugo.toml", Message: firstLine(clean(err.Error()))}
}

// mapstructureError is the error of the package Hugo decodes its configuration with
// (github.com/mitchellh/mapstructure): one message per value it could not decode, each naming
// the field or map key in single quotes.
type mapstructureError interface {
	error
	WrappedErrors() []error
}

var (
	// section is the part of the configuration Hugo was decoding, from allconfig's wrapping
	// (`failed to decode "languages": …`; "" is the top level).
	section = regexp.MustCompile(`failed to decode "([^"]*)"`)
	// field is the name mapstructure quotes: 'BaseURL', 'Params.x', '[nb]'.
	field = regexp.MustCompile(`'([^']+)'`)
)

// decodeError describes a value of hugo.toml of the wrong type: at its key and line, or nil
// when err is not one.
func decodeError(dir string, err error) *Error {
	var me mapstructureError
	if !errors.As(err, &me) || len(me.WrappedErrors()) == 0 {
		return nil
	}
	msg := me.WrappedErrors()[0].Error()
	m := field.FindStringSubmatch(msg)
	if m == nil {
		return nil
	}
	key := strings.NewReplacer("[", ".", "]", "").Replace(m[1])
	if s := section.FindStringSubmatch(err.Error()); s != nil && s[1] != "" {
		key = s[1] + "." + key
	}
	key = strings.Trim(strings.ReplaceAll(key, "..", "."), ".")
	src, _ := os.ReadFile(filepath.Join(dir, "hugo.toml"))
	line, written := tomlKey(string(src), key)
	if written == "" {
		written = key
	}
	return &Error{File: "hugo.toml", Line: line, Message: fmt.Sprintf("%s: %s", written, want(msg))}
}

var (
	cannotParse   = regexp.MustCompile(`cannot parse '[^']*' as (\w+)`)
	expectedType  = regexp.MustCompile(`expected type '([^']+)', got unconvertible type '([^']+)'`)
	expectedMap   = regexp.MustCompile(`expected a map, got '([^']+)'`)
	kindsOfValues = map[string]string{"bool": "true or false", "string": `text in quotes ("…")`,
		"int": "a whole number", "int64": "a whole number", "uint": "a whole number", "uint64": "a whole number",
		"float64": "a number", "float32": "a number"}
)

// want says what a value should have been, from mapstructure's message.
func want(msg string) string {
	kind := func(k string) string {
		if w, ok := kindsOfValues[k]; ok {
			return w
		}
		if strings.HasPrefix(k, "[]") {
			return "a list ([…])"
		}
		if strings.HasPrefix(k, "map[") {
			return "a table"
		}
		return k
	}
	switch {
	case cannotParse.MatchString(msg):
		return "want " + kind(cannotParse.FindStringSubmatch(msg)[1])
	case expectedType.MatchString(msg):
		m := expectedType.FindStringSubmatch(msg)
		return fmt.Sprintf("want %s, not %s", kind(m[1]), kind(m[2]))
	case expectedMap.MatchString(msg):
		return "want a table of settings ([…]), not " + kind(expectedMap.FindStringSubmatch(msg)[1])
	}
	return strings.TrimSpace(field.ReplaceAllString(msg, ""))
}

// tomlKey finds key (dotted, any case) in TOML text src: its line, and the key and value as
// written there ("enableRobotsTXT = \"kanskje\"", "xx = 3 in [languages]").
func tomlKey(src, key string) (int, string) {
	table := ""
	for i, l := range strings.Split(src, "\n") {
		t := strings.TrimSpace(l)
		if strings.HasPrefix(t, "[") {
			table = strings.Trim(strings.TrimSpace(strings.SplitN(t, "#", 2)[0]), "[] ")
			table = strings.ReplaceAll(table, `"`, "")
			if strings.EqualFold(table, key) {
				return i + 1, "[" + table + "]"
			}
			continue
		}
		k, v, ok := strings.Cut(t, "=")
		if !ok || strings.HasPrefix(t, "#") {
			continue
		}
		k = strings.Trim(strings.TrimSpace(k), `"`)
		full := k
		if table != "" {
			full = table + "." + k
		}
		if strings.EqualFold(full, key) {
			written := k + " = " + strings.TrimSpace(v)
			if table != "" {
				written += " in [" + table + "]"
			}
			return i + 1, written
		}
	}
	return 0, ""
}

// logged describes an error a template logged (errorf), which the project's templates begin
// with the position of the page at fault ("content/nb/om.md:9: …"), or one of Hugo's logged
// errors, which may name it inside (`REF_NOT_FOUND: Ref "x": "content/nb/om.md:9:3": …`).
func logged(dir, msg string) error {
	if m := positionFirst.FindStringSubmatch(msg); m != nil && exists(dir, m[1]) {
		return &Error{File: m[1], Line: atoi(m[2]), Message: m[3]}
	}
	if m := positionInside.FindStringSubmatchIndex(msg); m != nil && exists(dir, msg[m[2]:m[3]]) {
		rest := strings.TrimSpace(msg[:m[0]] + msg[m[1]:])
		rest = strings.ReplaceAll(rest, ": :", ":")
		return &Error{File: msg[m[2]:m[3]], Line: atoi(msg[m[4]:m[5]]), Message: strings.TrimSuffix(rest, ":")}
	}
	// `the "date" front matter field is not a parsable date: see content/nb/om.md`
	if m := seeFile.FindStringSubmatchIndex(msg); m != nil && exists(dir, msg[m[2]:m[3]]) {
		file, rest := msg[m[2]:m[3]], msg[:m[0]]
		line := 0
		if q := quotedWord.FindStringSubmatch(rest); q != nil {
			line = keyLine(filepath.Join(dir, filepath.FromSlash(file)), q[1])
		}
		return &Error{File: file, Line: line, Message: rest}
	}
	return errors.New(msg)
}

var (
	seeFile    = regexp.MustCompile(`: see ([^\s:"]+\.\w+)$`)
	quotedWord = regexp.MustCompile(`"([^"\s]+)"`)
)

var (
	positionFirst  = regexp.MustCompile(`^([^\s:"]+\.\w+):(\d+)(?::\d+)?: (.*)$`)
	positionInside = regexp.MustCompile(`"([^\s:"]+\.\w+):(\d+)(?::\d+)?":? ?`)
)

// templateErr matches Go template errors, which name the template and line at fault more
// precisely than the position Hugo attaches (often the base template that includes it).
var templateErr = regexp.MustCompile(`template: ([^:\s]+\.html):(\d+)(?::\d+)?: (.*)$`)

// renderedPage is the content file of the page Hugo was rendering when err happened, relative
// to dir, or "". Hugo names it only in its message: `render of "/abs/content/nb/om.md" failed`.
func renderedPage(dir string, chain []error) string {
	for _, e := range chain {
		if m := renderOf.FindStringSubmatch(e.Error()); m != nil {
			if rel := relative(dir, m[1]); rel != m[1] && exists(dir, rel) {
				return rel
			}
		}
	}
	return ""
}

var renderOf = regexp.MustCompile(`^render of "([^"]+)" failed`)

// valueLine is the line of the front matter of file name holding the value a failure's
// message ends with or quotes, and its key (`unable to parse date: 24.11.2026` is the line
// `checked: 24.11.2026`), or line 1, the page as a whole, and no key.
func valueLine(name, cause string) (int, string) {
	for _, kv := range frontMatter(name) {
		if v := kv.value; strings.Contains(cause, `"`+v+`"`) {
			return kv.line, kv.key
		} else if before, ok := strings.CutSuffix(cause, v); ok && (before == "" || strings.ContainsAny(before[len(before)-1:], " :'\"")) {
			return kv.line, kv.key
		}
	}
	return 1, ""
}

// keyLine is the line of key in the front matter of file name, or 0.
func keyLine(name, key string) int {
	for _, kv := range frontMatter(name) {
		if strings.EqualFold(kv.key, key) {
			return kv.line
		}
	}
	return 0
}

type frontMatterLine struct {
	line       int
	key, value string
}

// frontMatter lists the top-level keys of the YAML or TOML front matter of file name with
// the value written on the key's line (without quotes), in order.
func frontMatter(name string) []frontMatterLine {
	src, err := os.ReadFile(name)
	if err != nil {
		return nil
	}
	lines := strings.Split(string(src), "\n")
	fence := strings.TrimSpace(lines[0])
	if fence != "---" && fence != "+++" {
		return nil
	}
	var out []frontMatterLine
	for i := 1; i < len(lines) && strings.TrimSpace(lines[i]) != fence; i++ {
		m := frontMatterKey.FindStringSubmatchIndex(lines[i])
		if m == nil {
			continue
		}
		key := strings.Trim(lines[i][m[2]:m[3]], `"'`)
		v := strings.Trim(strings.TrimSpace(lines[i][m[1]:]), `"'`)
		if v != "" {
			out = append(out, frontMatterLine{i + 1, key, v})
		}
	}
	return out
}

// causes is err and what it wraps, outermost first; of errors joined, the first.
func causes(err error) []error {
	var out []error
	for err != nil {
		out = append(out, err)
		switch u := err.(type) {
		case interface{ Unwrap() error }:
			err = u.Unwrap()
		case interface{ Unwrap() []error }:
			if es := u.Unwrap(); len(es) > 0 {
				err = es[0]
			} else {
				err = nil
			}
		default:
			err = nil
		}
	}
	return out
}

// isTemplate says whether file name is a template: in the project's layouts/, or one of Hugo's
// own (which have no path on disk).
func isTemplate(dir, name string) bool {
	rel := relative(dir, name)
	return rel == name || strings.HasPrefix(rel, "layouts/") || strings.HasPrefix(rel, "themes/")
}

// firstSegment is what a message says before the first position or colon it quotes:
// `failed to render shortcode "contact"` of `failed to render shortcode "contact": failed to…`.
func firstSegment(msg string) string {
	i := strings.Index(msg, ": ")
	if i < 0 || strings.HasPrefix(msg, `"`) {
		return ""
	}
	return msg[:i]
}

// cleaner returns a function that makes a message fit for one line of a terminal: no colour
// codes (Hugo colours positions when stdout is a terminal), and paths relative to dir.
func cleaner(dir string) func(string) string {
	return func(s string) string {
		s = ansi.ReplaceAllString(s, "")
		return strings.ReplaceAll(s, dir+string(filepath.Separator), "")
	}
}

var ansi = regexp.MustCompile(`\x1b\[[0-9;]*[A-Za-z]`)

func exists(dir, rel string) bool {
	_, err := os.Stat(filepath.Join(dir, filepath.FromSlash(rel)))
	return err == nil
}

func atoi(s string) int {
	n := 0
	for _, c := range s {
		n = n*10 + int(c-'0')
	}
	return n
}

func relative(dir, name string) string {
	if rel, err := filepath.Rel(dir, name); err == nil && !strings.HasPrefix(rel, "..") {
		return filepath.ToSlash(rel)
	}
	return name
}

func firstLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	return s
}

// warnings returns Hugo's logged warnings, one line each, with paths relative to dir.
func warnings(dir string, log *bytes.Buffer) []string {
	clean := cleaner(dir)
	var out []string
	for _, line := range strings.Split(clean(log.String()), "\n") {
		if msg, ok := strings.CutPrefix(line, "WARN "); ok {
			out = append(out, strings.TrimSpace(msg))
		}
	}
	return out
}
