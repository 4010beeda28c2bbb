package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"

	"jemfix/internal/cargotest"
)

var update = flag.Bool("update", false, "rewrite the golden sections of testdata/script/*.txtar")

func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"jemfix": main,
		"exits":  exits,
	})
}

// TestScript runs the CLI scripts. $FIXTURES names the repository's
// fixtures directory; `cpfixture NAME DIR` copies one fixture workspace.
func TestScript(t *testing.T) {
	fixtures, err := filepath.Abs("../../fixtures")
	if err != nil {
		t.Fatal(err)
	}
	testscript.Run(t, testscript.Params{
		Dir:           "testdata/script",
		UpdateScripts: *update,
		Setup: func(env *testscript.Env) error {
			// The scripts skip on `[!exec:cargo]` and `[!exec:git]`; under
			// JEMFIX_REQUIRE_TOOLS (set by .ci/run) a missing tool must
			// fail instead, and this fails every script, naming it.
			if err := cargotest.CheckTools("cargo", "git"); err != nil {
				return err
			}
			env.Setenv("FIXTURES", fixtures)
			env.Setenv("NO_COLOR", "")
			// Scripts get a fresh $HOME; rustup's cargo still needs its own.
			home, _ := os.UserHomeDir()
			for name, def := range map[string]string{"RUSTUP_HOME": ".rustup", "CARGO_HOME": ".cargo"} {
				v := os.Getenv(name)
				if v == "" && home != "" {
					v = filepath.Join(home, def)
				}
				env.Setenv(name, v)
			}
			return nil
		},
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			"cpfixture":    cpfixture,
			"stubregistry": stubregistry,
			"mkweird":      mkweird,
		},
	})
}

// exits runs `exits N jemfix ARGS...` and fails unless jemfix exits with
// code N: scripts check the exit-code contract, not just success.
func exits() {
	if len(os.Args) < 3 || os.Args[2] != "jemfix" {
		fmt.Fprintln(os.Stderr, "usage: exits CODE jemfix ARGS...")
		os.Exit(2)
	}
	want, err := strconv.Atoi(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, "exits: bad code:", os.Args[1])
		os.Exit(2)
	}
	injectFaults()
	if got := run(os.Args[3:], os.Stdout, os.Stderr); got != want {
		fmt.Fprintf(os.Stderr, "exits: jemfix exited %d, want %d\n", got, want)
		os.Exit(1)
	}
	os.Exit(0)
}

// stubregistry DIR points cargo in DIR at the offline stub registry.
func stubregistry(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: stubregistry DIR")
	}
	registry := filepath.Join(ts.Getenv("FIXTURES"), "registry")
	config := fmt.Sprintf("[source.crates-io]\nreplace-with = \"stubs\"\n\n[source.stubs]\ndirectory = %q\n", registry)
	dir := ts.MkAbs(filepath.Join(args[0], ".cargo"))
	ts.Check(os.MkdirAll(dir, 0o755))
	ts.Check(os.WriteFile(filepath.Join(dir, "config.toml"), []byte(config), 0o644))
}

func cpfixture(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: cpfixture NAME DIR")
	}
	src := filepath.Join(ts.Getenv("FIXTURES"), args[0])
	dst := ts.MkAbs(args[1])
	ts.Check(os.CopyFS(dst, os.DirFS(src)))
}
