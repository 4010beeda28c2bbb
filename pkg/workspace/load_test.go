package workspace_test

import (
	"errors"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"

	"jemfix/internal/wstest"
	"jemfix/pkg/tomledit"
	"jemfix/pkg/workspace"
)

func TestLoadMembers(t *testing.T) {
	fsys := wstest.Files(
		"Cargo.toml", wstest.VirtualRoot,
		"crates/a/Cargo.toml", "[package]\nname = \"a\"\n[dependencies]\nb = { path = \"../../libs/b\" }\n",
		"crates/old/Cargo.toml", "[package]\nname = \"old\"\n",
		"crates/notes.txt", "not a crate",
		"libs/b/Cargo.toml", "[package]\nname = \"b\"\n",
	)
	ws := wstest.Load(t, fsys)
	var got []string
	for _, m := range ws.Members {
		got = append(got, m.Name+"@"+m.Dir)
	}
	if diff := cmp.Diff([]string{"a@crates/a", "b@libs/b"}, got); diff != "" {
		t.Errorf("members mismatch (-want +got):\n%s", diff)
	}
}

// cargo still reads [project], the old name of [package].
func TestLoadProjectTable(t *testing.T) {
	ws := wstest.Load(t, wstest.Files(
		"Cargo.toml", "[workspace]\nmembers = [\"old\"]\n",
		"old/Cargo.toml", "[project]\nname = \"old\"\nversion = \"0.1.0\"\nedition = \"2018\"\n"))
	if len(ws.Members) != 1 || ws.Members[0].Name != "old" || ws.Edition(ws.Members[0]) != "2018" {
		t.Errorf("members %+v", ws.Members)
	}
}

func TestLoadErrors(t *testing.T) {
	tests := []struct {
		name string
		fsys fstest.MapFS
		want string
	}{
		{"outside root", wstest.Files("Cargo.toml", "[workspace]\nmembers = [\"../x\"]\n"), "outside the workspace root"},
		{"missing member", wstest.Files("Cargo.toml", "[workspace]\nmembers = [\"gone\"]\n"), `member "gone" does not exist`},
		{"broken member", wstest.Files("Cargo.toml", wstest.VirtualRoot, "crates/a/Cargo.toml", "[package\n"), "ws/crates/a/Cargo.toml:1:"},
		{"not a manifest", wstest.Files("Cargo.toml", "[profile.release]\n"), "neither [package] nor [workspace]"},
		{"bad requirement", wstest.Files("Cargo.toml", wstest.VirtualRoot, "crates/a/Cargo.toml", "[package]\nname = \"a\"\n[dependencies]\njemalloc-ctl = \"banana\"\n"),
			`ws/crates/a/Cargo.toml:4:16: jemalloc-ctl = "banana" is not a version requirement cargo accepts`},
		{"empty requirement", wstest.Files("Cargo.toml", "[package]\nname = \"a\"\n[dependencies]\njemallocator = \"\"\n"),
			`ws/Cargo.toml:4:16: jemallocator = "" is not a version requirement cargo accepts: it is empty`},
		{"bad inherited requirement", wstest.Files("Cargo.toml", "[workspace]\nmembers = []\n[workspace.dependencies]\ntikv-jemallocator = { version = \"0.5 0.6\" }\n"),
			`ws/Cargo.toml:4:33: tikv-jemallocator = "0.5 0.6" is not a version requirement cargo accepts`},
		{"features not an array", wstest.Files("Cargo.toml", wstest.VirtualRoot, "crates/a/Cargo.toml", "[package]\nname = \"a\"\n[dependencies]\njemalloc-ctl = { version = \"0.5\", features = \"stats\" }\n"),
			`ws/crates/a/Cargo.toml:4:35: dependency "jemalloc-ctl": features is a string, where cargo takes an array; cargo refuses this manifest too`},
		{"optional not a boolean", wstest.Files("Cargo.toml", "[package]\nname = \"a\"\n[dependencies.serde]\nversion = \"1\"\noptional = \"yes\"\n"),
			`ws/Cargo.toml:5:1: dependency "serde": optional is a string, where cargo takes a boolean`},
		{"a number for a version", wstest.Files("Cargo.toml", "[package]\nname = \"a\"\n[dependencies]\njemalloc-ctl = 0.5\n"),
			`ws/Cargo.toml:4:1: dependency "jemalloc-ctl" is a number or a date, where cargo takes a version string or a table`},
		{"a number among the features", wstest.Files("Cargo.toml", "[package]\nname = \"a\"\n[dependencies]\njemalloc-ctl = { version = \"0.5\", features = [\"stats\", 3] }\n"),
			`ws/Cargo.toml:4:56: dependency "jemalloc-ctl": features holds a number or a date, where cargo takes only strings`},
		{"features as a table", wstest.Files("Cargo.toml", "[package]\nname = \"a\"\n[dependencies.jemalloc-ctl]\nversion = \"0.5\"\n[dependencies.jemalloc-ctl.features]\nx = 1\n"),
			`ws/Cargo.toml:6:1: dependency "jemalloc-ctl": features is a table, where cargo takes an array`},
		{"a feature as a string", wstest.Files("Cargo.toml", "[package]\nname = \"a\"\n[features]\nx = \"jemalloc-ctl\"\n"),
			`ws/Cargo.toml:4:1: feature "x" is a string, where cargo takes an array of strings`},
		{"members as a string", wstest.Files("Cargo.toml", "[workspace]\nmembers = \"crates/a\"\n"),
			`ws/Cargo.toml:2:1: [workspace] members is a string, where cargo takes an array of strings`},
		{"inherits a missing entry", wstest.Files("Cargo.toml", "[workspace]\nmembers = [\"a\"]\n[workspace.dependencies]\nserde = \"1\"\n", "a/Cargo.toml", "[package]\nname = \"a\"\n[dependencies]\njemallocator.workspace = true\n"),
			`ws/a/Cargo.toml:4:1: jemallocator = { workspace = true } inherits from [workspace.dependencies] of ws/Cargo.toml, which has no jemallocator entry`},
		// An excluded path dependency with a [workspace] of its own inherits
		// from it (cargo resolves it so), not from the root, even when the
		// root has an entry of that key.
		{"excluded package inherits from its own workspace", wstest.Files(
			"Cargo.toml", "[workspace]\nmembers = [\"app\"]\nexclude = [\"tools\"]\n[workspace.dependencies]\njemallocator = \"0.5\"\n",
			"app/Cargo.toml", "[package]\nname = \"app\"\n[dependencies]\ninner = { path = \"../tools/inner\" }\n",
			"tools/inner/Cargo.toml", "[package]\nname = \"inner\"\n[workspace]\n[workspace.dependencies]\njemallocator = \"0.3\"\n[dependencies]\njemallocator = { workspace = true }\n"),
			`ws/tools/inner/Cargo.toml:7:1: jemallocator = { workspace = true } inherits from the [workspace.dependencies] of its own manifest`},
		// Without one, cargo refuses it: the root excludes it.
		{"excluded package inherits from the root", wstest.Files(
			"Cargo.toml", "[workspace]\nmembers = [\"app\"]\nexclude = [\"tools\"]\n[workspace.dependencies]\njemallocator = \"0.5\"\n",
			"app/Cargo.toml", "[package]\nname = \"app\"\n[dependencies]\ninner = { path = \"../tools/inner\" }\n",
			"tools/inner/Cargo.toml", "[package]\nname = \"inner\"\n[dependencies]\njemallocator.workspace = true\n"),
			`ws/tools/inner/Cargo.toml:4:1: jemallocator = { workspace = true } does not inherit from ws/Cargo.toml, which excludes this package`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := workspace.Load(tt.fsys, "ws")
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Load error = %v, want it to contain %q", err, tt.want)
			}
		})
	}
}

