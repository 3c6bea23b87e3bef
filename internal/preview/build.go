package preview

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/gohugoio/hugo/watcher"
	"github.com/veiviser/veiviser/internal/check"
	"github.com/veiviser/veiviser/internal/pipeline"
	"github.com/veiviser/veiviser/internal/render"
	"github.com/veiviser/veiviser/internal/tree"
)

// state is one build as it is served.
type state struct {
	build int       // counts the builds, failed ones too; pages reload when it changes
	files tree.Tree // the site; nil when the build failed
	err   string    // why the build failed: one line, naming the file where known

	// What the rules found, once they have run (checked).
	checked  bool
	errors   []string
	warnings int
}

// parts of a project the site is made from, watched with everything below them.
var parts = []string{"content", "layouts", "assets", "data", "i18n", "static", "archetypes", "config"}

const (
	batch     = 50 * time.Millisecond  // the watcher hands over its events this often
	quiet     = 120 * time.Millisecond // a rebuild waits until no change came for this long
	poll      = 700 * time.Millisecond // when the system cannot notify, files are polled this often
	maxListed = 10                     // findings printed after a build; `veiviser check` lists all
)

// projectWatcher watches the parts of a project and the project folder itself (for hugo.toml
// and parts created later), with Hugo's watcher.
type projectWatcher struct {
	b        *watcher.Batcher
	dir      string
	events   chan []fsEvent
	stopping chan struct{} // closed when the watcher is to stop
	stopped  chan struct{} // closed when it has
	mu       sync.Mutex
	watched  map[string]bool
}

// fsEvent is what the preview needs of a watcher's event.
type fsEvent struct {
	Name string // the file's path
	Op   string // what happened, e.g. "WRITE", "CREATE|WRITE"
}

func newWatcher(dir string) (*projectWatcher, error) {
	b, err := watcher.New(batch, poll, false)
	if err != nil {
		return nil, fmt.Errorf("watching %s: %w", dir, err)
	}
	w := &projectWatcher{b: b, dir: dir, events: make(chan []fsEvent), stopping: make(chan struct{}),
		stopped: make(chan struct{}), watched: map[string]bool{}}
	w.add(dir)
	for _, p := range parts {
		w.addTree(filepath.Join(dir, p))
	}
	go w.forward()
	return w, nil
}

// forward hands the batcher's events on as fsEvents, and takes them until the batcher stopped
// (it stops only once it has handed over what it holds).
func (w *projectWatcher) forward() {
	for {
		select {
		case evs := <-w.b.Events:
			out := make([]fsEvent, len(evs))
			for i, ev := range evs {
				out[i] = fsEvent{Name: ev.Name, Op: ev.Op.String()}
			}
			select {
			case w.events <- out:
			case <-w.stopping:
			}
		case <-w.stopped:
			return
		}
	}
}

// close stops the watcher.
func (w *projectWatcher) close() {
	close(w.stopping)
	w.b.Close()
	close(w.stopped)
}

func (w *projectWatcher) errors() <-chan error { return w.b.Errors() }

func (w *projectWatcher) add(name string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.watched[name] {
		return
	}
	if err := w.b.Add(name); err == nil {
		w.watched[name] = true
	}
}

// addTree watches folder root and every folder below it but hidden ones and node_modules.
func (w *projectWatcher) addTree(root string) {
	filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || !d.IsDir() {
			return nil
		}
		if p != root && (strings.HasPrefix(d.Name(), ".") || d.Name() == "node_modules") {
			return filepath.SkipDir
		}
		w.add(p)
		return nil
	})
}

// what names what is watched, for the terminal.
func (w *projectWatcher) what() string {
	var names []string
	for _, p := range parts {
		if fi, err := os.Stat(filepath.Join(w.dir, p)); err == nil && fi.IsDir() {
			names = append(names, p+"/")
		}
	}
	return strings.Join(append(names, "hugo.toml"), ", ")
}

// relevant returns the files of evs the site is made from (relative to the project, slash
// separated), and starts watching folders created among them.
func (w *projectWatcher) relevant(evs []fsEvent) []string {
	var out []string
	for _, ev := range evs {
		rel, err := filepath.Rel(w.dir, ev.Name)
		if err != nil || rel == "." || strings.HasPrefix(rel, "..") {
			continue
		}
		rel = filepath.ToSlash(rel)
		top, _, _ := strings.Cut(rel, "/")
		if rel != "hugo.toml" && !slices.Contains(parts, top) {
			continue // public/, dist/, resources/, .git/, … are none of the preview's business
		}
		base := filepath.Base(ev.Name)
		if strings.HasPrefix(base, ".") || strings.HasSuffix(base, "~") || strings.HasSuffix(base, ".swp") || base == "4913" {
			continue // editors' temporary files
		}
		if ev.Op == "CHMOD" {
			continue
		}
		if fi, err := os.Stat(ev.Name); err == nil && fi.IsDir() {
			w.addTree(ev.Name)
		}
		if !slices.Contains(out, rel) {
			out = append(out, rel)
		}
	}
	return out
}

