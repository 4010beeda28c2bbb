package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"jemfix/internal/cargotest"

	"jemfix/pkg/plan"
	"jemfix/pkg/workspace"
)

func TestLockStale(t *testing.T) {
	moves := []plan.Move{{From: "jemalloc-ctl 0.5", To: "tikv-jemalloc-ctl 0.5"}}
	lock := func(pkgs ...workspace.LockPackage) *workspace.Lock { return &workspace.Lock{Packages: pkgs} }
	for _, tt := range []struct {
		name string
		lock *workspace.Lock
		want string
	}{
		{"no lock", nil, ""},
		{"old crate", lock(workspace.LockPackage{Name: "jemalloc-ctl", Version: "0.5.4"}), "still names the old crates"},
		{"old crate, other series", lock(workspace.LockPackage{Name: "jemalloc-ctl", Version: "0.3.3"}), "does not list the new crates yet"},
		{"no jemalloc crate", lock(workspace.LockPackage{Name: "app", Version: "0.1.0"}), "does not list the new crates yet"},
		{"new crate only", lock(workspace.LockPackage{Name: "tikv-jemalloc-ctl", Version: "0.5.4"}), ""},
	} {
		if got := lockStale(tt.lock, moves); got != tt.want {
			t.Errorf("%s: lockStale = %q, want %q", tt.name, got, tt.want)
		}
	}
}

// plan names the packages outside the root it did not read, as scan does,
// in its text and in --json, and warns on stderr with --json too.
func TestPlanUnread(t *testing.T) {
	dir := filepath.Join(cargotest.CopyFixture(t, "outside-root"), "ws")
	var stdout, stderr bytes.Buffer
	run([]string{"plan", dir}, &stdout, &stderr)
	if out := stdout.String(); !strings.Contains(out, "no conflict inside the root") || !strings.Contains(out, "not read: ../../../shared/legacy-stats") {
		t.Errorf("plan text does not name the unread package:\n%s", out)
	}
	for _, cmd := range []string{"plan", "scan"} {
		stdout.Reset()
		stderr.Reset()
		run([]string{cmd, "--json", dir}, &stdout, &stderr)
		var doc struct{ Unread []string }
		if err := json.Unmarshal(stdout.Bytes(), &doc); err != nil || len(doc.Unread) != 1 || !strings.HasPrefix(doc.Unread[0], "../../../shared/legacy-stats") {
			t.Errorf("%s --json unread = %q (%v)", cmd, doc.Unread, err)
		}
		// The warning goes to stderr with --json too.
		if !strings.Contains(stderr.String(), "jemfix: warning: a package outside the root was not read") {
			t.Errorf("%s --json: no warning on stderr:\n%s", cmd, stderr.String())
		}
	}
}

// Where no option resolves the workspace (a crate from git keeps its own
// sys package), plan says that none is recommended, and --option=auto
// says so before showing option 1.
func TestNoRecommendation(t *testing.T) {
	dir := writeTree(t, map[string]string{
		"Cargo.toml":       "[workspace]\nmembers = [\"app\", \"stats\"]\n",
		"app/Cargo.toml":   "[package]\nname = \"app\"\n[dependencies]\ntikv-jemallocator = { git = \"https://example.invalid/jemallocator\" }\n",
		"app/src/main.rs":  "fn main() {}\n",
		"stats/Cargo.toml": "[package]\nname = \"stats\"\n[dependencies]\njemalloc-ctl = \"0.5\"\n",
		"stats/src/lib.rs": "pub use jemalloc_ctl::epoch;\n",
	})
	var stdout, stderr bytes.Buffer
	run([]string{"plan", dir}, &stdout, &stderr)
	if out := stdout.String(); !strings.Contains(out, "No option is recommended") || strings.Contains(out, "Recommended:") {
		t.Errorf("plan:\n%s", out)
	}
	stdout.Reset()
	stderr.Reset()
	if code := run([]string{"apply", "--option=auto", "--dry-run", dir}, &stdout, &stderr); code != exitPending ||
		!strings.Contains(stderr.String(), "jemfix plan recommends no option here") || !strings.Contains(stderr.String(), "the links conflict remains") {
		t.Errorf("apply --option=auto: exit %d\n%s", code, stderr.String())
	}
}

