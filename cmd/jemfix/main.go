// Command jemfix fixes the jemalloc links conflict in Cargo workspaces.
//
// Usage:
//
//	jemfix scan [PATH]
//	jemfix plan [PATH]
//	jemfix apply --option=1|auto [--dry-run] [PATH]
//	jemfix version
//
// Run `jemfix help` for the flags, exit codes and JSON output.
package main

import "os"

func main() { os.Exit(run(os.Args[1:], os.Stdout, os.Stderr)) }
