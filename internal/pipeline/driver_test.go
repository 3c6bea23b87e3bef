package pipeline

import (
	"bytes"
	"context"
	"errors"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/veiviser/veiviser/internal/tree"
)

// The step list is sound: names are unique, a step comes only after steps listed before it
// (so check's steps, a prefix, are whole), every field a step reads is written by a step it
// comes after, no two steps that may run side by side touch a field one of them writes, and
// no step after the one that freezes the web tree writes it.
func TestSteps(t *testing.T) {
	index := map[string]int{}
	for i, s := range steps {
		if _, dup := index[s.name]; dup {
			t.Errorf("two steps are named %s", s.name)
		}
		for _, a := range s.after {
			if j, ok := index[a]; !ok || j >= i {
				t.Errorf("%s comes after %s, which is not listed before it", s.name, a)
			}
		}
		index[s.name] = i
	}
	// before[s] holds every step s comes after, directly or not.
	before := map[string]map[string]bool{}
	for _, s := range steps {
		before[s.name] = map[string]bool{}
		for _, a := range s.after {
			before[s.name][a] = true
			for x := range before[a] {
				before[s.name][x] = true
			}
		}
	}
	writers := map[string][]string{}
	for _, s := range steps {
		for _, w := range s.writes {
			writers[w] = append(writers[w], s.name)
		}
	}
	for _, s := range steps {
		for _, r := range s.reads {
			if !slices.ContainsFunc(writers[r], func(w string) bool { return before[s.name][w] }) {
				t.Errorf("%s reads %s, which no step it comes after writes (writers: %v)", s.name, r, writers[r])
			}
		}
	}
	for i, s := range steps {
		for _, u := range steps[i+1:] {
			if before[u.name][s.name] || before[s.name][u.name] {
				continue
			}
			for _, w := range s.writes {
				if slices.Contains(u.reads, w) || slices.Contains(u.writes, w) {
					t.Errorf("%s writes %s, which %s, running side by side with it, uses", s.name, w, u.name)
				}
			}
			for _, w := range u.writes {
				if slices.Contains(s.reads, w) {
					t.Errorf("%s writes %s, which %s, running side by side with it, reads", u.name, w, s.name)
				}
			}
		}
	}
	var freezer string
	for _, s := range steps {
		if s.freezes {
			if freezer != "" {
				t.Errorf("both %s and %s freeze the web tree", freezer, s.name)
			}
			freezer = s.name
		}
	}
	for _, s := range steps {
		if before[s.name][freezer] && slices.Contains(s.writes, "web") {
			t.Errorf("%s writes the web tree after %s froze it", s.name, freezer)
		}
	}
	cs := checkSteps()
	if last := cs[len(cs)-1].name; last != "check" {
		t.Errorf("check's steps end with %s", last)
	}
	for _, s := range cs {
		if s.freezes || slices.Contains(s.writes, "published") {
			t.Errorf("check runs %s, which only a build is to run", s.name)
		}
	}
	// The report's step lines, as the fault suite and the bench read them.
	var lines []string
	for _, s := range steps {
		if !s.quiet && !s.plain {
			lines = append(lines, s.name)
		}
	}
	if want := []string{"render", "minify", "check", "pdf", "offline", "validate", "pack", "editions", "zim", "write"}; !slices.Equal(lines, want) {
		t.Errorf("the steps with a line are %v, want %v", lines, want)
	}
}

