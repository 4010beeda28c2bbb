package gen

import (
	"bytes"
	"fmt"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/pelletier/go-toml/v2"

	"jemfix/pkg/conflict"
	"jemfix/pkg/plan"
	"jemfix/pkg/rustedit"
	"jemfix/pkg/workspace"
)

// readAll reads every file under dir, keyed by slash path relative to dir.
func readAll(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		out[filepath.ToSlash(rel)] = b
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestWriteScale(t *testing.T) {
	s := Scale{Crates: 7, FilesPerCrate: 3, BytesPerFile: 6000, Every: 4}
	a, b := t.TempDir(), t.TempDir()
	for _, dir := range []string{a, b} {
		if err := WriteScale(dir, s); err != nil {
			t.Fatal(err)
		}
	}
	tree, other := readAll(t, a), readAll(t, b)
	if len(tree) != len(other) {
		t.Fatalf("two writes: %d and %d files", len(tree), len(other))
	}
	for p, x := range tree {
		if !bytes.Equal(x, other[p]) {
			t.Errorf("%s differs between two writes of the same Scale", p)
		}
	}

	var crates, rs, using int
	for p, text := range tree {
		switch {
		case strings.HasSuffix(p, "/Cargo.toml"):
			crates++
		case strings.HasSuffix(p, ".rs"):
			rs++
			if len(text) != s.BytesPerFile {
				t.Errorf("%s: %d bytes, want %d", p, len(text), s.BytesPerFile)
			}
			if bytes.Contains(text, []byte(oldCrate)) {
				using++
				if !bytes.Contains(text, []byte(scaleDecoys)) {
					t.Errorf("%s names %s without the decoys", p, oldCrate)
				}
			}
			if err := rustedit.CheckChange(p, nil, text); err != nil {
				t.Errorf("generated file does not parse: %v", err)
			}
		}
	}
	if crates != s.Crates || rs != s.Files() || rs != 21 {
		t.Errorf("%d crates and %d .rs files, want %d and %d", crates, rs, s.Crates, s.Files())
	}
	if want := (s.Files() + s.Every - 1) / s.Every; using != want || s.Using() != want {
		t.Errorf("%d files name %s, Using() = %d; want %d", using, oldCrate, s.Using(), want)
	}

	// Path dependencies: c-1, and c/2 unless that is c-1; stats forwarded.
	for c, want := range map[int][]string{0: nil, 1: {"c00000"}, 2: {"c00001"}, 5: {"c00004", "c00002"}, 6: {"c00005", "c00003"}} {
		m := string(tree[fmt.Sprintf("crates/c%05d/Cargo.toml", c)])
		if n := strings.Count(m, "{ path = "); n != len(want) {
			t.Errorf("c%05d: %d path dependencies, want %q\n%s", c, n, want, m)
		}
		for _, d := range want {
			if !strings.Contains(m, d+` = { path = "../`+d+`" }`) {
				t.Errorf("c%05d does not depend on %s by path\n%s", c, d, m)
			}
		}
		if c > 0 && !strings.Contains(m, `stats = ["jemalloc-ctl", "`+want[0]+`/stats"]`) {
			t.Errorf("c%05d does not forward stats to %s\n%s", c, want[0], m)
		}
		if inherit := strings.Contains(m, "version.workspace = true\nedition.workspace = true\n"); inherit != (c%2 == 0) {
			t.Errorf("c%05d inherits the package version: %v\n%s", c, inherit, m)
		}
	}
	if lib := string(tree["crates/c00000/src/lib.rs"]); !strings.Contains(lib, "pub mod m001;\npub mod m002;\n") ||
		!strings.Contains(lib, "#[global_allocator]\nstatic GLOBAL: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;\n") {
		t.Errorf("c00000/src/lib.rs lacks its modules or the global allocator:\n%.400s", lib)
	}
	if !strings.Contains(string(tree["Cargo.toml"]), "[workspace.package]\nversion = \"0.1.0\"\nedition = \"2021\"\n") {
		t.Errorf("root manifest:\n%s", tree["Cargo.toml"])
	}

	// The workspace has the links conflict, and Option 1 resolves it,
	// rewriting every manifest and every file whose form changes.
	ws, err := workspace.Load(os.DirFS(a), a)
	if err != nil {
		t.Fatal(err)
	}
	if len(conflict.Scan(ws).Chains) == 0 {
		t.Error("no conflict chain")
	}
	p, err := plan.Option1(ws, plan.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !p.Resolves {
		t.Error("Option 1 does not resolve the conflict")
	}

	// Unpadded files are plain code, the header and the form.
	c := t.TempDir()
	if err := WriteScale(c, Scale{Crates: 1, FilesPerCrate: 2, Every: 1}); err != nil {
		t.Fatal(err)
	}
	if m, err := os.ReadFile(filepath.Join(c, "crates/c00000/src/m001.rs")); err != nil || string(m) != plain(1)+scaleDecoys+scaleForms[1].before {
		t.Errorf("unpadded m001.rs: %v\n%s", err, m)
	}
	for _, bad := range []Scale{{}, {Crates: 1, FilesPerCrate: 1}, {Crates: 1, Every: 1}, {Crates: 1, FilesPerCrate: 1, Every: 1, BytesPerFile: -1}, {Crates: MaxScaleCrates + 1, FilesPerCrate: 1, Every: 1}} {
		if err := WriteScale(t.TempDir(), bad); err == nil {
			t.Errorf("WriteScale(%+v): want an error", bad)
		}
	}
}

// TestScaleForms checks the hand-written pairs: the first five are
// usage's forms, before and after have the same lines, and, but for the
// reordered uses, only renames change.
func TestScaleForms(t *testing.T) {
	for n, f := range scaleForms {
		if n < 5 && f.before != usage(n) {
			t.Errorf("form %d is not usage(%d)", n, n)
		}
		b, a := strings.Split(f.before, "\n"), strings.Split(f.after, "\n")
		if len(b) != len(a) {
			t.Errorf("form %d: %d lines before, %d after", n, len(b), len(a))
			continue
		}
		if !strings.HasSuffix(f.before, "\n") || !strings.Contains(f.before, oldCrate) {
			t.Errorf("form %d does not end a line or name %s", n, oldCrate)
		}
		for i := range b {
			// Forms 5 and 8 reorder uses; the others only rename.
			if n != 5 && n != 8 && strings.ReplaceAll(a[i], "tikv_jemalloc_ctl", "jemalloc_ctl") != b[i] {
				t.Errorf("form %d line %d: %q -> %q is not a rename", n, i+1, b[i], a[i])
			}
		}
	}
	if strings.Count(scaleDecoys, oldCrate) < 10 {
		t.Error("too few decoys")
	}
}

func TestOracleUnchanged(t *testing.T) {
	s := Scale{Crates: 5, FilesPerCrate: 3, BytesPerFile: 5000, Every: 2}
	dir := t.TempDir()
	if err := WriteScale(dir, s); err != nil {
		t.Fatal(err)
	}
	sc, msgs, err := Oracle(dir, s)
	if err != nil {
		t.Fatal(err)
	}
	if sc.Files != s.Files() || sc.ChangedLines != 0 || sc.Missed == 0 || sc.Decoys == 0 || sc.Perfect() {
		t.Errorf("untouched tree: %v, perfect %v", sc, sc.Perfect())
	}
	if len(msgs) == 0 || len(msgs) > 20 || !strings.HasPrefix(msgs[0], "crates/c00000/src/lib.rs:") || !strings.Contains(msgs[0], "(unchanged)") {
		t.Errorf("messages: %q", msgs)
	}
	if _, _, err := Oracle(t.TempDir(), s); err == nil {
		t.Error("want an error for a missing tree")
	}
}

// TestOracleScore plays a perfect rewrite by writing the expected texts,
// then spoils it one way at a time.
func TestOracleScore(t *testing.T) {
	s := Scale{Crates: 4, FilesPerCrate: 3, BytesPerFile: 6000, Every: 1} // every form once
	dir := t.TempDir()
	if err := WriteScale(dir, s); err != nil {
		t.Fatal(err)
	}
	untouched, _, err := Oracle(dir, s)
	if err != nil {
		t.Fatal(err)
	}
	want, err := s.expected()
	if err != nil {
		t.Fatal(err)
	}
	for p, text := range want {
		if err := os.WriteFile(filepath.Join(dir, p), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	score := func() (Score, []string) {
		t.Helper()
		sc, msgs, err := Oracle(dir, s)
		if err != nil {
			t.Fatal(err)
		}
		return sc, msgs
	}
	sc, msgs := score()
	if !sc.Perfect() || sc.Correct == 0 || sc.Correct != untouched.Missed || sc.Decoys != untouched.Decoys || len(msgs) != 0 {
		t.Fatalf("expected texts: %v, perfect %v (untouched: %v)\n%q", sc, sc.Perfect(), untouched, msgs)
	}

	edit := func(p, old, nu string) {
		t.Helper()
		full := filepath.Join(dir, p)
		b, err := os.ReadFile(full)
		if err != nil || !strings.Contains(string(b), old) {
			t.Fatalf("%s: %v, or no %q", p, err, old)
		}
		if err := os.WriteFile(full, []byte(strings.Replace(string(b), old, nu, 1)), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	restore := func(p string) {
		t.Helper()
		if err := os.WriteFile(filepath.Join(dir, p), []byte(want[p]), 0o644); err != nil {
			t.Fatal(err)
		}
	}

	// A renamed decoy.
	p := "crates/c00001/src/m002.rs"
	edit(p, "// Decoy: jemalloc_ctl::epoch", "// Decoy: tikv_jemalloc_ctl::epoch")
	sc, msgs = score()
	if sc.DecoysTouched != 1 || sc.Wrong != 1 || sc.Missed != 0 || sc.Perfect() || len(msgs) != 1 || !strings.HasPrefix(msgs[0], p+":") {
		t.Errorf("touched decoy: %v\n%q", sc, msgs)
	}
	restore(p)

	// A line that had to change and did not; a wrong rename.
	edit(p, "tikv_jemalloc_ctl::Result<usize>", "jemalloc_ctl::Result<usize>")
	edit("crates/c00000/src/m001.rs", "tikv_jemalloc_ctl::Error", "tikv_jemalloc_ctl::error")
	sc, msgs = score()
	if sc.Missed != 1 || sc.Wrong != 1 || sc.DecoysTouched != 0 || sc.Perfect() || len(msgs) != 2 {
		t.Errorf("missed and wrong: %v\n%q", sc, msgs)
	}
	restore(p)
	restore("crates/c00000/src/m001.rs")

	// A change in the padding, before the form: found by the slow path,
	// which still counts every decoy.
	edit("crates/c00002/src/lib.rs", "use std::fmt;", "use std::fmt as f;")
	sc, msgs = score()
	if sc.Wrong != 1 || sc.Decoys != untouched.Decoys || sc.Correct != untouched.Missed || len(msgs) != 1 {
		t.Errorf("changed padding: %v\n%q", sc, msgs)
	}
	restore("crates/c00002/src/lib.rs")

	// An added line.
	edit("crates/c00003/src/m001.rs", "pub const DECOY_STR", "\npub const DECOY_STR")
	sc, msgs = score()
	if sc.Wrong != 1 || sc.Perfect() || len(msgs) != 1 || !strings.Contains(msgs[0], "lines were added or removed") {
		t.Errorf("added line: %v\n%q", sc, msgs)
	}
}

// TestWriteScaleTree writes a scaling benchmark tree to
// $JEMFIX_GEN_SCALE_DIR: $JEMFIX_GEN_SCALE_CRATES crates (1000 unless
// set) of 3 files of 16000 bytes, one file in 50 naming jemalloc_ctl, and
// $JEMFIX_GEN_SCALE_REGISTRY registry dependencies a crate (0 unless set).
// It is skipped unless JEMFIX_GEN_SCALE_DIR is set.
func TestWriteScaleTree(t *testing.T) {
	dir := os.Getenv("JEMFIX_GEN_SCALE_DIR")
	if dir == "" {
		t.Skip("set JEMFIX_GEN_SCALE_DIR to write a scaling benchmark workspace")
	}
	if err := WriteScale(dir, benchScale(t)); err != nil {
		t.Fatal(err)
	}
}

// benchScale is the shape of the scaling benchmark trees, with
// $JEMFIX_GEN_SCALE_CRATES crates (1000 unless set).
func benchScale(t *testing.T) Scale {
	t.Helper()
	crates := envInt(t, "JEMFIX_GEN_SCALE_CRATES", 1000, 1, MaxScaleCrates, fmt.Sprintf("a number of crates from 1 to %d", MaxScaleCrates))
	registry := envInt(t, "JEMFIX_GEN_SCALE_REGISTRY", 0, 0, math.MaxInt, "a number of registry dependencies, 0 or more")
	return Scale{Crates: crates, FilesPerCrate: 3, BytesPerFile: 16000, Every: 50, RegistryDeps: registry}
}

// envInt returns the number in the environment variable name, or def when
// it is unset; a value outside [lo, hi] fails the test, which says it
// wants.
func envInt(t *testing.T, name string, def, lo, hi int, wants string) int {
	t.Helper()
	v := os.Getenv(name)
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < lo || n > hi {
		t.Fatalf("%s=%q: want %s", name, v, wants)
	}
	return n
}

// TestScoreFixedTree scores the tree at $JEMFIX_ORACLE_DIR, written by
// TestWriteScaleTree with as many crates ($JEMFIX_GEN_SCALE_CRATES) and
// then fixed by `jemfix apply --option=1` (docs/tools/scale-bench.sh). It
// is skipped unless that variable is set.
func TestScoreFixedTree(t *testing.T) {
	dir := os.Getenv("JEMFIX_ORACLE_DIR")
	if dir == "" {
		t.Skip("set JEMFIX_ORACLE_DIR to score a fixed scaling workspace")
	}
	sc, msgs, err := Oracle(dir, benchScale(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("score: %s", sc)
	if !sc.Perfect() || sc.Correct == 0 || sc.Decoys == 0 {
		t.Errorf("not perfect: %s\n%s", sc, strings.Join(msgs, "\n"))
	}
}

// A crate's registry dependencies are RegistryDeps distinct entries of
// valid TOML, besides its path and jemalloc entries.
func TestScaleRegistryDeps(t *testing.T) {
	s := Scale{Crates: 3, FilesPerCrate: 1, Every: 1, RegistryDeps: 65}
	for c := range s.Crates {
		var m struct{ Dependencies map[string]any }
		if err := toml.Unmarshal([]byte(s.manifest(c)), &m); err != nil {
			t.Fatalf("crate %d: %v\n%s", c, err, s.manifest(c))
		}
		want := s.RegistryDeps + len(deps(c)) + 1
		if c == 0 {
			want++ // tikv-jemallocator
		}
		if len(m.Dependencies) != want {
			t.Errorf("crate %d: %d dependencies, want %d", c, len(m.Dependencies), want)
		}
		for _, key := range []string{"serde", "serde-1", "serde-2", "bitflags-1", "jemalloc-ctl"} {
			if _, ok := m.Dependencies[key]; !ok {
				t.Errorf("crate %d: no dependency %s", c, key)
			}
		}
	}
	if err := (Scale{Crates: 1, FilesPerCrate: 1, Every: 1, RegistryDeps: -1}).check(); err == nil {
		t.Errorf("a negative RegistryDeps passed the check")
	}
}
