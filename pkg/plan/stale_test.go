package plan

import (
	"testing"

	"github.com/google/go-cmp/cmp"
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
			name: "the build script sees the build dependency, the code the normal one",
			in: []string{"Cargo.toml", "[package]\nname = \"app\"\n[dependencies]\ntikv-jemalloc-ctl = \"0.5\"\n[build-dependencies]\njemalloc-ctl = \"0.5\"\n",
				"build.rs", "fn main() { jemalloc_ctl::epoch::advance().unwrap(); }\n",
				"src/lib.rs", "pub fn f() { jemalloc_ctl::epoch::advance().unwrap(); }\n"},
			opt: Options{KeepNames: true},
			want: map[string]string{
				"Cargo.toml": "[package]\nname = \"app\"\n[dependencies]\ntikv-jemalloc-ctl = \"0.5\"\n[build-dependencies]\njemalloc-ctl = { package = \"tikv-jemalloc-ctl\", version = \"0.5\" }\n",
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
