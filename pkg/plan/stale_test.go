package plan

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// A half-migrated package gets its stale family paths renamed to the crate
// it depends on, whether or not the manifest changes in this run.
func TestStaleSources(t *testing.T) {
	tests := []struct {
		name  string
		in    []string
		opt   Options
		want  map[string]string
		skips int
	}{
		{
			name: "paths, use, extern crate, macros and cfg features",
			in: []string{"Cargo.toml", "[package]\nname = \"app\"\n[dependencies]\ntikv-jemallocator = { version = \"0.5\", optional = true }\ntikv-jemalloc-ctl = \"0.5\"\n",
				"src/main.rs", "extern crate jemallocator;\nuse jemallocator as _;\n#[cfg(feature = \"jemallocator\")]\n#[global_allocator]\nstatic A: jemallocator::Jemalloc = jemallocator::Jemalloc;\nfn main() { println!(\"{}\", jemalloc_ctl::stats::allocated::read().unwrap()); }\n"},
			want: map[string]string{
				"src/main.rs": "extern crate tikv_jemallocator;\nuse tikv_jemallocator as _;\n#[cfg(feature = \"tikv-jemallocator\")]\n#[global_allocator]\nstatic A: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;\nfn main() { println!(\"{}\", tikv_jemalloc_ctl::stats::allocated::read().unwrap()); }\n",
			},
		},
		{
			name: "an alias of the tikv crate under the old name is left alone, silently",
			in: []string{"Cargo.toml", "[package]\nname = \"app\"\n[dependencies]\ntikv-jemallocator = \"0.5\"\n",
				"src/main.rs", "use tikv_jemallocator as jemallocator;\n#[global_allocator]\nstatic A: jemallocator::Jemalloc = jemallocator::Jemalloc;\nfn main() {}\n",
				"src/gen.rs", "// @generated: mentions jemallocator in a comment only\npub fn f() {}\n"},
			want: map[string]string{},
		},
		{
			name: "a keep-names key: the tikv path is renamed to the key",
			in: []string{"Cargo.toml", "[package]\nname = \"app\"\n[dependencies]\njemallocator = { package = \"tikv-jemallocator\", version = \"0.5\" }\n",
				"src/main.rs", "#[global_allocator]\nstatic A: tikv_jemallocator::Jemalloc = jemallocator::Jemalloc;\nfn main() {}\n"},
			want: map[string]string{"src/main.rs": "#[global_allocator]\nstatic A: jemallocator::Jemalloc = jemallocator::Jemalloc;\nfn main() {}\n"},
		},
		{
			name: "the build script follows the build dependency, the code the normal one",
			in: []string{"Cargo.toml", "[package]\nname = \"app\"\n[dependencies]\ntikv-jemalloc-ctl = \"0.5\"\n[build-dependencies]\njemalloc-ctl = \"0.5\"\n",
				"build.rs", "fn main() { jemalloc_ctl::epoch::advance().unwrap(); }\n",
				"src/lib.rs", "pub fn f() { jemalloc_ctl::epoch::advance().unwrap(); }\n"},
			want: map[string]string{
				"Cargo.toml": "[package]\nname = \"app\"\n[dependencies]\ntikv-jemalloc-ctl = \"0.5\"\n[build-dependencies]\ntikv-jemalloc-ctl = \"0.5\"\n",
				"build.rs":   "fn main() { tikv_jemalloc_ctl::epoch::advance().unwrap(); }\n",
				"src/lib.rs": "pub fn f() { tikv_jemalloc_ctl::epoch::advance().unwrap(); }\n",
			},
		},
		{
			name: "two crates of one role: no single answer, nothing renamed",
			in: []string{"Cargo.toml", "[package]\nname = \"app\"\n[dependencies]\ntikv-jemallocator = \"0.5\"\nalloc = { package = \"tikv-jemallocator\", version = \"0.5\" }\n",
				"src/main.rs", "fn main() { let _ = jemallocator::Jemalloc; }\n"},
			want: map[string]string{},
		},
		{
			name: "a file that binds the old name to the new crate compiles",
			in: []string{"Cargo.toml", "[package]\nname = \"app\"\n[dependencies]\ntikv-jemallocator = \"0.5\"\n",
				"src/lib.rs", "use tikv_jemallocator as jemallocator;\npub static A: jemallocator::Jemalloc = jemallocator::Jemalloc;\n"},
			want: map[string]string{},
		},
		{
			name: "a stale path in a generated file is still reported",
			in: []string{"Cargo.toml", "[package]\nname = \"app\"\n[dependencies]\ntikv-jemallocator = \"0.5\"\n",
				"src/gen.rs", "// @generated\npub static A: jemallocator::Jemalloc = jemallocator::Jemalloc;\n"},
			want:  map[string]string{},
			skips: 1,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, p := apply(t, files(tt.in...), tt.opt)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("changes (-want +got):\n%s", diff)
			}
			if len(p.Skipped) != tt.skips {
				t.Errorf("skipped %+v, want %d", p.Skipped, tt.skips)
			}
		})
	}
}

// staleFor's tables for one manifest: the names of each group's family
// dependencies, every other crate of the role mapped to the one the
// package depends on, and no name mapped to itself.
func TestStaleFor(t *testing.T) {
	tests := []struct {
		name, manifest string
		keys           map[string]string
		want           staleNames
	}{
		{
			name:     "a normal and a dev entry of one crate answer for their role together",
			manifest: "[dependencies]\ntikv-jemallocator = \"0.5\"\n[dev-dependencies]\ntikv-jemallocator = \"0.5\"\n",
			want:     staleNames{normal: map[string]string{"jemallocator": "tikv_jemallocator"}},
		},
		{
			name:     "two crates of one role: no answer",
			manifest: "[dependencies]\ntikv-jemallocator = \"0.5\"\njemallocator = \"0.3\"\n",
		},
		{
			name:     "each role on its own; the build group apart",
			manifest: "[dependencies]\ntikv-jemallocator = \"0.5\"\ntikv-jemalloc-ctl = \"0.5\"\n[build-dependencies]\njemalloc-ctl = \"0.3\"\n",
			want: staleNames{
				normal: map[string]string{"jemallocator": "tikv_jemallocator", "jemalloc_ctl": "tikv_jemalloc_ctl"},
				build:  map[string]string{"tikv_jemalloc_ctl": "jemalloc_ctl"},
			},
		},
		{
			name:     "the plan's renamed keys count, a dropped entry does not",
			manifest: "[dependencies]\njemallocator = \"0.3\"\njemalloc-ctl = \"0.3\"\n",
			keys:     map[string]string{"jemallocator": "tikv-jemallocator", "jemalloc-ctl": ""},
			want:     staleNames{normal: map[string]string{"jemallocator": "tikv_jemallocator"}},
		},
		{
			name:     "a feature named after the old crate follows to the optional dependency",
			manifest: "[dependencies]\ntikv-jemallocator = { version = \"0.5\", optional = true }\n",
			want: staleNames{
				normal:   map[string]string{"jemallocator": "tikv_jemallocator"},
				features: map[string]string{"jemallocator": "tikv-jemallocator"},
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ws := load(t, files("Cargo.toml", "[package]\nname = \"app\"\n"+tc.manifest, "src/lib.rs", ""))
			got := staleFor(ws, ws.Root, tc.keys)
			if diff := cmp.Diff(tc.want, got, cmp.AllowUnexported(staleNames{}), cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("staleFor (-want +got):\n%s", diff)
			}
		})
	}
}
