package write

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// rollback puts every target back as it was before the transaction and
// removes what the transaction made: temporary files, new files, created
// directories, backups and the journal. It returns what each target holds
// afterwards when something could not be undone.
func (t *txn) rollback() (map[string]string, error) {
	defer func() {
		if t.undoRead != nil {
			t.undoRead.Close()
			t.undoRead = nil
		}
	}()
	var errs []error
	c := &dirCache{root: t.root}
	for i := len(t.j.Files) - 1; i >= 0; i-- {
		e := &t.j.Files[i]
		if err := fault("rollback", len(t.j.Files)-1-i); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", e.Target, err))
			continue
		}
		if e.InPlace {
			errs = append(errs, t.restore(c, e))
			continue
		}
		errs = append(errs, t.undo(e))
	}
	c.close()
	if err := errors.Join(errs...); err != nil {
		return t.states(), err
	}
	// The old bytes written back must be on disk before the journal,
	// which knows them, goes.
	if t.restored && canSyncAll {
		if err := t.syncAll(); err != nil {
			return t.states(), err
		}
	}
	if err := t.root.RemoveAll(JournalDir); err != nil {
		return t.states(), err
	}
	t.syncDir(".")
	return nil, nil
}

// undo puts one target back. A target renamed already is no longer the
// backup's file; one not renamed yet still is (the backup is a hard link
// of it) or still has the old bytes (the backup is a copy). While the
// journal says staging, no target has been renamed or written: undo then
// removes what staging made and writes no target, since a backup copy
// that differs from its target can only be one a crash cut short.
func (t *txn) undo(e *entry) error {
	t.root.Remove(e.Temp) // not renamed yet, or never written
	if t.j.State == stateStaging {
		if e.Backup != "" {
			if err := t.root.Remove(e.Backup); err != nil && !errors.Is(err, fs.ErrNotExist) {
				return fmt.Errorf("%s: %w", e.Backup, err)
			}
		}
		for i := len(e.Dirs) - 1; i >= 0; i-- {
			t.root.Remove(e.Dirs[i]) // only while empty
		}
		return nil // nothing was renamed: a new file there now is someone else's
	}
	if e.New {
		if err := t.root.Remove(e.Target); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("%s: %w", e.Target, err)
		}
		for i := len(e.Dirs) - 1; i >= 0; i-- {
			t.root.Remove(e.Dirs[i]) // only while empty
		}
		return nil
	}
	if e.Backup == "" {
		return nil
	}
	bi, err := t.root.Lstat(e.Backup)
	if errors.Is(err, fs.ErrNotExist) {
		return nil // staging never got to it: the target was not touched
	}
	if err != nil {
		return fmt.Errorf("%s: %w", e.Backup, err)
	}
	if ti, err := t.root.Lstat(e.Target); err == nil && os.SameFile(bi, ti) {
		return t.root.Remove(e.Backup) // the target is the old file itself
	}
	old, err := t.root.ReadFile(e.Backup)
	if err != nil {
		return fmt.Errorf("%s: %w", e.Backup, err)
	}
	if cur, err := t.root.ReadFile(e.Target); err == nil && bytes.Equal(cur, old) {
		return t.root.Remove(e.Backup)
	}
	if err := t.root.Rename(e.Backup, e.Target); err != nil {
		return fmt.Errorf("putting %s back: %w", e.Target, err)
	}
	return nil
}

// states says what each target holds: "old", "new", "missing" or "unknown".
func (t *txn) states() map[string]string {
	out := map[string]string{}
	for _, e := range t.j.Files {
		if e.InPlace {
			out[e.Target] = t.inPlaceState(&e)
			continue
		}
		cur, err := t.root.ReadFile(e.Target)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			out[e.Target] = "missing"
			if e.New {
				out[e.Target] = "old (not created)"
			}
		case err != nil:
			out[e.Target] = "unknown"
		case e.New:
			out[e.Target] = "new"
		default:
			old, berr := t.root.ReadFile(e.Backup)
			switch {
			case errors.Is(berr, fs.ErrNotExist):
				// undo put it back (or found it never replaced), and the
				// backup went with that
				out[e.Target] = "old"
			case berr != nil:
				out[e.Target] = "unknown"
			case bytes.Equal(cur, old):
				out[e.Target] = "old"
			default:
				out[e.Target] = "new"
			}
		}
	}
	return out
}

