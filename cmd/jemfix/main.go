// Command jemfix fixes the jemalloc links conflict in Cargo workspaces.
//
// Usage:
//
//	jemfix scan [flags] [PATH]
//	jemfix plan [flags] [PATH]
//	jemfix apply --option=1|2|3|auto [flags] [PATH...]
//	jemfix verify [flags] [PATH]
//	jemfix version
//	jemfix completion bash|zsh|fish
//	jemfix help [COMMAND]
//
// Run `jemfix help` for the exit codes, and `jemfix help COMMAND` for a
// command's flags; README documents the JSON output.
package main

import (
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"

	"jemfix/internal/gcpace"
)

func main() {
	limitMemory()
	injectFaults()
	stop := startProfile()
	code := run(cargoArgs(os.Args), os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// cargoArgs drops the subcommand name cargo passes when jemfix runs as the
// external subcommand cargo-jemfix (`cargo jemfix apply …` runs
// `cargo-jemfix jemfix apply …`).
func cargoArgs(argv []string) []string {
	name := strings.TrimSuffix(filepath.Base(argv[0]), ".exe")
	if name == "cargo-jemfix" && len(argv) > 1 && argv[1] == "jemfix" {
		return argv[2:]
	}
	return argv[1:]
}

// jemfix paces the garbage collector for a short run that reads a lot
// and keeps little (internal/gcpace): unless GOGC says otherwise, the heap
// may grow to five times what is live while that is small (fewer
// collections on the usual tree), and by about pace.Headroom once it is
// large (a workspace of thousands of crates), so that the peak memory
// follows the live heap, not five times it. Unless GOMEMLIMIT says
// otherwise, the collector also works harder near memoryLimit.
// docs/PERFORMANCE.md has the measurements behind the numbers.
var pace = gcpace.Pace{Ceiling: 400, Floor: 25, Headroom: 32 << 20}

const memoryLimit = 180 << 20

func limitMemory() {
	if os.Getenv("GOGC") == "" {
		gcpace.Start(pace)
	}
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(memoryLimit)
	}
}
