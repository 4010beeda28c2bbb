package main

import (
	"bytes"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"jemfix/internal/cargotest"
)

// TestGitForkOracle: the workspace takes the tikv crates from a git
// repository in [workspace.dependencies], and a member still names the
// registry's jemalloc-ctl and its stats module. Option 1 makes that member
// inherit the git entry (a registry tikv-jemalloc-ctl would be a second
// sys package), enabling "stats" when the repository holds 0.6, and cargo
// resolves and compiles the result with one sys package, from git. The
// repository is made here from the stub crates of a series, their sys
// edges turned into paths, and cargo fetches it from the file system.
func TestGitForkOracle(t *testing.T) {
	cargotest.RequireCargo(t)
	git := cargotest.RequireTool(t, "git")
	for _, tc := range []struct {
		series string
		crates []string
		member string // frontend's entry after the apply
	}{
		{"0.5", []string{"tikv-jemalloc-sys-0.5.4+5.3.0-patched", "tikv-jemalloc-ctl-0.5.4", "tikv-jemallocator-0.5.4"},
			"tikv-jemalloc-ctl = { workspace = true, optional = true }\n"},
		{"0.6", []string{"tikv-jemalloc-sys-0.6.1+5.3.0-1-ge13ca993e8ccb9ba9847cc330696e02839f328f7", "tikv-jemalloc-ctl-0.6.1", "tikv-jemallocator-0.6.1"},
			"tikv-jemalloc-ctl = { workspace = true, optional = true, features = [\"stats\"] }\n"},
	} {
		t.Run(tc.series, func(t *testing.T) {
			src := gitFork(t, git, tc.crates)
			dir := t.TempDir()
			entry := `{ git = "file://` + src.url + `", rev = "` + src.rev + `", version = "` + tc.series + `" }`
			cargotest.WriteTree(t, dir, map[string]string{
				"Cargo.toml": "[workspace]\nresolver = \"2\"\nmembers = [\"batch\", \"frontend\"]\n\n[workspace.dependencies]\n" +
					"tikv-jemalloc-ctl = " + entry + "\ntikv-jemallocator = " + entry + "\n",
				"batch/Cargo.toml": "[package]\nname = \"batch\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[dependencies]\n" +
					"frontend = { path = \"../frontend\", features = [\"jemalloc-ctl\"] }\ntikv-jemallocator = { workspace = true }\n",
				"batch/src/main.rs":   "#[global_allocator]\nstatic A: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;\n\nfn main() {\n    println!(\"{}\", frontend::allocated());\n}\n",
				"frontend/Cargo.toml": "[package]\nname = \"frontend\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[dependencies]\njemalloc-ctl = { version = \"0.5\", optional = true }\n",
				"frontend/src/lib.rs": "pub fn allocated() -> usize {\n    #[cfg(feature = \"jemalloc-ctl\")]\n    return jemalloc_ctl::stats::allocated::read().unwrap();\n    #[cfg(not(feature = \"jemalloc-ctl\"))]\n    0\n}\n",
			})
			cargotest.UseStubRegistry(t, dir)
			fetch := []string{"--config", "net.offline=false", "generate-lockfile"}
			if out, err := cargotest.Cargo(t, dir, fetch...); err == nil || !strings.Contains(out, `links to the native library `+"`jemalloc`") {
				t.Fatalf("before jemfix: want the links conflict, got %v\n%s", err, out)
			}

			var stdout, stderr bytes.Buffer
			if code := run([]string{"apply", "--option=1", dir}, &stdout, &stderr); code != exitOK {
				t.Fatalf("jemfix apply exited %d\n%s", code, stderr.String())
			}
			if got := readFile(t, dir, "frontend/Cargo.toml"); !strings.Contains(got, tc.member) {
				t.Errorf("frontend/Cargo.toml does not inherit the git entry as %q:\n%s", tc.member, got)
			}
			if out, err := cargotest.Cargo(t, dir, fetch...); err != nil {
				t.Fatalf("after jemfix: cargo generate-lockfile: %v\n%s", err, out)
			}
			for _, f := range []string{"--all-features", "--no-default-features"} {
				if out, err := cargotest.Cargo(t, dir, "check", "--offline", "--workspace", "--all-targets", f); err != nil {
					t.Fatalf("after jemfix: cargo check %s: %v\n%s", f, err, out)
				}
			}
			if got := cargotest.SysPackages(t, dir); len(got) != 1 || !strings.HasPrefix(got[0], "tikv-jemalloc-sys "+tc.series) {
				t.Errorf("after jemfix: sys packages %q, want the one from git", got)
			}
			if lock := readFile(t, dir, "Cargo.lock"); !strings.Contains(lock, `source = "git+file://`) {
				t.Errorf("Cargo.lock has no git package:\n%s", lock)
			}
		})
	}
}

