package tomledit

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestProfilePackages(t *testing.T) {
	src := "[profile.dev.package.jemalloc-sys]\nopt-level = 2\n\n" +
		"[profile.release.package]\n\"jemalloc-ctl\" = { opt-level = 3 }\nserde.opt-level = 1\n\"*\".opt-level = 2\n\n" +
		"[profile.bench]\npackage = { 'tikv-jemalloc-sys' = { debug = true } }\nbuild-override.opt-level = 0\n"
	d, err := Parse("Cargo.toml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, p := range d.ProfilePackages() {
		got = append(got, p.Profile+" "+p.Spec+" "+src[p.Span.Start:p.Span.End])
	}
	want := []string{"dev jemalloc-sys jemalloc-sys", "release jemalloc-ctl \"jemalloc-ctl\"", "release serde serde", "bench tikv-jemalloc-sys 'tikv-jemalloc-sys'"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}