func TestFindRoot(t *testing.T) {
	fsys := wstest.Files(
		"repo/Cargo.toml", wstest.VirtualRoot,
		"repo/crates/a/Cargo.toml", "[package]\nname = \"a\"\n",
		"repo/crates/a/src/lib.rs", "",
		"repo/crates/old/Cargo.toml", "[package]\nname = \"old\"\n",
		"repo/tools/solo/Cargo.toml", "[package]\nname = \"solo\"\n",
	)
	for dir, want := range map[string]string{
		"repo/crates/a/src": "repo",
		"repo/crates/a":     "repo",
		"repo":              "repo",
		"repo/crates/old":   "repo/crates/old", // excluded: a package of its own
	} {
		got, err := workspace.FindRoot(fsys, dir, func(p string) string { return p })
		if err != nil || got != want {
			t.Errorf("workspace.FindRoot(%q) = %q, %v; want %q", dir, got, err, want)
		}
	}
	// A package inside a workspace that neither lists nor excludes it:
	// cargo fails on it, and so does FindRoot.
	if _, err := workspace.FindRoot(fsys, "repo/tools/solo", func(p string) string { return p }); err == nil ||
		!strings.Contains(err.Error(), `repo/tools/solo/Cargo.toml: package solo is inside the workspace at repo/Cargo.toml, which neither lists nor excludes it`) {
		t.Errorf("FindRoot of a forgotten package: err = %v", err)
	}
	// Not one that cargo package unpacked.
	unpacked := wstest.Files("repo/Cargo.toml", wstest.VirtualRoot, "repo/target/package/b-0.1.0/Cargo.toml", "[package]\nname = \"b\"\n")
	if _, err := workspace.FindRoot(unpacked, "repo/target/package/b-0.1.0", func(p string) string { return p }); err != nil {
		t.Errorf("FindRoot of an unpacked package = %v", err)
	}
	// A package that names its workspace is checked against that one when
	// it is above; one beside it cannot be read from its root down.
	for ws, want := range map[string]string{
		"..":       "package b is inside the workspace at repo/Cargo.toml, which neither lists nor excludes it",
		"../inner": `package b names its workspace "../inner" (package.workspace), which is not above it`,
	} {
		fsys := wstest.Files("repo/Cargo.toml", "[workspace]\nmembers = [\"a\"]\n", "repo/a/Cargo.toml", "[package]\nname = \"a\"\n",
			"repo/inner/Cargo.toml", "[workspace]\nmembers = [\"../b\"]\n",
			"repo/b/Cargo.toml", "[package]\nname = \"b\"\nworkspace = \""+ws+"\"\n")
		if _, err := workspace.FindRoot(fsys, "repo/b", func(p string) string { return p }); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("workspace = %q: err = %v, want %q", ws, err, want)
		}
	}
	// Unless that workspace does not load: the package is read on its own.
	broken := wstest.Files("repo/Cargo.toml", "[workspace]\nmembers = [\"nowhere\"]\n", "repo/tools/solo/Cargo.toml", "[package]\nname = \"solo\"\n")
	if got, err := workspace.FindRoot(broken, "repo/tools/solo", func(p string) string { return p }); err != nil || got != "repo/tools/solo" {
		t.Errorf("FindRoot under a broken workspace = %q, %v", got, err)
	}
	if _, err := workspace.FindRoot(fsys, "elsewhere", func(p string) string { return p }); err == nil {
		t.Error("FindRoot outside any package: want an error")
	}
}

