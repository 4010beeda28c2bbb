package plan_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"jemfix/internal/cargotest"
	"jemfix/pkg/plan"
	"jemfix/pkg/tomledit"
	"jemfix/pkg/workspace"
)

// metadata runs `cargo metadata --no-deps --offline` in dir and returns the
// manifest path of every package and the real names of their dependencies.
func metadata(t *testing.T, dir string) (manifests, deps []string) {
	t.Helper()
	out, err := cargotest.Cargo(t, dir, "metadata", "--no-deps", "--offline", "--format-version", "1")
	if err != nil {
		t.Fatalf("cargo metadata rejects the output: %v\n%s", err, out)
	}
	var md struct {
		Packages []struct {
			ManifestPath string `json:"manifest_path"`
			Dependencies []struct {
				Name string `json:"name"`
			} `json:"dependencies"`
		} `json:"packages"`
	}
	// Warnings go to stderr, before the document on stdout.
	if err := json.Unmarshal([]byte(out[strings.Index(out, "{"):]), &md); err != nil {
		t.Fatalf("cargo metadata output: %v\n%s", err, out)
	}
	for _, p := range md.Packages {
		manifests = append(manifests, p.ManifestPath)
		for _, d := range p.Dependencies {
			deps = append(deps, d.Name)
		}
	}
	return manifests, deps
}

func writeFile(t *testing.T, name string, data []byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(name, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestShapesCargoMetadata lets cargo judge every complete golden output of
// the shapes corpus: each becomes a package (with src/lib.rs and stubs for
// its workspace members) that `cargo metadata --no-deps` must accept, and
// cargo must see no original-lineage jemalloc crate in it.
func TestShapesCargoMetadata(t *testing.T) {
	cargotest.RequireCargo(t)
	cases, err := loadShapes()
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cases {
		if !c.Cargo {
			continue
		}
		t.Run(c.Name, func(t *testing.T) {
			dir := t.TempDir()
			writeFile(t, filepath.Join(dir, "Cargo.toml"), c.Out)
			writeFile(t, filepath.Join(dir, "src", "lib.rs"), nil)
			writeFile(t, filepath.Join(dir, "build.rs"), []byte("fn main() {}\n"))
			for name, data := range memberStubs(t, c.Out) {
				writeFile(t, filepath.Join(dir, name), data)
				writeFile(t, filepath.Join(dir, filepath.Dir(name), "src", "lib.rs"), nil)
			}
			_, deps := metadata(t, dir)
			for _, d := range deps {
				if original[d] {
					t.Errorf("cargo still sees a dependency on %s", d)
				}
			}
		})
	}
}

// TestFixturesCargoMetadata applies Option 1 to a copy of each fixture
// workspace, checks that every edited manifest changed only inside its
// tokens, and has cargo load the result: `cargo metadata --no-deps
// --offline` must accept every manifest, list every edited member, and see
// no original-lineage jemalloc crate.
func TestFixturesCargoMetadata(t *testing.T) {
	cargotest.RequireCargo(t)
	for _, name := range []string{"riptide", "single-legacy", "tikv-only", "version-split", "inherited"} {
		t.Run(name, func(t *testing.T) {
			dir := cargotest.CopyFixture(t, name)
			edited := applyOption1(t, dir)
			manifests, deps := metadata(t, dir)
			for _, m := range edited {
				if m != filepath.Join(dir, "Cargo.toml") && !slices.Contains(manifests, m) {
					t.Errorf("cargo metadata does not list the edited manifest %s", m)
				}
			}
			for _, d := range deps {
				if original[d] {
					t.Errorf("cargo still sees a dependency on %s", d)
				}
			}
		})
	}
}

// applyOption1 writes Option 1's changes into the workspace at dir and
// returns the absolute paths of the manifests it changed.
func applyOption1(t *testing.T, dir string) []string {
	t.Helper()
	fsys := os.DirFS(dir)
	ws, err := workspace.Load(fsys, dir)
	if err != nil {
		t.Fatal(err)
	}
	p, err := plan.Option1(ws, plan.Options{RenameFeatures: true})
	if err != nil {
		t.Fatal(err)
	}
	if err := p.LoadAll(ws); err != nil {
		t.Fatal(err)
	}
	var edited []string
	for _, c := range p.Changes {
		file := filepath.Join(dir, filepath.FromSlash(c.Path))
		if filepath.Base(file) == "Cargo.toml" {
			doc, err := tomledit.Parse(c.Path, c.Old)
			if err != nil {
				t.Fatal(err)
			}
			if err := onlyTokensChanged(c.Old, c.New, tokenSpans(doc)); err != nil {
				t.Errorf("%s: %v", c.Path, err)
			}
			edited = append(edited, file)
		}
		writeFile(t, file, c.New)
	}
	return edited
}
