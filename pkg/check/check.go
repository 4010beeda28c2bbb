// Package check re-parses every file a plan would write, before anything is
// written: a manifest must still be valid TOML that jemfix can read, with
// no field of a type cargo refuses unless it had one before, and
// every top-level item of a Rust file that the plan changed must still parse
// without errors (the whole file when it is new or its items moved; see
// rustedit.CheckChange).
package check

import (
	"errors"
	"io/fs"
	"path"

	"jemfix/internal/par"
	"jemfix/pkg/plan"
	"jemfix/pkg/rustedit"
	"jemfix/pkg/tomledit"
)

// Changes checks the new content of every change and returns all failures
// joined; nil means every file may be written. fsys is the workspace root,
// from which deferred changes are loaded (plan.Change.Load) one at a time,
// and dropped once checked. display maps a change's path to the name shown
// in errors.
func Changes(fsys fs.FS, changes []plan.Change, display func(string) string) error {
	// Files are parsed in parallel, one worker per CPU; the errors keep
	// the order of changes.
	errs := make([]error, len(changes))
	par.PerCPU(len(changes), func(i int) {
		ch, err := changes[i].Load(fsys, display)
		if err != nil {
			errs[i] = ReadError{err}
			return
		}
		errs[i] = file(display(ch.Path), ch.Old, ch.New)
	})
	return errors.Join(errs...)
}

func file(name string, old, src []byte) error {
	switch {
	case path.Base(name) == "Cargo.toml":
		return tomledit.CheckEdited(name, old, src)
	case path.Ext(name) == ".rs":
		return rustedit.CheckChange(name, old, src)
	}
	return nil
}

// ReadError is a failure of Changes to read a file again (it changed since
// the plan read it, or cannot be read): the plan's edits, not their
// result, are what failed.
type ReadError struct{ Err error }

func (e ReadError) Error() string { return e.Err.Error() }
func (e ReadError) Unwrap() error { return e.Err }
