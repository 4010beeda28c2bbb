package par

import (
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
