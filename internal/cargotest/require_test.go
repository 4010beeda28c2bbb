package cargotest

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

func TestStrictValue(t *testing.T) {
	for v, want := range map[string]bool{
		"": false, "0": false, "false": false, "FALSE": false, "no": false, "off": false, " 0 ": false,
		"1": true, "true": true, "yes": true, "on": true, "2": true, "ture": true,
	} {
		if got := strictValue(v); got != want {
			t.Errorf("strictValue(%q) = %v, want %v", v, got, want)
		}
	}
}

func TestSkipOrFail(t *testing.T) {
	notFound := errors.New(`exec: "cargo": executable file not found in $PATH`)
	tests := []struct {
		strict   bool
		name     string
		wantFail bool
		want     []string // substrings of the message
	}{
		{false, "cargo", false, []string{"skipping", "needs cargo", "not on PATH", notFound.Error(), RequireToolsEnv + "=1"}},
		{true, "cargo", true, []string{"cargo is required", notFound.Error(), RequireToolsEnv, "rustup", "~/.cargo/bin"}},
		{true, "git", true, []string{"git is required", RequireToolsEnv, "install git"}},
		{true, "patch", true, []string{"patch is required", "install patch"}},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s strict=%v", tt.name, tt.strict), func(t *testing.T) {
			fail, msg := skipOrFail(tt.strict, tt.name, notFound)
			if fail != tt.wantFail {
				t.Errorf("fail = %v, want %v", fail, tt.wantFail)
			}
			for _, w := range tt.want {
				if !strings.Contains(msg, w) {
					t.Errorf("message %q does not contain %q", msg, w)
				}
			}
		})
	}
}

// recorder stands in for a test so that RequireTool's skip or failure can
// be observed instead of ending the calling test.
type recorder struct {
	testing.TB
	skipped, failed string
}

func (r *recorder) Helper()           {}
func (r *recorder) Skip(args ...any)  { r.skipped = fmt.Sprint(args...) }
func (r *recorder) Fatal(args ...any) { r.failed = fmt.Sprint(args...) }

// TestRequireTool checks the wiring from the environment variable to a
// skip or a failure, with a tool that is on no PATH.
func TestRequireTool(t *testing.T) {
	const missing = "jemfix-no-such-tool"
	for _, tt := range []struct {
		env            string
		skips, failure bool
	}{{"", true, false}, {"0", true, false}, {"1", false, true}} {
		t.Run("env="+tt.env, func(t *testing.T) {
			t.Setenv(RequireToolsEnv, tt.env)
			r := &recorder{TB: t}
			if path := RequireTool(r, missing); path != "" {
				t.Errorf("RequireTool returned %q for a missing tool", path)
			}
			if (r.skipped != "") != tt.skips || (r.failed != "") != tt.failure {
				t.Errorf("skipped %q, failed %q; want skip %v, failure %v", r.skipped, r.failed, tt.skips, tt.failure)
			}
			err := CheckTools("go", missing)
			if (err != nil) != tt.failure || err != nil && !strings.Contains(err.Error(), missing) {
				t.Errorf("CheckTools = %v, want an error naming %s: %v", err, missing, tt.failure)
			}
		})
	}
	t.Run("present", func(t *testing.T) {
		t.Setenv(RequireToolsEnv, "1")
		r := &recorder{TB: t}
		if path := RequireTool(r, "go"); path == "" || r.skipped != "" || r.failed != "" {
			t.Errorf("RequireTool(go) = %q, skipped %q, failed %q; want go's path", path, r.skipped, r.failed)
		}
	})
}
