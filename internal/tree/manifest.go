package tree

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"sort"
	"strings"
)

// ManifestName is the file in public/ that lists what the build wrote there: the version, then
// the SHA-256 and path of every other file ("<sha256>  <path>", as sha256sum writes them).
// veiviser deploy -no-build deploys a public/ only when it is exactly that.
const ManifestName = ".veiviser-build"

// Manifest is the manifest of t, a build of version.
func Manifest(t Tree, version string) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "# The files veiviser build %s wrote to this folder. Do not edit.\n", version)
	for _, p := range t.Paths() {
		if p == ManifestName {
			continue
		}
		sum := sha256.Sum256(t[p])
		fmt.Fprintf(&b, "%s  %s\n", hex.EncodeToString(sum[:]), p)
	}
	return b.Bytes()
}

// CheckManifest says how t (a folder read back, with its manifest) differs from what its
// manifest lists: the first few files changed, missing or not listed, or nil when it is the
// same. dir names the folder in the message.
func CheckManifest(t Tree, dir string) error {
	data, ok := t[ManifestName]
	if !ok {
		return fmt.Errorf("%s has no %s: it was not written by veiviser build (run make)", dir, ManifestName)
	}
	listed := map[string]bool{}
	var problems []string
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if strings.HasPrefix(line, "#") || line == "" {
			continue
		}
		sum, p, ok := strings.Cut(line, "  ")
		if !ok || len(sum) != 64 {
			return fmt.Errorf("%s/%s:%d: not a line of the manifest: %q", dir, ManifestName, n, line)
		}
		listed[p] = true
		body, ok := t[p]
		if !ok {
			problems = append(problems, p+" is missing")
			continue
		}
		if got := sha256.Sum256(body); hex.EncodeToString(got[:]) != sum {
			problems = append(problems, p+" changed")
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("%s/%s: %v", dir, ManifestName, err)
	}
	for p := range t {
		if p != ManifestName && !listed[p] {
			problems = append(problems, p+" was not written by the build")
		}
	}
	if len(problems) == 0 {
		return nil
	}
	sort.Strings(problems)
	more := ""
	if len(problems) > 3 {
		more = fmt.Sprintf(" (and %d more)", len(problems)-3)
		problems = problems[:3]
	}
	return fmt.Errorf("%s is not as veiviser build wrote it: %s%s; run make again", dir, strings.Join(problems, ", "), more)
}
