package main

import (
	"cmp"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"sync"

	"jemfix/internal/phase"
)

// profileEnv names a directory where jemfix writes a CPU profile
// (cpu.pprof), a heap profile (heap.pprof) and the time of each step
// (phases.txt, see internal/phase) of the run, for `go tool
// pprof`: a way to see where time and memory go on a large tree without
// patching the code (docs/PERFORMANCE.md). The heap profile is taken
// when the check ends (heapStep), after a collection: the workspace, the
// plan and its changes are all live then; heap.txt gives the size of that
// live heap. Allocations are sampled every memRate bytes, finer than
// the runtime's default, so that small objects held per crate show.
// Unset, it does nothing.
const profileEnv = "JEMFIX_PROFILE"

// heapStep is the step after which the heap profile is written by
// default: the last one before the run lets go of the plan. heapStepEnv
// names another step of phases.txt ("plan packages", "load", ...).
const (
	heapStep    = "check"
	heapStepEnv = "JEMFIX_PROFILE_HEAP"
)

// memRate is the heap profile's sampling interval in bytes while profiling.
const memRate = 4 << 10

// startProfile starts the CPU profile when profileEnv asks for it, and
// returns the function that stops it and writes the phases; the heap
// profile is written as heapStep ends, or at the end when no step of
// that name ran (scan, plan).
func startProfile() (stop func()) {
	dir := os.Getenv(profileEnv)
	if dir == "" {
		return func() {}
	}
	fail := func(err error) func() {
		fmt.Fprintf(os.Stderr, "jemfix: %s: %v\n", profileEnv, err)
		return func() {}
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fail(err)
	}
	runtime.MemProfileRate = memRate
	cpu, err := os.Create(filepath.Join(dir, "cpu.pprof"))
	if err != nil {
		return fail(err)
	}
	if err := pprof.StartCPUProfile(cpu); err != nil {
		cpu.Close()
		return fail(err)
	}
	at := cmp.Or(os.Getenv(heapStepEnv), heapStep)
	var once sync.Once
	writeHeap := func() {
		once.Do(func() {
			if err := writeHeapProfile(dir, at); err != nil {
				fail(err)
			}
		})
	}
	phase.OnMark(func(step string) {
		if step == at {
			writeHeap()
		}
	})
	phase.Start()
	return func() {
		pprof.StopCPUProfile()
		cpu.Close()
		if err := writePhases(filepath.Join(dir, "phases.txt")); err != nil {
			fail(err)
		}
		writeHeap()
	}
}

// writeHeapProfile writes the live heap after the step at, after a
// collection, to heap.pprof in dir, and its size to heap.txt.
func writeHeapProfile(dir, at string) error {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	size := fmt.Sprintf("live heap after %s: %d bytes in %d objects\n", at, ms.HeapAlloc, ms.HeapObjects)
	if err := os.WriteFile(filepath.Join(dir, "heap.txt"), []byte(size), 0o644); err != nil {
		return err
	}
	f, err := os.Create(filepath.Join(dir, "heap.pprof"))
	if err != nil {
		return err
	}
	return errors.Join(pprof.WriteHeapProfile(f), f.Close())
}

// writePhases writes the wall-clock time of each step of the run.
func writePhases(name string) error {
	f, err := os.Create(name)
	if err != nil {
		return err
	}
	return errors.Join(phase.Write(f), f.Close())
}
