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
