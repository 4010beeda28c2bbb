package gen

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"jemfix/pkg/conflict"
	"jemfix/pkg/plan"
	"jemfix/pkg/workspace"
)

func TestRepos(t *testing.T) {
	dir := t.TempDir()
	roots, err := Repos(dir, 3)
	if err != nil {
		t.Fatal(err)
	}
	if len(roots) != 3 || roots[2] != filepath.Join(dir, "r0002") {
		t.Fatalf("roots = %q", roots)
	}
	for _, root := range roots {
		rs, using := countRust(t, root)
		if rs != RepoFiles || using != RepoUsing {
			t.Errorf("%s: %d .rs files, %d naming the crate; want %d and %d", root, rs, using, RepoFiles, RepoUsing)
		}
		// Each repository is a workspace with the conflict, and Option 1
		// rewrites both manifests and every file naming the crate.
		fsys := os.DirFS(root)
		ws, err := workspace.Load(fsys, root)
		if err != nil {
			t.Fatal(err)
		}
		if n := len(conflict.Scan(ws).Chains); n != 2 {
			t.Errorf("%s: %d conflict chains, want 2", root, n)
		}
		p, err := plan.Option1(ws, plan.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if !p.Resolves || len(p.Changes) != 1+RepoUsing {
			var paths []string
			for _, c := range p.Changes {
				paths = append(paths, c.Path)
			}
			t.Errorf("%s: resolves %v, changes %q; want the perf manifest and %d sources", root, p.Resolves, paths, RepoUsing)
		}
	}
	if _, err := Repos(dir, 0); err == nil {
		t.Error("want an error for zero repositories")
	}
}

// TestWriteRepos writes 200 small repositories to $JEMFIX_GEN_REPOS and
// their list, one per line, to $JEMFIX_GEN_REPOS/list, for measuring bulk
// runs (docs/PERFORMANCE.md). It is skipped unless that variable is set.
func TestWriteRepos(t *testing.T) {
	dir := os.Getenv("JEMFIX_GEN_REPOS")
	if dir == "" {
		t.Skip("set JEMFIX_GEN_REPOS to write the bulk benchmark repositories")
	}
	roots, err := Repos(dir, 200)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "list"), []byte(strings.Join(roots, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
}
