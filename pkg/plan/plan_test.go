package plan

import (
	"strings"
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"
)

// files builds a workspace from "path: content" pairs.
func files(pairs ...string) fstest.MapFS {
	fsys := fstest.MapFS{}
	for i := 0; i < len(pairs); i += 2 {
		fsys[pairs[i]] = &fstest.MapFile{Data: []byte(pairs[i+1])}
	}
	return fsys
}

func load(t *testing.T, fsys fstest.MapFS) *Workspace {
	t.Helper()
	ws, err := Load(fsys, "ws")
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	return ws
}

// apply runs Option 1 and returns the new content of each changed file.
func apply(t *testing.T, fsys fstest.MapFS, opt Options) (map[string]string, *Plan) {
	t.Helper()
	p, err := Option1(load(t, fsys), fsys, opt)
	if err != nil {
		t.Fatalf("Option1: %v", err)
	}
	out := map[string]string{}
	for _, c := range p.Changes {
		out[c.Path] = string(c.New)
	}
	return out, p
}

const virtualRoot = "[workspace]\nmembers = [\"crates/*\"]\nexclude = [\"crates/old\"]\n"

func TestLoadMembers(t *testing.T) {
	fsys := files(
		"Cargo.toml", virtualRoot,
		"crates/a/Cargo.toml", "[package]\nname = \"a\"\n[dependencies]\nb = { path = \"../../libs/b\" }\n",
		"crates/old/Cargo.toml", "[package]\nname = \"old\"\n",
		"crates/notes.txt", "not a crate",
		"libs/b/Cargo.toml", "[package]\nname = \"b\"\n",
	)
	ws := load(t, fsys)
	var got []string
	for _, m := range ws.Members {
		got = append(got, m.Name+"@"+m.Dir)
	}
	if diff := cmp.Diff([]string{"a@crates/a", "b@libs/b"}, got); diff != "" {
		t.Errorf("members mismatch (-want +got):\n%s", diff)
	}
}

func TestLoadErrors(t *testing.T) {
	tests := []struct {
		name string
		fsys fstest.MapFS
		want string
	}{
		{"outside root", files("Cargo.toml", "[workspace]\nmembers = [\"../x\"]\n"), "outside the workspace root"},
		{"missing member", files("Cargo.toml", "[workspace]\nmembers = [\"gone\"]\n"), `member "gone" does not exist`},
		{"broken member", files("Cargo.toml", virtualRoot, "crates/a/Cargo.toml", "[package\n"), "ws/crates/a/Cargo.toml:1:"},
		{"not a manifest", files("Cargo.toml", "[profile.release]\n"), "neither [package] nor [workspace]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Load(tt.fsys, "ws")
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Load error = %v, want it to contain %q", err, tt.want)
			}
		})
	}
}

func TestFindRoot(t *testing.T) {
	fsys := files(
		"repo/Cargo.toml", virtualRoot,
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
		"repo/tools/solo":   "repo/tools/solo",
	} {
		got, err := FindRoot(fsys, dir, func(p string) string { return p })
		if err != nil || got != want {
			t.Errorf("FindRoot(%q) = %q, %v; want %q", dir, got, err, want)
		}
	}
	if _, err := FindRoot(fsys, "elsewhere", func(p string) string { return p }); err == nil {
		t.Error("FindRoot outside any package: want an error")
	}
}

func TestScan(t *testing.T) {
	tests := []struct {
		name     string
		fsys     fstest.MapFS
		conflict bool
		sys      []string
		movable  int
	}{
		{
			name: "original and tikv",
			fsys: files("Cargo.toml", virtualRoot,
				"crates/a/Cargo.toml", "[package]\nname = \"a\"\n[dependencies]\ntikv-jemallocator = \"0.5\"\n",
				"crates/b/Cargo.toml", "[package]\nname = \"b\"\n[dev-dependencies]\njemalloc-ctl = { version = \"0.5\", optional = true }\n"),
			conflict: true, sys: []string{"tikv-jemalloc-sys 0.5", "jemalloc-sys 0.5"}, movable: 1,
		},
		{
			name: "two tikv series",
			fsys: files("Cargo.toml", virtualRoot,
				"crates/a/Cargo.toml", "[package]\nname = \"a\"\n[dependencies]\ntikv-jemallocator = \"0.6\"\n",
				"crates/b/Cargo.toml", "[package]\nname = \"b\"\n[target.'cfg(unix)'.dependencies]\ntikv-jemalloc-ctl = \"0.5.4\"\n"),
			conflict: true, sys: []string{"tikv-jemalloc-sys 0.6", "tikv-jemalloc-sys 0.5"},
		},
		{
			name: "renamed tikv only",
			fsys: files("Cargo.toml", "[package]\nname = \"solo\"\n[dependencies]\njemallocator = { package = \"tikv-jemallocator\", version = \"0.5\" }\ntikv-jemalloc-ctl = \"0.5\"\n"),
			sys:  []string{"tikv-jemalloc-sys 0.5"},
		},
		{
			name: "maintenance",
			fsys: files("Cargo.toml", "[package]\nname = \"solo\"\n[dependencies]\njemallocator = \"0.3\"\njemalloc-ctl = \"0.3\"\n"),
			sys:  []string{"jemalloc-sys 0.3"}, movable: 2,
		},
		{
			name: "locked external",
			fsys: files("Cargo.toml", "[package]\nname = \"solo\"\n[dependencies]\ntikv-jemallocator = \"0.6\"\n",
				"Cargo.lock", "version = 3\n[[package]]\nname = \"librocksdb-sys\"\nversion = \"0.16.0\"\nsource = \"registry+https://github.com/rust-lang/crates.io-index\"\ndependencies = [\"tikv-jemalloc-sys 0.5.4+5.3.0-patched\"]\n"),
			conflict: true, sys: []string{"tikv-jemalloc-sys 0.6", "tikv-jemalloc-sys 0.5"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := Scan(load(t, tt.fsys))
			if r.Conflict != tt.conflict || r.Movable != tt.movable {
				t.Errorf("Scan: conflict %v movable %d, want %v %d", r.Conflict, r.Movable, tt.conflict, tt.movable)
			}
			if diff := cmp.Diff(tt.sys, r.Sys); diff != "" {
				t.Errorf("sys mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestReadCapped(t *testing.T) {
	fsys := files("src/big.rs", strings.Repeat("x", 20), "Cargo.toml", strings.Repeat("#", 20))
	if _, err := readCapped(fsys, "src/big.rs", "ws/src/big.rs", 10); err == nil || !strings.Contains(err.Error(), "ws/src/big.rs:1:1: file is 20 bytes, larger than the 0 MiB limit for a Rust source") {
		t.Errorf("readCapped over the limit: %v", err)
	}
	if _, err := readCapped(fsys, "Cargo.toml", "ws/Cargo.toml", 10); err == nil || !strings.Contains(err.Error(), "for a Cargo.toml") {
		t.Errorf("readCapped of a manifest over the limit: %v", err)
	}
	if b, err := readCapped(fsys, "src/big.rs", "ws/src/big.rs", 20); err != nil || len(b) != 20 {
		t.Errorf("readCapped at the limit = %d bytes, %v", len(b), err)
	}
}
