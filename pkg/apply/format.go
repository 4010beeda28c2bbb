package apply

import (
	"bytes"
	"fmt"
	"os/exec"
	"path"
	"path/filepath"
	"strings"

	"jemfix/internal/child"
	"jemfix/internal/par"
	"jemfix/pkg/plan"
	"jemfix/pkg/workspace"
)

// formatChanges runs rustfmt (apply --rustfmt) over each changed Rust file
// that rustfmt accepted before the change, so that `cargo fmt --check`
// still passes where it passed: a renamed path can grow past rustfmt's
// width, which jemfix's own edits do not rewrap. Files rustfmt did not
// accept before stay as jemfix wrote them. rustfmt gets the package's
// edition and finds the workspace's rustfmt.toml from the file's
// directory; it runs no code of the repository.
func formatChanges(ws *workspace.Workspace, p *plan.Plan, rustfmt string) error {
	if _, err := exec.LookPath(rustfmt); err != nil {
		return fmt.Errorf("--rustfmt: %w; install it (rustup component add rustfmt) or leave out --rustfmt", err)
	}
	if err := p.LoadAll(ws); err != nil { // rustfmt needs both contents of every file
		return err
	}
	errs := make([]error, len(p.Changes))
	notes := make([]string, len(p.Changes))
	par.PerCPU(len(p.Changes), func(i int) {
		ch := &p.Changes[i]
		if path.Ext(ch.Path) != ".rs" || ch.Creates() {
			return
		}
		dir := filepath.Join(ws.Dir, filepath.FromSlash(path.Dir(ch.Path)))
		edition := editionOf(ws, ch.Path)
		before, err := runRustfmt(rustfmt, dir, edition, ch.Old)
		if err != nil {
			// Such as a toolchain pinned by rust-toolchain.toml that is
			// not installed: say so rather than skip the file silently.
			notes[i] = fmt.Sprintf("--rustfmt: rustfmt could not format %s as it was (%v); the file stays as jemfix wrote it", ws.Path(ch.Path), err)
			return
		}
		if !bytes.Equal(before, ch.Old) {
			return // not rustfmt-clean before: leave the file as jemfix wrote it
		}
		after, err := runRustfmt(rustfmt, dir, edition, ch.New)
		if err != nil {
			errs[i] = fmt.Errorf("%s: rustfmt rejects the rewritten file (please report this): %w", ws.Path(ch.Path), err)
			return
		}
		ch.New = after
	})
	for i, err := range errs {
		if err != nil {
			return err
		}
		if notes[i] != "" {
			p.Why = append(p.Why, notes[i])
		}
	}
	return nil
}

// runRustfmt formats src from stdin, so that the modules it declares are
// not followed, and returns the result.
func runRustfmt(rustfmt, dir, edition string, src []byte) ([]byte, error) {
	cmd := exec.Command(rustfmt, "--edition", edition, "--emit", "stdout")
	cmd.Dir = dir
	cmd.Stdin = bytes.NewReader(src)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := child.Output(child.OwnGroup(cmd))
	if err != nil {
		return nil, fmt.Errorf("%v: %s", err, strings.TrimSpace(stderr.String()))
	}
	return out, nil
}

// editionOf returns the edition of the package that holds the file p:
// the member with the longest directory that contains it; 2015, cargo's
// default, when none says.
func editionOf(ws *workspace.Workspace, p string) string {
	var best *workspace.Manifest
	for _, m := range ws.Members {
		if workspace.Within(p, m.Dir) && (best == nil || len(m.Dir) > len(best.Dir)) {
			best = m
		}
	}
	if best != nil {
		if e := ws.Edition(best); e != "" {
			return e
		}
	}
	return "2015"
}
