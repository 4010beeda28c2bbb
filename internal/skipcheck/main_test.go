package main

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestFilter(t *testing.T) {
	events := []string{
		`{"Action":"start","Package":"p"}`,
		`{"Action":"run","Package":"p","Test":"TestCargoOracle"}`,
		`{"Action":"output","Package":"p","Test":"TestCargoOracle","Output":"    skipping: needs cargo\n"}`,
		`{"Action":"skip","Package":"p","Test":"TestCargoOracle"}`,
		`{"Action":"output","Package":"p","Test":"TestGitApply","Output":"    git is not installed\n"}`,
		`{"Action":"skip","Package":"p","Test":"TestDiff"}`,
		`{"Action":"output","Package":"p","Test":"TestLinks","Output":"    no symbolic links here\n"}`,
		`{"Action":"skip","Package":"p","Test":"TestLinks"}`,
		`{"Action":"output","Package":"p","Test":"TestManifest","Output":"    reads Cargo.toml only\n"}`,
		`{"Action":"skip","Package":"p","Test":"TestManifest"}`,
		`{"Action":"output","Package":"p","Test":"TestBroken","Output":"    want 1, got 2\n"}`,
		`{"Action":"fail","Package":"p","Test":"TestBroken"}`,
		`{"Action":"output","Package":"p","Test":"TestShell","Output":"    git apply failed\n"}`,
		`{"Action":"skip","Package":"p","Test":"TestShell"}`,
		`{"Action":"output","Package":"p","Output":"FAIL\tp\t0.1s\n"}`,
		`not json`,
	}
	var out strings.Builder
	skipped, err := filter(strings.NewReader(strings.Join(events, "\n")), &out)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"p TestCargoOracle", "p TestShell"}, skipped); diff != "" {
		t.Errorf("skipped (-want +got):\n%s", diff)
	}
	for _, want := range []string{"want 1, got 2\n", "FAIL\tp\t0.1s\n", "not json\n", "skipping: needs cargo\n"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
	if strings.Contains(out.String(), "symbolic links") {
		t.Errorf("output shows a skip that needs no tool:\n%s", out.String())
	}
}
