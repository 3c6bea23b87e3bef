package check

import (
	"fmt"
	"slices"
	"strings"
)

// MessageVersion is the version of a message of the source language's i18n file that its
// translations record, as go-i18n's hash field: SourceVersion of its words when it has the one
// form "other" (a plain string), else of its forms in the order zero, one, two, few, many,
// other, each as its name, a NUL and its words, joined by NULs ("one\x00…\x00other\x00…").
// Its description and other fields are not part of it.
func MessageVersion(m I18nMessage) string {
	if len(m.Forms) == 1 {
		if other, ok := m.Forms["other"]; ok {
			return SourceVersion(other)
		}
	}
	var parts []string
	for _, form := range pluralForms {
		if words, ok := m.Forms[form]; ok {
			parts = append(parts, form, words)
		}
	}
	return SourceVersion(strings.Join(parts, "\x00"))
}

// I18nStale is a key of a translation's i18n file whose source message changed since it was
// translated, or that records no hash.
type I18nStale struct {
	Key              string
	Line, SourceLine int    // the line of its hash (else of the key or its table), and of the key in the source's file
	Recorded, Now    string // the hash it records ("" for none), and the source message's version now
}

// I18nBehind is what I18nDrift found in one translation's i18n file.
type I18nBehind struct {
	File, Source string      // "i18n/pl.toml", "i18n/nb.toml"
	Keys         int         // the keys it shares with the source (the keys judged)
	Stale        []I18nStale // by line
}

// Unrecorded is how many of its stale keys record no hash.
func (b I18nBehind) Unrecorded() int {
	n := 0
	for _, s := range b.Stale {
		if s.Recorded == "" {
			n++
		}
	}
	return n
}

// I18nDrift finds, in the i18n file of every language but source (bokmål, the default), the
// keys whose hash is not the version of the source's message now (MessageVersion), and those
// that record none, by file. A key the source's file does not have is not judged.
func I18nDrift(files map[string]*I18n, source string) []I18nBehind {
	src := files[source]
	if src == nil {
		return nil
	}
	var out []I18nBehind
	for lang, f := range files {
		if lang == source {
			continue
		}
		b := I18nBehind{File: f.File, Source: src.File}
		for key, m := range f.Messages {
			sm, ok := src.Messages[key]
			if !ok {
				continue
			}
			b.Keys++
			if now := MessageVersion(sm); m.Hash != now {
				b.Stale = append(b.Stale, I18nStale{Key: key, Line: f.Line(key + ".hash"), SourceLine: src.Line(key), Recorded: m.Hash, Now: now})
			}
		}
		if len(b.Stale) == 0 {
			continue
		}
		slices.SortFunc(b.Stale, func(x, y I18nStale) int {
			if x.Line != y.Line {
				return x.Line - y.Line
			}
			return strings.Compare(x.Key, y.Key)
		})
		out = append(out, b)
	}
	slices.SortFunc(out, func(x, y I18nBehind) int { return strings.Compare(x.File, y.File) })
	return out
}

// I18nDriftFindings are the warnings check gives for I18nDrift: one at each key that records
// a hash other than its source message's version, at the line of its hash, naming the
// source's line. A key that records none is not judged (veiviser check -drift lists it).
func I18nDriftFindings(files map[string]*I18n, source string) []Finding {
	var out []Finding
	for _, b := range I18nDrift(files, source) {
		for _, s := range b.Stale {
			if s.Recorded == "" {
				continue
			}
			out = append(out, Finding{File: b.File, Line: s.Line, Severity: Warning, Rule: "drift",
				Message: fmt.Sprintf("i18n key %q may be behind its source: %s changed since it was translated (recorded hash %s, now %s); update the words, then set hash = %q",
					s.Key, fileLine(b.Source, s.SourceLine), s.Recorded, s.Now, s.Now)})
		}
	}
	return out
}

// fileLine is file:line, or file where the line is not known.
func fileLine(file string, line int) string {
	if line > 0 {
		return fmt.Sprintf("%s:%d", file, line)
	}
	return file
}