// loop builds the site, then rebuilds it whenever a file it is made from changes, until the
// preview is closed.
func (s *server) loop(w *projectWatcher) {
	defer close(s.done)
	defer w.close()
	s.rebuild(nil)
	for {
		var changed []string
		select {
		case <-s.quit:
			return
		case err, ok := <-w.errors():
			if ok {
				s.logf("watching: %v", err)
			}
			continue
		case evs := <-w.events:
			changed = w.relevant(evs)
		}
		if len(changed) == 0 {
			continue
		}
		// An editor's save is often several events (a temporary file, a rename): wait until
		// the files are quiet.
		t := time.NewTimer(quiet)
	wait:
		for {
			select {
			case <-s.quit:
				t.Stop()
				return
			case evs := <-w.events:
				for _, c := range w.relevant(evs) {
					if !slices.Contains(changed, c) {
						changed = append(changed, c)
					}
				}
				t.Reset(quiet)
			case <-t.C:
				break wait
			}
		}
		s.rebuild(changed)
	}
}

// rebuild renders the whole project afresh, once, and has the rules run on that render
// (pipeline.CheckSite): it serves the site (or the error) as soon as Hugo has rendered it,
// then prints what the rules find.
func (s *server) rebuild(changed []string) {
	what := "first build"
	if len(changed) > 0 {
		what = changed[0] + " changed"
		if len(changed) > 1 {
			what = fmt.Sprintf("%s and %d more changed", changed[0], len(changed)-1)
		}
	}
	start := time.Now()
	var next *state // the build served, once Hugo has rendered it
	serve := func(res *render.Result, err error) {
		s.mu.Lock()
		prev := s.state
		next = &state{build: 1}
		if prev != nil {
			next.build = prev.build + 1
		}
		if err != nil {
			next.err = s.oneLine(err)
			if _, panicked := err.(hugoPanic); panicked && len(changed) > 0 {
				next.err = fmt.Sprintf("%s: %s", changed[0], next.err)
			}
		} else {
			next.files = res.Files
		}
		s.state = next
		if prev == nil {
			close(s.ready)
		}
		s.mu.Unlock()
		if err != nil {
			s.logf("%s: the site cannot be built:", what)
			s.lines([]string{next.err})
			s.logf("the preview shows this error until the file is fixed; still watching")
			return
		}
		fixed := ""
		if prev != nil && prev.err != "" {
			fixed = "; fixed, the preview shows the site again"
		}
		s.logf("%s: built in %s, %d pages in %d languages%s", what, time.Since(start).Round(time.Millisecond), len(res.Content), len(res.Languages), fixed)
	}
	rendered := func(res *render.Result) { serve(res, nil) }

	rep, err := s.buildSafely(rendered)
	if _, panicked := err.(hugoPanic); panicked && next == nil {
		// Hugo's state after a panic is not to be trusted: build once more, from scratch.
		s.logf("%s: %v; rebuilding from scratch", what, err)
		rep, err = s.buildSafely(rendered)
	}
	if next == nil { // Hugo did not render the site
		if err == nil {
			err = fmt.Errorf("the site was not rendered")
		}
		serve(nil, err)
		return
	}
	if err != nil {
		s.logf("check: %s", s.oneLine(err))
		return
	}
	var errs, warnings []check.Finding
	for _, f := range rep.Findings {
		if f.Severity == check.Error {
			errs = append(errs, f)
		} else {
			warnings = append(warnings, f)
		}
	}
	s.mu.Lock()
	next.checked, next.warnings = true, len(warnings)
	for _, f := range errs {
		next.errors = append(next.errors, f.String())
	}
	s.mu.Unlock()
	s.logf("check: %s (a build would %s)", rep.Summary(), map[bool]string{true: "stop", false: "publish"}[len(errs) > 0])
	// Every error is listed (up to maxListed); warnings only when they are new, so that the
	// same warnings do not fill the terminal on every save.
	listed := slices.Clone(errs)
	seen := map[string]bool{}
	for _, f := range warnings {
		seen[f.String()] = true
		if s.warned == nil || !s.warned[f.String()] {
			listed = append(listed, f)
		}
	}
	old := len(errs) + len(warnings) - len(listed)
	s.warned = seen
	var list []string
	for i, f := range listed {
		if i == maxListed {
			list = append(list, fmt.Sprintf("… and %d more: veiviser check lists them all", len(listed)-i))
			break
		}
		list = append(list, f.String())
	}
	if old > 0 {
		list = append(list, fmt.Sprintf("(and %d warnings listed before)", old))
	}
	s.lines(list)
}

// hugoPanic is a panic while Hugo rendered or the rules ran, as an error.
type hugoPanic struct{ v any }

func (p hugoPanic) Error() string {
	return fmt.Sprintf("Hugo stopped with an internal error (panic: %v)", p.v)
}

// buildSafely renders the project and runs the rules on it (pipeline.CheckSite, or what tests
// put in its place), calling rendered with the site once Hugo has rendered it. A panic, in
// Hugo or in a rule, is a hugoPanic.
func (s *server) buildSafely(rendered func(*render.Result)) (rep *check.Report, err error) {
	defer func() {
		if v := recover(); v != nil {
			rep, err = nil, hugoPanic{v}
		}
	}()
	// The site's absolute links point at the preview; the rules judge the configured baseURL.
	_, rep, err = s.build(pipeline.CheckOptions{Dir: s.dir, SiteURL: s.url, Rendered: rendered})
	var pe *pipeline.PanicError
	if errors.As(err, &pe) {
		return nil, hugoPanic{pe.Value}
	}
	return rep, err
}

// oneLine is the first line of err, with paths relative to the project.
func (s *server) oneLine(err error) string {
	msg := strings.TrimSpace(err.Error())
	if i := strings.IndexByte(msg, '\n'); i >= 0 {
		msg = msg[:i]
	}
	return strings.ReplaceAll(msg, s.dir+string(filepath.Separator), "")
}
