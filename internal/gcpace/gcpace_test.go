package gcpace

import (
	"runtime"
	"runtime/debug"
	"testing"
	"time"
)

func TestPercent(t *testing.T) {
	p := Pace{Ceiling: 400, Floor: 25, Headroom: 32 << 20}
	for _, tc := range []struct {
		live uint64
		want int
	}{
		{0, 400},
		{1 << 20, 400},        // small: the ceiling
		{8 << 20, 400},        // 32/8 = 4: still the ceiling
		{16 << 20, 200},       // 32 MiB more than 16
		{32 << 20, 100},       // twice the live heap
		{64 << 20, 50},        // live + 32 MiB
		{128 << 20, 25},       // the floor
		{1 << 30, 25},         // still the floor
		{3 * 32 << 20, 33},    // rounds down
		{32<<20 + 1, 99},      // just past
		{(32 << 20) / 3, 300}, // between the bounds
	} {
		if got := p.Percent(tc.live); got != tc.want {
			t.Errorf("Percent(%d) = %d, want %d", tc.live, got, tc.want)
		}
	}
}

// Start sets the ceiling at once, and after a collection the percent of
// the heap it found live: with a headroom of one byte, the floor.
func TestStartFollowsCollections(t *testing.T) {
	defer debug.SetGCPercent(debug.SetGCPercent(100))
	Start(Pace{Ceiling: 300, Floor: 40, Headroom: 1})
	if got := debug.SetGCPercent(300); got != 300 {
		t.Fatalf("GOGC after Start = %d, want the ceiling, 300", got)
	}
	seen := cycles.Load()
	deadline := time.Now().Add(10 * time.Second)
	for cycles.Load() < seen+2 {
		if time.Now().After(deadline) {
			t.Fatalf("no cleanup ran after the collections: %d cycles", cycles.Load()-seen)
		}
		runtime.GC()
		time.Sleep(time.Millisecond)
	}
	if got := debug.SetGCPercent(300); got != 40 {
		t.Errorf("GOGC after collections = %d, want the floor, 40", got)
	}
}