func TestReadCapped(t *testing.T) {
	fsys := wstest.Files("src/big.rs", strings.Repeat("x", 20), "Cargo.toml", strings.Repeat("#", 20))
	if _, err := workspace.ReadInto(nil, fsys, "src/big.rs", "ws/src/big.rs", 10); err == nil || !strings.Contains(err.Error(), "ws/src/big.rs:1:1: file is 20 bytes, larger than the 10 bytes limit for a Rust source") {
		t.Errorf("readCapped over the limit: %v", err)
	}
	if _, err := workspace.ReadInto(nil, fsys, "Cargo.toml", "ws/Cargo.toml", 10); err == nil || !strings.Contains(err.Error(), "for a Cargo.toml") {
		t.Errorf("readCapped of a manifest over the limit: %v", err)
	}
	if b, err := workspace.ReadInto(nil, fsys, "src/big.rs", "ws/src/big.rs", 20); err != nil || len(b) != 20 {
		t.Errorf("readCapped at the limit = %d bytes, %v", len(b), err)
	}
}

// A lean workspace's manifests let go of their bytes once read, and read
// them again when a step needs them; a manifest changed since is an error
// there, or a *tomledit.ChangedError panic where no error can be returned.
// The root keeps its bytes.
func TestLoadLeanReadsAgain(t *testing.T) {
	a := "[package]\nname = \"a\"\n\n[dependencies]\njemallocator = \"0.5\"\n"
	fsys := wstest.Files(
		"Cargo.toml", wstest.VirtualRoot,
		"crates/a/Cargo.toml", a,
		"crates/b/Cargo.toml", "[package]\nname = \"b\"\n",
	)
	ws, err := workspace.LoadLean(fsys, "ws")
	if err != nil {
		t.Fatal(err)
	}
	m := ws.Member("a")
	if err := ws.Load(ws.Members); err != nil {
		t.Fatal(err)
	}
	if got := string(m.Doc.Src()); got != a {
		t.Fatalf("Src read again = %q, want %q", got, a)
	}
	ws.Release(ws.Members)
	fsys["crates/a/Cargo.toml"].Data = []byte(strings.Replace(a, "0.5", "0.6", 1))
	fsys["Cargo.toml"].Data = []byte("# changed\n")
	if got := string(ws.Root.Doc.Src()); got != wstest.VirtualRoot {
		t.Errorf("root Src = %q, want the bytes read first", got)
	}
	err = ws.Load(ws.Members)
	var changed *tomledit.ChangedError
	if !errors.As(err, &changed) || !strings.Contains(err.Error(), "ws/crates/a/Cargo.toml: changed since jemfix read it; nothing was written") {
		t.Errorf("Load after a change = %v, want a ChangedError naming crates/a/Cargo.toml", err)
	}
	func() {
		defer func() {
			r := recover()
			if err, ok := r.(error); !ok || !errors.As(err, &changed) {
				t.Errorf("Src after a change panicked with %v, want a *tomledit.ChangedError", r)
			}
		}()
		m.Doc.Src()
	}()
	ws.Release(ws.Members) // b was read again by the Load that failed on a
	delete(fsys, "crates/b/Cargo.toml")
	if err := ws.Load([]*workspace.Manifest{ws.Member("b")}); !errors.As(err, &changed) || strings.Count(err.Error(), "ws/crates/b/Cargo.toml") != 1 {
		t.Errorf("Load of a removed manifest = %v, want a ChangedError naming it once", err)
	}
}
