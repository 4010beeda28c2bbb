package workspace_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"jemfix/internal/cargotest"
	"jemfix/internal/wstest"
	"jemfix/pkg/workspace"
)

// What cargo 1.95 does with each workspace layout, checked with
// `cargo metadata --offline --format-version 1` (and --no-deps) on the
// trees of layoutCases; TestLayoutMatchesCargo checks it again on every run.
//
//	layout                                            cargo 1.95                        jemfix
//	members glob matches a file (lib/README.md)       skipped                           skipped (was: "not a directory")
//	glob matches a directory without Cargo.toml       error: failed to load manifest …  error naming it (was: skipped)
//	glob matches a hidden directory (crates/.cache)   a member like any other           same
//	trailing slash in a member ("xtask/", "lib/*/")   ignored                           same
//	"crates/**"                                       every path below crates/, not     same (was: read as "crates/*")
//	                                                  crates itself; so a src/ dir
//	                                                  without a manifest is an error
//	"crates/**/b"                                     ** is zero or more directories    same (was: exactly one)
//	glob that matches nothing ("nomatch/*")           error (read as a literal path)    error (was: nothing)
//	literal member that is a file                     skipped                           same (was: "not a directory")
//	literal member that does not exist                error                             error
//	exclude entry with a trailing slash               ignored                           same
//	exclude entry with a glob ("crates/o*")           a literal path: excludes nothing  same
//	path in members and under exclude                 member (listed paths win)         same (was: excluded)
//	members has ".", exclude has crates/x             crates/x is a member ("." lists   same (was: excluded)
//	                                                  every path)
//	default-members                                   a subset; members and graph       ignored: every member is read
//	                                                  unchanged
//	member matched by a glob has its own [workspace]  error: multiple workspace roots   error (was: read as a member)
//	path dep of a member has its own [workspace]      error: multiple workspace roots   error (was: read as a member)
//	nested workspace (fuzz/) that is not a member     not a member, not in the graph    not read (unchanged)
//	path deps of members, transitively, in the root   members                           members (unchanged)
//	path dep of a member in an excluded directory     not a member, in the graph        NonMember (was: not read)
//	root package without [workspace]: its path deps,  not members, in the graph         NonMember (was: not read)
//	  transitively ([workspace] in them is ignored)
//	dev-dependencies of a non-member path package     not resolved                      not followed
//	package reached only through a path dependency,   the outer root                    same (was: its own root)
//	  run from its directory: workspace root
//
// Path dependencies that leave the root are in cargo's graph, but jemfix
// never reads outside the root (TestPathDepsStayInsideRoot).

type layoutCase struct {
	name  string
	files map[string]string // path -> content; a path ending in "/" is an empty directory
	// members are the member directories cargo lists (workspace_members);
	// graph adds the path packages that are only in the resolve graph.
	members, graph []string
	// err is a piece of jemfix's error, cargoErr of cargo's, when the
	// layout is an error.
	err, cargoErr string
}

const loadFail = "failed to load manifest for workspace member"

func lib(name string, extra ...string) string {
	return "[package]\nname = \"" + name + "\"\nversion = \"0.1.0\"\nedition = \"2021\"\n" + strings.Join(extra, "")
}

// flat is a package whose library sits next to its manifest, so that it
// has no subdirectory (for `**` patterns).
func flat(name string) string { return lib(name, "[lib]\npath = \"lib.rs\"\n") }

