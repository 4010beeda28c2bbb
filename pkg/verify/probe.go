package verify

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
)

// ProbeDir is where the allocator probe is built, under the workspace's
// target directory so that the workspace's cargo configuration (registry,
// source replacement) applies to it.
const ProbeDir = "target/jemfix-probe"

// ProbeMarker starts the line the probe prints when jemalloc counted its
// allocation.
const ProbeMarker = "jemfix-probe: jemalloc allocated"

// Probe returns the manifest and main.rs of a standalone program that uses
// the workspace's resolved tikv-jemallocator and tikv-jemalloc-ctl (same
// versions, pinned) as its global allocator, allocates 1 MiB, and prints
// what tikv_jemalloc_ctl::stats::allocated reads. ok is false when the
// resolved graph holds no tikv-jemallocator.
func Probe(metadata []byte) (manifest, main string, ok bool) {
	var doc struct {
		Packages []struct{ Name, Version string } `json:"packages"`
	}
	if json.Unmarshal(metadata, &doc) != nil {
		return "", "", false
	}
	versions := map[string]string{}
	for _, p := range doc.Packages {
		versions[p.Name] = p.Version
	}
	alloc, ok := versions["tikv-jemallocator"]
	if !ok {
		return "", "", false
	}
	ctl, ok := versions["tikv-jemalloc-ctl"]
	if !ok {
		ctl = series(alloc)
	} else {
		ctl = "=" + ctl
	}
	manifest = fmt.Sprintf("[package]\nname = \"jemfix-probe\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n"+
		"# Not a member of the workspace around it.\n[workspace]\n\n[dependencies]\ntikv-jemallocator = %q\ntikv-jemalloc-ctl = %q\n", "="+alloc, ctl)
	main = `// Built by jemfix verify --run-probe, then removed.
#[global_allocator]
static GLOBAL: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

fn main() {
    let block = vec![1u8; 1 << 20];
    tikv_jemalloc_ctl::epoch::advance().expect("advance the jemalloc epoch");
    let allocated = tikv_jemalloc_ctl::stats::allocated::read().expect("read stats.allocated");
    assert!(allocated >= block.len(), "stats.allocated = {allocated}, below the 1 MiB just allocated");
    println!("` + ProbeMarker + ` {allocated} bytes");
}
`
	return manifest, main, true
}

// series turns "0.5.4" into the requirement "0.5".
func series(version string) string {
	parts := strings.SplitN(version, ".", 3)
	if len(parts) < 2 {
		return version
	}
	if _, err := strconv.Atoi(parts[1]); err != nil {
		return version
	}
	return parts[0] + "." + parts[1]
}
