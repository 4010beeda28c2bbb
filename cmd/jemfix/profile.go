package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"

	"jemfix/internal/phase"
)

// profileEnv names a directory where jemfix writes a CPU profile
// (cpu.pprof), a heap profile (heap.pprof) and the time of each step
// (phases.txt, see internal/phase) of the run, for `go tool
// pprof`: a way to see where time and memory go on a large tree without
// patching the code (docs/PERFORMANCE.md). Unset, it does nothing.
const profileEnv = "JEMFIX_PROFILE"

// startProfile starts the CPU profile when profileEnv asks for it, and
// returns the function that stops it and writes the heap profile.
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
	phase.Start()
	return func() {
		pprof.StopCPUProfile()
		cpu.Close()
		if err := writePhases(filepath.Join(dir, "phases.txt")); err != nil {
			fail(err)
		}
		heap, err := os.Create(filepath.Join(dir, "heap.pprof"))
		if err != nil {
			fail(err)
			return
		}
		defer heap.Close()
		runtime.GC()
		if err := pprof.WriteHeapProfile(heap); err != nil {
			fail(err)
		}
	}
}

// writePhases writes the wall-clock time of each step of the run.
func writePhases(name string) error {
	f, err := os.Create(name)
	if err != nil {
		return err
	}
	return errors.Join(phase.Write(f), f.Close())
}