var layoutCases = []layoutCase{
	{name: "glob matches files",
		files: map[string]string{
			"Cargo.toml":           "[workspace]\nmembers = [\"xtask/\", \"lib/*\", \"crates/*\"]\nresolver = \"2\"\n",
			"xtask/Cargo.toml":     lib("xtask"),
			"lib/README.md":        "# libraries\n",
			"lib/b/Cargo.toml":     lib("b"),
			"crates/Makefile":      "all:\n",
			"crates/a/Cargo.toml":  lib("a"),
			"crates/.DS_Store":     "",
			"crates/a/src/main.rs": "fn main() {}\n",
		},
		members: []string{"crates/a", "lib/b", "xtask"}},
	{name: "glob matches a directory without manifest",
		files: map[string]string{
			"Cargo.toml":          "[workspace]\nmembers = [\"crates/*\"]\nresolver = \"2\"\n",
			"crates/a/Cargo.toml": lib("a"),
			"crates/empty/":       "",
		},
		err: "crates/empty (matched by \"crates/*\") has no Cargo.toml", cargoErr: loadFail},
	{name: "hidden directory with manifest",
		files: map[string]string{
			"Cargo.toml":               "[workspace]\nmembers = [\"crates/*\"]\nresolver = \"2\"\n",
			"crates/a/Cargo.toml":      lib("a"),
			"crates/.cache/Cargo.toml": lib("hidden"),
		},
		members: []string{"crates/.cache", "crates/a"}},
	{name: "hidden directory without manifest",
		files: map[string]string{
			"Cargo.toml":          "[workspace]\nmembers = [\"crates/*\"]\nresolver = \"2\"\n",
			"crates/a/Cargo.toml": lib("a"),
			"crates/.cache/x":     "",
		},
		err: "crates/.cache (matched by \"crates/*\") has no Cargo.toml", cargoErr: loadFail},
	{name: "trailing slashes",
		files: map[string]string{
			"Cargo.toml":       "[workspace]\nmembers = [\"xtask/\", \"lib/*/\"]\nexclude = [\"lib/old/\"]\nresolver = \"2\"\n",
			"xtask/Cargo.toml": lib("xtask"),
			"lib/b/Cargo.toml": lib("b"),
			"lib/old/":         "",
			"lib/README.md":    "",
		},
		members: []string{"lib/b", "xtask"}},
	{name: "a backslash is a character of the name, not an escape",
		files: map[string]string{
			"Cargo.toml":                    "[workspace]\nmembers = [\"crates/back\\\\slash\", \"libs/*\\\\y\"]\nresolver = \"2\"\n",
			"crates/back\\slash/Cargo.toml": lib("b"),
			"libs/a\\y/Cargo.toml":          lib("a"),
			"libs/ay/Cargo.toml":            lib("not"),
		},
		members: []string{"crates/back\\slash", "libs/a\\y"}},
	{name: "double star below a directory",
		files: map[string]string{
			"Cargo.toml":            "[workspace]\nmembers = [\"crates/**\"]\nresolver = \"2\"\n",
			"crates/Cargo.toml":     flat("c"),
			"crates/lib.rs":         "",
			"crates/a/Cargo.toml":   flat("a"),
			"crates/a/lib.rs":       "",
			"crates/g/Cargo.toml":   flat("g"),
			"crates/g/lib.rs":       "",
			"crates/g/b/Cargo.toml": flat("b"),
			"crates/g/b/lib.rs":     "",
			"crates/README.md":      "",
		},
		members: []string{"crates/a", "crates/g", "crates/g/b"}},
	{name: "double star reaches src",
		files: map[string]string{
			"Cargo.toml":          "[workspace]\nmembers = [\"crates/**\"]\nresolver = \"2\"\n",
			"crates/a/Cargo.toml": lib("a"),
		},
		err: "crates/a/src (matched by \"crates/**\") has no Cargo.toml", cargoErr: loadFail},
	{name: "double star in the middle",
		files: map[string]string{
			"Cargo.toml":              "[workspace]\nmembers = [\"crates/**/b\"]\nresolver = \"2\"\n",
			"crates/b/Cargo.toml":     lib("b0"),
			"crates/x/b/Cargo.toml":   lib("b1"),
			"crates/x/y/b/Cargo.toml": lib("b2"),
			"crates/x/c/Cargo.toml":   lib("c"),
		},
		members: []string{"crates/b", "crates/x/b", "crates/x/y/b"}},
	{name: "glob matches nothing",
		files: map[string]string{
			"Cargo.toml":   "[workspace]\nmembers = [\"a\", \"nomatch/*\"]\nresolver = \"2\"\n",
			"a/Cargo.toml": lib("a"),
		},
		err: `pattern "nomatch/*" matches nothing`, cargoErr: loadFail},
	{name: "literal member is a file",
		files: map[string]string{
			"Cargo.toml":   "[workspace]\nmembers = [\"a\", \"NOTES.md\"]\nresolver = \"2\"\n",
			"a/Cargo.toml": lib("a"),
			"NOTES.md":     "",
		},
		members: []string{"a"}},
	{name: "literal member missing",
		files: map[string]string{
			"Cargo.toml":   "[workspace]\nmembers = [\"a\", \"gone\"]\nresolver = \"2\"\n",
			"a/Cargo.toml": lib("a"),
		},
		err: `member "gone" does not exist`, cargoErr: loadFail},
	{name: "exclude is a path not a glob",
		files: map[string]string{
			"Cargo.toml":            "[workspace]\nmembers = [\"crates/*\"]\nexclude = [\"crates/o*\", \"crates/empty/\"]\nresolver = \"2\"\n",
			"crates/a/Cargo.toml":   lib("a"),
			"crates/old/Cargo.toml": lib("old"),
			"crates/empty/":         "",
		},
		members: []string{"crates/a", "crates/old"}},
	{name: "explicit member beats exclude",
		files: map[string]string{
			"Cargo.toml":          "[workspace]\nmembers = [\"crates/a\", \"crates/*\"]\nexclude = [\"crates\"]\nresolver = \"2\"\n",
			"crates/a/Cargo.toml": lib("a"),
			"crates/b/Cargo.toml": lib("b"),
		},
		members: []string{"crates/a"}},
	{name: "members lists the root",
		files: map[string]string{
			"Cargo.toml":            lib("root", "\n[workspace]\nmembers = [\".\", \"crates/*\"]\nexclude = [\"crates/old\"]\n"),
			"crates/a/Cargo.toml":   lib("a"),
			"crates/old/Cargo.toml": lib("old"),
		},
		// "." lies above every path, so every path counts as listed and
		// exclude has no effect.
		members: []string{".", "crates/a", "crates/old"}},
	{name: "default members",
		files: map[string]string{
			"Cargo.toml":          "[workspace]\nmembers = [\"crates/*\"]\ndefault-members = [\"crates/a\"]\nresolver = \"2\"\n",
			"crates/a/Cargo.toml": lib("a"),
			"crates/b/Cargo.toml": lib("b"),
		},
		members: []string{"crates/a", "crates/b"}},
	{name: "nested workspace matched by a glob",
		files: map[string]string{
			"Cargo.toml":             "[workspace]\nmembers = [\"crates/*\"]\nresolver = \"2\"\n",
			"crates/a/Cargo.toml":    lib("a"),
			"crates/fuzz/Cargo.toml": lib("fuzz", "[dependencies]\na = { path = \"../a\" }\n\n[workspace]\n"),
		},
		err: "package fuzz has a [workspace] of its own", cargoErr: "multiple workspace roots found"},
	{name: "nested workspace not a member",
		files: map[string]string{
			"Cargo.toml":       lib("root", "\n[workspace]\n"),
			"src/lib.rs":       "",
			"fuzz/Cargo.toml":  lib("root-fuzz", "[dependencies]\nroot = { path = \"..\" }\n\n[workspace]\nmembers = [\".\"]\n"),
			"fuzz/src/main.rs": "fn main() {}\n",
		},
		members: []string{"."}},
	{name: "path dependency into a nested workspace",
		files: map[string]string{
			"Cargo.toml":     lib("root", "[dependencies]\nsub = { path = \"sub\" }\n\n[workspace]\n"),
			"sub/Cargo.toml": lib("sub", "[workspace]\n"),
		},
		err: "package sub has a [workspace] of its own", cargoErr: "multiple workspace roots found"},
	{name: "transitive path dependencies are members",
		files: map[string]string{
			"Cargo.toml":          "[workspace]\nmembers = [\"crates/*\"]\nresolver = \"2\"\n\n[workspace.dependencies]\nd = { path = \"libs/d\" }\n",
			"crates/a/Cargo.toml": lib("a", "[dependencies]\nb = { path = \"../../libs/b\" }\n[dev-dependencies]\nd.workspace = true\n"),
			"libs/b/Cargo.toml":   lib("b", "[build-dependencies]\nc = { path = \"../c\" }\n"),
			"libs/c/Cargo.toml":   lib("c"),
			"libs/d/Cargo.toml":   lib("d"),
		},
		members: []string{"crates/a", "libs/b", "libs/c", "libs/d"}},
	{name: "path dependency in an excluded directory",
		files: map[string]string{
			"Cargo.toml":          "[workspace]\nmembers = [\"crates/*\"]\nexclude = [\"crates/vendored\"]\nresolver = \"2\"\n",
			"crates/a/Cargo.toml": lib("a", "[dependencies]\nvendored = { path = \"../vendored\" }\n"),
			"crates/vendored/Cargo.toml": lib("vendored", "[dependencies]\ninner = { path = \"inner\" }\n"+
				"[dev-dependencies]\ntestonly = { path = \"../testonly\" }\n\n[workspace]\n"),
			"crates/vendored/inner/Cargo.toml": lib("inner"),
			"crates/testonly/Cargo.toml":       lib("testonly"),
		},
		// crates/testonly is matched by crates/* itself.
		members: []string{"crates/a", "crates/testonly"},
		graph:   []string{"crates/vendored", "crates/vendored/inner"}},
	{name: "root package without workspace",
		files: map[string]string{
			"Cargo.toml": lib("app", "[dependencies]\nstats = { path = \"crates/stats\" }\n"+
				"[target.'cfg(unix)'.build-dependencies]\nmysys = { path = \"mysys\" }\n"),
			"src/main.rs":               "fn main() {}\n",
			"crates/stats/Cargo.toml":   lib("stats", "[dependencies]\ninner = { path = \"../inner\" }\n[dev-dependencies]\ndevonly = { path = \"../devonly\" }\n"),
			"crates/inner/Cargo.toml":   lib("inner"),
			"crates/devonly/Cargo.toml": lib("devonly"),
			"mysys/Cargo.toml":          lib("mysys", "\n[workspace]\n"),
			"unrelated/Cargo.toml":      lib("unrelated"),
		},
		members: []string{"."},
		graph:   []string{"crates/inner", "crates/stats", "mysys"}},
}

