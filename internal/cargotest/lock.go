package cargotest

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/pelletier/go-toml/v2"
)

type lockFile struct {
	Package []struct {
		Name    string `toml:"name"`
		Version string `toml:"version"`
	} `toml:"package"`
}

// LockedPackages parses dir/Cargo.lock and returns the locked versions of
// each package name, in lockfile order.
func LockedPackages(t testing.TB, dir string) map[string][]string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(dir, "Cargo.lock"))
	if err != nil {
		t.Fatalf("cargotest: %v", err)
	}
	var lock lockFile
	if err := toml.Unmarshal(data, &lock); err != nil {
		t.Fatalf("cargotest: parsing %s: %v", filepath.Join(dir, "Cargo.lock"), err)
	}
	pkgs := make(map[string][]string)
	for _, p := range lock.Package {
		pkgs[p.Name] = append(pkgs[p.Name], p.Version)
	}
	return pkgs
}

// SysPackages returns the Cargo.lock entries of the jemalloc sys crates
// (jemalloc-sys, tikv-jemalloc-sys: any name ending in "jemalloc-sys") as
// sorted "name version" strings. A graph free of the links conflict has
// exactly one.
func SysPackages(t testing.TB, dir string) []string {
	t.Helper()
	var sys []string
	for name, versions := range LockedPackages(t, dir) {
		if !strings.HasSuffix(name, "jemalloc-sys") {
			continue
		}
		for _, v := range versions {
			sys = append(sys, name+" "+v)
		}
	}
	sort.Strings(sys)
	return sys
}
