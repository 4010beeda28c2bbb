package main

import (
	"fmt"
	"strings"

	"jemfix/internal/esc"
	"jemfix/pkg/apply"
	"jemfix/pkg/conflict"
	"jemfix/pkg/family"
	"jemfix/pkg/plan"
	"jemfix/pkg/write"
)

// writeReport writes the Markdown record of one apply run (--report): the
// conflict found, the option and its reasons, the files changed, the
// places not rewritten and, with --verify, the checklist. It goes through a
// temporary file and a rename like every other write. Names from the
// workspace are escaped (esc.Text), as on the terminal: the report is read
// with cat and less too.
func writeReport(path string, doc apply.Doc, before *conflict.Report) error {
	var b strings.Builder
	fmt.Fprintf(&b, "# jemfix report: %s\n\n", esc.Text(doc.Root))
	b.WriteString("## Conflict found\n\n")
	if before.Conflict {
		fmt.Fprintf(&b, "%d packages link to the native library `%s`:\n\n", len(before.Sys), family.Links)
		for _, ch := range before.Chains {
			fmt.Fprintf(&b, "- `%s`\n", esc.Text(ch.String()))
		}
	} else {
		b.WriteString("No links conflict.\n")
	}
	title := plan.Titles[strings.TrimSpace(doc.Option+" "+doc.Variant)]
	fmt.Fprintf(&b, "\n## Option %s: %s\n\n", doc.Option, title)
	for _, why := range doc.Why {
		fmt.Fprintf(&b, "- %s\n", esc.Text(why))
	}
	for _, m := range doc.Moves {
		fmt.Fprintf(&b, "- %s\n", esc.Text(fmt.Sprintf("%s: %s -> %s (`%s`)", m.Member, m.From, m.To, m.At)))
	}
	state := map[bool]string{true: "written", false: "dry run: not written"}[!doc.DryRun]
	fmt.Fprintf(&b, "\n## Files changed (%s)\n\n| file | added | removed |\n|---|---|---|\n", state)
	for _, f := range doc.Files {
		fmt.Fprintf(&b, "| `%s` | %d | %d |\n", esc.Text(f.Path), f.Added, f.Removed)
	}
	if len(doc.Skipped) > 0 {
		b.WriteString("\n## Not rewritten\n\n")
		for _, s := range doc.Skipped {
			fmt.Fprintf(&b, "- `%s` (%s): %s\n", esc.Text(s.At), s.Kind, esc.Text(s.Reason))
		}
	}
	if v := doc.Verify; v != nil {
		fmt.Fprintf(&b, "\n## Verification: %s\n\n| result | check | command |\n|---|---|---|\n", v.Status)
		for _, ch := range v.Checks {
			fmt.Fprintf(&b, "| %s | %s | `%s` |\n", map[bool]string{true: "pass", false: "FAIL"}[ch.Pass], esc.Text(ch.Item), esc.Text(ch.Command))
		}
		for _, t := range v.Tests {
			fmt.Fprintf(&b, "\n    %s", esc.Text(t))
		}
	}
	return write.File(path, []byte(b.String()))
}
