package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"os/signal"
	"path/filepath"
	"sync"
	"syscall"
	"time"

	"github.com/veiviser/veiviser/internal/host"
)

// defaultHostPort is the port veiviser host listens on when -addr names none.
const defaultHostPort = 8080

func hostCmd(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("host", flag.ContinueOnError)
	dir := fs.String("dir", ".", "the project `folder`: without ZIP, the newest zip in its dist/ is served")
	addr := fs.String("addr", fmt.Sprintf("127.0.0.1:%d", defaultHostPort),
		"the `address` to listen on; 0.0.0.0:8080 for every network of this machine (a shelter's Wi-Fi)")
	pdf := fs.String("pdf", "", "also write a one-page A4 `PDF` to put up: \"Scan to open Veiviser on this Wi-Fi\", with the QR code (needs Chromium)")
	count := fs.Bool("count", false, "print how many pages were served, every minute and when stopped (never who asked, or for what)")
	if err := parseArgsRange(fs, args, stdout, "Share an offline zip on this machine's network, e.g. a laptop or Raspberry Pi on a shelter's\n"+
		"Wi-Fi, straight from the zip (nothing is unpacked). The zip is checked as veiviser verify does\n"+
		"and refused if it is not whole. It prints the address(es) to open, with a QR code for phones.\n"+
		"Read-only, no access log; stop with Ctrl+C.", " [ZIP]", 0, 1); err != nil {
		return err
	}
	name := fs.Arg(0)
	if name == "" {
		var err error
		if name, err = host.Newest(filepath.Join(*dir, "dist")); err != nil {
			return err
		}
	}
	listen, err := host.Addr(*addr, defaultHostPort)
	if err != nil {
		return usageError{err}
	}
	b, err := host.Open(name)
	if err != nil {
		return err
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	context.AfterFunc(ctx, stop) // a second Ctrl+C stops at once

	ln, err := net.Listen("tcp", listen)
	if err != nil {
		return err
	}
	defer ln.Close()
	ifaces, _ := net.InterfaceAddrs()
	urls, all, local := host.URLs(ln.Addr(), ifaces)

	if *pdf != "" {
		if err := host.WritePoster(ctx, *pdf, urls[0]); err != nil {
			return fmt.Errorf("-pdf %s: %v", *pdf, err)
		}
		fmt.Fprintf(stdout, "Wrote %s: a page to print and put up, for %s\n", *pdf, urls[0])
	}

	fmt.Fprintf(stdout, "Serving %s (%d files, checked against SHA256SUMS)\n", b.Name, b.Files)
	switch {
	case local && all:
		fmt.Fprintf(stdout, "This machine is on no network: only a browser on it can open\n  %s\n", urls[0])
	case local:
		fmt.Fprintf(stdout, "Open in a browser on this machine (phones cannot reach it; to share on the Wi-Fi:\n"+
			"veiviser host -addr 0.0.0.0:%d):\n  %s\n", defaultHostPort, urls[0])
	default:
		fmt.Fprintln(stdout, "Open on a phone or computer on the same network:")
		for _, u := range urls {
			fmt.Fprintf(stdout, "  %s\n", u)
		}
		if len(urls) > 1 {
			fmt.Fprintln(stdout, "(the first is the likeliest to be the Wi-Fi; the QR code is for it)")
		}
		host.TerminalQR(stdout, urls[0])
	}
	fmt.Fprintln(stdout, "Stop with Ctrl+C.")

	var counts *host.Counts
	var ticking sync.WaitGroup
	tctx, stopTicking := context.WithCancel(ctx)
	if *count {
		counts = &host.Counts{}
		ticking.Go(func() {
			tick := time.NewTicker(time.Minute)
			defer tick.Stop()
			last := int64(-1)
			for {
				select {
				case <-tctx.Done():
					return
				case <-tick.C:
					if n := counts.Files(); n != last {
						last = n
						printCounts(stdout, counts)
					}
				}
			}
		})
	}
	err = host.Serve(ctx, ln, b.Handler(counts), host.DefaultLimits)
	stopTicking()
	ticking.Wait()
	if counts != nil {
		printCounts(stdout, counts)
	}
	if err != nil && !errors.Is(err, net.ErrClosed) {
		return err
	}
	fmt.Fprintln(stdout, "Stopped.")
	return nil
}

func printCounts(w io.Writer, c *host.Counts) {
	fmt.Fprintf(w, "%s: served %d page(s), %d file(s) in all\n", time.Now().Format("15:04"), c.Pages(), c.Files())
}