func writeTree(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for p, content := range files {
		full := filepath.Join(dir, filepath.FromSlash(p))
		if strings.HasSuffix(p, "/") {
			if err := os.MkdirAll(full, 0o755); err != nil {
				t.Fatal(err)
			}
			continue
		}
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		// Give every package that has no sources a library, as cargo needs one.
		if filepath.Base(p) == "Cargo.toml" && !strings.Contains(content, "[lib]") && strings.Contains(content, "[package]") {
			if !hasSources(files, filepath.ToSlash(filepath.Dir(p))) {
				src := filepath.Join(filepath.Dir(full), "src", "lib.rs")
				if err := os.MkdirAll(filepath.Dir(src), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(src, nil, 0o644); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	return dir
}

func hasSources(files map[string]string, dir string) bool {
	prefix := dir + "/src/"
	if dir == "." {
		prefix = "src/"
	}
	for p := range files {
		if strings.HasPrefix(p, prefix) {
			return true
		}
	}
	return false
}

// jemfixLayout loads dir as jemfix does and returns the member directories
// and the non-member ones.
func jemfixLayout(t *testing.T, dir string) (members, graph []string, err error) {
	ws, err := workspace.Open(dir)
	if err != nil {
		return nil, nil, err
	}
	defer ws.Close()
	if ws.Dir != dir {
		t.Errorf("Open(%s) found the root %s", dir, ws.Dir)
	}
	for _, m := range ws.Members {
		if m.NonMember {
			graph = append(graph, m.Dir)
		} else {
			members = append(members, m.Dir)
		}
	}
	return members, graph, nil
}

func TestLayoutRules(t *testing.T) {
	for _, tt := range layoutCases {
		t.Run(tt.name, func(t *testing.T) {
			dir := writeTree(t, tt.files)
			members, graph, err := jemfixLayout(t, dir)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("Load error = %v; want one containing %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatalf("Load: %v", err)
			}
			if diff := cmp.Diff(tt.members, members); diff != "" {
				t.Errorf("members (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.graph, graph); diff != "" {
				t.Errorf("non-member packages (-want +got):\n%s", diff)
			}
		})
	}
}

// cargoMetadata is the part of `cargo metadata` the layout tests read.
type cargoMetadata struct {
	Packages []struct {
		ID           string  `json:"id"`
		ManifestPath string  `json:"manifest_path"`
		Source       *string `json:"source"`
	} `json:"packages"`
	WorkspaceMembers        []string `json:"workspace_members"`
	WorkspaceDefaultMembers []string `json:"workspace_default_members"`
	WorkspaceRoot           string   `json:"workspace_root"`
}

func metadata(t *testing.T, dir string, args ...string) (*cargoMetadata, string, error) {
	t.Helper()
	out, err := cargotest.Cargo(t, dir, append([]string{"metadata", "--offline", "--format-version", "1"}, args...)...)
	if err != nil {
		return nil, out, err
	}
	// The JSON document is the last line; cargo may print "Locking …" first.
	lines := strings.Split(strings.TrimSpace(out), "\n")
	var md cargoMetadata
	if err := json.Unmarshal([]byte(lines[len(lines)-1]), &md); err != nil {
		t.Fatalf("cargo metadata output: %v\n%s", err, out)
	}
	return &md, out, nil
}

// dirs maps package ids (or, with ids nil, every path package) to their
// directories relative to root.
func (md *cargoMetadata) dirs(t *testing.T, root string, ids []string) []string {
	var out []string
	for _, p := range md.Packages {
		if ids != nil && !slices.Contains(ids, p.ID) || ids == nil && p.Source != nil {
			continue
		}
		rel, err := filepath.Rel(root, filepath.Dir(p.ManifestPath))
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, filepath.ToSlash(rel))
	}
	slices.Sort(out)
	return out
}

// TestLayoutMatchesCargo lets cargo judge every layout: the members jemfix
// reads are cargo's workspace_members (`cargo metadata --no-deps`), the
// non-members it adds are the other path packages of cargo's resolve graph,
// cargo fails where jemfix fails, and cargo finds the same workspace root
// from every package directory.
func TestLayoutMatchesCargo(t *testing.T) {
	cargotest.RequireCargo(t)
	for _, tt := range layoutCases {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			dir := writeTree(t, tt.files)
			md, out, err := metadata(t, dir, "--no-deps")
			_, _, jemfixErr := jemfixLayout(t, dir)
			if tt.cargoErr != "" {
				if err == nil || !strings.Contains(out, tt.cargoErr) {
					t.Fatalf("cargo metadata: error %v, want one containing %q\n%s", err, tt.cargoErr, out)
				}
				if jemfixErr == nil {
					t.Fatalf("cargo fails on this layout, jemfix loads it")
				}
				return
			}
			if err != nil {
				t.Fatalf("cargo metadata --no-deps: %v\n%s", err, out)
			}
			members, graph, err := jemfixLayout(t, dir)
			if err != nil {
				t.Fatalf("cargo loads this layout, jemfix fails: %v", err)
			}
			cargoMembers := md.dirs(t, dir, md.WorkspaceMembers)
			if diff := cmp.Diff(cargoMembers, members); diff != "" {
				t.Errorf("members: cargo's workspace_members (-) vs jemfix (+):\n%s", diff)
			}
			full, out, err := metadata(t, dir)
			if err != nil {
				t.Fatalf("cargo metadata: %v\n%s", err, out)
			}
			inGraph := full.dirs(t, dir, nil)
			all := append(slices.Clone(members), graph...)
			slices.Sort(all)
			if diff := cmp.Diff(inGraph, all); diff != "" {
				t.Errorf("packages: cargo's resolve graph (-) vs jemfix's Members (+):\n%s", diff)
			}
			if len(full.WorkspaceDefaultMembers) > len(full.WorkspaceMembers) || len(full.WorkspaceMembers) != len(md.WorkspaceMembers) {
				t.Errorf("default members %d, members %d (resolved %d)", len(full.WorkspaceDefaultMembers), len(md.WorkspaceMembers), len(full.WorkspaceMembers))
			}
			// cargo finds, from each package's directory, the root jemfix finds.
			for _, d := range all {
				pdir := filepath.Join(dir, filepath.FromSlash(d))
				pm, out, err := metadata(t, pdir, "--no-deps")
				if err != nil {
					t.Errorf("cargo metadata in %s: %v\n%s", d, err, out)
					continue
				}
				ws, err := workspace.Open(pdir)
				if err != nil {
					t.Errorf("Open(%s): %v", d, err)
					continue
				}
				ws.Close()
				if pm.WorkspaceRoot != ws.Dir {
					t.Errorf("root of %s: cargo %s, jemfix %s", d, pm.WorkspaceRoot, ws.Dir)
				}
			}
		})
	}
}

// The errors name the manifest and the line and column of the members
// entry, and the directory.
func TestLayoutErrorPositions(t *testing.T) {
	tests := []struct {
		name  string
		files []string
		want  string
	}{
		{"directory without manifest", []string{
			"Cargo.toml", "[workspace]\nmembers = [\n  \"lib/*\",\n  \"crates/*\",\n]\n",
			"crates/empty/notes.txt", "",
			"lib/a/Cargo.toml", lib("a"),
		}, `ws/Cargo.toml:4:3: workspace member ws/crates/empty (matched by "crates/*") has no Cargo.toml; cargo fails on it too ("failed to load manifest for workspace member"); add its Cargo.toml, or add "crates/empty" to [workspace].exclude`},
		{"glob matches nothing", []string{
			"Cargo.toml", "[workspace]\nmembers = ['tools/*']\n",
		}, `ws/Cargo.toml:2:12: workspace member pattern "tools/*" matches nothing; cargo fails on it too ("failed to load manifest for workspace member")`},
		{"nested workspace", []string{
			"Cargo.toml", "[workspace]\nmembers = [\"crates/*\"]\n",
			"crates/fuzz/Cargo.toml", lib("fuzz", "\n[workspace]\nmembers = [\".\"]\n"),
		}, `ws/crates/fuzz/Cargo.toml:6:1: package fuzz has a [workspace] of its own but is a member of the workspace at ws/Cargo.toml; cargo fails on it too ("multiple workspace roots found in the same workspace"); add "crates/fuzz" to the outer [workspace].exclude`},
		{"bad recursive glob", []string{
			"Cargo.toml", "[workspace]\nmembers = [\"crates/a**\"]\n",
		}, "ws/Cargo.toml:2:12: workspace member pattern \"crates/a**\": `**` must be a whole path segment"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := workspace.Load(wstest.Files(tt.files...), "ws")
			if err == nil || err.Error() != tt.want {
				t.Errorf("Load error:\n got %v\nwant %s", err, tt.want)
			}
		})
	}
}

// A nested workspace that is not a member is neither read nor walked as
// part of the outer packages' sources.
func TestNestedWorkspaceSources(t *testing.T) {
	ws := wstest.Load(t, wstest.Files(
		"Cargo.toml", lib("app", "\n[workspace]\n"),
		"src/main.rs", "fn main() {}\n",
		"fuzz/Cargo.toml", lib("app-fuzz", "[dependencies]\napp = { path = \"..\" }\njemalloc-ctl = \"0.5\"\n\n[workspace]\nmembers = [\".\"]\n"),
		"fuzz/src/main.rs", "use jemalloc_ctl::epoch;\nfn main() {}\n",
	))
	if len(ws.Members) != 1 || ws.Members[0] != ws.Root {
		t.Fatalf("members = %v, want the root alone", dirsOf(ws.Members))
	}
	files, err := ws.RustFiles(ws.Root)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"src/main.rs"}, files); diff != "" {
		t.Errorf("RustFiles(root) (-want +got):\n%s", diff)
	}
	walked, err := ws.Walk()
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := walked.Package("."); len(got) != 1 || got[0].Path != "src/main.rs" {
		t.Errorf("Walk gives the root %v", got)
	}
}

