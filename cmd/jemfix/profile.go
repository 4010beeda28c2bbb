package main

import (
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
// plan and its changes are all live then. Unset, it does nothing.
const profileEnv = "JEMFIX_PROFILE"

// heapStep is the step after which the heap profile is written: the
// last one before the run lets go of the plan; the largest live heap.
const heapStep = "check"

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
	cpu, err := os.Create(filepath.Join(dir, "cpu.pprof"))
	if err != nil {
		return fail(err)
	}
	if err := pprof.StartCPUProfile(cpu); err != nil {
		cpu.Close()
		return fail(err)
	}
	heapName := filepath.Join(dir, "heap.pprof")
	var once sync.Once
	writeHeap := func() {
		once.Do(func() {
			if err := writeHeapProfile(heapName); err != nil {
				fail(err)
			}
		})
	}
	phase.OnMark(func(step string) {
		if step == heapStep {
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

// writeHeapProfile writes the live heap, after a collection, to name.
func writeHeapProfile(name string) error {
	f, err := os.Create(name)
	if err != nil {
		return err
	}
	runtime.GC()
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
