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
