// Package par runs independent pieces of work on a fixed number of
// goroutines. Callers keep results in slices indexed like the work, so
// output order never depends on scheduling.
package par

import (
	"runtime"
	"sync"
	"sync/atomic"
)

// Each calls f(i) for every i in [0, n) on at most workers goroutines and
// returns when all calls have returned. Each worker takes the next index
// from a shared counter: no channel, so a worker never waits for the
// caller to hand it one, which costs more than a small piece of work (a
// manifest's planning takes microseconds).
func Each(n, workers int, f func(i int)) {
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(max(workers, 1), n) {
		wg.Go(func() {
			for {
				i := int(next.Add(1) - 1)
				if i >= n {
					return
				}
				f(i)
			}
		})
	}
	wg.Wait()
}

// PerCPU is Each with one worker per CPU (GOMAXPROCS): for work that is
// mostly computation or system calls, which every core can run.
func PerCPU(n int, f func(i int)) { Each(n, runtime.GOMAXPROCS(0), f) }
