package rustedit

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"jemfix/pkg/textedit"
)

const readme = "# Stats\n\nUse jemalloc_ctl like this:\n\n```rust\nuse jemalloc_ctl::epoch;\n# fn main() { jemalloc_ctl::x(); }\n```\n\n```\njemalloc_ctl::raw\n```\n\n```toml\njemalloc-ctl = \"0.5\"\n```\n\n  ```rust,ignore\n  let m = jemalloc_ctl::epoch::mib();\n  ```\n"

func TestRewriteMarkdown(t *testing.T) {
	want := strings.NewReplacer(
		"use jemalloc_ctl::epoch", "use tikv_jemalloc_ctl::epoch",
		"{ jemalloc_ctl::x", "{ tikv_jemalloc_ctl::x",
		"m = jemalloc_ctl::", "m = tikv_jemalloc_ctl::",
	).Replace(readme)
	for _, eol := range []string{"\n", "\r\n"} {
		src := strings.ReplaceAll(readme, "\n", eol)
		res := RewriteMarkdown("README.md", []byte(src), testOpts)
		out, err := textedit.Apply([]byte(src), res.Edits)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(strings.ReplaceAll(want, "\n", eol), string(out)); diff != "" {
			t.Errorf("mismatch (-want +got):\n%s", diff)
		}
		if again := RewriteMarkdown("README.md", out, testOpts); len(again.Edits) != 0 {
			t.Errorf("second run gave edits %v", again.Edits)
		}
	}
}

func TestRewriteMarkdownBrokenBlock(t *testing.T) {
	src := "```rust\nfn main( { jemalloc_ctl::x(); }\n```\n"
	res := RewriteMarkdown("README.md", []byte(src), testOpts)
	if len(res.Edits) != 0 || len(res.Skipped) != 1 || res.Skipped[0].Kind != KindParse || res.Skipped[0].Offset != 0 {
		t.Errorf("got %+v, want one parse-error skip at the fence and no edits", res)
	}
}

func TestMarkdownMentions(t *testing.T) {
	got := MarkdownMentions([]byte(readme), []string{"jemalloc_ctl", "jemalloc-ctl"})
	var where []string
	for _, m := range got {
		line, _ := textedit.LineCol([]byte(readme), m.Offset)
		where = append(where, fmt.Sprintf("%s@%d %s", m.Word, line, m.Where))
	}
	want := []string{
		"jemalloc_ctl@3 text",
		"jemalloc_ctl@6 Rust code block",
		"jemalloc_ctl@7 Rust code block",
		"jemalloc_ctl@11 code block",
		"jemalloc-ctl@15 code block",
		"jemalloc_ctl@19 Rust code block",
	}
	if diff := cmp.Diff(want, where); diff != "" {
		t.Errorf("mismatch (-want +got):\n%s", diff)
	}
}

func TestMentionsBoundaries(t *testing.T) {
	// A path segment (a repository in a URL, a directory) is not a crate
	// name: https://github.com/tikv/jemalloc-ctl, vendor/jemalloc-ctl.
	src := "tikv-jemalloc-ctl jemalloc-ctl-x my_jemalloc_ctl jemalloc-ctl https://example.com/tikv/jemalloc-ctl vendor/jemalloc_ctl jemalloc_ctl\n"
	got := Mentions([]byte(src), []string{"jemalloc-ctl", "jemalloc_ctl"})
	if len(got) != 2 || got[0].Offset != strings.Index(src, " jemalloc-ctl ")+1 || got[1].Word != "jemalloc_ctl" {
		t.Errorf("Mentions = %+v, want the two whole words only", got)
	}
}
