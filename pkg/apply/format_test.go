package apply

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"jemfix/internal/cargotest"
)

// A rustfmt that cannot run (a toolchain the repository pins and the
// machine lacks) leaves the files as jemfix writes them, and says so.
func TestRustfmtThatFails(t *testing.T) {
	dir := cargotest.CopyFixture(t, "riptide")
	fake := filepath.Join(t.TempDir(), "rustfmt")
	if err := os.WriteFile(fake, []byte("#!/bin/sh\necho \"error: toolchain '1.51.0' is not installed\" >&2\nexit 1\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	plain := Root(dir, &Config{Option: "1", DryRun: true})
	o := Root(dir, &Config{Option: "1", DryRun: true, Rustfmt: fake})
	if o.Err != nil {
		t.Fatal(o.Err)
	}
	if o.Diff != plain.Diff {
		t.Errorf("the diff changed although rustfmt could not run")
	}
	why := strings.Join(o.Plan.Why, "\n")
	if !strings.Contains(why, "--rustfmt: rustfmt could not format") || !strings.Contains(why, "is not installed") {
		t.Errorf("Why does not say rustfmt could not run:\n%s", why)
	}
}
