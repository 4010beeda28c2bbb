package tomledit

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// depView is a Dep with each span shown as the source text it covers, so
// that test tables stay readable.
type depView struct {
	Kind, Target        string
	InWorkspace         bool
	Key                 string
	Keys                []string // text at each KeySpan
	Package, PackageTok string
	Version, VersionTok string
	Path                string
	Optional, Workspace bool
	DefaultFeatures     *bool
	Features            []string
	At                  string // text from Start to the end of its line
}

func viewDeps(src []byte, deps []*Dep) []depView {
	text := func(s Span) string { return string(src[s.Start:s.End]) }
	var out []depView
	for _, d := range deps {
		v := depView{
			Kind: d.Kind, Target: d.Target, InWorkspace: d.InWorkspace, Key: d.Key,
			Package: d.Package, PackageTok: text(d.PackageSpan),
			Version: d.Version, VersionTok: text(d.VersionSpan),
			Path: d.Path, Optional: d.Optional, Workspace: d.Workspace,
			DefaultFeatures: d.DefaultFeatures, Features: d.FeatureNames(),
			At: strings.TrimRight(string(src[d.Start:lineEnd(src, d.Start)]), "\r\n"),
		}
		for _, s := range d.KeySpans {
			v.Keys = append(v.Keys, text(s))
		}
		out = append(out, v)
	}
	return out
}

func ptr(b bool) *bool { return &b }

