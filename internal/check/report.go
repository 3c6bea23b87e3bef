package check

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/veiviser/veiviser/internal/render"
)

// Report is what `veiviser check` found.
type Report struct {
	Findings    []Finding     `json:"findings"`
	External    []PageLinks   `json:"external"`
	Readability []Readability `json:"lix"`
	Pages       int           `json:"pages"`     // content pages checked
	Languages   []string      `json:"languages"` // the site's languages
	Fetched     bool          `json:"-"`         // the external links were fetched (check -online)
	Drift       []Stale       `json:"-"`         // the translations whose source changed since (check -drift lists them)
	I18nDrift   []I18nBehind  `json:"-"`         // the same of the i18n files' keys, by file
}

// WriteDrift lists every translation that is behind its source, or records no source
// version, one line each: what veiviser check -drift prints. The pages come first, then the
// keys of the i18n files, by file and line; a file none of whose keys records a hash is one line.
func (r *Report) WriteDrift(w io.Writer) error {
	if len(r.Drift) == 0 && len(r.I18nDrift) == 0 {
		_, err := fmt.Fprintln(w, "Every translation, and every key of the i18n files, records the version of its source it was made from, and none is behind.")
		return err
	}
	var lines []string
	for _, s := range r.Drift {
		if s.Recorded == "" {
			lines = append(lines, fmt.Sprintf("%s: records no sourceVersion; if it matches %s now, set sourceVersion: %q", s.Translation.File, s.Source.File, s.Now))
		} else {
			lines = append(lines, fmt.Sprintf("%s: behind %s (sourceVersion %s, the source is now %s)", s.Translation.File, s.Source.File, s.Recorded, s.Now))
		}
	}
	for _, b := range r.I18nDrift {
		if b.Unrecorded() == b.Keys {
			lines = append(lines, fmt.Sprintf("%s: none of its %d keys records a hash (the version of the words in %s it was translated from), so none is tracked", b.File, b.Keys, b.Source))
			continue
		}
		for _, s := range b.Stale {
			if s.Recorded == "" {
				lines = append(lines, fmt.Sprintf("%s: i18n key %q records no hash; if it matches %s now, set hash = %q", fileLine(b.File, s.Line), s.Key, fileLine(b.Source, s.SourceLine), s.Now))
			} else {
				lines = append(lines, fmt.Sprintf("%s: i18n key %q is behind %s (hash %s, the source is now %s)", fileLine(b.File, s.Line), s.Key, fileLine(b.Source, s.SourceLine), s.Recorded, s.Now))
			}
		}
	}
	for _, l := range lines {
		if _, err := fmt.Fprintln(w, l); err != nil {
			return err
		}
	}
	return nil
}

// Summary counts the findings.
type Summary struct {
	Errors   int `json:"errors"`
	Warnings int `json:"warnings"`
	Files    int `json:"files"` // files with a finding
	Pages    int `json:"pages"`
}

// Summary counts the report's findings and the files they are in.
func (r *Report) Summary() Summary {
	s := Summary{Pages: r.Pages}
	files := map[string]bool{}
	for _, f := range r.Findings {
		if f.Severity == Error {
			s.Errors++
		} else {
			s.Warnings++
		}
		files[f.File] = true
	}
	s.Files = len(files)
	return s
}

func (s Summary) String() string {
	return fmt.Sprintf("%s, %s in %s", plural(s.Errors, "error"), plural(s.Warnings, "warning"), plural(s.Files, "file"))
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return strconv.Itoa(n) + " " + word + "s"
}

// Failed reports whether any finding is an error.
func (r *Report) Failed() bool { return r.Summary().Errors > 0 }

// Groups returns the findings grouped by file: files with errors first, then files with only
// warnings, each in order of name; within a file, errors first, then by line.
func (r *Report) Groups() [][]Finding {
	byFile := map[string][]Finding{}
	var files []string
	for _, f := range r.Findings {
		if byFile[f.File] == nil {
			files = append(files, f.File)
		}
		byFile[f.File] = append(byFile[f.File], f)
	}
	worst := func(file string) Severity {
		for _, f := range byFile[file] {
			if f.Severity == Error {
				return Error
			}
		}
		return Warning
	}
	slices.SortFunc(files, func(a, b string) int {
		if wa, wb := worst(a), worst(b); wa != wb {
			return int(wb) - int(wa)
		}
		return strings.Compare(a, b)
	})
	var out [][]Finding
	for _, file := range files {
		fs := byFile[file]
		Sort(fs)
		out = append(out, fs)
	}
	return out
}

