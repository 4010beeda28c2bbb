package write

import (
	"bytes"
	"fmt"
	"hash/crc32"
	"os"
	"sync/atomic"

	"jemfix/pkg/plan"
)

// Writing in place. Most targets are rewritten where they are, not
// replaced: on a file system such as ext4, making a new file and freeing
// the old one costs 100 to 150 µs a file, writing over one 5 to 15 µs.
// So that every file stays old or new whatever happens, the bytes a
// target is about to lose go first to the undo log, which is synced
// before the first target changes; a rollback, or a recovery, writes them
// back. Only the bytes from the first one that changes are rewritten and
// kept (Keep): the file's start is the same before and after.
//
// A target with another hard link (writing it would change that name
// too, perhaps outside the root), or one jemfix cannot open for writing,
// is replaced by a rename instead, with a backup, as a new file is made.

// undoFile is the undo log, in the journal directory.
const undoFile = JournalDir + "/undo"

// span is where the old bytes of a file written in place are in the undo
// log, with their CRC-32C: a log that does not match is not written back.
type span struct {
	Off int64  `json:"off"`
	Len int64  `json:"len"`
	Sum uint32 `json:"crc32c"`
}

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// undoLog is the undo log being written: the old bytes of each file, one
// after the other, at offsets handed out in the order the workers ask.
type undoLog struct {
	f    *os.File
	next atomic.Int64
}

// add appends b to the log and says where it is.
func (u *undoLog) add(b []byte) (span, error) {
	n := int64(len(b))
	off := u.next.Add(n) - n
	if _, err := u.f.WriteAt(b, off); err != nil {
		return span{}, fmt.Errorf("%s: %w", undoFile, err)
	}
	return span{Off: off, Len: n, Sum: crc32.Checksum(b, castagnoli)}, nil
}

// current checks that cur, a target's content now, is what the plan read,
// and returns the change with its new content.
func current(ch plan.Change, cur []byte, name string) (plan.Change, error) {
	if ch.Deferred() {
		// Fill checks the plan's checksum, then applies its edits.
		return ch.Fill(cur, name)
	}
	if !bytes.Equal(cur, ch.Old) {
		return ch, fmt.Errorf("%s: changed since jemfix read it; nothing was written, run jemfix again", name)
	}
	return ch, nil
}

// commonPrefix is the length of the bytes a and b start with.
func commonPrefix(a, b []byte) int {
	n := min(len(a), len(b))
	for i := range n {
		if a[i] != b[i] {
			return i
		}
	}
	return n
}

// openTarget opens e's target to be written in place, from its
// directory's handle.
func (t *txn) openTarget(c *dirCache, target string) (*rawFile, error) {
	dir, name, err := c.open(target)
	if err != nil {
		return nil, err
	}
	return openInPlace(dir, name)
}

// stageInPlace prepares e to be written in place: the target must still
// hold what the plan read, and the bytes the write replaces go to the
// undo log. It returns false, and no error, when the target must be
// replaced by rename instead (see above); staging by rename then makes
// the errors a file that is not regular deserves.
func (t *txn) stageInPlace(c *dirCache, e *entry, ch plan.Change) (bool, error) {
	f, err := t.openTarget(c, e.Target)
	if err != nil {
		return false, nil
	}
	defer f.close()
	if !f.regular || f.nlink != 1 {
		return false, nil
	}
	cur, err := f.readAll()
	if err != nil {
		return false, nil
	}
	ch, err = current(ch, cur, e.Target)
	if err != nil {
		return true, err
	}
	keep := commonPrefix(cur, ch.New)
	sp, err := t.log.add(cur[keep:])
	if err != nil {
		return true, err
	}
	e.InPlace, e.Keep, e.Undo = true, int64(keep), &sp
	e.Temp, e.Backup = "", ""
	e.dev, e.ino = f.dev, f.ino
	return true, nil
}

// writeInPlace writes e's new content over its target, which must be the
// file staged and still hold what the plan read.
func (t *txn) writeInPlace(c *dirCache, e *entry, ch plan.Change) error {
	f, err := t.openTarget(c, e.Target)
	if err != nil {
		return fmt.Errorf("%s: %w", e.Target, err)
	}
	defer f.close()
	if f.dev != e.dev || f.ino != e.ino || f.nlink != 1 {
		return fmt.Errorf("%s: replaced since jemfix read it; run jemfix again", e.Target)
	}
	cur, err := f.readAll()
	if err != nil {
		return fmt.Errorf("%s: %w", e.Target, err)
	}
	if ch, err = current(ch, cur, e.Target); err != nil {
		return err
	}
	e.written = true // from here on a rollback writes the old bytes back
	if err := writeTail(f, e.Keep, ch.New[e.Keep:]); err != nil {
		return fmt.Errorf("%s: %w", e.Target, err)
	}
	return nil
}

// writeTail writes tail over f from offset keep on, and syncs it where
// the file system is not synced as a whole at the end (syncStaged).
func writeTail(f *rawFile, keep int64, tail []byte) error {
	err := f.replace(keep, tail)
	if err == nil && !canSyncAll {
		err = f.sync()
	}
	return err
}

// oldTail reads from the undo log the bytes e's target held from Keep on.
func (t *txn) oldTail(e *entry) ([]byte, error) {
	if t.undoRead == nil {
		f, err := t.root.Open(undoFile)
		if err != nil {
			return nil, err
		}
		t.undoRead = f
	}
	b := make([]byte, e.Undo.Len)
	if _, err := t.undoRead.ReadAt(b, e.Undo.Off); err != nil {
		return nil, fmt.Errorf("%s: %w", undoFile, err)
	}
	if crc32.Checksum(b, castagnoli) != e.Undo.Sum {
		return nil, fmt.Errorf("%s: the old bytes of %s do not match their checksum", undoFile, e.Target)
	}
	return b, nil
}

// restore writes back the old bytes of a target written in place, unless
// it holds them already. A write under way restores only the targets it
// has begun to write; a recovery, which cannot know, every one that is
// not old.
func (t *txn) restore(c *dirCache, e *entry) error {
	if t.j.State == stateStaging || (!t.recovering && !e.written) {
		return nil
	}
	old, err := t.oldTail(e)
	if err != nil {
		return err
	}
	f, err := t.openTarget(c, e.Target)
	if err != nil {
		return fmt.Errorf("putting %s back: %w", e.Target, err)
	}
	defer f.close()
	cur, err := f.readAll()
	switch {
	case err != nil:
		return fmt.Errorf("putting %s back: %w", e.Target, err)
	case !f.regular:
		return fmt.Errorf("putting %s back: not a regular file", e.Target)
	case int64(len(cur)) < e.Keep:
		return fmt.Errorf("putting %s back: it is shorter than the %d bytes jemfix left in place", e.Target, e.Keep)
	case bytes.Equal(cur[e.Keep:], old):
		return nil
	}
	if err := writeTail(f, e.Keep, old); err != nil {
		return fmt.Errorf("putting %s back: %w", e.Target, err)
	}
	t.restored = true
	return nil
}

// inPlaceState says whether a target written in place holds its old
// bytes ("old"), others ("new") or cannot be read ("unknown").
func (t *txn) inPlaceState(e *entry) string {
	old, err := t.oldTail(e)
	if err != nil {
		return "unknown"
	}
	cur, err := t.root.ReadFile(e.Target)
	switch {
	case err != nil:
		return "unknown"
	case int64(len(cur)) >= e.Keep && bytes.Equal(cur[e.Keep:], old):
		return "old"
	}
	return "new"
}
