package apply

import (
	"bytes"
	"compress/flate"
	"errors"
	"io"
	"slices"
	"strings"

	"jemfix/internal/phase"
	"jemfix/pkg/plan"
	"jemfix/pkg/workspace"
)

// inRuns reports whether a root's plan is made a run of manifests at a
// time (plan.Option1Each): Option 1, a dry run or a write, unless an
// output needs the whole plan at once (--json, --report, --patch-dir,
// --docs, --rustfmt, and the bulk runs, which keep their diffs).
func inRuns(cfg *Config) bool {
	return cfg.Option == "1" && !cfg.KeepDiffs && cfg.PatchDir == "" && !cfg.Docs && cfg.Rustfmt == ""
}

// lean reports whether a plan made in runs opens its workspace lean
// (workspace.OpenLean): the manifests let go of their bytes, and read them
// again when a run needs them. Once written they cannot be, so a write
// whose outcome is read afterwards is not lean: --commit's message and a
// bulk run's line (Outcome.Before) place entries of the manifests as
// jemfix read them.
func lean(cfg *Config) bool { return cfg.DryRun || !cfg.Commit && !cfg.bulk }

// spool takes the changes of a plan made a run at a time: it checks each
// run's changes as they come. A dry run's spool diffs them, and keeps the
// diffs compressed, a run to a block, until the plan is done; then it
// hands them on in path order, the order of a plan made at once: the root
// manifest's change comes last, and a package's files may sort after
// another run's. The check comes before anything is printed, as for a
// plan made at once. A write's spool keeps the changes, which are edits
// and checksums, for the write.
type spool struct {
	ws     *workspace.Workspace
	keep   bool          // keep the changes (a write), not their diffs
	kept   []plan.Change // the changes taken, when keep is set
	blocks [][]byte      // each run's diffs, compressed (flate) once raw is past rawLimit
	raw    int           // the bytes of the diffs kept as they are, or -1 once they are compressed
	files  []spooled     // every change diffed, in the order taken
	errs   []error       // the checks that failed, a run each
}

// rawLimit is how many bytes of diffs a spool keeps as they are: most
// plans' diffs stay under it, and are never compressed. Tests lower it.
var rawLimit = 4 << 20

// spooled is one change's diff: where it is in its block, and its line
// counts.
type spooled struct {
	FileJSON
	block, off, n int
}

// take checks and diffs the changes of one run (plan.Sink.Changes).
// Once a check has failed, nothing will be printed: the later runs are
// checked, not diffed, so that the error names every file.
func (s *spool) take(changes []plan.Change) error {
	slices.SortFunc(changes, func(a, b plan.Change) int { return strings.Compare(a.Path, b.Path) })
	phase.Mark("plan")
	if err := checkChanges(s.ws.FS, changes, s.ws.Path); err != nil {
		s.errs = append(s.errs, err)
	}
	phase.Mark("check")
	if len(s.errs) > 0 || len(changes) == 0 {
		return nil
	}
	if s.keep {
		for _, c := range changes {
			s.kept = append(s.kept, c.Forget())
		}
		return nil
	}
	var block bytes.Buffer
	off, first := 0, len(s.files)
	files, err := Stream(s.ws, changes, func(d string) {
		block.WriteString(d)
		s.files = append(s.files, spooled{block: len(s.blocks), off: off, n: len(d)})
		off += len(d)
	})
	if err != nil {
		return err
	}
	for i, f := range files {
		s.files[first+i].FileJSON = f
	}
	s.blocks = append(s.blocks, bytes.Clone(block.Bytes())) // no spare capacity
	switch last := len(s.blocks) - 1; {
	case s.raw < 0: // compressed from now on
		s.blocks[last], err = deflate(s.blocks[last])
	case s.raw+block.Len() > rawLimit:
		for i := range s.blocks {
			if s.blocks[i], err = deflate(s.blocks[i]); err != nil {
				return err
			}
		}
		s.raw = -1
	default:
		s.raw += block.Len()
	}
	if err != nil {
		return err
	}
	phase.Mark("diff")
	return nil
}

// deflate returns b compressed (flate, for speed).
func deflate(b []byte) ([]byte, error) {
	var out bytes.Buffer
	z, err := flate.NewWriter(&out, flate.BestSpeed)
	if err != nil {
		return nil, err
	}
	if _, err := z.Write(b); err != nil {
		return nil, err
	}
	if err := z.Close(); err != nil {
		return nil, err
	}
	return slices.Clip(out.Bytes()), nil
}

// reset forgets every change taken (plan.Sink.Restart).
func (s *spool) reset() { s.kept, s.blocks, s.raw, s.files, s.errs = nil, nil, 0, nil, nil }

// changes returns the changes kept, in path order.
func (s *spool) changes() []plan.Change {
	slices.SortFunc(s.kept, func(a, b plan.Change) int { return strings.Compare(a.Path, b.Path) })
	return s.kept
}

// err returns the failed checks, or nil.
func (s *spool) err() error { return errors.Join(s.errs...) }

// emit hands every diff to emit (which may be nil) in path order, and
// returns each file's line counts in that order.
func (s *spool) emit(emit func(diff string)) ([]FileJSON, error) {
	slices.SortFunc(s.files, func(a, b spooled) int { return strings.Compare(a.Path, b.Path) })
	out := make([]FileJSON, len(s.files))
	var text []byte // the block last opened
	open := -1
	for i, f := range s.files {
		out[i] = f.FileJSON
		if emit == nil {
			continue
		}
		if f.block != open {
			text = s.blocks[f.block]
			if s.raw < 0 {
				var err error
				if text, err = io.ReadAll(flate.NewReader(bytes.NewReader(text))); err != nil {
					return nil, err
				}
			}
			open = f.block
		}
		emit(string(text[f.off : f.off+f.n]))
	}
	s.blocks, s.files = nil, nil
	return out, nil
}
