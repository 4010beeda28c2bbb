// Package par runs independent pieces of work on a fixed number of
// goroutines. Callers keep results in slices indexed like the work, so
// output order never depends on scheduling.
package par

import "sync"

// Each calls f(i) for every i in [0, n) on at most workers goroutines and
// returns when all calls have returned.
func Each(n, workers int, f func(i int)) {
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(max(workers, 1), n) {
		wg.Go(func() {
			for i := range next {
				f(i)
			}
		})
	}
	for i := range n {
		next <- i
	}
	close(next)
	wg.Wait()
}
