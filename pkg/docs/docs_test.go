package docs_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"jemfix/internal/wstest"
	"jemfix/pkg/docs"
)

func TestReplaceSection(t *testing.T) {
	const sec = "<!-- b -->\nnew\n<!-- e -->"
	for _, tt := range []struct{ old, eol, want string }{
		{"", "\n", sec + "\n"},
		{"# T\n", "\n", "# T\n\n" + sec + "\n"},
		{"# T\n\n", "\n", "# T\n\n" + sec + "\n"},
		{"# T", "\n", "# T\n\n" + sec + "\n"},
		{"# T\n\n<!-- b -->\nold\n<!-- e -->\nafter\n", "\n", "# T\n\n" + sec + "\nafter\n"},
		{"# T\r\n", "\r\n", "# T\r\n\r\n" + sec + "\r\n"},
		{"<!-- b -->\nno end marker\n", "\n", "<!-- b -->\nno end marker\n\n" + sec + "\n"},
	} {
		got := string(docs.ReplaceSection([]byte(tt.old), "<!-- b -->", "<!-- e -->", sec, tt.eol))
		if got != tt.want {
			t.Errorf("ReplaceSection(%q) = %q, want %q", tt.old, got, tt.want)
		}
	}
}

func TestLineEnding(t *testing.T) {
	for src, want := range map[string]string{"": "\n", "a\nb\n": "\n", "a\r\nb\n": "\r\n"} {
		if got := docs.LineEnding([]byte(src)); got != want {
			t.Errorf("LineEnding(%q) = %q, want %q", src, got, want)
		}
	}
}

func TestSetup(t *testing.T) {
	ws := wstest.Load(t, wstest.Files(
		"Cargo.toml", "[package]\nname = \"app\"\n[target.'cfg(not(target_env = \"msvc\"))'.dependencies]\ntikv-jemallocator = { version = \"0.6\", optional = true }\n[features]\njemalloc = [\"dep:tikv-jemallocator\"]\n",
		"src/main.rs", "#[cfg(feature = \"jemalloc\")]\n#[global_allocator]\nstatic A: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;\nfn main() {}\n"))
	doc, readme, err := docs.Setup(ws)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"This workspace uses jemalloc through tikv-jemallocator 0.6.\n",
		"- `app` declares the `#[global_allocator]` in `src/main.rs` (line 2), when `cfg(feature = \"jemalloc\")`.\n",
		"| app | tikv-jemallocator | 0.6 | `[target.'cfg(not(target_env = \"msvc\"))'.dependencies]` | yes |\n",
		"- `app` feature `jemalloc` enables `dep:tikv-jemallocator`.\n",
		"    cargo build -p app --features jemalloc\n",
		"so builds with the MSVC toolchain leave jemalloc out",
	} {
		if !strings.Contains(doc, want) {
			t.Errorf("setup document lacks %q:\n%s", want, doc)
		}
	}
	once := readme([]byte("# App\r\n"))
	if twice := readme(once); string(twice) != string(once) {
		t.Errorf("a second README refresh changed it:\n%s", cmp.Diff(string(once), string(twice)))
	}
	if !strings.HasPrefix(string(once), "# App\r\n\r\n<!-- jemfix: jemalloc setup begin -->\r\n") || strings.Contains(strings.ReplaceAll(string(once), "\r\n", ""), "\n") {
		t.Errorf("README section does not follow the file's CRLF endings: %q", once)
	}
}

func TestTextScan(t *testing.T) {
	ws := wstest.Load(t, wstest.Files(
		"Cargo.toml", "[package]\nname = \"app\"\n",
		"Makefile", "build:\n\tcargo build --features jemalloc-ctl\n  # rebuild from jemalloc-ctl on\n",
		"README.md", "Uses jemalloc-ctl.\n\n```rust\nuse jemalloc_ctl::epoch;\n```\n",
		"notes.txt", "jemalloc-ctl is not scanned here\n"))
	files, err := ws.Walk()
	if err != nil {
		t.Fatal(err)
	}
	ts := docs.NewTextScan(files.Other, []string{"jemalloc-ctl", "jemalloc_ctl"},
		map[string]string{"jemalloc_ctl": "tikv_jemalloc_ctl"}, map[string]string{})
	_, notes := ts.Scan(ws, false)
	var got []string
	for _, n := range notes {
		got = append(got, fmt.Sprintf("%s %s: %s", n.At, n.Kind, n.Reason))
	}
	want := []string{
		"ws/Makefile:2:25 mention: Makefile names jemalloc-ctl; update it by hand",
		"ws/Makefile:3:18 mention: Makefile comment names jemalloc-ctl; update it if it means the crate",
		"ws/README.md:1:6 mention: Markdown text names jemalloc-ctl; update it by hand if it means the crate",
		"ws/README.md:4:5 mention: Markdown Rust code block names jemalloc_ctl; rerun with --docs to rewrite it",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("notes (-want +got):\n%s", diff)
	}
	rewrites, notes := ts.Scan(ws, true)
	if len(rewrites) != 1 || rewrites[0].Path != "README.md" || !strings.Contains(string(rewrites[0].New), "use tikv_jemalloc_ctl::epoch;") {
		t.Errorf("rewrites = %+v, want README.md's Rust block renamed", rewrites)
	}
	if len(notes) != 3 {
		t.Errorf("with rewrite, notes = %+v; want the Makefile's two and the README text", notes)
	}
}

func ExampleReplaceSection() {
	old := []byte("# Project\n\n<!-- begin -->\nstale\n<!-- end -->\n\n## Usage\n")
	out := docs.ReplaceSection(old, "<!-- begin -->", "<!-- end -->", "<!-- begin -->\nfresh\n<!-- end -->", "\n")
	fmt.Print(string(out))
	// Output:
	// # Project
	//
	// <!-- begin -->
	// fresh
	// <!-- end -->
	//
	// ## Usage
}
