package plan

import "testing"

func TestFormatCfg(t *testing.T) {
	for in, want := range map[string]string{
		`not(target_os="macos")`:                      `not(target_os = "macos")`,
		`all( unix ,not( target_env = "msvc" ) )`:     `all(unix, not(target_env = "msvc"))`,
		`any(target_os="linux",target_os="freebsd",)`: `any(target_os = "linux", target_os = "freebsd")`,
		`feature = "jemalloc"`:                        `feature = "jemalloc"`,
		`target_os = "a\"b"`:                          `target_os = "a\"b"`,
		`all(unix, r#"x"#)`:                           `all(unix, r#"x"#)`,
		`unix`:                                        `unix`,
	} {
		if got := formatCfg(in); got != want {
			t.Errorf("formatCfg(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestCfgAttr(t *testing.T) {
	for _, tt := range []struct{ pred, indent, want string }{
		{`unix`, "", `#[cfg(unix)]`},
		{`all(feature = "jemalloc", not(target_env = "msvc"))`, "", `#[cfg(all(feature = "jemalloc", not(target_env = "msvc")))]`},
		{`all(feature = "jemalloc", all(not(target_env = "msvc"), not(target_os = "macos")))`, "",
			"#[cfg(all(\n    feature = \"jemalloc\",\n    all(not(target_env = \"msvc\"), not(target_os = \"macos\"))\n))]"},
		{`all(feature = "jemalloc", any(target_os = "linux", target_os = "freebsd", target_os = "netbsd", target_os = "openbsd"))`, "    ",
			"#[cfg(all(\n        feature = \"jemalloc\",\n        any(\n            target_os = \"linux\",\n            target_os = \"freebsd\",\n            target_os = \"netbsd\",\n            target_os = \"openbsd\"\n        )\n    ))]"},
		{`target_os = "a,b)"`, "", `#[cfg(target_os = "a,b)")]`},
	} {
		if got := cfgAttr(tt.pred, tt.indent, "\n"); got != tt.want {
			t.Errorf("cfgAttr(%q):\n%s\nwant:\n%s", tt.pred, got, tt.want)
		}
	}
}

// A target table lies within another when its cfg implies the other's by
// the form of any(…) and all(…); what the form does not show is a no.
func TestTargetWithin(t *testing.T) {
	for _, tt := range []struct {
		inner, outer string
		want         bool
	}{
		{`cfg(unix)`, `cfg(unix)`, true},
		{`cfg(unix)`, ``, true},
		{``, `cfg(unix)`, false},
		{`cfg(target_os = "linux")`, `cfg(any(target_os = "macos", target_os="linux"))`, true},
		{`cfg(all(target_os = "linux", target_env = "gnu", target_arch = "x86_64"))`, `cfg(any(target_os = "macos", all(target_os = "linux", target_env = "gnu", target_arch = "x86_64")))`, true},
		{`cfg(all(unix, target_arch = "x86_64"))`, `cfg(unix)`, true},
		{`cfg(all(unix, target_arch = "x86_64"))`, `cfg(all(target_arch = "x86_64", unix))`, true},
		{`cfg(any(unix, windows))`, `cfg(unix)`, false},
		{`cfg(any(target_os = "linux", target_os = "macos"))`, `cfg(any(target_os = "macos", target_os = "linux", windows))`, true},
		{`cfg(unix)`, `cfg(all(unix, target_arch = "x86_64"))`, false},
		{`cfg(target_os = "linux")`, `cfg(unix)`, false}, // true, but not by its form
		{`x86_64-unknown-linux-gnu`, `cfg(unix)`, false},
		{`x86_64-unknown-linux-gnu`, `x86_64-unknown-linux-gnu`, true},
	} {
		if got := targetWithin(tt.inner, tt.outer); got != tt.want {
			t.Errorf("targetWithin(%q, %q) = %v, want %v", tt.inner, tt.outer, got, tt.want)
		}
	}
}
