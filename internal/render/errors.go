package render

import (
	"bytes"
	"errors"
	"fmt"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/gohugoio/hugo/common/herrors"
)

// describe turns a Hugo error into one line that names the file relative to the project
// directory, and the line where Hugo knows it. When Hugo only says that it logged errors
// (as for errorf in a template), the first logged error is the one described.
func describe(dir string, err error, log *bytes.Buffer) error {
	if strings.Contains(err.Error(), "logged ") {
		for _, line := range strings.Split(log.String(), "\n") {
			if msg, ok := strings.CutPrefix(line, "ERROR "); ok {
				return errors.New(strings.ReplaceAll(strings.TrimSpace(msg), dir+string(filepath.Separator), ""))
			}
		}
	}
	if m := templateErr.FindStringSubmatch(firstLine(innermost(err))); m != nil {
		return fmt.Errorf("layouts/%s:%s: %s", m[1], m[2], m[3])
	}
	var fe herrors.FileError
	if errors.As(err, &fe) {
		pos := fe.Position()
		if pos.Filename != "" {
			name := relative(dir, pos.Filename)
			msg := firstLine(innermost(fe))
			msg = strings.ReplaceAll(msg, pos.Filename, name)
			if pos.LineNumber > 0 {
				return fmt.Errorf("%s:%d: %s", name, pos.LineNumber, msg)
			}
			return fmt.Errorf("%s: %s", name, msg)
		}
	}
	msg := firstLine(err.Error())
	msg = strings.ReplaceAll(msg, dir+string(filepath.Separator), "")
	return errors.New(msg)
}

// templateErr matches Go template errors, which name the template and line at fault more
// precisely than the position Hugo attaches (often the base template that includes it).
var templateErr = regexp.MustCompile(`template: ([^:\s]+\.html):(\d+)(?::\d+)?: (.*)$`)

// innermost is the message of the deepest error that is not itself a position wrapper.
func innermost(err error) string {
	msg := err.Error()
	for e := errors.Unwrap(err); e != nil; e = errors.Unwrap(e) {
		msg = e.Error()
	}
	return msg
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
	var out []string
	for _, line := range strings.Split(log.String(), "\n") {
		if msg, ok := strings.CutPrefix(line, "WARN "); ok {
			out = append(out, strings.ReplaceAll(strings.TrimSpace(msg), dir+string(filepath.Separator), ""))
		}
	}
	return out
}