// The driver runs steps side by side as soon as they are ready, reports each step's line
// when it is done, and on an error starts nothing more and lets nothing print after it
// returns: a step that was running is waited for, and says nothing.
func TestDriveStopsAtTheFirstError(t *testing.T) {
	var log bytes.Buffer
	var slowEnded, laterRan atomic.Bool
	boom := errors.New("boom")
	err := drive(context.Background(), &build{}, []step{
		{name: "first", run: func(context.Context, *build) (string, error) { return "one", nil }},
		{name: "slow", after: []string{"first"}, run: func(context.Context, *build) (string, error) {
			time.Sleep(200 * time.Millisecond)
			slowEnded.Store(true)
			return "slow", nil
		}},
		{name: "fails", after: []string{"first"}, run: func(context.Context, *build) (string, error) {
			time.Sleep(20 * time.Millisecond)
			return "", boom
		}},
		{name: "later", after: []string{"slow"}, run: func(context.Context, *build) (string, error) {
			laterRan.Store(true)
			return "later", nil
		}},
	}, &log)
	if !errors.Is(err, boom) {
		t.Fatalf("drive = %v, want the failing step's error", err)
	}
	if !slowEnded.Load() {
		t.Error("drive returned while a step was still running")
	}
	if laterRan.Load() {
		t.Error("a step started after another failed")
	}
	got := log.String()
	if !strings.HasPrefix(got, "first ") || !strings.HasSuffix(got, "  one\n") || strings.Count(got, "\n") != 1 {
		t.Errorf("the report, want only the first step's line:\n%s", got)
	}
	time.Sleep(50 * time.Millisecond)
	if log.String() != got {
		t.Errorf("printed after drive returned:\n%s", log.String())
	}
}

// A step that changes the web tree after it was frozen fails the run, by name; one that
// only reads it does not.
func TestFrozenWebTree(t *testing.T) {
	run := func(sneak func(b *build)) error {
		b := &build{}
		return drive(context.Background(), b, []step{
			{name: "pdf", freezes: true, run: func(_ context.Context, b *build) (string, error) {
				b.web = tree.Tree{"index.html": []byte("<p>hei</p>"), "a.pdf": []byte("%PDF")}
				return "", nil
			}},
			{name: "reader", after: []string{"pdf"}, run: func(_ context.Context, b *build) (string, error) {
				_ = len(b.web["index.html"])
				return "", nil
			}},
			{name: "sneak", after: []string{"reader"}, run: func(_ context.Context, b *build) (string, error) {
				sneak(b)
				return "", nil
			}},
		}, nil)
	}
	if err := run(func(*build) {}); err != nil {
		t.Fatalf("reading the frozen tree: %v", err)
	}
	for what, sneak := range map[string]func(b *build){
		"changes a file": func(b *build) { b.web["index.html"] = []byte("<p>hallo</p>") },
		"changes a byte": func(b *build) { b.web["index.html"][4] = 'H' },
		"adds a file":    func(b *build) { b.web["b.pdf"] = nil },
		"removes a file": func(b *build) { delete(b.web, "a.pdf") },
	} {
		err := run(sneak)
		if err == nil || !strings.Contains(err.Error(), "step sneak changed the web tree after it was frozen") {
			t.Errorf("a step that %s: %v", what, err)
		}
	}
}

// A panic in a step is an error naming the step; the other steps are waited for.
func TestDrivePanic(t *testing.T) {
	err := drive(context.Background(), &build{}, []step{
		{name: "render", run: func(context.Context, *build) (string, error) { panic("interface conversion") }},
		{name: "next", after: []string{"render"}, run: func(context.Context, *build) (string, error) { return "", nil }},
	}, nil)
	var pe *PanicError
	if !errors.As(err, &pe) || pe.Step != "render" || pe.Value != "interface conversion" {
		t.Fatalf("drive = %v, want a *PanicError of render", err)
	}
}

// Report lines come in the order of the list whichever step ends first: here b ends (and c,
// which comes after it, runs) before a, which is listed first.
func TestDriveReportsInTheOrderOfTheList(t *testing.T) {
	var log bytes.Buffer
	bDone := make(chan struct{})
	b := &build{}
	err := drive(context.Background(), b, []step{
		{name: "a", run: func(context.Context, *build) (string, error) { <-bDone; return "first in the list", nil }},
		{name: "b", run: func(context.Context, *build) (string, error) { return "ends first", nil }},
		{name: "c", quiet: true, after: []string{"b"}, run: func(context.Context, *build) (string, error) { close(bDone); return "", nil }},
	}, &log)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(log.String()), "\n")
	if len(lines) != 2 || !strings.HasPrefix(lines[0], "a ") || !strings.HasPrefix(lines[1], "b ") {
		t.Errorf("the report, want a's line then b's:\n%s", log.String())
	}
	var ended []string
	for _, st := range b.steps {
		ended = append(ended, st.Name)
	}
	if strings.Join(ended, " ") != "b c a" {
		t.Errorf("the steps ended in the order %v, want b c a (Result.Steps)", ended)
	}
}
