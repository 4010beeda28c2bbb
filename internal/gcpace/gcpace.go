// Package gcpace paces the garbage collector of a short run whose live
// heap grows with its input: while the live heap is small, the heap may
// grow to several times it (few collections, and little memory in all);
// once it is large, only by about a fixed number of bytes more, so that
// the peak memory follows the live heap instead of a multiple of it.
package gcpace

import (
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"sync/atomic"
)

// Pace is the collector's pacing: GOGC is headroom*100/live, between
// Floor and Ceiling percent, where live is the heap the last collection
// found live.
type Pace struct {
	Ceiling, Floor int    // GOGC percents
	Headroom       uint64 // bytes
}

// Percent is the GOGC the pace sets for a live heap of live bytes.
func (p Pace) Percent(live uint64) int {
	if live == 0 {
		return p.Ceiling
	}
	pct := p.Headroom * 100 / live
	return int(max(min(pct, uint64(p.Ceiling)), uint64(p.Floor)))
}

// cycles counts the collections Start has seen, for tests.
var cycles atomic.Int64

// Start sets GOGC to p.Ceiling and then, after every collection, to
// p.Percent of the heap found live. It runs for the rest of the process.
func Start(p Pace) {
	debug.SetGCPercent(p.Ceiling)
	current := p.Ceiling
	sample := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	var arm func()
	arm = func() {
		// A cleanup runs once its object is found unreachable, which
		// this one is from the start: after the next collection.
		runtime.AddCleanup(&sentinel{}, func(struct{}) {
			cycles.Add(1)
			metrics.Read(sample)
			if sample[0].Value.Kind() == metrics.KindUint64 {
				if pct := p.Percent(sample[0].Value.Uint64()); pct != current {
					debug.SetGCPercent(pct)
					current = pct
				}
			}
			arm()
		}, struct{}{})
	}
	arm()
}

// sentinel is large enough, and holds a pointer, so that it is never
// packed with other small objects, whose lives would delay its cleanup.
type sentinel struct {
	p *sentinel
	_ [24]byte
}
