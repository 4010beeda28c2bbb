package plan

import (
	"os"
	"testing"

	"jemfix/internal/gen"
	"jemfix/pkg/workspace"
)

// BenchmarkApplyLargeWorkspace measures Load and Option1 on a generated
// workspace of 1,000 crates and 20,000 .rs files, one in 50 naming
// jemalloc_ctl. The tree is written once; -benchtime=1x is enough.
func BenchmarkApplyLargeWorkspace(b *testing.B) {
	dir := b.TempDir()
	const files = 20000
	if err := gen.Workspace(dir, 1000, files, 50); err != nil {
		b.Fatal(err)
	}
	fsys := os.DirFS(dir)
	b.ResetTimer()
	for b.Loop() {
		ws, err := workspace.Load(fsys, dir)
		if err != nil {
			b.Fatal(err)
		}
		p, err := Option1(ws, Options{})
		if err != nil {
			b.Fatal(err)
		}
		if len(p.Changes) < files/50 {
			b.Fatalf("%d changes, want at least %d", len(p.Changes), files/50)
		}
	}
	b.ReportMetric(float64(files)*float64(b.N)/b.Elapsed().Seconds(), "files/s")
}
