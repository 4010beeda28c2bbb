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
// registry's jemalloc-ctl. Option 1 makes that member inherit the git
// entry (a registry tikv-jemalloc-ctl would be a second sys package), and
// cargo resolves and compiles the result with one sys package, from git.
// The repository is made here from the stub crates, their sys edges turned
// into paths, and cargo fetches it from the file system.
func TestGitForkOracle(t *testing.T) {
	cargotest.RequireCargo(t)
	git := cargotest.RequireTool(t, "git")
	fork := t.TempDir()
	for _, c := range []string{"tikv-jemalloc-sys-0.5.4+5.3.0-patched", "tikv-jemalloc-ctl-0.5.4", "tikv-jemallocator-0.5.4"} {
		files := cargotest.ReadTree(t, filepath.Join(cargotest.RegistryDir(t), c))
		name, _, _ := strings.Cut(c, "-0.")
		files["Cargo.toml"] = strings.Replace(files["Cargo.toml"], `tikv-jemalloc-sys = { version = "0.5.4"`, `tikv-jemalloc-sys = { path = "../tikv-jemalloc-sys", version = "0.5.4"`, 1)
		cargotest.WriteTree(t, filepath.Join(fork, name), files)
	}
	for _, args := range [][]string{{"init", "-q"}, {"add", "."}, {"-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "fork"}} {
		if out, err := exec.Command(git, append([]string{"-C", fork}, args...)...).CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	rev, err := exec.Command(git, "-C", fork, "rev-parse", "HEAD").Output()
	if err != nil {
		t.Fatal(err)
	}
	src := `{ git = "file://` + filepath.ToSlash(fork) + `", rev = "` + strings.TrimSpace(string(rev)) + `" }`
	dir := t.TempDir()
	cargotest.WriteTree(t, dir, map[string]string{
		"Cargo.toml": "[workspace]\nresolver = \"2\"\nmembers = [\"batch\", \"frontend\"]\n\n[workspace.dependencies]\n" +
			"tikv-jemalloc-ctl = " + src + "\ntikv-jemallocator = " + src + "\n",
		"batch/Cargo.toml": "[package]\nname = \"batch\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[dependencies]\n" +
			"frontend = { path = \"../frontend\", features = [\"jemalloc-ctl\"] }\ntikv-jemallocator = { workspace = true }\n",
		"batch/src/main.rs":   "#[global_allocator]\nstatic A: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;\n\nfn main() {\n    frontend::advance();\n}\n",
		"frontend/Cargo.toml": "[package]\nname = \"frontend\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[dependencies]\njemalloc-ctl = { version = \"0.5\", optional = true }\n",
		"frontend/src/lib.rs": "pub fn advance() {\n    #[cfg(feature = \"jemalloc-ctl\")]\n    jemalloc_ctl::epoch::advance().unwrap();\n}\n",
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
	if got := readFile(t, dir, "frontend/Cargo.toml"); !strings.Contains(got, "tikv-jemalloc-ctl = { workspace = true, optional = true }\n") {
		t.Errorf("frontend/Cargo.toml does not inherit the git entry:\n%s", got)
	}
	if out, err := cargotest.Cargo(t, dir, fetch...); err != nil {
		t.Fatalf("after jemfix: cargo generate-lockfile: %v\n%s", err, out)
	}
	if out, err := cargotest.Cargo(t, dir, "check", "--offline", "--workspace", "--all-targets"); err != nil {
		t.Fatalf("after jemfix: cargo check: %v\n%s", err, out)
	}
	if got := cargotest.SysPackages(t, dir); len(got) != 1 || !strings.HasPrefix(got[0], "tikv-jemalloc-sys 0.5.4") {
		t.Errorf("after jemfix: sys packages %q, want the one from git", got)
	}
	if lock := readFile(t, dir, "Cargo.lock"); !strings.Contains(lock, `source = "git+file://`) {
		t.Errorf("Cargo.lock has no git package:\n%s", lock)
	}
}
