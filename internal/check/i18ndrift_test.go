package check

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// writeI18n writes the i18n files of a project in a new folder and reads them back.
func writeI18n(t *testing.T, files map[string]string) map[string]*I18n {
	t.Helper()
	dir := t.TempDir()
	os.Mkdir(filepath.Join(dir, "i18n"), 0o755)
	var langs []string
	for lang, text := range files {
		if err := os.WriteFile(filepath.Join(dir, "i18n", lang+".toml"), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		langs = append(langs, lang)
	}
	out := ReadI18n(dir, langs)
	if len(out) != len(files) {
		t.Fatalf("read %d of %d i18n files", len(out), len(files))
	}
	return out
}

const nbI18n = `exitButton = "Forlat siden"
exitHint = "Eller trykk Shift tre ganger."

# The emergency sheet.
[sheet]
title = "Hjelp i Norge"
lead = "Du kan få hjelp."

[results]
one = "1 treff"
other = "{{ .Count }} treff"

[contact.rosa]
name = "ROSA"
`

// plI18n is a translation of nbI18n in go-i18n's message tables, recording the hashes v gives
// (a key v has none for records none); the line numbers are those with every hash.
func plI18n(v map[string]string) string {
	hash := func(key string) string {
		if v[key] == "" {
			return ""
		}
		return fmt.Sprintf("hash = %q\n", v[key])
	}
	return "# Polish.\n" +
		"[exitButton]\n" + hash("exitButton") + "other = \"Opuść tę stronę\"\n" + // 2–4
		"[exitHint]\n" + hash("exitHint") + "other = \"Albo naciśnij Shift trzy razy.\"\n" + // 5–7
		"[translationNote]\nother = \"Tłumaczenie z norweskiego.\"\n" + // 8–9: not in nb
		"\n# The emergency sheet.\n[sheet]\n" + // 10–12
		"[sheet.title]\n" + hash("sheet.title") + "other = \"Pomoc w Norwegii\"\n" + // 13–15
		"[sheet.lead]\n" + hash("sheet.lead") + "other = \"Możesz dostać pomoc.\"\n" + // 16–18
		"[results]\n" + hash("results") + "one = \"1 wynik\"\nfew = \"{{ .Count }} wyniki\"\nother = \"{{ .Count }} wyników\"\n" + // 19–23: plural
		"[contact.rosa]\n[contact.rosa.name]\n" + hash("contact.rosa.name") + "other = \"ROSA\"\n" // 24–27
}

// versions are the versions of every message of f now.
func versions(f *I18n) map[string]string {
	out := map[string]string{}
	for k, m := range f.Messages {
		out[k] = MessageVersion(m)
	}
	return out
}

func TestReadI18nMessages(t *testing.T) {
	all := map[string]string{"exitButton": "0123456789ab", "exitHint": "1", "sheet.title": "2", "sheet.lead": "3", "results": "4", "contact.rosa.name": "ba9876543210"}
	files := writeI18n(t, map[string]string{"nb": nbI18n, "pl": plI18n(all)})
	pl := files["pl"]
	for key, want := range map[string]string{"exitButton": "Opuść tę stronę", "sheet.title": "Pomoc w Norwegii", "results": "{{ .Count }} wyników", "contact.rosa.name": "ROSA", "translationNote": "Tłumaczenie z norweskiego."} {
		if pl.Values[key] != want {
			t.Errorf("Values[%q] = %q, want %q", key, pl.Values[key], want)
		}
	}
	for key := range pl.Values {
		if strings.HasSuffix(key, ".hash") || strings.HasSuffix(key, ".other") {
			t.Errorf("a message's field read as a key of its own: %q", key)
		}
	}
	if len(pl.Values) != 7 {
		t.Errorf("Values: %v", pl.Values)
	}
	if m := pl.Messages["exitButton"]; m.Hash != "0123456789ab" || m.Forms["other"] != "Opuść tę stronę" || len(m.Forms) != 1 {
		t.Errorf("exitButton: %+v", m)
	}
	if m := pl.Messages["results"]; m.Hash != "4" || len(m.Forms) != 3 || m.Forms["few"] != "{{ .Count }} wyniki" {
		t.Errorf("results: %+v", m)
	}
	for key, want := range map[string]int{"exitButton": 2, "exitButton.hash": 3, "sheet.title": 13, "sheet.title.hash": 14, "results.hash": 20, "contact.rosa.name.hash": 26, "sheet.missing": 12} {
		if got := pl.Line(key); got != want {
			t.Errorf("Line(%q) = %d, want %d", key, got, want)
		}
	}
	nb := files["nb"]
	if nb.Values["results"] != "{{ .Count }} treff" || nb.Messages["exitButton"].Forms["other"] != "Forlat siden" || nb.Line("sheet.lead") != 7 {
		t.Errorf("nb: %v %+v", nb.Values, nb.Messages)
	}
}

func TestMessageVersion(t *testing.T) {
	plain := I18nMessage{Forms: map[string]string{"other": "Forlat siden"}}
	if v := MessageVersion(plain); v != SourceVersion("Forlat siden") || len(v) != 12 {
		t.Errorf("a plain string's version %q is not SourceVersion of its words", v)
	}
	if MessageVersion(I18nMessage{Forms: map[string]string{"other": "Forlat siden"}, Hash: "x"}) != MessageVersion(plain) {
		t.Error("the hash a message records changed its version")
	}
	plural := I18nMessage{Forms: map[string]string{"other": "{{ .Count }} treff", "one": "1 treff"}}
	if v := MessageVersion(plural); v != SourceVersion("one\x001 treff\x00other\x00{{ .Count }} treff") {
		t.Errorf("a plural message's version %q is not of its forms in order", v)
	}
	changed := I18nMessage{Forms: map[string]string{"other": "{{ .Count }} treff", "one": "Ett treff"}}
	if MessageVersion(changed) == MessageVersion(plural) {
		t.Error("a change to the form one does not change the version")
	}
}

func TestI18nDrift(t *testing.T) {
	files := writeI18n(t, map[string]string{"nb": nbI18n})
	now := versions(files["nb"])
	recorded := map[string]string{}
	for k, v := range now {
		if k != "sheet.lead" {
			recorded[k] = v
		}
	}

	// As translated: no warning; -drift lists only the key that records no hash, at its line.
	files = writeI18n(t, map[string]string{"nb": nbI18n, "pl": plI18n(recorded)})
	if fs := I18nDriftFindings(files, "nb"); len(fs) > 0 {
		t.Errorf("current translations: %v", fs)
	}
	d := I18nDrift(files, "nb")
	if len(d) != 1 || d[0].File != "i18n/pl.toml" || d[0].Source != "i18n/nb.toml" || d[0].Keys != 6 || len(d[0].Stale) != 1 {
		t.Fatalf("I18nDrift: %+v", d)
	}
	if s := d[0].Stale[0]; s.Key != "sheet.lead" || s.Recorded != "" || s.Now != now["sheet.lead"] || s.Line != 16 || s.SourceLine != 7 {
		t.Errorf("the key that records no hash: %+v", s)
	}
	var out bytes.Buffer
	(&Report{I18nDrift: d}).WriteDrift(&out)
	if want := fmt.Sprintf("i18n/pl.toml:16: i18n key \"sheet.lead\" records no hash; if it matches i18n/nb.toml:7 now, set hash = %q\n", now["sheet.lead"]); out.String() != want {
		t.Errorf("check -drift:\n%s\nwant\n%s", out.String(), want)
	}

	// The bokmål words of exitButton and one form of results change: a warning at the line
	// of each one's hash (sheet.lead, before results, records none, so results' hash is on
	// line 19), naming the bokmål line and the new hash; the rest are current.
	nb2 := strings.Replace(strings.Replace(nbI18n, "Forlat siden", "Gå fra siden", 1), `one = "1 treff"`, `one = "Ett treff"`, 1)
	files = writeI18n(t, map[string]string{"nb": nb2, "pl": plI18n(recorded)})
	now2 := versions(files["nb"])
	fs := I18nDriftFindings(files, "nb")
	if len(fs) != 2 {
		t.Fatalf("findings: %v", fs)
	}
	Sort(fs)
	want := []string{
		fmt.Sprintf(`i18n/pl.toml:3: warning: i18n key "exitButton" may be behind its source: i18n/nb.toml:1 changed since it was translated (recorded hash %s, now %s); update the words, then set hash = %q`, now["exitButton"], now2["exitButton"], now2["exitButton"]),
		fmt.Sprintf(`i18n/pl.toml:19: warning: i18n key "results" may be behind its source: i18n/nb.toml:9 changed since it was translated (recorded hash %s, now %s); update the words, then set hash = %q`, now["results"], now2["results"], now2["results"]),
	}
	for i, w := range want {
		if fs[i].String() != w || fs[i].Rule != "drift" {
			t.Errorf("finding %d = %s [%s]\nwant        %s", i, fs[i], fs[i].Rule, w)
		}
	}
	out.Reset()
	(&Report{I18nDrift: I18nDrift(files, "nb")}).WriteDrift(&out)
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != 3 || !strings.HasPrefix(lines[0], `i18n/pl.toml:3: i18n key "exitButton" is behind i18n/nb.toml:1 (hash `+now["exitButton"]) ||
		!strings.HasPrefix(lines[1], `i18n/pl.toml:16: i18n key "sheet.lead" records no hash`) || !strings.HasPrefix(lines[2], `i18n/pl.toml:19: i18n key "results" is behind`) {
		t.Errorf("check -drift, by line:\n%s", out.String())
	}

	// A file none of whose keys records a hash: check says nothing, -drift says it once.
	files = writeI18n(t, map[string]string{"nb": nb2, "pl": plI18n(nil)})
	if fs := I18nDriftFindings(files, "nb"); len(fs) > 0 {
		t.Errorf("keys that record no hash are not judged: %v", fs)
	}
	out.Reset()
	(&Report{I18nDrift: I18nDrift(files, "nb")}).WriteDrift(&out)
	if got := out.String(); strings.Count(got, "\n") != 1 || !strings.HasPrefix(got, "i18n/pl.toml: none of its 6 keys records a hash") {
		t.Errorf("check -drift on a file without hashes:\n%s", got)
	}
}
