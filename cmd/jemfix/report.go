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
func writeReport(path string, doc apply.RootJSON, before *conflict.Report) error {
	var b strings.Builder
	reportRoot(&b, "#", doc, before)
	return write.File(path, []byte(b.String()))
}

// writeBulkReport writes one Markdown record for a bulk run: a section per
// root, in input order, after a line of totals.
func writeBulkReport(path string, results []*apply.Outcome, dryRun bool, totals string) error {
	var b strings.Builder
	fmt.Fprintf(&b, "# jemfix report: %d %s\n\n%s\n", len(results), plural(len(results), "root", "roots"), totals)
	for _, o := range results {
		doc := o.JSON(dryRun)
		b.WriteString("\n")
		if o.WS == nil {
			fmt.Fprintf(&b, "## %s\n\n%s: %s\n", esc.Text(doc.Root), doc.Status, esc.Lines(doc.Error))
			continue
		}
		reportRoot(&b, "##", doc, o.Before())
	}
	return write.File(path, []byte(b.String()))
}

// reportRoot writes the record of one root, with headings at level h.
func reportRoot(b *strings.Builder, h string, doc apply.RootJSON, before *conflict.Report) {
	fmt.Fprintf(b, "%s jemfix report: %s\n\n", h, esc.Text(doc.Root))
	sub := h + "#"
	fmt.Fprintf(b, "%s Conflict found\n\n", sub)
	if before.Conflict {
		fmt.Fprintf(b, "%d packages link to the native library `%s`:\n\n", len(before.Sys), family.Links)
		for _, ch := range before.Chains {
			fmt.Fprintf(b, "- `%s`\n", esc.Text(ch.String()))
		}
	} else {
		b.WriteString("No links conflict.\n")
	}
	title := plan.Titles[strings.TrimSpace(doc.Option+" "+doc.Variant)]
	fmt.Fprintf(b, "\n%s Option %s: %s\n\n", sub, doc.Option, title)
	for _, why := range doc.Why {
		fmt.Fprintf(b, "- %s\n", esc.Text(why))
	}
	for _, m := range doc.Moves {
		fmt.Fprintf(b, "- %s\n", esc.Text(fmt.Sprintf("%s: %s -> %s (`%s`)", m.Member, m.From, m.To, m.At)))
	}
	state := map[bool]string{true: "written", false: "dry run: not written"}[!doc.DryRun]
	fmt.Fprintf(b, "\n%s Files changed (%s)\n\n| file | added | removed |\n|---|---|---|\n", sub, state)
	for _, f := range doc.Files {
		fmt.Fprintf(b, "| `%s` | %d | %d |\n", esc.Text(f.Path), f.Added, f.Removed)
	}
	if len(doc.Skipped) > 0 {
		fmt.Fprintf(b, "\n%s Not rewritten\n\n", sub)
		for _, s := range doc.Skipped {
			fmt.Fprintf(b, "- `%s` (%s): %s\n", esc.Text(s.At), s.Kind, esc.Text(s.Reason))
		}
	}
	if v := doc.Verify; v != nil {
		fmt.Fprintf(b, "\n%s Verification: %s\n\n| result | check | command |\n|---|---|---|\n", sub, v.Status)
		for _, ch := range v.Checks {
			fmt.Fprintf(b, "| %s | %s | `%s` |\n", map[bool]string{true: "pass", false: "FAIL"}[ch.Pass], esc.Text(ch.Item), esc.Text(ch.Command))
		}
		for _, t := range v.Tests {
			fmt.Fprintf(b, "\n    %s", esc.Text(t))
		}
	}
}
