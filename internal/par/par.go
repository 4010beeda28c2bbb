// Package par runs independent pieces of work on a fixed number of
// goroutines. Callers keep results in slices indexed like the work, so
// output order never depends on scheduling.
package par

import (
	"fmt"
	"runtime"
	"runtime/debug"
	"sync"
	"sync/atomic"
)

// Each calls f(i) for every i in [0, n) on at most workers goroutines and
// returns when all calls have returned. Each worker takes the next index
// from a shared counter: no channel, so a worker never waits for the
// caller to hand it one, which costs more than a small piece of work (a
// manifest's planning takes microseconds).
//
// A call that panics stops its worker, and Each panics in the caller's
// goroutine with a *Panic that holds the value and the worker's stack,
// once the others have returned: there a deferred recover can see it,
// where a worker's panic would end the process before any deferred
// cleanup ran.
func Each(n, workers int, f func(i int)) {
	var next atomic.Int64
	var wg sync.WaitGroup
	var once sync.Once
	var panicked *Panic
	for range min(max(workers, 1), n) {
		wg.Go(func() {
			defer func() {
				if r := recover(); r != nil {
					once.Do(func() { panicked = &Panic{Value: r, Stack: debug.Stack()} })
					next.Store(int64(n)) // the others take no more work
				}
			}()
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
	if panicked != nil {
		panic(panicked)
	}
}

// Panic is the panic of a call of Each's, raised again in its caller.
type Panic struct {
	Value any
	Stack []byte // the worker's, where the call panicked
}

func (p *Panic) Error() string { return fmt.Sprint(p.Value) }

// Unwrap returns the value when it is an error, so that errors.As finds
// what the call panicked with.
func (p *Panic) Unwrap() error {
	err, _ := p.Value.(error)
	return err
}

// PerCPU is Each with one worker per CPU (GOMAXPROCS): for work that is
// mostly computation or system calls, which every core can run.
func PerCPU(n int, f func(i int)) { Each(n, runtime.GOMAXPROCS(0), f) }