// Recovery is what Recover did.
type Recovery struct {
	Action string // "rolled back" or "completed"; "" when there was no journal
	Files  int    // the files of the interrupted write
}

func (r Recovery) String() string {
	switch r.Action {
	case "rolled back":
		return fmt.Sprintf("an interrupted jemfix write of %d files was rolled back; the tree is as it was before it", r.Files)
	case "completed":
		return fmt.Sprintf("an interrupted jemfix write of %d files had written every file; its cleanup was completed", r.Files)
	}
	return ""
}

// Recover finds the journal of a write that did not finish under the
// workspace root dir and either rolls it back (it had not written every
// file) or completes it (it had, and only its cleanup was missing), so
// that every file is old or every file new, and no temporary file, backup
// or journal is left. Every command runs it before it reads the root.
func Recover(dir string) (Recovery, error) {
	root, err := os.OpenRoot(dir)
	if err != nil {
		return Recovery{}, err
	}
	defer root.Close()
	// A journal whose lock is held belongs to a write under way in another
	// jemfix process: it is not ours to finish or undo.
	release, _, err := lockJournal(root)
	switch {
	case errors.Is(err, errBusy):
		return Recovery{}, fmt.Errorf("%s: %w", JournalDir, err)
	case errors.Is(err, fs.ErrNotExist):
		return Recovery{}, nil // gone meanwhile: that write ended
	case err != nil:
		return Recovery{}, fmt.Errorf("%s: %w", JournalDir, err)
	}
	defer release()
	data, err := root.ReadFile(journalFile)
	if errors.Is(err, fs.ErrNotExist) {
		return Recovery{}, cleanOrphans(root)
	}
	if err != nil {
		return Recovery{}, fmt.Errorf("%s: %w", journalFile, err)
	}
	t := &txn{root: root, recovering: true}
	if err := json.Unmarshal(data, &t.j); err != nil {
		return Recovery{}, fmt.Errorf("%s: unreadable journal (%v); move %s away by hand after checking the files it names", journalFile, err, JournalDir)
	}
	if t.j.Version > journalVersion {
		return Recovery{}, fmt.Errorf("%s: the journal of a newer jemfix (format %d); recover it with that version", journalFile, t.j.Version)
	}
	rec := Recovery{Files: len(t.j.Files)}
	if t.j.State == stateDone {
		rec.Action = "completed"
		return rec, t.cleanup()
	}
	if states, err := t.rollback(); err != nil {
		// Not rolled back: the error says what state each file is in.
		return rec, &RollbackError{Err: errors.New("recovering an interrupted write"), Rollback: err, States: states}
	}
	rec.Action = "rolled back"
	return rec, nil
}

// Pending reports whether the root directory dir holds what an unfinished
// write left: Recover has work to do.
func Pending(dir string) bool {
	_, err := os.Lstat(filepath.Join(dir, JournalDir))
	return err == nil
}

// PendingAbove returns the nearest directory, from the one path names (or
// holds, for a file) up to the file system's root, that holds what an
// unfinished write left, next to a Cargo.toml (a write's journal sits at
// its workspace root). Commands recover it before they read any manifest:
// a write that died may have left one torn.
func PendingAbove(p string) (string, bool) {
	dir, err := filepath.Abs(p)
	if err != nil {
		return "", false
	}
	if fi, err := os.Stat(dir); err == nil && !fi.IsDir() {
		dir = filepath.Dir(dir)
	}
	for {
		if _, err := os.Lstat(filepath.Join(dir, "Cargo.toml")); err == nil && Pending(dir) {
			return dir, true
		}
		up := filepath.Dir(dir)
		if up == dir {
			return "", false
		}
		dir = up
	}
}

// cleanOrphans removes a journal directory without a journal: a write that
// died while creating it, before it touched anything.
func cleanOrphans(root *os.Root) error {
	if _, err := root.Lstat(JournalDir); err == nil {
		return root.RemoveAll(JournalDir)
	}
	return nil
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, strings.Compare)
	return keys
}
