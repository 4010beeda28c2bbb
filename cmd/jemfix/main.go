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

// jemfix tunes the garbage collector for a short run that reads a lot
// and keeps little: unless GOGC and GOMEMLIMIT say otherwise, the heap may
// grow to five times what is live (gcPercent, fewer collections on the
// usual tree) but not past memoryLimit, where the collector works harder
// instead (a workspace of thousands of crates). The live heap stays below
// the limit (docs/PERFORMANCE.md): it bounds the garbage, not the work.
const (
	gcPercent   = 400
	memoryLimit = 180 << 20
)

func limitMemory() {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(gcPercent)
	}
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(memoryLimit)
	}
}
