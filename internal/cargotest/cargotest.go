// Package cargotest lets tests run real cargo, offline, on copies of the
// workspaces in fixtures/. Crates resolve from fixtures/registry, a directory
// source of stub crates that mirror the jemalloc family's names, versions,
// links keys and dependency edges, so cargo reports the same conflicts it
// would report against the real registry.
package cargotest

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
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

// RequireCargo returns the path of the cargo executable. Without cargo the
// test is skipped, or fails under JEMFIX_REQUIRE_TOOLS (see RequireTool).
func RequireCargo(t testing.TB) string {
	t.Helper()
	return RequireTool(t, "cargo")
}

// RequireToolsEnv names the environment variable that turns a missing tool
// from a skip into a failure. A developer without cargo can still run
// `go test ./...`; .ci/run sets the variable because CI must not pass by
// skipping the oracles it exists to run.
const RequireToolsEnv = "JEMFIX_REQUIRE_TOOLS"

// Strict reports whether RequireToolsEnv asks for missing tools to fail
// tests instead of skipping them.
func Strict() bool {
	return strictValue(os.Getenv(RequireToolsEnv))
}

// strictValue is Strict for a value of the variable. Anything but empty or
// an explicit "off" spelling counts as on, so that a typo in CI fails
// closed rather than quietly skipping.
func strictValue(v string) bool {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "", "0", "false", "no", "off":
		return false
	}
	return true
}

// RequireTool returns the path of the executable name. When it is not on
// PATH the test is skipped with a message, or, when Strict, fails.
func RequireTool(t testing.TB, name string) string {
	t.Helper()
	path, err := exec.LookPath(name)
	if err == nil {
		return path
	}
	if fail, msg := skipOrFail(Strict(), name, err); fail {
		t.Fatal(msg)
	} else {
		t.Skip(msg)
	}
	return ""
}

// CheckTools returns an error naming every tool of names that is not on
// PATH, when Strict; otherwise nil. It is for callers that cannot use
// RequireTool, such as a testscript Setup, whose scripts skip on their own
// `[!exec:NAME]` conditions.
func CheckTools(names ...string) error {
	strict := Strict()
	var msgs []string
	for _, name := range names {
		if _, err := exec.LookPath(name); err != nil {
			if fail, msg := skipOrFail(strict, name, err); fail {
				msgs = append(msgs, msg)
			}
		}
	}
	if len(msgs) == 0 {
		return nil
	}
	return errors.New(strings.Join(msgs, "\n"))
}

// skipOrFail decides what a test does when the tool name was not found
// (err is LookPath's error) and says why: skip, or fail when strict.
func skipOrFail(strict bool, name string, err error) (fail bool, msg string) {
	if !strict {
		return false, fmt.Sprintf("skipping: this test needs %s, which is not on PATH (%v); "+
			"set %s=1 to make this a failure, as .ci/run does", name, err, RequireToolsEnv)
	}
	return true, fmt.Sprintf("%s is required but not on PATH (%v): %s is set (.ci/run sets it), "+
		"so a missing tool fails instead of skipping; %s, or unset %s to skip the tests that need it",
		name, err, RequireToolsEnv, installHint(name), RequireToolsEnv)
}

// installHint says how to get a tool the tests use.
func installHint(name string) string {
	switch name {
	case "cargo":
		return "install Rust with rustup (https://rustup.rs), which puts cargo in ~/.cargo/bin, and add that to PATH"
	case "git":
		return "install git (for example `apt-get install git`)"
	}
	return "install " + name + " and add it to PATH"
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

// ReadTree reads every file under dir, keyed by its slash path relative to
// dir: a snapshot to compare a tree before and after.
func ReadTree(t testing.TB, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		out[filepath.ToSlash(rel)] = string(b)
		return err
	})
	if err != nil {
		t.Fatalf("cargotest: reading %s: %v", dir, err)
	}
	return out
}

// WriteTree writes files (slash path relative to dir -> content) under
// dir, creating the directories they need.
func WriteTree(t testing.TB, dir string, files map[string]string) {
	t.Helper()
	for p, content := range files {
		full := filepath.Join(dir, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatalf("cargotest: %v", err)
		}
		if err := os.WriteFile(full, []byte(content), 0o644); err != nil {
			t.Fatalf("cargotest: %v", err)
		}
	}
}