// An option with nothing to do has no apply command in plan --json, as the
// text shows none: a script must not run `apply --option=2 --force` on a
// healthy workspace.
func TestPlanNothingToApply(t *testing.T) {
	dir := cargotest.CopyFixture(t, "single-legacy")
	var stdout, stderr bytes.Buffer
	run([]string{"plan", "--json", dir}, &stdout, &stderr)
	var doc struct {
		Options []struct{ Option, Variant, Apply string }
	}
	if err := json.Unmarshal(stdout.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, o := range doc.Options {
		got = append(got, o.Option+o.Variant+": "+strings.TrimSuffix(o.Apply, " "+dir))
	}
	want := []string{"1: jemfix apply --option=1", "1keep-names: jemfix apply --option=1 --keep-names", "2: ", "3: "}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("apply commands:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// writeTree writes files (slash paths to contents) under a new temporary
// directory and returns it.
func writeTree(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, data := range files {
		if err := os.MkdirAll(filepath.Dir(filepath.Join(dir, name)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// A locked package outside the workspace that needs the original crates
// makes a move create the conflict: scan does not advise the move, plan
// recommends nothing, and plan --json's command for option 1 carries
// --force, as apply needs it.
func TestLockedOriginalNoMove(t *testing.T) {
	dir := writeTree(t, map[string]string{
		"Cargo.toml":       "[workspace]\nmembers = [\"alloc\"]\n",
		"alloc/Cargo.toml": "[package]\nname = \"alloc\"\nversion = \"0.1.0\"\n[dependencies]\njemallocator = \"0.5\"\nrocks = \"0.1\"\n",
		"alloc/src/lib.rs": "pub use jemallocator::Jemalloc;\n",
		"Cargo.lock": "version = 3\n\n[[package]]\nname = \"rocks\"\nversion = \"0.1.0\"\nsource = \"registry+https://github.com/rust-lang/crates.io-index\"\ndependencies = [\"jemalloc-sys\"]\n\n" +
			"[[package]]\nname = \"jemalloc-sys\"\nversion = \"0.5.4+5.3.0-patched\"\nsource = \"registry+https://github.com/rust-lang/crates.io-index\"\n",
	})
	var stdout, stderr bytes.Buffer
	run([]string{"scan", dir}, &stdout, &stderr)
	if out := stdout.String(); !strings.Contains(out, "Do not move them yet: Cargo.lock's rocks 0.1.0 needs jemalloc-sys 0.5.4+5.3.0-patched") || strings.Contains(out, "apply --option=1") {
		t.Errorf("scan:\n%s", out)
	}
	stdout.Reset()
	run([]string{"plan", dir}, &stdout, &stderr)
	if out := stdout.String(); !strings.Contains(out, "No option is recommended") || !strings.Contains(out, "so moving makes a conflict until it is updated") {
		t.Errorf("plan:\n%s", out)
	}
	stdout.Reset()
	run([]string{"plan", "--json", dir}, &stdout, &stderr)
	var doc struct {
		Recommended string
		Options     []struct {
			Option, Variant, Apply string
			Feasible               bool
		}
	}
	if err := json.Unmarshal(stdout.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Recommended != "" || len(doc.Options) == 0 || doc.Options[0].Feasible || doc.Options[0].Apply != "jemfix apply --option=1 --force "+dir {
		t.Errorf("plan --json: %+v", doc)
	}
}

// A half-migrated file that a syntax error keeps jemfix from rewriting is
// still half-migrated: scan lists it with the error and exits 3, and apply
// shows it instead of a bare "nothing to do".
func TestBrokenStaleFile(t *testing.T) {
	dir := writeTree(t, map[string]string{
		"Cargo.toml":     "[workspace]\nmembers = [\"a\"]\n",
		"a/Cargo.toml":   "[package]\nname = \"a\"\n[dependencies]\ntikv-jemalloc-ctl = \"0.5\"\n",
		"a/src/lib.rs":   "pub fn n() -> u64 { jemalloc_ctl::epoch::advance().unwrap() }\nfn broken( {\n",
		"a/src/other.rs": "pub fn ok() {}\n",
	})
	var stdout, stderr bytes.Buffer
	if code := run([]string{"scan", dir}, &stdout, &stderr); code != exitPending ||
		!strings.Contains(stdout.String(), "a/src/lib.rs:2:1: syntax error") || !strings.Contains(stdout.String(), "Fix the syntax errors") {
		t.Errorf("scan: exit %d\n%s%s", code, stdout.String(), stderr.String())
	}
	stdout.Reset()
	run([]string{"scan", "--json", dir}, &stdout, &stderr)
	var doc struct {
		Status       string
		StaleSources []string `json:"stale_sources"`
	}
	if err := json.Unmarshal(stdout.Bytes(), &doc); err != nil || doc.Status != "half-migrated" || len(doc.StaleSources) != 1 || doc.StaleSources[0] != "a/src/lib.rs" {
		t.Errorf("scan --json: %+v (%v)", doc, err)
	}
	stderr.Reset()
	run([]string{"apply", "--option=1", "--dry-run", dir}, &stdout, &stderr)
	if !strings.Contains(stderr.String(), "not rewritten: "+dir+"/a/src/lib.rs:2:1: syntax error") {
		t.Errorf("apply:\n%s", stderr.String())
	}
}

// Without Cargo.lock, an entry that turns on a jemalloc feature of another
// crate (librocksdb-sys's) brings a sys crate jemfix cannot see: scan says
// so, with the entry's position. With a lock it reads the lock instead.
func TestUnseenJemallocFeature(t *testing.T) {
	files := map[string]string{
		"Cargo.toml":     "[workspace]\nmembers = [\"db\", \"srv\"]\n",
		"db/Cargo.toml":  "[package]\nname = \"db\"\n[dependencies]\nlibrocksdb-sys = { version = \"0.16\", features = [\"jemalloc\"] }\n",
		"srv/Cargo.toml": "[package]\nname = \"srv\"\n[dependencies]\ntikv-jemallocator = \"0.6\"\n",
	}
	var stdout, stderr bytes.Buffer
	run([]string{"scan", writeTree(t, files)}, &stdout, &stderr)
	if out := stdout.String(); !strings.Contains(out, "No Cargo.lock, so jemfix cannot see") || !strings.Contains(out, "db/Cargo.toml:4:1: librocksdb-sys enables \"jemalloc\"") {
		t.Errorf("scan without a lock:\n%s", out)
	}
	files["Cargo.lock"] = "version = 3\n"
	stdout.Reset()
	run([]string{"scan", writeTree(t, files)}, &stdout, &stderr)
	if strings.Contains(stdout.String(), "No Cargo.lock") {
		t.Errorf("scan with a lock:\n%s", stdout.String())
	}

	// A feature of the package turns the crate's jemalloc on as well; a
	// package of the graph is read, not unseen.
	delete(files, "Cargo.lock")
	files["Cargo.toml"] = "[workspace]\nmembers = [\"db\", \"srv\", \"alloc\"]\n"
	files["db/Cargo.toml"] = "[package]\nname = \"db\"\n[dependencies]\nlibrocksdb-sys = \"0.16\"\nalloc = { path = \"../alloc\", features = [\"jemalloc\"] }\n[features]\nfast = [\"librocksdb-sys?/jemalloc\"]\n"
	files["alloc/Cargo.toml"] = "[package]\nname = \"alloc\"\n[dependencies]\ntikv-jemallocator = { version = \"0.6\", optional = true }\n[features]\njemalloc = [\"tikv-jemallocator\"]\n"
	stdout.Reset()
	run([]string{"scan", writeTree(t, files)}, &stdout, &stderr)
	if out := stdout.String(); !strings.Contains(out, "db/Cargo.toml:7:9: feature fast enables \"jemalloc\" of librocksdb-sys") || strings.Contains(out, "alloc enables") {
		t.Errorf("scan with a feature that turns jemalloc on:\n%s", out)
	}

	// The entry of [workspace.dependencies] that members inherit.
	files = map[string]string{
		"Cargo.toml":     "[workspace]\nmembers = [\"db\", \"srv\"]\n[workspace.dependencies]\nlibrocksdb-sys = { version = \"0.16\", features = [\"jemalloc\"] }\n",
		"db/Cargo.toml":  "[package]\nname = \"db\"\n[dependencies]\nlibrocksdb-sys = { workspace = true }\n",
		"srv/Cargo.toml": "[package]\nname = \"srv\"\n[dependencies]\ntikv-jemallocator = \"0.6\"\n",
	}
	stdout.Reset()
	run([]string{"scan", writeTree(t, files)}, &stdout, &stderr)
	if out := stdout.String(); !strings.Contains(out, "Cargo.toml:4:1: librocksdb-sys enables \"jemalloc\"") {
		t.Errorf("scan with an inherited entry that turns jemalloc on:\n%s", out)
	}
}

// A member's Rust file that is a symbolic link out of the root is neither
// read nor written: apply says so, with its path.
func TestLinkOutOfRoot(t *testing.T) {
	outside := writeTree(t, map[string]string{"shared.rs": "pub fn n() -> u64 { jemalloc_ctl::epoch::advance().unwrap() }\n"})
	dir := writeTree(t, map[string]string{
		"Cargo.toml":   "[workspace]\nmembers = [\"a\", \"b\"]\n",
		"a/Cargo.toml": "[package]\nname = \"a\"\n[dependencies]\njemalloc-ctl = \"0.5\"\n",
		"a/src/lib.rs": "mod shared;\npub use jemalloc_ctl::epoch;\n",
		"b/Cargo.toml": "[package]\nname = \"b\"\n[dependencies]\ntikv-jemallocator = \"0.5\"\n",
	})
	if err := os.Symlink(filepath.Join(outside, "shared.rs"), filepath.Join(dir, "a/src/shared.rs")); err != nil {
		t.Skip("no symbolic links here:", err)
	}
	var stdout, stderr bytes.Buffer
	run([]string{"apply", "--option=1", "--dry-run", dir}, &stdout, &stderr)
	if want := "not rewritten: " + dir + "/a/src/shared.rs:1:1: a symbolic link out of the root"; !strings.Contains(stderr.String(), want) {
		t.Errorf("apply:\n%s\nwant %q", stderr.String(), want)
	}
}

// lockedOriginalTree is a workspace on tikv-jemallocator whose Cargo.lock
// holds a git package that needs the original sys crate: a conflict no
// move removes.
func lockedOriginalTree() map[string]string {
	return map[string]string{
		"Cargo.toml":   "[workspace]\nmembers = [\"a\"]\n",
		"a/Cargo.toml": "[package]\nname = \"a\"\n[dependencies]\ntikv-jemallocator = \"0.5\"\nrsys = { git = \"https://example.invalid/rsys\", features = [\"jemalloc\"] }\n",
		"Cargo.lock": "version = 3\n[[package]]\nname = \"rsys\"\nversion = \"0.1.0\"\nsource = \"git+https://example.invalid/rsys#abc\"\ndependencies = [\"jemalloc-sys 0.5.4+5.3.0-patched\"]\n\n" +
			"[[package]]\nname = \"jemalloc-sys\"\nversion = \"0.5.4+5.3.0-patched\"\nsource = \"registry+https://github.com/rust-lang/crates.io-index\"\n",
	}
}

// A conflict with a locked package that needs the original sys crate,
// which no move changes: scan's fix line says to update that package,
// not to run Option 1, which changes nothing there.
func TestScanFixLockedOriginal(t *testing.T) {
	files := lockedOriginalTree()
	var stdout, stderr bytes.Buffer
	if code := run([]string{"scan", writeTree(t, files)}, &stdout, &stderr); code != exitPending {
		t.Fatalf("scan exited %d\n%s%s", code, stdout.String(), stderr.String())
	}
	if out := stdout.String(); !strings.Contains(out, "Fix: Cargo.lock's rsys 0.1.0 needs jemalloc-sys 0.5.4+5.3.0-patched, which no move changes. First update rsys") || strings.Contains(out, "--option=1") {
		t.Errorf("scan:\n%s", out)
	}
}

// A locked package from git that takes the tikv sys crate from its
// repository: the registry's tikv crates conflict with it, and no move
// changes it; a member that takes the crate from that repository too
// does not (Cargo.lock names it by name alone, the only package of that
// name).
func TestScanLockedGitSys(t *testing.T) {
	lock := "version = 3\n[[package]]\nname = \"rsys\"\nversion = \"0.1.0\"\nsource = \"git+https://example.invalid/rsys#abc\"\ndependencies = [\"tikv-jemalloc-sys\"]\n\n" +
		"[[package]]\nname = \"tikv-jemalloc-sys\"\nversion = \"0.6.1\"\nsource = \"git+https://example.invalid/jem#def\"\n"
	for _, tc := range []struct {
		entry, want string
		code        int
	}{
		{`tikv-jemallocator = "0.6"`, "Fix: Cargo.lock's rsys 0.1.0 needs tikv-jemalloc-sys 0.6.1 from git (https://example.invalid/jem), which no move changes", exitPending},
		{`tikv-jemalloc-sys = { git = "https://example.invalid/jem" }`, "no conflict; nothing to do", exitOK},
	} {
		files := map[string]string{
			"Cargo.toml":   "[workspace]\nmembers = [\"a\"]\n",
			"a/Cargo.toml": "[package]\nname = \"a\"\n[dependencies]\n" + tc.entry + "\nrsys = { git = \"https://example.invalid/rsys\" }\n",
			"Cargo.lock":   lock,
		}
		var stdout, stderr bytes.Buffer
		if code := run([]string{"scan", writeTree(t, files)}, &stdout, &stderr); code != tc.code || !strings.Contains(stdout.String(), tc.want) || strings.Contains(stdout.String(), "--option=1") {
			t.Errorf("%s: scan exited %d, want %d and %q:\n%s%s", tc.entry, code, tc.code, tc.want, stdout.String(), stderr.String())
		}
	}
}

// A crate from git whose repository a [patch.crates-io] also gives the
// registry's allocator and sys crate: the moves reach that sys crate, so
// scan's fix is Option 1, as plan's, and it does not ask to add the sys
// crate's patch entry that is there.
func TestScanGitPatchedRepository(t *testing.T) {
	const git = `git = "https://example.invalid/fork", rev = "abc"`
	files := map[string]string{
		"Cargo.toml": "[workspace]\nmembers = [\"svc\", \"metrics\"]\n[workspace.dependencies]\ntikv-jemallocator = { version = \"0.6\", " + git + " }\n" +
			"[patch.crates-io]\ntikv-jemallocator = { " + git + " }\ntikv-jemalloc-sys = { " + git + " }\n",
		"svc/Cargo.toml":     "[package]\nname = \"svc\"\n[dependencies]\ntikv-jemallocator = { workspace = true }\n",
		"metrics/Cargo.toml": "[package]\nname = \"metrics\"\n[dependencies]\njemalloc-ctl = \"0.5\"\n",
	}
	var stdout, stderr bytes.Buffer
	code := run([]string{"scan", writeTree(t, files)}, &stdout, &stderr)
	if out := stdout.String(); code != exitPending || !strings.Contains(out, "Fix: jemfix apply --option=1") || strings.Contains(out, "from that repository too") {
		t.Errorf("scan exited %d:\n%s%s", code, out, stderr.String())
	}
}

// A sys crate published under a name of its own, in Cargo.lock beside
// the family's: jemfix does not know it, and scan says so and exits 3,
// as cargo reports the links conflict.
func TestScanUnknownSysCrate(t *testing.T) {
	files := map[string]string{
		"Cargo.toml":   "[workspace]\nmembers = [\"a\", \"b\"]\n",
		"a/Cargo.toml": "[package]\nname = \"a\"\n[dependencies]\ntikv-jemalloc-ctl = \"0.6\"\n",
		"b/Cargo.toml": "[package]\nname = \"b\"\n[dependencies]\nfork-jemallocator = \"0.6\"\n",
		"Cargo.lock": "version = 3\n[[package]]\nname = \"fork-jemallocator\"\nversion = \"0.6.1\"\nsource = \"registry+https://github.com/rust-lang/crates.io-index\"\ndependencies = [\"fork-jemalloc-sys\"]\n\n" +
			"[[package]]\nname = \"fork-jemalloc-sys\"\nversion = \"0.6.1\"\nsource = \"registry+https://github.com/rust-lang/crates.io-index\"\n",
	}
	var stdout, stderr bytes.Buffer
	code := run([]string{"scan", writeTree(t, files)}, &stdout, &stderr)
	if code != exitPending || !strings.Contains(stderr.String(), "warning: Cargo.lock holds fork-jemalloc-sys 0.6.1, a jemalloc sys crate jemfix does not know") {
		t.Errorf("scan exited %d:\n%s%s", code, stdout.String(), stderr.String())
	}
}

// An option that changes nothing but leaves the conflict says so: status
// conflict-remains, exit 3, and a warning on stderr with --json too.
func TestNothingChangedConflictRemains(t *testing.T) {
	files := lockedOriginalTree()
	var stdout, stderr bytes.Buffer
	if code := run([]string{"apply", "--option=1", "--json", writeTree(t, files)}, &stdout, &stderr); code != exitPending {
		t.Fatalf("apply exited %d\n%s%s", code, stdout.String(), stderr.String())
	}
	if !strings.Contains(stdout.String(), `"status": "conflict-remains"`) || !strings.Contains(stderr.String(), "option 1 changes nothing, and the links conflict remains") {
		t.Errorf("stdout:\n%s\nstderr:\n%s", stdout.String(), stderr.String())
	}
}
