// Package phase times the steps of a run, for JEMFIX_PROFILE: the time
// from one mark to the next, by step name, so that whoever profiles a
// large tree sees where the wall-clock time went (docs/PERFORMANCE.md).
// Until Start is called, Mark does nothing.
package phase

import (
	"fmt"
	"io"
	"sync"
	"time"
)

var (
	mu    sync.Mutex
	on    bool
	last  time.Time
	steps []step
	hook  func(string)
)

type step struct {
	name string
	took time.Duration
}

// Start turns timing on; the first step runs from now.
func Start() {
	mu.Lock()
	defer mu.Unlock()
	on, last, steps = true, time.Now(), nil
}

// Mark ends the step under way, named name, and starts the next.
func Mark(name string) {
	mu.Lock()
	if !on {
		mu.Unlock()
		return
	}
	now := time.Now()
	steps = append(steps, step{name, now.Sub(last)})
	last = now
	f := hook
	mu.Unlock()
	if f != nil {
		f(name)
		mu.Lock()
		last = time.Now() // the hook's time is no step's
		mu.Unlock()
	}
}

// OnMark has f called as each step ends, with the step's name, out of
// the steps' times: for a heap profile at a chosen point of the run.
func OnMark(f func(step string)) {
	mu.Lock()
	defer mu.Unlock()
	hook = f
}

// Write prints each step and its time in milliseconds, in the order the
// steps first ended, then the total. A step that ran several times (a
// plan made a run at a time plans, checks and diffs each run) is printed
// once, with the sum of its times.
func Write(w io.Writer) error {
	mu.Lock()
	defer mu.Unlock()
	var total time.Duration
	var names []string
	took := map[string]time.Duration{}
	for _, s := range steps {
		total += s.took
		if _, ok := took[s.name]; !ok {
			names = append(names, s.name)
		}
		took[s.name] += s.took
	}
	for _, name := range names {
		if _, err := fmt.Fprintf(w, "%-16s %10.1f ms\n", name, ms(took[name])); err != nil {
			return err
		}
	}
	_, err := fmt.Fprintf(w, "%-16s %10.1f ms\n", "total", ms(total))
	return err
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