func TestDependencies(t *testing.T) {
	tests := []struct {
		name, src string
		want      []depView
	}{
		{"plain", "[dependencies]\njemallocator = \"0.5\"\n", []depView{
			{Kind: "normal", Key: "jemallocator", Keys: []string{"jemallocator"}, Version: "0.5", VersionTok: `"0.5"`, At: `jemallocator = "0.5"`},
		}},
		{"inline renamed", "[dependencies]\nctl = { package = \"jemalloc-ctl\", version = '0.5', optional = true, default-features = false, features = [\"stats\"] }\n", []depView{
			{Kind: "normal", Key: "ctl", Keys: []string{"ctl"}, Package: "jemalloc-ctl", PackageTok: `"jemalloc-ctl"`, Version: "0.5", VersionTok: `'0.5'`,
				Optional: true, DefaultFeatures: ptr(false), Features: []string{"stats"}, At: `ctl = { package = "jemalloc-ctl", version = '0.5', optional = true, default-features = false, features = ["stats"] }`},
		}},
		{"inline multi-line with comments", "[dependencies]\nx = {\n  version = \"0.5\", # pinned\n  # renamed\n  package = \"tikv-jemallocator\",\n}\n", []depView{
			{Kind: "normal", Key: "x", Keys: []string{"x"}, Package: "tikv-jemallocator", PackageTok: `"tikv-jemallocator"`, Version: "0.5", VersionTok: `"0.5"`, At: "x = {"},
		}},
		{"dotted keys merge", "[dependencies]\nx.version = \"0.5\"\nx.optional = true\n\"jemalloc-ctl\".workspace = true\n", []depView{
			{Kind: "normal", Key: "x", Keys: []string{"x", "x"}, Version: "0.5", VersionTok: `"0.5"`, Optional: true, At: `x.version = "0.5"`},
			{Kind: "normal", Key: "jemalloc-ctl", Keys: []string{`"jemalloc-ctl"`}, Workspace: true, At: `"jemalloc-ctl".workspace = true`},
		}},
		{"sub-table far away", "[dependencies]\na = \"1\"\n\n[features]\ndefault = []\n\n[dependencies.jemallocator]\nversion = \"0.5\"\noptional = true\n", []depView{
			{Kind: "normal", Key: "a", Keys: []string{"a"}, Version: "1", VersionTok: `"1"`, At: `a = "1"`},
			{Kind: "normal", Key: "jemallocator", Keys: []string{"jemallocator"}, Version: "0.5", VersionTok: `"0.5"`, Optional: true, At: "[dependencies.jemallocator]"},
		}},
		{"quoted keys", "[dependencies.\"jemalloc-ctl\"]\nversion = \"0.5\"\n\n[dev-dependencies]\n'jemalloc-sys' = \"0.5\"\n", []depView{
			{Kind: "normal", Key: "jemalloc-ctl", Keys: []string{`"jemalloc-ctl"`}, Version: "0.5", VersionTok: `"0.5"`, At: `[dependencies."jemalloc-ctl"]`},
			{Kind: "dev", Key: "jemalloc-sys", Keys: []string{`'jemalloc-sys'`}, Version: "0.5", VersionTok: `"0.5"`, At: `'jemalloc-sys' = "0.5"`},
		}},
		{"target cfg literal", "[target.'cfg(not(target_env = \"msvc\"))'.dependencies]\ntikv-jemallocator = \"0.6\"\n", []depView{
			{Kind: "normal", Target: `cfg(not(target_env = "msvc"))`, Key: "tikv-jemallocator", Keys: []string{"tikv-jemallocator"}, Version: "0.6", VersionTok: `"0.6"`, At: `tikv-jemallocator = "0.6"`},
		}},
		{"target basic and triple", "[target.\"cfg(unix)\".dev-dependencies]\na = \"1\"\n[target.x86_64-unknown-linux-gnu.build-dependencies]\nb = { path = \"../b\" }\n", []depView{
			{Kind: "dev", Target: "cfg(unix)", Key: "a", Keys: []string{"a"}, Version: "1", VersionTok: `"1"`, At: `a = "1"`},
			{Kind: "build", Target: "x86_64-unknown-linux-gnu", Key: "b", Keys: []string{"b"}, Path: "../b", At: `b = { path = "../b" }`},
		}},
		{"target sub-table", "[target.'cfg(unix)'.dependencies.jemallocator]\nversion = \"0.5\"\n", []depView{
			{Kind: "normal", Target: "cfg(unix)", Key: "jemallocator", Keys: []string{"jemallocator"}, Version: "0.5", VersionTok: `"0.5"`, At: "[target.'cfg(unix)'.dependencies.jemallocator]"},
		}},
		{"workspace dependencies", "[workspace]\nmembers = [\"a\"]\n\n[workspace.dependencies]\ntikv-jemalloc-ctl = { version = \"0.5\", features = [\"stats\"] }\n", []depView{
			{Kind: "normal", InWorkspace: true, Key: "tikv-jemalloc-ctl", Keys: []string{"tikv-jemalloc-ctl"}, Version: "0.5", VersionTok: `"0.5"`, Features: []string{"stats"}, At: `tikv-jemalloc-ctl = { version = "0.5", features = ["stats"] }`},
		}},
		{"inherited", "[dependencies]\ntikv-jemalloc-ctl = { workspace = true, optional = true, features = [\"use_std\"] }\njemallocator.workspace = true\n", []depView{
			{Kind: "normal", Key: "tikv-jemalloc-ctl", Keys: []string{"tikv-jemalloc-ctl"}, Workspace: true, Optional: true, Features: []string{"use_std"}, At: `tikv-jemalloc-ctl = { workspace = true, optional = true, features = ["use_std"] }`},
			{Kind: "normal", Key: "jemallocator", Keys: []string{"jemallocator"}, Workspace: true, At: "jemallocator.workspace = true"},
		}},
		{"underscore tables", "[dev_dependencies]\na = \"1\"\n[build_dependencies]\nb = { version = \"2\", default_features = true }\n", []depView{
			{Kind: "dev", Key: "a", Keys: []string{"a"}, Version: "1", VersionTok: `"1"`, At: `a = "1"`},
			{Kind: "build", Key: "b", Keys: []string{"b"}, Version: "2", VersionTok: `"2"`, DefaultFeatures: ptr(true), At: `b = { version = "2", default_features = true }`},
		}},
		{"dotted from the root", "dependencies.a = \"1\"\n\n[package]\nname = \"p\"\n", []depView{
			{Kind: "normal", Key: "a", Keys: []string{"a"}, Version: "1", VersionTok: `"1"`, At: `a = "1"`},
		}},
		{"table as inline table", "[target.'cfg(unix)']\ndependencies = { a = \"1\", b.version = \"2\" }\n", []depView{
			{Kind: "normal", Target: "cfg(unix)", Key: "a", Keys: []string{"a"}, Version: "1", VersionTok: `"1"`, At: `a = "1", b.version = "2" }`},
			{Kind: "normal", Target: "cfg(unix)", Key: "b", Keys: []string{"b"}, Version: "2", VersionTok: `"2"`, At: `b.version = "2" }`},
		}},
		{"not dependencies", "[package.metadata.dependencies]\na = \"1\"\n\n[patch.crates-io]\njemallocator = { path = \"x\" }\n\n[[bin]]\nname = \"x\"\ndependencies.c = \"1\"\n", nil},
		{"empty target spec is not a target", "[target.''.dependencies]\na = \"1\"\n[target.''.dependencies.b]\nversion = \"1\"\n", nil},
		{"empty", "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := Parse("Cargo.toml", []byte(tt.src))
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, viewDeps(d.Src(), d.Dependencies())); diff != "" {
				t.Errorf("Dependencies mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// TestOffsets pins exact offsets where the BOM, CRLF endings and a missing
// final newline could shift them.
func TestOffsets(t *testing.T) {
	src := "\xef\xbb\xbf[dependencies]\r\n\"jemalloc-ctl\" = '0.5'\r\n[features]\r\nx = [\"dep:jemalloc-ctl\"]"
	d, err := Parse("Cargo.toml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	want := []*Dep{{Kind: "normal", Key: "jemalloc-ctl", KeySpans: []Span{{19, 33}}, Version: "0.5", VersionSpan: Span{36, 41}, Start: 19}}
	if diff := cmp.Diff(want, d.Dependencies()); diff != "" {
		t.Errorf("Dependencies mismatch (-want +got):\n%s", diff)
	}
	wantF := []*Feature{{Name: "x", NameSpan: Span{55, 56}, Refs: []Ref{{Value: "dep:jemalloc-ctl", Span: Span{60, 78}}}}}
	if diff := cmp.Diff(wantF, d.Features()); diff != "" {
		t.Errorf("Features mismatch (-want +got):\n%s", diff)
	}
}

func TestFeatures(t *testing.T) {
	src := "[features]\ndefault = [\"jemalloc\"]\n" +
		"jemalloc = [\"dep:tikv-jemallocator\", \"tikv-jemalloc-ctl?/stats\", \"member/feat\",]\n" +
		"multi = [\n  \"a\", # why\n  # own line\n  'x/f',\n]\nempty = []\n\"quoted-name\" = ['lit']\n"
	d, err := Parse("Cargo.toml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	type view struct {
		Name, NameTok string
		Refs, Toks    []string
	}
	var got []view
	for _, f := range d.Features() {
		v := view{Name: f.Name, NameTok: src[f.NameSpan.Start:f.NameSpan.End]}
		for _, r := range f.Refs {
			v.Refs = append(v.Refs, r.Value)
			v.Toks = append(v.Toks, src[r.Span.Start:r.Span.End])
		}
		got = append(got, v)
	}
	want := []view{
		{"default", "default", []string{"jemalloc"}, []string{`"jemalloc"`}},
		{"jemalloc", "jemalloc", []string{"dep:tikv-jemallocator", "tikv-jemalloc-ctl?/stats", "member/feat"},
			[]string{`"dep:tikv-jemallocator"`, `"tikv-jemalloc-ctl?/stats"`, `"member/feat"`}},
		{"multi", "multi", []string{"a", "x/f"}, []string{`"a"`, `'x/f'`}},
		{"empty", "empty", nil, nil},
		{"quoted-name", `"quoted-name"`, []string{"lit"}, []string{`'lit'`}},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Features mismatch (-want +got):\n%s", diff)
	}
}

func TestPackageAndWorkspace(t *testing.T) {
	tests := []struct {
		name, src string
		pkg       string
		ws        *Workspace
	}{
		{"package", "[package]\nname = \"jemfix-demo\"\n", "jemfix-demo", nil},
		{"virtual workspace", "[workspace]\nmembers = [\"a\", \"crates/*\"]\nexclude = [\"old\"]\ndefault-members = [\"a\"]\n", "",
			&Workspace{Members: []string{"a", "crates/*"}, Exclude: []string{"old"}, DefaultMembers: []string{"a"}}},
		{"root package with empty workspace", "[package]\nname = \"r\"\n[workspace]\n", "r", &Workspace{}},
		{"workspace only from dependencies", "[workspace.dependencies]\na = \"1\"\n", "", &Workspace{}},
		{"empty", "", "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := Parse("Cargo.toml", []byte(tt.src))
			if err != nil {
				t.Fatal(err)
			}
			if got := d.PackageName(); got != tt.pkg {
				t.Errorf("PackageName = %q, want %q", got, tt.pkg)
			}
			if diff := cmp.Diff(tt.ws, d.Workspace()); diff != "" {
				t.Errorf("Workspace mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestDependenciesAreCopies(t *testing.T) {
	d, err := Parse("Cargo.toml", []byte("[dependencies]\na = { version = \"1\", features = [\"x\"] }\n"))
	if err != nil {
		t.Fatal(err)
	}
	dep := d.Dependencies()[0]
	dep.Key, dep.FeatureRefs[0].Value = "changed", "changed"
	if got := d.Dependencies()[0]; got.Key != "a" || got.FeatureRefs[0].Value != "x" || !got.Enables("x") || got.Enables("changed") {
		t.Errorf("changing a returned Dep changed the Doc: %+v", got)
	}
	if got := (&Dep{Key: "k", Package: "p"}).RealName(); got != "p" {
		t.Errorf("RealName = %q, want p", got)
	}
	if got := (&Dep{Key: "k"}).RealName(); got != "k" {
		t.Errorf("RealName = %q, want k", got)
	}
}

func TestDepFeatureRefs(t *testing.T) {
	src := "[dependencies]\nperf = { path = \"../perf\", features = [\"jemalloc-ctl\", 'x'] }\n"
	doc, err := Parse("Cargo.toml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range doc.Dependencies()[0].FeatureRefs {
		got = append(got, r.Value+"="+src[r.Span.Start:r.Span.End])
	}
	if diff := cmp.Diff([]string{`jemalloc-ctl="jemalloc-ctl"`, `x='x'`}, got); diff != "" {
		t.Errorf("FeatureRefs mismatch (-want +got):\n%s", diff)
	}
}
