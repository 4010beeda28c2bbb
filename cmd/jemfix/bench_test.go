package main

import (
	"io"
	"strconv"
	"testing"

	"jemfix/internal/gen"
)

// BenchmarkBulk measures one bulk dry run over 200 generated small
// repositories (gen.Repos), with one worker and with two. The repositories
// are written once, before the sub-benchmarks; nothing is written to them.
func BenchmarkBulk(b *testing.B) {
	const n = 200
	roots, err := gen.Repos(b.TempDir(), n)
	if err != nil {
		b.Fatal(err)
	}
	for _, j := range []int{1, 2} {
		b.Run("j="+strconv.Itoa(j), func(b *testing.B) {
			args := append([]string{"apply", "--option=1", "--dry-run", "-j", strconv.Itoa(j)}, roots...)
			for b.Loop() {
				if code := run(args, io.Discard, io.Discard); code != exitPending {
					b.Fatalf("exit %d, want %d (every root has a diff)", code, exitPending)
				}
			}
			b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "roots/s")
		})
	}
}

// BenchmarkApplyLarge measures the whole command, `jemfix apply --option=1
// --dry-run`, on the generated workspace of BenchmarkApplyLargeWorkspace in
// pkg/plan (1,000 crates, 20,000 .rs files): that one times Load and
// Option1 through os.DirFS; this one adds os.Root, the diff and the output.
func BenchmarkApplyLarge(b *testing.B) { benchApply(b, 0) }

// benchApply times the whole dry run on a generated 1,000-crate,
// 20,000-file workspace; bytesPerFile pads every .rs file (0: unpadded).
func benchApply(b *testing.B, bytesPerFile int) {
	dir := b.TempDir()
	const files = 20000
	if err := gen.WorkspaceSized(dir, 1000, files, 50, bytesPerFile); err != nil {
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
	if bytesPerFile > 0 {
		b.ReportMetric(float64(files)*float64(bytesPerFile)*float64(b.N)/b.Elapsed().Seconds()/1e6, "MB/s")
	}
}

// BenchmarkScanPlan compares `jemfix scan` with `jemfix plan` on a
// generated workspace the size of a large real one (75 crates, 840 .rs
// files, one in 20 naming jemalloc_ctl, padded to 4 KB): plan evaluates
// every option, scan reads the manifests, and the Option 1 dry run is the
// cost of one option. docs/PERFORMANCE.md records the ratios.
func BenchmarkScanPlan(b *testing.B) {
	dir := b.TempDir()
	if err := gen.WorkspaceSized(dir, 75, 840, 20, 4096); err != nil {
		b.Fatal(err)
	}
	for _, args := range [][]string{{"scan"}, {"plan"}, {"apply", "--option=1", "--dry-run"}} {
		b.Run(args[0], func(b *testing.B) {
			for b.Loop() {
				run(append(args, dir), io.Discard, io.Discard)
			}
		})
	}
}
