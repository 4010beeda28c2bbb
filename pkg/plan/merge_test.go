package plan

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"jemfix/internal/wstest"
)

const mergePkg = "[package]\nname = \"solo\"\n"

func TestMerge(t *testing.T) {
	const msvc = "[target.'cfg(not(target_env = \"msvc\"))'.dependencies]\n"
	tests := []struct {
		name string
		in   []string // path, content pairs
		opt  Options
		want map[string]string // changed files only
		why  string            // a line Why must hold
	}{
		{
			name: "plain entries",
			in:   []string{"Cargo.toml", mergePkg + "[dependencies]\njemallocator = \"0.5\"\ntikv-jemallocator = \"0.5\"\n", "src/lib.rs", "use jemallocator::Jemalloc;\n"},
			want: map[string]string{
				"Cargo.toml": mergePkg + "[dependencies]\ntikv-jemallocator = \"0.5\"\n",
				"src/lib.rs": "use tikv_jemallocator::Jemalloc;\n",
			},
			why: "ws/Cargo.toml:4:1: jemallocator is merged into tikv-jemallocator in [dependencies]",
		},
		{
			name: "both optional in a target table, features and sources follow",
			opt:  Options{RenameFeatures: true},
			in: []string{"Cargo.toml", mergePkg + msvc +
				"# legacy\njemallocator = { version = \"0.5\", optional = true, features = [\"stats\"] }\ntikv-jemallocator = { version = \"0.5\", optional = true }\n\n" +
				"[features]\njem = [\"jemallocator\", \"tikv-jemallocator\"]\nstats = [\"jemallocator?/stats\", \"tikv-jemallocator?/stats\", \"jem\"]\n",
				"src/lib.rs", "#[cfg(feature = \"jemallocator\")]\nuse jemallocator::Jemalloc;\n#[cfg(feature = \"tikv-jemallocator\")]\nuse tikv_jemallocator::Jemalloc as T;\n"},
			want: map[string]string{
				"Cargo.toml": mergePkg + msvc +
					"tikv-jemallocator = { version = \"0.5\", optional = true, features = [\"stats\"] }\n\n" +
					"[features]\njem = [\"tikv-jemallocator\"]\nstats = [\"tikv-jemallocator?/stats\", \"jem\"]\n",
				"src/lib.rs": "#[cfg(feature = \"tikv-jemallocator\")]\nuse tikv_jemallocator::Jemalloc;\n#[cfg(feature = \"tikv-jemallocator\")]\nuse tikv_jemallocator::Jemalloc as T;\n",
			},
		},
		{
			name: "a target triple is spelled as written",
			in:   []string{"Cargo.toml", mergePkg + "[target.x86_64-unknown-linux-gnu.dependencies]\njemallocator = \"0.5\"\ntikv-jemallocator = \"0.5\"\n"},
			want: map[string]string{"Cargo.toml": mergePkg + "[target.x86_64-unknown-linux-gnu.dependencies]\ntikv-jemallocator = \"0.5\"\n"},
			why:  "ws/Cargo.toml:4:1: jemallocator is merged into tikv-jemallocator in [target.x86_64-unknown-linux-gnu.dependencies]",
		},
		{
			name: "dep: references on both",
			in: []string{"Cargo.toml", mergePkg + "[dependencies]\njemallocator = { version = \"0.5\", optional = true }\ntikv-jemallocator = { version = \"0.5\", optional = true }\n" +
				"[features]\njemalloc = [\n    \"dep:tikv-jemallocator\",\n    \"dep:jemallocator\",\n]\n"},
			want: map[string]string{"Cargo.toml": mergePkg + "[dependencies]\ntikv-jemallocator = { version = \"0.5\", optional = true }\n" +
				"[features]\njemalloc = [\n    \"dep:tikv-jemallocator\",\n]\n"},
		},
		{
			name: "features union, default features on if either",
			in: []string{"Cargo.toml", mergePkg + "[dependencies]\njemallocator = { version = \"0.5\", features = [\"stats\", \"profiling\"] }\n" +
				"[dependencies.tikv-jemallocator]\nversion = \"0.5\"\ndefault-features = false\nfeatures = [\"stats\"]\n"},
			want: map[string]string{"Cargo.toml": mergePkg + "[dependencies]\n" +
				"[dependencies.tikv-jemallocator]\nversion = \"0.5\"\nfeatures = [\"stats\", \"profiling\"]\n"},
		},
		{
			name: "legacy without default features keeps the tikv defaults",
			in:   []string{"Cargo.toml", mergePkg + "[dependencies]\njemallocator.version = \"0.5\"\njemallocator.default-features = false\ntikv-jemallocator.version = \"0.5\"\n"},
			want: map[string]string{"Cargo.toml": mergePkg + "[dependencies]\ntikv-jemallocator.version = \"0.5\"\n"},
		},
		{
			name: "plain tikv entry takes features and the new series",
			in:   []string{"Cargo.toml", mergePkg + "[dependencies]\njemallocator = { version = \"0.5\", features = [\"stats\"] }\ntikv-jemallocator = \"0.5\"\n"},
			opt:  Options{Series: "0.6"},
			want: map[string]string{"Cargo.toml": mergePkg + "[dependencies]\ntikv-jemallocator = { version = \"0.6\", features = [\"stats\"] }\n"},
		},
		{
			name: "required legacy makes the tikv entry required",
			in:   []string{"Cargo.toml", mergePkg + "[dependencies]\njemallocator = \"0.5\"\ntikv-jemallocator = { version = \"0.5\", optional = true }\n"},
			want: map[string]string{"Cargo.toml": mergePkg + "[dependencies]\ntikv-jemallocator = { version = \"0.5\" }\n"},
			why:  `solo: feature "tikv-jemallocator" is gone: tikv-jemallocator is no longer optional, because jemallocator was not; remove it from any --features flags`,
		},
		{
			name: "different target tables are no clash",
			opt:  Options{RenameFeatures: true},
			in: []string{"Cargo.toml", mergePkg + "[target.'cfg(unix)'.dependencies]\njemallocator = { version = \"0.5\", optional = true }\n[target.'cfg(windows)'.dependencies]\ntikv-jemallocator = { version = \"0.5\", optional = true }\n" +
				"[features]\njem = [\"jemallocator\", \"tikv-jemallocator\"]\n"},
			want: map[string]string{"Cargo.toml": mergePkg + "[target.'cfg(unix)'.dependencies]\ntikv-jemallocator = { version = \"0.5\", optional = true }\n[target.'cfg(windows)'.dependencies]\ntikv-jemallocator = { version = \"0.5\", optional = true }\n" +
				"[features]\njem = [\"tikv-jemallocator\", \"tikv-jemallocator\"]\n"},
		},
		{
			name: "workspace dependencies and members inheriting both",
			in: []string{"Cargo.toml", wstest.VirtualRoot + "[workspace.dependencies]\njemallocator = { version = \"0.5\", features = [\"stats\"] }\ntikv-jemallocator = { version = \"0.5\", default-features = false }\n",
				"crates/a/Cargo.toml", "[package]\nname = \"a\"\n[dependencies]\njemallocator.workspace = true\ntikv-jemallocator = { workspace = true, features = [\"profiling\"] }\n",
				"crates/a/src/lib.rs", "use jemallocator::Jemalloc;\n",
				"crates/b/Cargo.toml", "[package]\nname = \"b\"\n[dependencies]\njemallocator = { workspace = true, features = [\"debug\"] }\n",
				"crates/b/src/lib.rs", "use jemallocator::Jemalloc;\n"},
			want: map[string]string{
				"Cargo.toml":          wstest.VirtualRoot + "[workspace.dependencies]\ntikv-jemallocator = { version = \"0.5\", features = [\"stats\"] }\n",
				"crates/a/Cargo.toml": "[package]\nname = \"a\"\n[dependencies]\ntikv-jemallocator = { workspace = true, features = [\"profiling\"] }\n",
				"crates/a/src/lib.rs": "use tikv_jemallocator::Jemalloc;\n",
				"crates/b/Cargo.toml": "[package]\nname = \"b\"\n[dependencies]\ntikv-jemallocator = { workspace = true, features = [\"debug\"] }\n",
				"crates/b/src/lib.rs": "use tikv_jemallocator::Jemalloc;\n",
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, p := apply(t, files(tt.in...), tt.opt)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("changes mismatch (-want +got):\n%s", diff)
			}
			if why := strings.Join(p.Why, "\n"); tt.why != "" && !strings.Contains(why, tt.why) {
				t.Errorf("Why lacks %q:\n%s", tt.why, why)
			}
			// The result is a fixed point: a second plan changes nothing.
			again := files(tt.in...)
			for path, text := range got {
				again[path].Data = []byte(text)
			}
			if got2, _ := apply(t, again, tt.opt); len(got2) != 0 {
				t.Errorf("second run changes %v", got2)
			}
		})
	}
}

