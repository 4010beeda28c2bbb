package apply

import "testing"

func TestPatchNames(t *testing.T) {
	got := patchNames([]string{"repos/a", "other/a", "b", "repos/a/"})
	want := map[string]string{"repos/a": "a", "other/a": "a-2", "b": "b", "repos/a/": "a-3"}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("patchNames[%q] = %q, want %q", k, got[k], v)
		}
	}
}
