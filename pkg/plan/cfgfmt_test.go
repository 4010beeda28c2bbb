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
