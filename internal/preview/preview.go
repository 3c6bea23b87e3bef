// Package preview is `veiviser serve`: a local preview of the site that never writes the
// folders people publish (public/ and dist/).
//
// Every build is a fresh render of the whole project into memory, served by a small
// http.Server from that in-memory tree. A watcher (Hugo's own, fsnotify with a polling
// fallback) rebuilds from scratch when a file the site is made from changes. When Hugo fails,
// or panics, the preview serves a page with the error (naming the file and line where Hugo
// knows them) instead of the site, prints the same line in the terminal, and goes on
// watching: the next save rebuilds, and a fixed file brings the site back. A build renders
// once (pipeline.CheckSite: the steps the build and `veiviser check` share): the site is
// served as soon as Hugo has rendered it, and the rules of `veiviser check` (the one rule
// set) run on that same render; the preview prints what they find. The site is rendered for
// the preview's address: the rules judge its links as served, and the base-url rule the
// configured baseURL, as `veiviser check` does.
//
// Pages reload by themselves: every HTML page the preview serves gets a small script
// (/__veiviser/reload.js, same origin, so the site's Content-Security-Policy allows it) that
// polls /__veiviser/status and reloads when a newer build is ready, and shows the rules'
// errors in a box. The script is added as the page is served; it is in no file of the site.
// (The neutral exit page forbids every script, so it does not reload by itself.)
package preview

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"time"

	"github.com/veiviser/veiviser/internal/check"
	"github.com/veiviser/veiviser/internal/pipeline"
	"github.com/veiviser/veiviser/internal/render"
)

// Options says what to preview and where.
type Options struct {
	Dir  string    // the project (with hugo.toml)
	Addr string    // host:port to listen on, e.g. "127.0.0.1:1313"; port 0 picks a free port
	Log  io.Writer // the terminal: where the preview lives, each build, the rules' findings; nil for none
}

// PortInUseError is returned when the port to listen on is taken.
type PortInUseError struct {
	Port int // the port asked for
	Free int // a port that was free a moment ago (Port+1 when none was found)
}

func (e *PortInUseError) Error() string {
	return fmt.Sprintf("port %d is in use; try -port %d", e.Port, e.Free)
}

// server is a running preview.
type server struct {
	dir    string // absolute
	url    string // http://host:port/
	ln     net.Listener
	http   *http.Server
	logMu  sync.Mutex
	log    io.Writer
	quit   chan struct{}
	done   chan struct{} // closed when the build loop has ended
	closed sync.Once

	// build is pipeline.CheckSite: one render, and the rules on it; tests replace it.
	build func(pipeline.CheckOptions) (*render.Result, *check.Report, error)

	warned map[string]bool // the warnings of the last check; only the build loop uses it

	mu    sync.Mutex
	state *state        // what is served; nil before the first build
	ready chan struct{} // closed when the first build has ended
}

// Run previews the project until ctx is done.
func Run(ctx context.Context, opts Options) error {
	s, err := startServer(opts)
	if err != nil {
		return err
	}
	<-ctx.Done()
	s.logf("stopping; nothing was written to public/ or dist/")
	return s.Close()
}

// startServer listens on opts.Addr, prints where the preview lives and starts the first build
// and the watcher. Requests wait for the first build.
func startServer(opts Options) (*server, error) {
	s, err := newServer(opts)
	if err != nil {
		return nil, err
	}
	if err := s.start(); err != nil {
		return nil, err
	}
	return s, nil
}

func newServer(opts Options) (*server, error) {
	dir, err := filepath.Abs(opts.Dir)
	if err != nil {
		return nil, err
	}
	if _, err := os.Stat(filepath.Join(dir, "hugo.toml")); err != nil {
		return nil, fmt.Errorf("%s: no hugo.toml: not a Veiviser project", opts.Dir)
	}
	log := opts.Log
	if log == nil {
		log = io.Discard
	}
	s := &server{
		dir:   dir,
		log:   log,
		quit:  make(chan struct{}),
		done:  make(chan struct{}),
		ready: make(chan struct{}),
		build: pipeline.CheckSite,
	}
	if s.ln, err = listen(opts.Addr); err != nil {
		return nil, err
	}
	s.url = siteURL(s.ln.Addr().(*net.TCPAddr), opts.Addr)
	return s, nil
}

// start serves and builds; the listener is open.
func (s *server) start() error {
	w, err := newWatcher(s.dir)
	if err != nil {
		s.ln.Close()
		return err
	}
	s.http = &http.Server{Handler: s, ReadHeaderTimeout: 10 * time.Second}
	go s.http.Serve(s.ln)
	s.logf("preview on %s, built in memory: public/ and dist/ are not touched", s.url)
	s.logf("watching %s for changes; Ctrl+C stops", w.what())
	go s.loop(w)
	return nil
}

// URL is the preview's address, e.g. http://127.0.0.1:1313/.
func (s *server) URL() string { return s.url }

// Close stops serving and watching, after the build that is running, if any.
func (s *server) Close() error {
	var err error
	s.closed.Do(func() {
		close(s.quit)
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		err = s.http.Shutdown(ctx)
		<-s.done
	})
	return err
}

func (s *server) logf(format string, args ...any) {
	s.logMu.Lock()
	defer s.logMu.Unlock()
	fmt.Fprintf(s.log, time.Now().Format("15:04:05")+" "+format+"\n", args...)
}

// lines prints lines as they are, indented, below the last logf.
func (s *server) lines(ls []string) {
	s.logMu.Lock()
	defer s.logMu.Unlock()
	for _, l := range ls {
		fmt.Fprintf(s.log, "  %s\n", l)
	}
}

// listen listens on addr; a port in use is a *PortInUseError that names a free port.
func listen(addr string) (net.Listener, error) {
	host, p, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, err
	}
	port, err := strconv.Atoi(p)
	if err != nil {
		return nil, fmt.Errorf("port %q: want a number", p)
	}
	ln, err := net.Listen("tcp", addr)
	if err == nil {
		return ln, nil
	}
	if !addrInUse(err) {
		return nil, err
	}
	busy := &PortInUseError{Port: port, Free: port + 1}
	for next := port + 1; next <= port+100 && next < 65536; next++ {
		if l, err := net.Listen("tcp", net.JoinHostPort(host, strconv.Itoa(next))); err == nil {
			l.Close()
			busy.Free = next
			break
		}
	}
	return nil, busy
}

// siteURL is the address to open for a listener asked to listen on addr: a listener on every
// interface is reached at 127.0.0.1.
func siteURL(a *net.TCPAddr, addr string) string {
	host, _, _ := net.SplitHostPort(addr)
	if ip := net.ParseIP(host); host == "" || ip != nil && ip.IsUnspecified() {
		host = "127.0.0.1"
	}
	return "http://" + net.JoinHostPort(host, strconv.Itoa(a.Port)) + "/"
}
