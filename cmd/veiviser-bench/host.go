package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"
)

// The shelter Wi-Fi load: how many phones at once, for how long, and what they fetch (the home
// page, a content page and the search index, in turn).
const (
	hostClients  = 200
	hostDuration = 10 * time.Second
)

var hostPaths = []string{"/", "/er-dette-meg/fa-hjelp/", "/search-index.js"}

// latencies is a histogram of request times in steps of 100 µs up to 2 s, so that the load
// generator's memory stays the same however many requests it makes.
type latencies struct {
	buckets [20001]uint32 // the last holds everything slower
	n       int
}

const latencyStep = 100 * time.Microsecond

func (l *latencies) add(d time.Duration) {
	i := min(int(d/latencyStep), len(l.buckets)-1)
	l.buckets[i]++
	l.n++
}

func (l *latencies) merge(o *latencies) {
	for i, c := range o.buckets {
		l.buckets[i] += c
	}
	l.n += o.n
}

// quantile is the time within which the fraction q of the requests were answered.
func (l *latencies) quantile(q float64) time.Duration {
	want := int(q * float64(l.n))
	seen := 0
	for i, c := range l.buckets {
		seen += int(c)
		if seen > want {
			return time.Duration(i+1) * latencyStep
		}
	}
	return time.Duration(len(l.buckets)) * latencyStep
}

// hostBench runs `veiviser host` (the binary bin/veiviser, as make bench builds it) on the zip
// on 127.0.0.1, puts hostClients clients on it for hostDuration and prints requests per
// second, the median and 99th percentile times, the errors (any is a failure) and the
// server's peak memory. It reports whether there was no error.
func hostBench(root, zip string) bool {
	bin := filepath.Join(root, "bin", "veiviser")
	if _, err := os.Stat(bin); err != nil {
		fmt.Printf("veiviser host: skipped, no %s (make bench builds it)\n", bin)
		return true
	}
	addr, err := freeAddr()
	check(err)
	cmd := exec.Command(bin, "host", "-addr", addr, zip)
	out, err := cmd.StdoutPipe()
	check(err)
	cmd.Stderr = os.Stderr
	check(cmd.Start())
	defer func() {
		cmd.Process.Signal(os.Interrupt)
		cmd.Wait()
	}()
	go io.Copy(io.Discard, bufio.NewReader(out))
	base := "http://" + addr
	if !waitServing(base+"/", 10*time.Second) {
		fmt.Println("veiviser host: FAILED, it did not answer within 10 s")
		return false
	}

	tr := &http.Transport{MaxIdleConns: hostClients, MaxIdleConnsPerHost: hostClients, MaxConnsPerHost: hostClients, DisableCompression: true}
	client := &http.Client{Transport: tr, Timeout: 10 * time.Second}
	ctx, cancel := context.WithTimeout(context.Background(), hostDuration)
	defer cancel()
	var (
		mu     sync.Mutex
		all    latencies
		errs   int
		sample string
		wg     sync.WaitGroup
	)
	start := time.Now()
	for c := range hostClients {
		wg.Go(func() {
			mine := new(latencies)
			bad := 0
			why := ""
			for i := c; ctx.Err() == nil; i++ {
				t0 := time.Now()
				res, err := client.Get(base + hostPaths[i%len(hostPaths)])
				if err == nil {
					_, err = io.Copy(io.Discard, res.Body)
					res.Body.Close()
					if err == nil && res.StatusCode != http.StatusOK {
						err = fmt.Errorf("%s: %s", hostPaths[i%len(hostPaths)], res.Status)
					}
				}
				if ctx.Err() != nil {
					break // the request the end of the run cut short counts for nothing
				}
				if err != nil {
					bad++
					why = err.Error()
					continue
				}
				mine.add(time.Since(t0))
			}
			mu.Lock()
			defer mu.Unlock()
			all.merge(mine)
			errs += bad
			if why != "" {
				sample = why
			}
		})
	}
	wg.Wait()
	elapsed := time.Since(start)
	peak := peakMemory(cmd.Process.Pid)
	verdict := "ok"
	if errs > 0 || all.n == 0 {
		verdict = fmt.Sprintf("FAILED (for example: %s)", sample)
	}
	fmt.Printf("veiviser host, %d clients for %s on 127.0.0.1 (home, a content page, the search index): %.0f requests/s, p50 %s, p99 %s, %d errors, server peak memory %s %s\n",
		hostClients, hostDuration, float64(all.n)/elapsed.Seconds(), all.quantile(0.5), all.quantile(0.99), errs, peak, verdict)
	return errs == 0 && all.n > 0
}

// freeAddr is a loopback address with a port no one listens on.
func freeAddr() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer ln.Close()
	return ln.Addr().String(), nil
}

// waitServing polls url until it answers, or the time is up.
func waitServing(url string, within time.Duration) bool {
	deadline := time.Now().Add(within)
	for time.Now().Before(deadline) {
		if res, err := http.Get(url); err == nil {
			res.Body.Close()
			return true
		}
		time.Sleep(50 * time.Millisecond)
	}
	return false
}

// peakMemory is the process's peak resident memory, from Linux's /proc ("unknown" elsewhere).
func peakMemory(pid int) string {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return "unknown"
	}
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			f := strings.Fields(rest)
			if kb, err := strconv.Atoi(f[0]); err == nil {
				return fmt.Sprintf("%.0f MB", float64(kb)/1024)
			}
		}
	}
	return "unknown"
}
