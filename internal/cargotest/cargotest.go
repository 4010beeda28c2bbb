// Package cargotest lets tests run real cargo, offline, on copies of the
// workspaces in fixtures/. Crates resolve from fixtures/registry, a directory
// source of stub crates that mirror the jemalloc family's names, versions,
// links keys and dependency edges, so cargo reports the same conflicts it
// would report against the real registry.
package cargotest

import (
	"errors"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/pelletier/go-toml/v2"
)

// ModuleRoot walks up from the working directory to the directory holding go.mod.
func ModuleRoot(t testing.TB) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatalf("cargotest: %v", err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatalf("cargotest: no go.mod above the working directory")
		}
		dir = parent
	}
}

// RequireCargo skips the test with a clear message when cargo is not on PATH.
// It returns the path of the cargo executable.
func RequireCargo(t testing.TB) string {
	t.Helper()
	path, err := exec.LookPath("cargo")
	if err != nil {
		t.Skipf("cargo is not on PATH, skipping the cargo oracle: %v", err)
	}
	return path
}

// CopyFixture copies fixtures/<name> into t.TempDir()/<name>, preserving file
// modes, and returns the copy's path. Any target/ directory left in the
// fixture by a local cargo run is not copied.
func CopyFixture(t testing.TB, name string) string {
	t.Helper()
	src := filepath.Join(ModuleRoot(t), "fixtures", name)
	if _, err := os.Stat(src); err != nil {
		t.Fatalf("cargotest: fixture %q: %v", name, err)
	}
	dst := filepath.Join(t.TempDir(), name)
	if err := copyTree(src, dst); err != nil {
		t.Fatalf("cargotest: copying fixture %q: %v", name, err)
	}
	return dst
}

func copyTree(src, dst string) error {
	return filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && d.Name() == "target" && path != src {
			return filepath.SkipDir
		}
		rel, err := filepath.Rel(src, path)
		if err != nil {
			return err
		}
		return copyEntry(path, filepath.Join(dst, rel), d)
	})
}

func copyEntry(from, to string, d fs.DirEntry) error {
	info, err := d.Info()
	if err != nil {
		return err
	}
	switch {
	case d.IsDir():
		return os.MkdirAll(to, info.Mode().Perm())
	case info.Mode()&fs.ModeSymlink != 0:
		target, err := os.Readlink(from)
		if err != nil {
			return err
		}
		return os.Symlink(target, to)
	case info.Mode().IsRegular():
		data, err := os.ReadFile(from)
		if err != nil {
			return err
		}
		if err := os.WriteFile(to, data, info.Mode().Perm()); err != nil {
			return err
		}
		// WriteFile's mode is filtered by the umask; set it exactly.
		return os.Chmod(to, info.Mode().Perm())
	default:
		return errors.New(from + ": not a regular file, directory or symlink")
	}
}

// RegistryDir returns the absolute path of the stub registry, fixtures/registry.
func RegistryDir(t testing.TB) string {
	t.Helper()
	return filepath.Join(ModuleRoot(t), "fixtures", "registry")
}

// UseStubRegistry writes <dir>/.cargo/config.toml so that crates-io is
// replaced by a directory source pointing at the absolute path of
// fixtures/registry. An existing config file is overwritten.
func UseStubRegistry(t testing.TB, dir string) {
	t.Helper()
	config := map[string]any{
		"source": map[string]any{
			"crates-io": map[string]any{"replace-with": "stubs"},
			"stubs":     map[string]any{"directory": RegistryDir(t)},
		},
	}
	data, err := toml.Marshal(config)
	if err != nil {
		t.Fatalf("cargotest: encoding cargo config: %v", err)
	}
	cargoDir := filepath.Join(dir, ".cargo")
	if err := os.MkdirAll(cargoDir, 0o755); err != nil {
		t.Fatalf("cargotest: %v", err)
	}
	if err := os.WriteFile(filepath.Join(cargoDir, "config.toml"), data, 0o644); err != nil {
		t.Fatalf("cargotest: %v", err)
	}
}