func TestMergeRefuses(t *testing.T) {
	const both = "ws/Cargo.toml:4:1: jemallocator and tikv-jemallocator are both in [dependencies], and jemfix cannot merge them: "
	tests := []struct {
		name string
		in   []string
		opt  Options
		want string
	}{
		{
			name: "legacy from git",
			in:   []string{"Cargo.toml", mergePkg + "[dependencies]\njemallocator = { git = \"https://example.invalid/j\" }\ntikv-jemallocator = \"0.5\"\n"},
			want: both + "jemallocator sets git, so the two do not come from the same registry; remove one of them, then run jemfix again",
		},
		{
			name: "tikv entry from a path",
			in:   []string{"Cargo.toml", mergePkg + "[dependencies]\njemallocator = \"0.5\"\ntikv-jemallocator = { path = \"../tj\", version = \"0.5\" }\n"},
			want: both + "tikv-jemallocator sets path, so the two do not come from the same registry; remove one of them, then run jemfix again",
		},
		{
			name: "legacy field the merge would lose",
			in:   []string{"Cargo.toml", mergePkg + "[dependencies]\njemallocator = { version = \"0.5\", public = true }\ntikv-jemallocator = \"0.5\"\n"},
			want: both + "jemallocator sets public, which the merged entry would lose; move it to tikv-jemallocator or remove it, then run jemfix again",
		},
		{
			name: "tikv key renames another package",
			in:   []string{"Cargo.toml", mergePkg + "[dependencies]\njemallocator = \"0.5\"\ntikv-jemallocator = { package = \"jemalloc-ctl\", version = \"0.5\" }\n"},
			want: both + "tikv-jemallocator renames package \"jemalloc-ctl\", not tikv-jemallocator; remove one of them, then run jemfix again",
		},
		{
			name: "optional legacy, required tikv",
			in:   []string{"Cargo.toml", mergePkg + "[dependencies]\njemallocator = { version = \"0.5\", optional = true }\ntikv-jemallocator = \"0.5\"\n"},
			want: both + "jemallocator is optional and tikv-jemallocator is not, so the merged entry is always on and the feature \"jemallocator\" would enable nothing; make both optional or both required, then run jemfix again",
		},
		{
			name: "optional legacy named by a feature",
			in:   []string{"Cargo.toml", mergePkg + "[dependencies]\njemallocator = { version = \"0.5\", optional = true }\ntikv-jemallocator = \"0.5\"\n[features]\njem = [\"dep:jemallocator\"]\n"},
			want: both + "jemallocator is optional and tikv-jemallocator is not, so the merged entry is always on and the features that name it (jem = [\"dep:jemallocator\"]) would enable nothing; make both optional or both required, then run jemfix again",
		},
		{
			name: "optional tikv named by a feature",
			in:   []string{"Cargo.toml", mergePkg + "[dependencies]\njemallocator = \"0.5\"\ntikv-jemallocator = { version = \"0.5\", optional = true }\n[features]\nstats = [\"tikv-jemallocator?/stats\"]\n"},
			want: both + "tikv-jemallocator is optional and jemallocator is not, so the merged entry must stop being optional, which breaks the features that name it (stats = [\"tikv-jemallocator?/stats\"]); make both optional or both required, then run jemfix again",
		},
		{
			name: "optional tikv feature tested in the sources",
			in: []string{"Cargo.toml", mergePkg + "[dependencies]\njemallocator = \"0.5\"\ntikv-jemallocator = { version = \"0.5\", optional = true }\n",
				"src/lib.rs", "#[cfg(feature = \"tikv-jemallocator\")]\nuse tikv_jemallocator as _;\n"},
			want: both + "tikv-jemallocator is optional and jemallocator is not, so the merged entry must stop being optional and the feature \"tikv-jemallocator\" goes away, but ws/src/lib.rs tests it with cfg(feature = \"tikv-jemallocator\"); make both optional or both required, then run jemfix again",
		},
		{
			name: "optional tikv feature used by another member",
			in: []string{"Cargo.toml", wstest.VirtualRoot,
				"crates/a/Cargo.toml", "[package]\nname = \"a\"\n[dependencies]\njemallocator = \"0.5\"\ntikv-jemallocator = { version = \"0.5\", optional = true }\n",
				"crates/b/Cargo.toml", "[package]\nname = \"b\"\n[dependencies]\na = { path = \"../a\", features = [\"tikv-jemallocator\"] }\n"},
			want: "ws/crates/a/Cargo.toml:4:1: jemallocator and tikv-jemallocator are both in [dependencies], and jemfix cannot merge them: tikv-jemallocator is optional and jemallocator is not, so the merged entry must stop being optional and the feature \"tikv-jemallocator\" goes away, but b enables it on its a dependency; make both optional or both required, then run jemfix again",
		},
		{
			name: "implicit feature against dep: references",
			in: []string{"Cargo.toml", mergePkg + "[dependencies]\njemallocator = { version = \"0.5\", optional = true }\ntikv-jemallocator = { version = \"0.5\", optional = true }\n" +
				"[features]\njem = [\"dep:tikv-jemallocator\"]\n"},
			want: both + "[features] enables tikv-jemallocator only as \"dep:tikv-jemallocator\", so the merged entry would have no feature \"jemallocator\", which optional jemallocator gives the package now; add `jemallocator = [\"dep:jemallocator\"]` to [features] to keep that feature, then run jemfix again",
		},
		{
			name: "one inherited, one not",
			in: []string{"Cargo.toml", wstest.VirtualRoot + "[workspace.dependencies]\njemallocator = \"0.5\"\n",
				"crates/a/Cargo.toml", "[package]\nname = \"a\"\n[dependencies]\njemallocator.workspace = true\ntikv-jemallocator = \"0.5\"\n"},
			want: "ws/crates/a/Cargo.toml:4:1: jemallocator and tikv-jemallocator are both in [dependencies], and jemfix cannot merge them: jemallocator is inherited from [workspace.dependencies] and tikv-jemallocator is not; declare both the same way, then run jemfix again",
		},
		{
			name: "keep names would give one crate two names",
			in:   []string{"Cargo.toml", mergePkg + "[dependencies]\njemallocator = \"0.5\"\ntikv-jemallocator = \"0.5\"\n"},
			opt:  Options{KeepNames: true},
			want: "ws/Cargo.toml:4:1: jemallocator and tikv-jemallocator are both in [dependencies]; keeping the name jemallocator would make it a second name for tikv-jemallocator, which cargo rejects; run without --keep-names to merge them",
		},
		{
			name: "a renamed package next to its tikv twin, without --keep-names",
			in:   []string{"Cargo.toml", mergePkg + "[dependencies]\nctl = { package = \"jemalloc-ctl\", version = \"0.5\" }\ntikv-jemalloc-ctl = \"0.5\"\n"},
			want: "ws/Cargo.toml:4:1: ctl and tikv-jemalloc-ctl are both in [dependencies]; keeping the name ctl would make it a second name for tikv-jemalloc-ctl, which cargo rejects; the entry already renames its package (package = \"jemalloc-ctl\"), so jemfix keeps its key; make the code use one name and remove the other entry by hand",
		},
		{
			name: "two names across the tables of one package",
			in:   []string{"Cargo.toml", mergePkg + "[dependencies]\ntikv-jemallocator = \"0.5\"\n[target.'cfg(unix)'.dev-dependencies]\njem = { package = \"jemallocator\", version = \"0.5\" }\n"},
			want: "ws/Cargo.toml:6:1: jem and tikv-jemallocator are both dependencies of solo ([target.'cfg(unix)'.dev-dependencies], [dependencies]); keeping the name jem would make it a second name for tikv-jemallocator, which cargo rejects; the entry already renames its package (package = \"jemallocator\"), so jemfix keeps its key; make the code use one name and remove the other entry by hand",
		},
		{
			name: "the move's key beside another name of the tikv crate",
			in:   []string{"Cargo.toml", mergePkg + "[dependencies]\njemallocator = \"0.5\"\n[dev-dependencies]\njem = { package = \"tikv-jemallocator\", version = \"0.5\" }\n"},
			want: "ws/Cargo.toml:4:1: jemallocator would become tikv-jemallocator, which solo names already as jem ([dev-dependencies]); cargo rejects a package that depends on one crate under two names; make the code use one name and give both entries that key by hand, then run jemfix again",
		},
		{
			name: "keep names across tables",
			in:   []string{"Cargo.toml", mergePkg + "[dependencies]\ntikv-jemallocator = \"0.5\"\n[build-dependencies]\njemallocator = \"0.5\"\n"},
			opt:  Options{KeepNames: true},
			want: "ws/Cargo.toml:6:1: jemallocator and tikv-jemallocator are both dependencies of solo ([build-dependencies], [dependencies]); keeping the name jemallocator would make it a second name for tikv-jemallocator, which cargo rejects; run without --keep-names, which renames the key",
		},
		{
			name: "a member inherits both names",
			in: []string{"Cargo.toml", wstest.VirtualRoot + "[workspace.dependencies]\njemalloc-ctl = \"0.5\"\ntikv-jemalloc-ctl = \"0.5\"\n",
				"crates/a/Cargo.toml", "[package]\nname = \"a\"\n[dependencies]\njemalloc-ctl.workspace = true\ntikv-jemalloc-ctl.workspace = true\n"},
			opt:  Options{KeepNames: true},
			want: "ws/Cargo.toml:5:1: jemalloc-ctl and tikv-jemalloc-ctl are both in [workspace.dependencies], and a inherits both; keeping the name jemalloc-ctl would give it two names for tikv-jemalloc-ctl, which cargo rejects; run without --keep-names to merge them",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Option1(load(t, files(tt.in...)), tt.opt)
			if err == nil || err.Error() != tt.want {
				t.Errorf("Option1 error:\n got %v\nwant %s", err, tt.want)
			}
		})
	}
}