// fork is a git repository of stub crates.
type fork struct{ url, rev string }

// stubFork copies the stub crates named (registry directory names) into
// dir, one directory each by crate name, their tikv-jemalloc-sys edges
// turned into paths: a fork of the jemallocator repository.
func stubFork(t *testing.T, dir string, crates []string) {
	t.Helper()
	for _, c := range crates {
		files := cargotest.ReadTree(t, filepath.Join(cargotest.RegistryDir(t), c))
		name, _, _ := strings.Cut(c, "-0.")
		files["Cargo.toml"] = strings.Replace(files["Cargo.toml"], `tikv-jemalloc-sys = { version = "`, `tikv-jemalloc-sys = { path = "../tikv-jemalloc-sys", version = "`, 1)
		cargotest.WriteTree(t, filepath.Join(dir, name), files)
	}
}

// gitFork makes a git repository of stubFork's crates.
func gitFork(t *testing.T, git string, crates []string) fork {
	t.Helper()
	dir := t.TempDir()
	stubFork(t, dir, crates)
	for _, args := range [][]string{{"init", "-q"}, {"add", "."}, {"-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "fork"}} {
		if out, err := exec.Command(git, append([]string{"-C", dir}, args...)...).CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	rev, err := exec.Command(git, "-C", dir, "rev-parse", "HEAD").Output()
	if err != nil {
		t.Fatal(err)
	}
	return fork{url: filepath.ToSlash(dir), rev: strings.TrimSpace(string(rev))}
}

// TestPatchForkOracle: [patch.crates-io] takes tikv-jemallocator from a
// vendored fork whose own tikv-jemalloc-sys comes by path, while a member
// uses the registry's tikv-jemalloc-ctl: cargo refuses, and so does scan,
// whose advice, once followed, makes cargo resolve and compile, and scan
// find no conflict. The patch is in the root manifest, or in the root's
// cargo configuration, which cargo reads too.
func TestPatchForkOracle(t *testing.T) {
	cargotest.RequireCargo(t)
	const patch = "[patch.crates-io]\ntikv-jemallocator = { path = \"vendor/tikv-jemallocator\" }\n"
	const workspace = "[workspace]\nmembers = [\"app\", \"stats\"]\nexclude = [\"vendor\"]\nresolver = \"2\"\n"
	for _, in := range []string{"Cargo.toml", ".cargo/config.toml"} {
		t.Run(in, func(t *testing.T) {
			dir := forkWorkspace(t, workspace, in, patch)
			var stdout, stderr bytes.Buffer
			if code := run([]string{"scan", dir}, &stdout, &stderr); code != exitPending {
				t.Fatalf("scan exited %d, want %d\n%s%s", code, exitPending, stdout.String(), stderr.String())
			}
			_, advice, ok := strings.Cut(stdout.String(), ": add ")
			entry, where, ok2 := strings.Cut(advice, " to [patch.crates-io]")
			if !ok || !ok2 || !strings.HasPrefix(entry, "tikv-jemalloc-sys = ") {
				t.Fatalf("scan gives no entry to add:\n%s", stdout.String())
			}
			if in != "Cargo.toml" && !strings.HasPrefix(where, " of "+filepath.ToSlash(filepath.Join(dir, in))) {
				t.Errorf("the advice does not name %s:\n%s", in, stdout.String())
			}
			cargotest.WriteTree(t, dir, map[string]string{in: readFile(t, dir, in) + entry + "\n"})
			if out, err := cargotest.Cargo(t, dir, "check", "--offline", "--workspace", "--all-targets"); err != nil {
				t.Fatalf("after the advice: cargo check: %v\n%s", err, out)
			}
			stdout.Reset()
			if code := run([]string{"scan", dir}, &stdout, &stderr); code != exitOK {
				t.Errorf("scan after the advice exited %d, want 0\n%s", code, stdout.String())
			}
		})
	}
}

// forkWorkspace writes the workspace of TestPatchForkOracle, with root as
// its root manifest and extra appended to the file in, and checks that
// cargo finds the links conflict.
func forkWorkspace(t *testing.T, root, in, extra string) string {
	t.Helper()
	dir := t.TempDir()
	stubFork(t, filepath.Join(dir, "vendor"), []string{"tikv-jemalloc-sys-0.6.1+5.3.0-1-ge13ca993e8ccb9ba9847cc330696e02839f328f7", "tikv-jemallocator-0.6.1"})
	cargotest.WriteTree(t, dir, map[string]string{
		"Cargo.toml":       root,
		"app/Cargo.toml":   "[package]\nname = \"app\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[dependencies]\nstats = { path = \"../stats\" }\ntikv-jemallocator = \"0.6\"\n",
		"app/src/main.rs":  "#[global_allocator]\nstatic A: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;\n\nfn main() {\n    println!(\"{}\", stats::allocated());\n}\n",
		"stats/Cargo.toml": "[package]\nname = \"stats\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[dependencies]\ntikv-jemalloc-ctl = { version = \"0.6\", features = [\"stats\"] }\n",
		"stats/src/lib.rs": "pub fn allocated() -> usize {\n    tikv_jemalloc_ctl::stats::allocated::read().unwrap()\n}\n",
	})
	cargotest.UseStubRegistry(t, dir)
	cargotest.WriteTree(t, dir, map[string]string{in: readFile(t, dir, in) + "\n" + extra})
	if out, err := cargotest.Cargo(t, dir, "generate-lockfile", "--offline"); err == nil || !strings.Contains(out, "links to the native library `jemalloc`") {
		t.Fatalf("before: want the links conflict, got %v\n%s", err, out)
	}
	return dir
}

// TestReplaceForkOracle: the fork of TestPatchForkOracle in [replace],
// with the sys crate replaced too, which cargo still refuses: scan sees
// the conflict, and its advice (both in [patch.crates-io]) makes cargo
// resolve and compile.
func TestReplaceForkOracle(t *testing.T) {
	cargotest.RequireCargo(t)
	const workspace = "[workspace]\nmembers = [\"app\", \"stats\"]\nexclude = [\"vendor\"]\nresolver = \"2\"\n"
	dir := forkWorkspace(t, workspace, "Cargo.toml", "[replace]\n\"tikv-jemallocator:0.6.1\" = { path = \"vendor/tikv-jemallocator\" }\n\"tikv-jemalloc-sys:0.6.1\" = { path = \"vendor/tikv-jemalloc-sys\" }\n")
	var stdout, stderr bytes.Buffer
	if code := run([]string{"scan", dir}, &stdout, &stderr); code != exitPending {
		t.Fatalf("scan exited %d, want %d\n%s%s", code, exitPending, stdout.String(), stderr.String())
	}
	_, advice, ok := strings.Cut(stdout.String(), ": replace the entry with ")
	entries, _, ok2 := strings.Cut(advice, " in [patch.crates-io]")
	alloc, sys, ok3 := strings.Cut(entries, " and ")
	if !ok || !ok2 || !ok3 {
		t.Fatalf("scan gives no entries:\n%s", stdout.String())
	}
	cargotest.WriteTree(t, dir, map[string]string{"Cargo.toml": workspace + "\n[patch.crates-io]\n" + alloc + "\n" + sys + "\n"})
	if out, err := cargotest.Cargo(t, dir, "check", "--offline", "--workspace", "--all-targets"); err != nil {
		t.Fatalf("after the advice: cargo check: %v\n%s", err, out)
	}
	stdout.Reset()
	if code := run([]string{"scan", dir}, &stdout, &stderr); code != exitOK {
		t.Errorf("scan after the advice exited %d, want 0\n%s", code, stdout.String())
	}
}
