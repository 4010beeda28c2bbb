package cargotest

import (
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
)

// targetDirs holds one cargo target directory per test, so that repeated
// cargo calls in a test reuse its build while tests stay independent.
var targetDirs sync.Map // testing.TB -> string

func targetDir(t testing.TB) string {
	if dir, ok := targetDirs.Load(t); ok {
		return dir.(string)
	}
	dir, _ := targetDirs.LoadOrStore(t, t.TempDir())
	t.Cleanup(func() { targetDirs.Delete(t) })
	return dir.(string)
}

// Cargo runs cargo in dir with args and returns its combined output. It runs
// offline, builds into a target directory private to t, and sets
// RUSTFLAGS="-D unexpected_cfgs" so that a `#[cfg(feature = "...")]` naming
// a feature that does not exist fails the build instead of silently
// compiling the code out. Without cargo the test is skipped, or fails
// under JEMFIX_REQUIRE_TOOLS (see RequireTool).
func Cargo(t testing.TB, dir string, args ...string) (string, error) {
	t.Helper()
	cargo := RequireCargo(t)
	cmd := exec.CommandContext(t.Context(), cargo, args...)
	cmd.Dir = dir
	cmd.Env = cargoEnv(targetDir(t))
	out, err := cmd.CombinedOutput()
	t.Logf("cargo %s (in %s)", strings.Join(args, " "), dir)
	return string(out), err
}

// cargoEnv returns the environment for a cargo run. Variables that would
// override RUSTFLAGS are dropped.
func cargoEnv(target string) []string {
	var env []string
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		switch name {
		case "CARGO_ENCODED_RUSTFLAGS", "CARGO_BUILD_RUSTFLAGS", "CARGO_BUILD_TARGET_DIR":
			continue
		}
		env = append(env, kv)
	}
	return append(env,
		"CARGO_NET_OFFLINE=true",
		"CARGO_TARGET_DIR="+target,
		"CARGO_INCREMENTAL=0",
		"CARGO_TERM_COLOR=never",
		"RUSTFLAGS=-D unexpected_cfgs",
	)
}
