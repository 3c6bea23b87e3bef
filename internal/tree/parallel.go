package tree

import (
	"runtime"
	"sync"
)

// Each calls fn for every path of paths on as many goroutines as there are CPUs and returns
// the first error any call returned. Calls for different paths may run at the same time, so
// fn must only touch what belongs to its own path.
func Each(paths []string, fn func(p string) error) error {
	workers := runtime.GOMAXPROCS(0) * 2
	jobs := make(chan string)
	var (
		wg    sync.WaitGroup
		once  sync.Once
		first error
	)
	for range workers {
		wg.Go(func() {
			for p := range jobs {
				if err := fn(p); err != nil {
					once.Do(func() { first = err })
				}
			}
		})
	}
	for _, p := range paths {
		jobs <- p
	}
	close(jobs)
	wg.Wait()
	return first
}

// Transform replaces, in parallel, the content of every file for which keep returns true by
// what fn returns for it.
func (t Tree) Transform(keep func(p string) bool, fn func(p string, b []byte) ([]byte, error)) error {
	var paths []string
	for _, p := range t.Paths() {
		if keep(p) {
			paths = append(paths, p)
		}
	}
	out := make([][]byte, len(paths))
	idx := make(map[string]int, len(paths))
	for i, p := range paths {
		idx[p] = i
	}
	err := Each(paths, func(p string) error {
		b, err := fn(p, t[p])
		out[idx[p]] = b
		return err
	})
	if err != nil {
		return err
	}
	for i, p := range paths {
		t[p] = out[i]
	}
	return nil
}
