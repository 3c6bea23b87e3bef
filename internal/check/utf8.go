package check

import (
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
	"unicode/utf8"
)

// textDirs are the folders whose text files must be UTF-8: Hugo publishes invalid bytes in
// content and data as they are (a reader sees �), and fails on them in i18n.
var textDirs = []string{"content", "data", "i18n"}

// textExts are the extensions of the text files in textDirs.
var textExts = map[string]bool{".md": true, ".markdown": true, ".html": true, ".htm": true, ".yaml": true, ".yml": true,
	".toml": true, ".json": true, ".csv": true, ".txt": true, ".xml": true, ".svg": true}

// UTF8 checks that every text file in the textDirs of the project in dir is valid UTF-8,
// naming the line of the first invalid byte of each file.
func UTF8(dir string) []Finding {
	var out []Finding
	for _, d := range textDirs {
		root := filepath.Join(dir, d)
		filepath.WalkDir(root, func(p string, e fs.DirEntry, err error) error {
			if err != nil || e.IsDir() || !textExts[strings.ToLower(filepath.Ext(p))] {
				return nil
			}
			b, err := os.ReadFile(p)
			if err != nil || utf8.Valid(b) {
				return nil
			}
			rel, _ := filepath.Rel(dir, p)
			out = append(out, invalidUTF8(filepath.ToSlash(rel), b))
			return nil
		})
	}
	return out
}

// invalidUTF8 is the finding for file, whose bytes b are not all UTF-8.
func invalidUTF8(file string, b []byte) Finding {
	i := 0
	for i < len(b) {
		r, size := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && size <= 1 {
			break
		}
		i += size
	}
	line := 1 + strings.Count(string(b[:i]), "\n")
	col := i - strings.LastIndexByte(string(b[:i]), '\n')
	n := 0
	for j := 0; j < len(b); {
		r, size := utf8.DecodeRune(b[j:])
		if r == utf8.RuneError && size <= 1 {
			n++
		}
		j += size
	}
	more := ""
	if n > 1 {
		more = fmt.Sprintf(" (and %d more in the file)", n-1)
	}
	return Finding{File: path.Clean(file), Line: line, Severity: Error, Rule: "utf-8",
		Message: fmt.Sprintf("invalid UTF-8: byte 0x%02X at column %d is not text%s: save the file as UTF-8", b[i], col, more)}
}
