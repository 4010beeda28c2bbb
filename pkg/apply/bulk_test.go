package apply

import "testing"

func TestPatchNames(t *testing.T) {
	got := patchNames([]string{"repos/a", "other/a", "b", "repos/a/", "t/a-2", "c/Cargo.toml"})
	want := map[string]string{"repos/a": "a", "other/a": "a-2", "b": "b", "repos/a/": "a-3", "t/a-2": "a-2-2", "c/Cargo.toml": "c"}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("patchNames[%q] = %q, want %q", k, got[k], v)
		}
	}
}
