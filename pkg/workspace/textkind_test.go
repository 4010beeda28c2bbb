package workspace

import "testing"

func TestTextKind(t *testing.T) {
	for p, want := range map[string]string{
		"README.md":               "Markdown",
		"docs/setup.markdown":     "Markdown",
		"ci/build.sh":             "shell script",
		".github/workflows/a.yml": "YAML file",
		"deny.toml":               "TOML file",
		"Dockerfile":              "Dockerfile",
		"crates/a/Cargo.toml":     "",
		"src/main.rs":             "",
		// Files that record the past are not scanned.
		"CHANGELOG.md":          "",
		"docs/Release-Notes.md": "",
		"HISTORY":               "",
		"crates/a/CHANGES.md":   "",
		"NEWS.md":               "",
	} {
		if got := TextKind(p); got != want {
			t.Errorf("TextKind(%q) = %q, want %q", p, got, want)
		}
	}
}
