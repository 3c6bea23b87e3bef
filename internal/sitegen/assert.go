package sitegen

import (
	"bytes"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/rogpeppe/go-internal/txtar"
	"github.com/veiviser/veiviser/internal/tree"
	"golang.org/x/net/html"
)

// TB is what the test helpers need of a *testing.T (or B), so that this package, which the
// benchmark program imports too, does not import package testing.
type TB interface {
	Helper()
	TempDir() string
	Fatal(args ...any)
	Errorf(format string, args ...any)
}

// New returns a temporary project with the repository's configuration and templates and the
// files of archive (a txtar text: "-- content/nb/_index.md --" and so on), for a test.
func New(t TB, archive string) string {
	t.Helper()
	dir := t.TempDir()
	if err := CopyProject(Root(), dir); err != nil {
		t.Fatal(err)
	}
	Write(t, dir, archive)
	return dir
}

// Write writes the files of a txtar archive into dir, replacing files of the same name; an
// error fails the test.
func Write(t TB, dir, archive string) {
	t.Helper()
	if err := WriteArchive(dir, archive); err != nil {
		t.Fatal(err)
	}
}

// AssertFileContent checks file name of files, in the style of Hugo's AssertFileContent:
// every line of every match (trimmed; empty lines are skipped) must be in the file or, when it
// starts with "! ", must not be.
//
// A line that is one start tag, such as <a class="exit-button" href="vaer/index.html">,
// matches an element of that name with at least those attributes and values, however the
// minifier wrote them: quoted or not, in any order, with other attributes between. A class
// given must be among the element's classes; an attribute given without a value (or an empty
// one) need only be there. Any other line must be in the file's bytes as they are.
func AssertFileContent(t TB, files tree.Tree, name string, matches ...string) {
	t.Helper()
	b, ok := files[name]
	if !ok {
		t.Errorf("%s: no such file", name)
		return
	}
	var elems []element // the file's elements, read when a line needs them
	for _, m := range matches {
		for _, line := range strings.Split(m, "\n") {
			line = strings.TrimSpace(line)
			want := true
			if rest, ok := strings.CutPrefix(line, "! "); ok {
				line, want = strings.TrimSpace(rest), false
			}
			if line == "" {
				continue
			}
			if tag, ok := startTag(line); ok {
				if elems == nil {
					elems = readElements(b)
				}
				var same []string
				found := false
				for _, e := range elems {
					if e.name == tag.name {
						same = append(same, e.String())
						found = found || e.has(tag)
					}
				}
				switch {
				case found && !want:
					t.Errorf("%s has %s, which it must not", name, line)
				case !found && want:
					t.Errorf("%s has no %s; its <%s> elements:%s", name, line, tag.name, list(same))
				}
				continue
			}
			i := strings.Index(string(b), line)
			switch {
			case i >= 0 && !want:
				t.Errorf("%s has %q, which it must not: …%s…", name, line, around(b, i, len(line)))
			case i < 0 && want:
				t.Errorf("%s (%d bytes) lacks %q", name, len(b), line)
			}
		}
	}
}

// AssertFiles checks the files a txtar archive names, each against the lines of its section,
// as AssertFileContent does:
//
//	-- index.html --
//	<a class="exit-button" href="vaer/index.html">
//	! data-offline-href
func AssertFiles(t TB, files tree.Tree, archive string) {
	t.Helper()
	for _, f := range txtar.Parse([]byte(archive)).Files {
		AssertFileContent(t, files, f.Name, string(f.Data))
	}
}

// element is an HTML start tag: its name and its attributes' values, unescaped.
type element struct {
	name  string
	attrs [][2]string
}

func (e element) String() string {
	var b strings.Builder
	b.WriteString("<" + e.name)
	for _, a := range e.attrs {
		fmt.Fprintf(&b, " %s=%q", a[0], a[1])
	}
	return b.String() + ">"
}

// has reports whether e has every attribute of want, with its value.
func (e element) has(want element) bool {
	for _, w := range want.attrs {
		i := slices.IndexFunc(e.attrs, func(a [2]string) bool { return a[0] == w[0] })
		if i < 0 {
			return false
		}
		got := e.attrs[i][1]
		switch {
		case w[1] == "":
		case w[0] == "class":
			classes := strings.Fields(got)
			for _, c := range strings.Fields(w[1]) {
				if !slices.Contains(classes, c) {
					return false
				}
			}
		case got != w[1]:
			return false
		}
	}
	return true
}

var startTagLine = regexp.MustCompile(`^<[a-zA-Z][a-zA-Z0-9-]*(\s[^<>]*)?/?>$`)

// startTag parses line as one start tag.
func startTag(line string) (element, bool) {
	if !startTagLine.MatchString(line) {
		return element{}, false
	}
	elems := readElements([]byte(line))
	if len(elems) != 1 {
		return element{}, false
	}
	return elems[0], true
}

// readElements reads every start tag of doc (those in inline SVG too).
func readElements(doc []byte) []element {
	elems := []element{}
	z := html.NewTokenizer(bytes.NewReader(doc))
	for {
		switch z.Next() {
		case html.ErrorToken:
			return elems
		case html.StartTagToken, html.SelfClosingTagToken:
			tok := z.Token()
			el := element{name: tok.Data}
			for _, a := range tok.Attr {
				el.attrs = append(el.attrs, [2]string{a.Key, a.Val})
			}
			elems = append(elems, el)
		}
	}
}

// list is up to 10 elements, one a line.
func list(elems []string) string {
	if len(elems) == 0 {
		return " none"
	}
	more := ""
	if len(elems) > 10 {
		elems, more = elems[:10], fmt.Sprintf("\n\t… and %d more", len(elems)-10)
	}
	return "\n\t" + strings.Join(elems, "\n\t") + more
}

// around is the text of b around the n bytes at i.
func around(b []byte, i, n int) string {
	from, to := max(0, i-60), min(len(b), i+n+60)
	return string(b[from:to])
}
