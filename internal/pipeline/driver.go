package pipeline

import (
	"context"
	"fmt"
	"hash/maphash"
	"io"
	"runtime/debug"
	"slices"
	"sync"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/veiviser/veiviser/internal/tree"
)

// step is one step of the build (see steps).
type step struct {
	name    string   // its report line's first word, and how later steps name it in after
	after   []string // the steps it comes after: it starts when they are done
	reads   []string // the fields of build it reads (each written by a step it comes after)
	writes  []string // the fields of build it writes
	quiet   bool     // it prints no line
	plain   bool     // its text is printed as it is, without its name and time
	freezes bool     // the last step that changes the web tree: from then on it is read only
	run     func(ctx context.Context, b *build) (string, error)
}

// drive runs steps on b, each once the steps it comes after are done, side by side with those
// that are ready at the same time (an errgroup). A step with a line reports it through log
// when it is done: "render   5.9s  nb 17 pages, …", its name, its time and what run returned
// (which may go on over further lines). Only the driver writes to log (nil for none), a whole
// line at a time, in the order of steps, whichever step ends first. The first error stops the
// run: the steps waiting do not start, and those running are waited for but print nothing (nor
// does any step listed after the failed one, whose line waits for the failed one's); drive
// returns that error once every step has ended, so nothing prints after it returns. A panic in
// a step is a *PanicError. After the step that freezes the web tree, every step that comes
// after it is checked not to have changed it.
func drive(ctx context.Context, b *build, steps []step, log io.Writer) error {
	if log == nil {
		log = io.Discard
	}
	done := make(map[string]chan struct{}, len(steps))
	for _, s := range steps {
		done[s.name] = make(chan struct{})
	}
	frozenAfter := map[string]bool{} // the steps that come after the one that freezes the web tree
	for _, s := range steps {
		for _, a := range s.after {
			if done[a] == nil {
				return fmt.Errorf("pipeline: step %s comes after %s, which is not run", s.name, a)
			}
			if frozenAfter[a] || slices.ContainsFunc(steps, func(f step) bool { return f.name == a && f.freezes }) {
				frozenAfter[s.name] = true
			}
		}
	}
	began := time.Now()
	// Report lines come in the order of steps: a step's line waits for those before it.
	var (
		mu    sync.Mutex
		lines = make([]*string, len(steps)) // a done step's line ("" for none)
		next  int                           // the first step whose line is not printed yet
	)
	report := func(i int, line string) {
		mu.Lock()
		defer mu.Unlock()
		lines[i] = &line
		for next < len(steps) && lines[next] != nil {
			if *lines[next] != "" {
				fmt.Fprint(log, *lines[next])
			}
			next++
		}
	}
	g, ctx := errgroup.WithContext(ctx)
	for i, s := range steps {
		g.Go(func() error {
			for _, a := range s.after {
				select {
				case <-done[a]:
				case <-ctx.Done():
					return ctx.Err()
				}
			}
			start := time.Now()
			text, err := s.call(ctx, b)
			if err != nil {
				return err
			}
			if s.freezes {
				b.frozen = freeze(b.web)
			} else if frozenAfter[s.name] && !b.frozen.unchanged() {
				return fmt.Errorf("pipeline: step %s changed the web tree after it was frozen", s.name)
			}
			if ctx.Err() != nil {
				return ctx.Err() // another step failed meanwhile: this one says nothing
			}
			line := ""
			switch {
			case s.quiet:
			case s.plain:
				line = text + "\n"
			default:
				line = fmt.Sprintf("%-8s %6s  %s\n", s.name, time.Since(start).Round(time.Millisecond), text)
			}
			mu.Lock()
			b.steps = append(b.steps, StepTime{s.name, start.Sub(began), time.Since(start)})
			mu.Unlock()
			report(i, line)
			close(done[s.name])
			return nil
		})
	}
	return g.Wait()
}

// call runs the step, turning a panic into a *PanicError.
func (s step) call(ctx context.Context, b *build) (text string, err error) {
	defer func() {
		if v := recover(); v != nil {
			text, err = "", &PanicError{Step: s.name, Value: v, Stack: debug.Stack()}
		}
	}()
	return s.run(ctx, b)
}

// PanicError is a step that panicked (Hugo, now and then, on a bad edit).
type PanicError struct {
	Step  string // the step's name: "render"
	Value any    // what it panicked with
	Stack []byte
}

func (e *PanicError) Error() string {
	return fmt.Sprintf("%s: internal error (panic: %v)", e.Step, e.Value)
}

// frozenTree guards a tree no step may change any more: a fingerprint of its paths and bytes
// taken when it is frozen, compared after every later step. (A step that changes it while
// another reads it is also a data race, which `go test -race` reports.)
type frozenTree struct {
	t   tree.Tree
	sum uint64
}

var fingerprintSeed = maphash.MakeSeed()

func freeze(t tree.Tree) *frozenTree {
	return &frozenTree{t: t, sum: fingerprint(t)}
}

// unchanged reports whether the tree is as it was when frozen (true for none).
func (f *frozenTree) unchanged() bool {
	return f == nil || fingerprint(f.t) == f.sum
}

// fingerprint hashes every path and its bytes, in any order.
func fingerprint(t tree.Tree) uint64 {
	sum := uint64(len(t))
	var h maphash.Hash
	h.SetSeed(fingerprintSeed)
	for p, b := range t {
		h.Reset()
		h.WriteString(p)
		h.WriteByte(0)
		h.Write(b)
		sum += h.Sum64()
	}
	return sum
}
