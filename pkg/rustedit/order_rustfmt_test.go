package rustedit

import (
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"jemfix/internal/cargotest"
	"jemfix/pkg/textedit"
)

// TestSortUsesRustfmt checks the order against real rustfmt, for both
// style editions. Files of several use groups are formatted by rustfmt,
// renamed by Rewrite, and must still pass `rustfmt --check`. Files of one
// group in random order are renamed as they are: when rustfmt accepted
// one, so must it after; when not, Rewrite must only rename.
func TestSortUsesRustfmt(t *testing.T) {
	rustfmt := cargotest.RequireTool(t, "rustfmt")
	n := 300
	if testing.Short() {
		n = 60
	}
	for _, edition := range []string{"2021", "2024"} {
		t.Run(edition, func(t *testing.T) {
			rng := rand.New(rand.NewPCG(14, uint64(len(edition))))
			var many, one []string
			for range n {
				many = append(many, genUseFile(rng))
				var b strings.Builder
				genGroup(rng, &b, "")
				one = append(one, b.String())
			}
			for _, tc := range orderCases {
				if tc.style == "" && edition == "2021" || tc.style == edition {
					one = append(one, tc.src)
				}
			}
			dir := t.TempDir()
			formatted := writeFiles(t, filepath.Join(dir, "many"), many)
			rustfmtList(t, rustfmt, edition, formatted)
			checkRustfmt(t, rustfmt, edition, formatted)
			checkRustfmt(t, rustfmt, edition, writeFiles(t, filepath.Join(dir, "one"), one))
		})
	}
}

// checkRustfmt renames each file: one that rustfmt --check accepts must
// pass after; in one it rejects, Rewrite must only rename.
func checkRustfmt(t *testing.T, rustfmt, edition string, files []string) {
	rejected := rustfmtList(t, rustfmt, edition, files, "--check", "-l")
	opt := testOpts
	opt.StyleEdition, opt.Edition = edition, edition
	var outs []string
	moved, plain := 0, 0
	for i, p := range files {
		src := readFile(t, p)
		out, res := rewriteWith(t, src, opt)
		outs = append(outs, out)
		if err := CheckChange(p, []byte(src), []byte(out)); err != nil {
			t.Errorf("file %d: CheckChange: %v", i, err)
		}
		if again, _ := rewriteWith(t, out, opt); again != out {
			t.Errorf("file %d: a second run changed the output", i)
		}
		switch only := renamesOnly(src, res.Edits); {
		case rejected[p] && !only:
			t.Errorf("%s was not in rustfmt's order, but Rewrite moved items:\n%s", p, src)
		case rejected[p]:
			plain++
		case !only:
			moved++
		}
	}
	outPaths := writeFiles(t, filepath.Join(filepath.Dir(files[0]), "out"), outs)
	failed := rustfmtList(t, rustfmt, edition, outPaths, "--check", "-l")
	for i, p := range outPaths {
		if failed[p] && !rejected[files[i]] {
			diff, _ := exec.Command(rustfmt, "--check", "--edition", edition, p).Output()
			t.Errorf("%s passed rustfmt --check before the rename, not after:\n--- before\n%s--- rustfmt\n%s", files[i], readFile(t, files[i]), diff)
		}
	}
	t.Logf("edition %s, %s: %d of %d files passed rustfmt --check before the rename and after (%d with moved uses); %d that did not pass got renames only",
		edition, filepath.Base(filepath.Dir(files[0])), len(files)-len(rejected), len(files), moved, plain)
}

// rustfmtList runs rustfmt on files and returns the files it lists (with
// -l: those it would change).
func rustfmtList(t *testing.T, rustfmt, edition string, files []string, flags ...string) map[string]bool {
	t.Helper()
	args := append([]string{"--edition", edition}, flags...)
	cmd := exec.Command(rustfmt, append(args, files...)...)
	out, err := cmd.Output()
	if _, ok := err.(*exec.ExitError); err != nil && !(ok && len(flags) > 0) {
		t.Fatalf("rustfmt: %v\n%s", err, out)
	}
	listed := map[string]bool{}
	for _, l := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		listed[l] = true
	}
	return listed
}

func writeFiles(t *testing.T, dir string, srcs []string) []string {
	t.Helper()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	var paths []string
	for i, s := range srcs {
		p := filepath.Join(dir, fmt.Sprintf("f%03d.rs", i))
		if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, p)
	}
	return paths
}

