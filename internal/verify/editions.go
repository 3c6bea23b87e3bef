package verify

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// Edition is what Editions found of one file SHA256SUMS lists.
type Edition struct {
	Name     string
	Problems []string // nothing: whole; a zip's own problems are listed too
}

// Editions checks the editions in folder dir (dist/, or a copy of it) against the
// SHA256SUMS beside them: every file it lists is there with its checksum, and an offline zip
// is whole inside as well (File). The error is for a SHA256SUMS that cannot be read.
func Editions(dir string) ([]Edition, error) {
	sums, err := os.Open(filepath.Join(dir, "SHA256SUMS"))
	if err != nil {
		return nil, err
	}
	defer sums.Close()
	var out []Edition
	sc := bufio.NewScanner(io.LimitReader(sums, maxSums))
	for n := 1; sc.Scan(); n++ {
		sum, name, ok := strings.Cut(sc.Text(), "  ")
		if !ok || len(sum) != 64 || name == "" || strings.ContainsAny(name, `/\`) {
			return nil, fmt.Errorf("%s:%d: not a line of sha256sum (a checksum, two spaces and a file name)", filepath.Join(dir, "SHA256SUMS"), n)
		}
		e := Edition{Name: name}
		path := filepath.Join(dir, name)
		f, err := os.Open(path)
		if err != nil {
			e.Problems = append(e.Problems, "missing")
			out = append(out, e)
			continue
		}
		h := sha256.New()
		_, err = io.Copy(h, f)
		f.Close()
		switch {
		case err != nil:
			e.Problems = append(e.Problems, err.Error())
		case hex.EncodeToString(h.Sum(nil)) != sum:
			e.Problems = append(e.Problems, "changed: its SHA-256 differs from the one in SHA256SUMS")
		case strings.HasSuffix(name, ".zip"):
			rep, err := File(path)
			if err != nil {
				e.Problems = append(e.Problems, err.Error())
			} else {
				for _, p := range rep.Problems {
					e.Problems = append(e.Problems, p.String())
				}
			}
		}
		out = append(out, e)
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s lists no file", filepath.Join(dir, "SHA256SUMS"))
	}
	return out, nil
}