// Path dependencies that leave the root are never read, from members or
// from a root package without [workspace].
func TestPathDepsStayInsideRoot(t *testing.T) {
	ws := wstest.Load(t, wstest.Files(
		"Cargo.toml", lib("app", "[dependencies]\nstats = { path = \"crates/stats\" }\nout = { path = \"../out\" }\nabs = { path = \"/etc/x\" }\n"),
		"crates/stats/Cargo.toml", lib("stats", "[dependencies]\nup = { path = \"../../../up\" }\nback = { path = \"../../crates/back\" }\n"),
		"crates/back/Cargo.toml", lib("back"),
	))
	if diff := cmp.Diff([]string{".", "crates/back", "crates/stats"}, dirsOf(ws.Members)); diff != "" {
		t.Errorf("members (-want +got):\n%s", diff)
	}
}

func dirsOf(ms []*workspace.Manifest) []string {
	var out []string
	for _, m := range ms {
		out = append(out, m.Dir)
	}
	return out
}

func TestPatches(t *testing.T) {
	root := "[package]\nname = \"app\"\nversion = \"0.1.0\"\n\n" +
		"[patch.crates-io]\n" +
		"jemalloc-ctl = { git = \"https://example.invalid/jemallocator\", branch = \"main\" }\n" +
		"serde = { path = \"vendor/serde\" }\n" +
		"ctl = { path = \"vendor/ctl\", package = \"tikv-jemalloc-ctl\" }\n" +
		"tikv-jemallocator.path = \"vendor/alloc\"\n" +
		"\n[patch.crates-io.\"tikv-jemalloc-sys\"]\n" +
		"git = \"https://example.invalid/sys\"\n" +
		"version = \"0.5.4\"\n" +
		"\n[patch.'https://github.com/tikv/jemallocator']\n" +
		"jemallocator = { path = \"vendor/jemallocator\" }\n" +
		"\n[replace]\n" +
		"\"jemalloc-sys:0.5.4+5.3.0-patched\" = { path = \"vendor/sys\" }\n" +
		"\"https://github.com/rust-lang/crates.io-index#jemalloc-ctl@0.5.4\" = { path = \"vendor/ctl5\" }\n" +
		"\"libc:0.2.1\" = { path = \"vendor/libc\" }\n" +
		"\n[workspace]\n"
	ws := wstest.Load(t, wstest.Files("Cargo.toml", root))
	type view struct {
		Table, Key, Package, Crate, Version, Path, Git, At string
	}
	var got []view
	for _, p := range ws.Patches() {
		got = append(got, view{p.Table, p.Key, p.Package, p.Crate, p.Version, p.Path, p.Git, ws.Position(ws.Root, p.Start).String()})
	}
	want := []view{
		{"[patch.crates-io]", "jemalloc-ctl", "", "jemalloc-ctl", "", "", "https://example.invalid/jemallocator", "ws/Cargo.toml:6:1"},
		{"[patch.crates-io]", "ctl", "tikv-jemalloc-ctl", "tikv-jemalloc-ctl", "", "vendor/ctl", "", "ws/Cargo.toml:8:1"},
		{"[patch.crates-io]", "tikv-jemallocator", "", "tikv-jemallocator", "", "vendor/alloc", "", "ws/Cargo.toml:9:1"},
		{"[patch.crates-io]", "tikv-jemalloc-sys", "", "tikv-jemalloc-sys", "0.5.4", "", "https://example.invalid/sys", "ws/Cargo.toml:11:1"},
		{"[patch.'https://github.com/tikv/jemallocator']", "jemallocator", "", "jemallocator", "", "vendor/jemallocator", "", "ws/Cargo.toml:16:1"},
		{"[replace]", "jemalloc-sys:0.5.4+5.3.0-patched", "", "jemalloc-sys", "0.5.4+5.3.0-patched", "vendor/sys", "", "ws/Cargo.toml:19:1"},
		{"[replace]", "https://github.com/rust-lang/crates.io-index#jemalloc-ctl@0.5.4", "", "jemalloc-ctl", "0.5.4", "vendor/ctl5", "", "ws/Cargo.toml:20:1"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Patches (-want +got):\n%s", diff)
	}

	// Other spellings: a [patch] table with dotted registry keys, an inline
	// table, a BOM and CRLF; nothing in a manifest without patches.
	ws = wstest.Load(t, wstest.Files("Cargo.toml", "\xef\xbb\xbf[workspace]\r\nmembers = []\r\n[patch]\r\ncrates-io.jemalloc-ctl = { path = \"c\" }\r\n"))
	if ps := ws.Patches(); len(ps) != 1 || ps[0].Table != "[patch.crates-io]" || ps[0].Path != "c" || ws.Position(ws.Root, ps[0].Start).String() != "ws/Cargo.toml:4:1" {
		t.Errorf("Patches of a dotted [patch] entry = %+v", ps)
	}
	ws = wstest.Load(t, wstest.Files("Cargo.toml", "patch = { crates-io = { jemallocator = { git = \"g\" } } }\nworkspace = {}\n"))
	if ps := ws.Patches(); len(ps) != 1 || ps[0].Key != "jemallocator" || ps[0].Git != "g" || ps[0].Start != 24 {
		t.Errorf("Patches of an inline entry = %+v", ps)
	}
	ws = wstest.Load(t, wstest.Files("Cargo.toml", wstest.VirtualRoot, "crates/a/Cargo.toml", lib("a")))
	if ps := ws.Patches(); len(ps) != 0 {
		t.Errorf("Patches without any = %+v", ps)
	}
}

// The root's cargo configuration may patch too (no [replace] there): its
// entries take the place of the manifest's of the same table and key, and
// of its two names cargo reads .cargo/config when both exist.
func TestConfigPatches(t *testing.T) {
	root := "[workspace]\n\n[patch.crates-io]\njemalloc-ctl = { path = \"m/ctl\" }\njemallocator = { path = \"m/alloc\" }\n"
	config := "[source.crates-io]\nreplace-with = \"stubs\"\n\n[patch.crates-io]\njemalloc-ctl = { path = \"c/ctl\" }\n[replace]\n\"jemalloc-sys:0.5.4\" = { path = \"c/sys\" }\n"
	var got []string
	for _, p := range wstest.Load(t, wstest.Files("Cargo.toml", root, ".cargo/config.toml", config, ".cargo/config", strings.Replace(config, "c/ctl", "old/ctl", 1))).Patches() {
		got = append(got, p.Key+" "+p.Path+" "+p.File)
	}
	want := []string{"jemallocator m/alloc Cargo.toml", "jemalloc-ctl old/ctl .cargo/config"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Patches (-want +got):\n%s", diff)
	}
	ws := wstest.Load(t, wstest.Files("Cargo.toml", root, ".cargo/config.toml", config))
	ps := ws.Patches()
	if len(ps) != 2 || ps[1].Path != "c/ctl" || ws.PatchAt(ps[1]).String() != "ws/.cargo/config.toml:5:1" || ws.PatchAt(ps[0]).String() != "ws/Cargo.toml:5:1" {
		t.Errorf("Patches with .cargo/config.toml = %+v", ps)
	}
}
