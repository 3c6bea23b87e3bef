package host

import (
	"context"
	"errors"
	"io"
	"log"
	"net"
	"net/http"
	"time"

	"golang.org/x/net/netutil"
)

// Limits bound what one client can take of the server.
type Limits struct {
	// ReadHeader is the time a client has to send its request's headers: a client that
	// sends them one byte a second is cut off after it.
	ReadHeader time.Duration
	Read       time.Duration // the whole request
	Write      time.Duration // the whole response
	Idle       time.Duration // a kept-alive connection waiting for the next request
	// HeaderBytes is the most a request's headers may hold (431 beyond it; Go allows a
	// few KiB of slack on top).
	HeaderBytes int
	// Conns is the most connections served at once; more wait to be accepted.
	Conns int
	// Shutdown is how long requests under way may take to finish when the server stops.
	Shutdown time.Duration
}

// DefaultLimits suit a shelter's Wi-Fi: a few dozen phones, each with a handful of
// connections, some on a weak signal. The largest file of a bundle (a PDF, some hundred KiB)
// takes seconds even then.
var DefaultLimits = Limits{
	ReadHeader:  5 * time.Second,
	Read:        10 * time.Second,
	Write:       60 * time.Second,
	Idle:        60 * time.Second,
	HeaderBytes: 8 << 10,
	Conns:       512,
	Shutdown:    5 * time.Second,
}

// NewServer is an http.Server for h with the limits lim. It logs nothing: Go's server would
// write a client's address into its error log.
func NewServer(h http.Handler, lim Limits) *http.Server {
	return &http.Server{
		Handler:           h,
		ReadHeaderTimeout: lim.ReadHeader,
		ReadTimeout:       lim.Read,
		WriteTimeout:      lim.Write,
		IdleTimeout:       lim.Idle,
		MaxHeaderBytes:    lim.HeaderBytes,
		ErrorLog:          log.New(io.Discard, "", 0),
	}
}

// Serve serves h on ln with the limits lim until ctx ends, then shuts down gracefully:
// no new connections, and requests under way get lim.Shutdown to finish. It returns nil
// after a clean shutdown, or the error that stopped the server.
func Serve(ctx context.Context, ln net.Listener, h http.Handler, lim Limits) error {
	if lim.Conns > 0 {
		ln = netutil.LimitListener(ln, lim.Conns)
	}
	srv := NewServer(h, lim)
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), lim.Shutdown)
	defer cancel()
	err := srv.Shutdown(sctx)
	if errors.Is(err, context.DeadlineExceeded) {
		err = srv.Close()
	}
	if serr := <-done; !errors.Is(serr, http.ErrServerClosed) && err == nil {
		err = serr
	}
	return err
}
