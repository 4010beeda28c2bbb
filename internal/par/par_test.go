package par

import (
	"errors"
	"strings"
	"sync/atomic"
	"testing"
)

func TestEach(t *testing.T) {
	for _, tt := range []struct{ n, workers int }{{0, 4}, {1, 4}, {100, 3}, {5, 0}} {
		got := make([]int, tt.n)
		var running, most atomic.Int32
		Each(tt.n, tt.workers, func(i int) {
			now := running.Add(1)
			for {
				m := most.Load()
				if now <= m || most.CompareAndSwap(m, now) {
					break
				}
			}
			got[i] = i * i
			running.Add(-1)
		})
		for i, v := range got {
			if v != i*i {
				t.Fatalf("n=%d: item %d = %d, not computed", tt.n, i, v)
			}
		}
		if limit := int32(max(tt.workers, 1)); most.Load() > limit {
			t.Errorf("n=%d: %d calls ran at once, more than %d workers", tt.n, most.Load(), limit)
		}
	}
}

// A call that panics makes Each panic in its caller with a *Panic holding
// the value and the worker's stack, once every worker has returned;
// errors.As sees through it.
func TestEachPanic(t *testing.T) {
	boom := errors.New("boom")
	var running atomic.Int32
	defer func() {
		p, ok := recover().(*Panic)
		if !ok || p.Value != boom || !errors.Is(p, boom) || !strings.Contains(string(p.Stack), "par_test.go") {
			t.Fatalf("recovered %v, want a *Panic of boom with the worker's stack", p)
		}
		if n := running.Load(); n != 0 {
			t.Errorf("%d calls still running when Each panicked", n)
		}
	}()
	Each(1000, 2, func(i int) {
		running.Add(1)
		defer running.Add(-1)
		if i == 10 {
			panic(boom)
		}
	})
	t.Fatal("Each returned after a call panicked")
}
