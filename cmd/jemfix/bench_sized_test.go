package main

import (
	"io"
	"testing"

	"jemfix/internal/gen"
)

// BenchmarkApplyLargeSized is BenchmarkApplyLarge on the same workspace
// with every .rs file padded to 10,700 bytes (gen.WorkspaceSized): 20,000
// files, 214 MB, the size of the tree the reference numbers were
// measured on. Writing the tree takes longer than a run; -benchtime=3x is
// enough.
func BenchmarkApplyLargeSized(b *testing.B) {
	dir := b.TempDir()
	const files = 20000
	if err := gen.WorkspaceSized(dir, 1000, files, 50, 10700); err != nil {
		b.Fatal(err)
	}
	args := []string{"apply", "--option=1", "--dry-run", dir}
	b.ResetTimer()
	for b.Loop() {
		if code := run(args, io.Discard, io.Discard); code != exitPending {
			b.Fatalf("exit %d, want %d", code, exitPending)
		}
	}
	b.ReportMetric(float64(files)*float64(b.N)/b.Elapsed().Seconds(), "files/s")
	b.ReportMetric(float64(files)*10700*float64(b.N)/b.Elapsed().Seconds()/1e6, "MB/s")
}