func readFile(t *testing.T, p string) string {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func rewriteWith(t *testing.T, src string, opt Options) (string, Result) {
	t.Helper()
	res, err := Rewrite("gen.rs", []byte(src), opt)
	if err != nil {
		t.Fatalf("Rewrite: %v\n%s", err, src)
	}
	out, err := textedit.Apply([]byte(src), res.Edits)
	if err != nil {
		t.Fatalf("Apply: %v", err)
	}
	return string(out), res
}

// renamesOnly reports whether every edit renames one old crate name.
func renamesOnly(src string, edits []textedit.Edit) bool {
	for _, e := range edits {
		old := src[e.Start:e.End]
		if testOpts.Crates[old] != e.New && !keepsName(old, e.New) {
			return false
		}
	}
	return true
}

// usePaths are the trees genUseFile draws from: old crate names in every
// position, their neighbours in both case orders, lists, globs, aliases.
var usePaths = []string{
	"std::collections::HashMap", "std::fmt", "std::io::{self, Read}", "core::mem", "alloc::vec::Vec",
	"anyhow::Result", "pprof::ProfilerGuard", "libc::c_int", "zstd::stream", "serde::{Deserialize, Serialize}",
	"log::{info, warn}", "tikv2::x", "tikv10::y", "tikv::Z", "jemalloc::x", "jemallocator_ext::z", "r#type::a",
	"Zeta::Y", "ZED", "MiniZ::z", "self::inner::A", "super::Config", "crate::util::helper", "x86_64::a",
	"jemalloc_ctl::epoch", "jemalloc_ctl::stats::{allocated, resident}", "jemalloc_ctl::stats::allocated::Mib as AllocatedMib",
	"jemallocator::Jemalloc", "jemalloc_sys::mallocx", "jemalloc_ctl", "jemallocator", "jemalloc_ctl::*",
	"::jemalloc_ctl::epoch", "{jemalloc_ctl::epoch, pprof::Report}", "{jemallocator, zstd}", "jemalloc_ctl as ctl",
	"jemalloc_sys", "tikv_jemalloc_ctl::raw", "::std::ptr", "jemalloc_ctl::{self, epoch}",
}

// genUseFile writes a file of use groups at the top level, in a mod
// block and in a function body, with attributes, doc comments, trailing
// comments and visibility, in random order.
func genUseFile(rng *rand.Rand) string {
	var b strings.Builder
	for range 1 + rng.IntN(3) {
		switch rng.IntN(4) {
		case 0:
			b.WriteString("mod inner {\n")
			genGroups(rng, &b, "    ")
			b.WriteString("}\n\n")
		case 1:
			b.WriteString("fn body() {\n")
			genGroups(rng, &b, "    ")
			b.WriteString("    let _x = 1;\n}\n\n")
		default:
			genGroups(rng, &b, "")
			b.WriteString("\n")
		}
	}
	b.WriteString("fn main() {}\n")
	return b.String()
}

func genGroups(rng *rand.Rand, b *strings.Builder, indent string) {
	trailing := false
	for g := range 1 + rng.IntN(3) {
		if g > 0 {
			// rustfmt aligns a comment line under a trailing comment,
			// or not, depending on what comes before: not generated
			if !trailing && rng.IntN(3) == 0 {
				b.WriteString(indent + "// next group\n")
			} else {
				b.WriteString("\n")
			}
		}
		trailing = genGroup(rng, b, indent)
	}
}

// genGroup writes one group of use items and reports whether one has a
// trailing comment.
func genGroup(rng *rand.Rand, b *strings.Builder, indent string) (trailing bool) {
	for _, k := range rng.Perm(len(usePaths))[:1+rng.IntN(6)] {
		switch rng.IntN(8) {
		case 0:
			b.WriteString(indent + "#[cfg(feature = \"jemalloc\")]\n")
		case 1:
			b.WriteString(indent + "/// Docs.\n")
		}
		vis := ""
		if rng.IntN(6) == 0 {
			vis = "pub "
		}
		fmt.Fprintf(b, "%s%suse %s;", indent, vis, usePaths[k])
		if rng.IntN(8) == 0 {
			b.WriteString(" // why")
			trailing = true
		}
		b.WriteString("\n")
	}
	return trailing
}
