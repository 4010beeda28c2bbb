package verify

import (
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strings"
)

// SysPackages returns the jemalloc sys packages ("name version") of a
// `cargo metadata --format-version 1` document, sorted.
func SysPackages(metadata []byte) ([]string, error) {
	var doc struct {
		Packages []struct{ Name, Version string } `json:"packages"`
	}
	if err := json.Unmarshal(metadata, &doc); err != nil {
		return nil, fmt.Errorf("reading cargo metadata: %w", err)
	}
	var out []string
	for _, p := range doc.Packages {
		if p.Name == "jemalloc-sys" || p.Name == "tikv-jemalloc-sys" {
			out = append(out, p.Name+" "+p.Version)
		}
	}
	slices.Sort(out)
	return out, nil
}

var packageRef = regexp.MustCompile("package `([^`]+)`")

// LinksConflict reads cargo's links-conflict error and returns its two
// chains, each from a workspace package down to the sys crate, e.g.
// ["riptide-api v0.9.2", "riptide-performance v0.9.2", "jemalloc-ctl v0.5.4",
// "jemalloc-sys"]. ok is false when out holds no links conflict.
func LinksConflict(out string) (chains [][]string, ok bool) {
	if !strings.Contains(out, "links to the native library") {
		return nil, false
	}
	lines := strings.Split(out, "\n")
	for i, l := range lines {
		var start string
		switch {
		case strings.Contains(l, "failed to select a version for `") && i+1 < len(lines) && strings.HasPrefix(strings.TrimSpace(lines[i+1]), "..."):
			start = between(l, "failed to select a version for `", "`")
		case strings.HasPrefix(l, "package `") && i > 0 && strings.Contains(lines[i-1], "conflicts with a previous package"):
			start = between(l, "package `", "`")
		default:
			continue
		}
		chain := []string{trimPath(start)}
		for _, next := range lines[i+1:] {
			if !strings.HasPrefix(strings.TrimSpace(next), "...") {
				break
			}
			if m := packageRef.FindAllStringSubmatch(next, -1); m != nil {
				chain = append(chain, trimPath(m[len(m)-1][1]))
			}
		}
		slices.Reverse(chain)
		chains = append(chains, chain)
	}
	return chains, true
}

func between(s, open, close string) string {
	_, rest, _ := strings.Cut(s, open)
	v, _, _ := strings.Cut(rest, close)
	return v
}

// trimPath drops the "(/abs/path)" cargo prints after a path package.
func trimPath(pkg string) string {
	name, _, _ := strings.Cut(pkg, " (")
	return name
}

// TestResults returns cargo test's `test result:` lines.
func TestResults(out string) []string {
	var res []string
	for _, l := range strings.Split(out, "\n") {
		if l = strings.TrimSpace(l); strings.HasPrefix(l, "test result:") {
			res = append(res, l)
		}
	}
	return res
}

// registryErrors are phrases of cargo's errors when it cannot get the
// crates: no network, a registry or mirror it cannot reach, --offline
// without the crates downloaded.
var registryErrors = []string{
	"failed to download", "failed to fetch", "failed to query replaced source registry",
	"failed to load source for dependency", "Unable to update registry", "unable to update registry",
	"attempting to make an HTTP request", "no matching package named", "Couldn't resolve host",
	"network failure", "spurious network error", "failed to get", "as a dependency of package",
}

// RegistryError reports whether cargo's error output says it could not
// get the crates, rather than judging the graph.
func RegistryError(out string) bool {
	if strings.Contains(out, "links to the native library") {
		return false
	}
	for _, p := range registryErrors {
		if strings.Contains(out, p) {
			return true
		}
	}
	return false
}