// WriteText writes the report for people: the external links and the readability of the pages
// for people who may be victims (of every page when verbose), then the findings grouped by
// file, then the summary line.
func (r *Report) WriteText(w io.Writer, verbose bool) error {
	var b strings.Builder
	if len(r.External) > 0 {
		n := 0
		for _, pl := range r.External {
			n += len(pl.Links)
		}
		how := "listed, not fetched"
		if r.Fetched {
			how = "fetched; dead ones and redirects are among the warnings below"
		}
		fmt.Fprintf(&b, "External links (%s): %d in %s\n", how, n, plural(len(r.External), "file"))
		for _, pl := range r.External {
			fmt.Fprintf(&b, "  %s\n", pl.File)
			for _, l := range pl.Links {
				via := ""
				if l.Via != "" {
					via = "  (contact " + l.Via + ")"
				}
				if l.Line > 0 {
					fmt.Fprintf(&b, "    %d: %s%s\n", l.Line, l.URL, via)
				} else {
					fmt.Fprintf(&b, "    %s%s\n", l.URL, via)
				}
			}
		}
		b.WriteString("\n")
	}
	var shown []Readability
	for _, x := range r.Readability {
		if verbose || x.Limit > 0 {
			shown = append(shown, x)
		}
	}
	if len(shown) > 0 {
		if verbose {
			b.WriteString("LIX per page (below 30 very easy, 30–40 easy, 40–50 medium, above 50 hard):\n")
		} else {
			b.WriteString("LIX of the pages for people who may be victims (-v for every page):\n")
		}
		for _, x := range shown {
			limit := ""
			if x.Limit > 0 {
				limit = fmt.Sprintf("  (limit %.0f)", x.Limit)
				if x.LIX > x.Limit {
					limit = fmt.Sprintf("  (above the limit %.0f)", x.Limit)
				}
			}
			fmt.Fprintf(&b, "  %4.0f  %s%s\n", x.LIX, x.File, limit)
		}
		b.WriteString("\n")
	}
	for _, g := range r.Groups() {
		for _, f := range g {
			fmt.Fprintf(&b, "%s [%s]\n", f, f.Rule)
		}
		b.WriteString("\n")
	}
	s := r.Summary()
	fmt.Fprintf(&b, "%s (%d pages in %s checked)\n", s, r.Pages, plural(len(r.Languages), "language"))
	_, err := io.WriteString(w, b.String())
	return err
}

// WriteJSON writes the report as one JSON document: findings (grouped as in the text report),
// external links, LIX per page and the summary.
func (r *Report) WriteJSON(w io.Writer) error {
	doc := struct {
		Findings  []Finding     `json:"findings"`
		External  []PageLinks   `json:"external"`
		LIX       []Readability `json:"lix"`
		Languages []string      `json:"languages"`
		Summary   Summary       `json:"summary"`
	}{[]Finding{}, r.External, r.Readability, r.Languages, r.Summary()}
	for _, g := range r.Groups() {
		doc.Findings = append(doc.Findings, g...)
	}
	if doc.External == nil {
		doc.External = []PageLinks{}
	}
	if doc.LIX == nil {
		doc.LIX = []Readability{}
	}
	if doc.Languages == nil {
		doc.Languages = []string{}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(doc)
}

// position matches the file and line at the start of an error: "content/nb/x.md:12: …",
// "content/nb/x.md:12:5: …" or "content/nb/x.md: …".
var position = regexp.MustCompile(`^([^\s:"]+\.[\w]+)(?::(\d+))?(?::\d+)?: (.*)$`)

// inside matches a file and line named inside a message.
var inside = regexp.MustCompile(`([\w./-]+\.\w+):(\d+)(?::\d+)?`)

// quoted is the first quoted word of a message, such as the id of an unknown contact.
var quoted = regexp.MustCompile(`"([^"\s]+)"`)

// FromError turns a build error of the project in dir into a finding at the file and line it
// names. A *render.Error names them itself; of any other error (a warning Hugo logged, say)
// the file and line at the start of the message or inside it are taken, and when it names a
// file but no line, the line is that of the first quoted word of the message in the file
// (the unknown contact, fact or source it complains about).
func FromError(dir string, err error) Finding {
	f := Finding{File: "hugo.toml", Severity: Error, Rule: "build"}
	var re *render.Error
	if errors.As(err, &re) {
		f.File, f.Line, f.Message = re.File, re.Line, re.Message
		return f
	}
	msg := strings.TrimSpace(err.Error())
	if i := strings.IndexByte(msg, '\n'); i >= 0 {
		msg = msg[:i]
	}
	f.Message = msg
	exists := func(name string) bool {
		_, err := os.Stat(filepath.Join(dir, filepath.FromSlash(name)))
		return err == nil
	}
	if m := position.FindStringSubmatch(msg); m != nil && exists(m[1]) {
		f.File, f.Message = m[1], m[3]
		f.Line, _ = strconv.Atoi(m[2])
	} else if m := inside.FindStringSubmatch(msg); m != nil && exists(m[1]) {
		// Hugo names the position inside the message: `REF_NOT_FOUND: Ref "x.md": "content/en/y.md:80:29": page not found`.
		f.File = m[1]
		f.Line, _ = strconv.Atoi(m[2])
		return f
	} else {
		return f
	}
	if f.Line == 0 {
		if q := quoted.FindStringSubmatch(f.Message); q != nil {
			if src, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(f.File))); err == nil {
				f.Line = lineOf(string(src), `"`+q[1]+`"`, "`"+q[1]+"`", q[1])
			}
		}
	}
	return f
}
