package workspace_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"jemfix/internal/wstest"
	"jemfix/pkg/workspace"
)

// keys lists the dependency keys m's Doc still holds, with their table.
func keys(m *workspace.Manifest) []string {
	var out []string
	for _, d := range m.Doc.Deps() {
		out = append(out, workspace.TableName(d)+" "+d.Key)
	}
	return out
}

// The manifests let go of the registry entries no option reads; what can
// matter stays, and an entry that names a package of the graph comes back
// once the packages are known, in whichever order the manifests are read.
func TestLoadPrunesRegistryEntries(t *testing.T) {
	fsys := wstest.Files(
		"Cargo.toml", "[workspace]\nmembers = [\"crates/*\"]\n\n[workspace.dependencies]\nserde = \"1\"\nlog = \"0.4\"\n\n[patch.crates-io]\nzeta = { path = \"crates/zeta\" }\n",
		"crates/app/Cargo.toml", `[package]
name = "app"

[dependencies]
serde = { workspace = true }
anyhow = "1"
tokio = { version = "1", features = ["rt"] }
zeta = "0.3" # the member, through the patch
alloc = { package = "tikv-jemallocator", version = "0.5" }
Jemalloc_Ctl = "0.5"
lib = { path = "../lib" }
bytes = { version = "1", optional = true }
other = { git = "https://example.com/other" }

[target.'cfg(unix)'.dev-dependencies]
rand = "0.8"
zeta = "0.3"

[build-dependencies]
cc = "1"
`,
		"crates/lib/Cargo.toml", "[package]\nname = \"lib\"\n\n[dependencies]\nregex = \"1\"\n",
		"crates/zeta/Cargo.toml", "[package]\nname = \"zeta\"\n\n[dependencies]\nitoa = \"1\"\n",
	)
	lean, err := workspace.LoadLean(fsys, "ws")
	if err != nil {
		t.Fatal(err)
	}
	for _, ws := range []*workspace.Workspace{wstest.Load(t, fsys), lean} {
		checkPruned(t, ws)
	}
}

// checkPruned checks the entries TestLoadPrunesRegistryEntries's
// workspace keeps.
func checkPruned(t *testing.T, ws *workspace.Workspace) {
	t.Helper()
	got := map[string][]string{}
	for _, m := range ws.Manifests() {
		got[m.Path] = keys(m)
	}
	want := map[string][]string{
		"Cargo.toml": {"[workspace.dependencies] serde", "[workspace.dependencies] log"},
		"crates/app/Cargo.toml": {
			"[dependencies] serde", "[dependencies] zeta", "[dependencies] alloc", "[dependencies] Jemalloc_Ctl",
			"[dependencies] lib", "[dependencies] bytes", "[target.'cfg(unix)'.dev-dependencies] zeta",
		},
		"crates/lib/Cargo.toml":  nil,
		"crates/zeta/Cargo.toml": nil,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("entries kept (-want +got):\n%s", diff)
	}
	app := ws.Member("app")
	if d := app.Dep("zeta"); d == nil || d.Version != "0.3" {
		t.Errorf("app's entry on the member zeta: %+v", d)
	}
	if d := ws.DepOn(app, ws.Member("zeta")); d == nil {
		t.Errorf("DepOn(app, zeta) = nil; the registry entry names the member")
	}
}
