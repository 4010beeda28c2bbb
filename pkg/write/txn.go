package write

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"

	"jemfix/internal/phase"
	"jemfix/pkg/plan"
)

// The transaction. Every file of a plan is written, or none is, even when
// the process dies (kill -9, a power cut) half way:
//
//  1. The journal (JournalDir/journal.json) is written first, in the state
//     "staging", naming every target, and the temporary file and backup
//     it would have if it were replaced by rename.
//  2. Each target is checked against what the plan read. A target written
//     in place (inplace.go) has the bytes it will lose copied to the undo
//     log; any other has its new content written to its temporary file
//     next to it, and a file that exists gets a backup: a hard link in the
//     journal directory (a copy where links are not possible). The undo
//     log and the backups are synced, so that a rollback can count on
//     them; the temporary files need not be (a rollback removes them).
//  3. The journal moves to "renaming", and is synced, with where each old
//     content is: from here on, a recovery puts the old files back.
//  4. The targets are written in place, or their temporary files renamed
//     over them, and everything is synced: on Linux with one syncfs(2) of
//     the file system, elsewhere file by file and directory by directory.
//  5. The journal moves to "done", and is synced: from here on, a recovery
//     finishes the cleanup instead. Then the undo log, the backups and the
//     journal go.
//
// Recover, run before any command reads the root, finds a journal left by
// a dead process and rolls back (states staging, renaming) or completes
// (done). All file operations go through an os.Root at the workspace root,
// so no path, however its directories are swapped for symbolic links
// meanwhile, resolves outside it.

// JournalDir is the directory, at the workspace root, that holds the
// journal and the backups while a write is under way.
const JournalDir = ".jemfix-journal"

const journalFile = JournalDir + "/journal.json"

// Journal states.
const (
	stateStaging  = "staging"
	stateRenaming = "renaming"
	stateDone     = "done"
)

// journalVersion is the version of the journal's format; version 2 added
// the files written in place. A journal of a later version is left alone.
const journalVersion = 2

// journal is what a transaction writes down before it touches a target.
type journal struct {
	Version int     `json:"version"`
	ID      string  `json:"id"`
	State   string  `json:"state"`
	Files   []entry `json:"files"`
}

// entry is one file of the transaction; paths are slash paths relative to
// the root.
type entry struct {
	Target string   `json:"target"`
	Temp   string   `json:"temp,omitempty"`   // "" for a file written in place
	Backup string   `json:"backup,omitempty"` // "" for a file the transaction creates or writes in place
	New    bool     `json:"new,omitempty"`
	Dirs   []string `json:"dirs,omitempty"` // directories created for a new file, outermost first
	Mode   uint32   `json:"mode"`
	// InPlace: the target is rewritten where it is, from its byte Keep
	// on; Undo says where the bytes it loses are in the undo log.
	InPlace bool  `json:"in_place,omitempty"`
	Keep    int64 `json:"keep,omitempty"`
	Undo    *span `json:"undo,omitempty"`

	dev, ino uint64 // the file staged in place: the write must find it
	written  bool   // the write in place has begun
}

// Fault is the test seam of the transaction: when set, it is called before
// each step ("lock" before the new journal directory is locked, "stage",
// "rename", "cleanup" and "rollback", with the index of the file, the
// rollback counting from the file it puts back first; "save STATE" before
// the journal is written, counting the saves in that state, "saved
// STATE" after it is saved), and a non-nil error fails that step as if the
// system had. Tests use it to fail the N-th rename, to stop the process
// between two renames or while a rollback puts files back, or to report
// ENOSPC.
var Fault func(step string, i int) error

func fault(step string, i int) error {
	if Fault == nil {
		return nil
	}
	return Fault(step, i)
}

// Options tune a write.
type Options struct {
	// Interrupt, once raised, rolls the transaction back before its next
	// step; Changes then returns an *Interrupted. nil: never.
	Interrupt *Interrupter
	// Kept, when set, hears why a write that succeeded could not remove
	// its journal directory: the files are written, and the next jemfix
	// command in the directory removes what is left.
	Kept func(error)
}

// Interrupter carries a signal to every write under way: raised once, it
// stays raised, so that each write of a bulk run rolls back.
type Interrupter struct {
	once sync.Once
	done chan struct{}
	sig  os.Signal
}

// NewInterrupter returns an Interrupter not raised yet.
func NewInterrupter() *Interrupter { return &Interrupter{done: make(chan struct{})} }

// Raise records s and stops every write; later calls do nothing.
func (in *Interrupter) Raise(s os.Signal) {
	in.once.Do(func() {
		in.sig = s
		close(in.done)
	})
}

// Signal returns the signal raised, or nil.
func (in *Interrupter) Signal() os.Signal {
	if in == nil {
		return nil
	}
	select {
	case <-in.done:
		return in.sig
	default:
		return nil
	}
}

// SignalName names s as a user knows it: "SIGINT", "SIGTERM".
func SignalName(s os.Signal) string {
	switch s {
	case syscall.SIGINT:
		return "SIGINT"
	case syscall.SIGTERM:
		return "SIGTERM"
	}
	return s.String()
}

// Interrupted is the error of a write stopped by a signal and rolled back,
// or, NotStarted, of a root a signal stopped before its work began.
type Interrupted struct {
	Signal     os.Signal
	NotStarted bool
}

func (e *Interrupted) Error() string {
	if e.NotStarted {
		return fmt.Sprintf("interrupted by %s before this root was started; nothing was written", SignalName(e.Signal))
	}
	return fmt.Sprintf("interrupted by %s; the write was rolled back, nothing was written", SignalName(e.Signal))
}

// ExitCode is the conventional exit code of a process stopped by the
// signal: 128 plus its number (130 for SIGINT, 143 for SIGTERM).
func (e *Interrupted) ExitCode() int {
	if s, ok := e.Signal.(syscall.Signal); ok {
		return 128 + int(s)
	}
	return 1
}

// RollbackError is a failed write whose rollback failed too: States says
// what each file holds now.
type RollbackError struct {
	Err      error             // why the write failed
	Rollback error             // why putting the old files back failed
	States   map[string]string // target -> "old", "new", "missing" or "unknown"
}

func (e *RollbackError) Error() string {
	msg := fmt.Sprintf("%v; rolling back failed too (%v), so the tree is mixed; the journal in %s keeps what is needed, and the next jemfix command on this root retries the rollback. Files:", e.Err, e.Rollback, JournalDir)
	for _, t := range sortedKeys(e.States) {
		msg += "\n  " + t + ": " + e.States[t]
	}
	return msg
}

func (e *RollbackError) Unwrap() error { return e.Err }

// writing counts the transactions under way in this process.
var writing atomic.Int32

// Writing reports whether a transaction is under way: a signal then asks
// it to roll back (Options.Interrupt) instead of ending the process.
func Writing() bool { return writing.Load() > 0 }

// finished counts the transactions this process completed.
var finished atomic.Int32

// Finished reports whether a transaction of this process completed: its
// files stay written whatever happens next.
func Finished() bool { return finished.Load() > 0 }

// txn is one write in progress.
type txn struct {
	root *os.Root
	j    journal
	opt  Options
	// unsynced are the files staged without a sync of their own: they
	// and their directories are synced together (syncStaged).
	mu       sync.Mutex
	unsynced []string

	log        *undoLog       // being written
	undoRead   *os.File       // open to put files back
	recovering bool           // Recover's rollback: which targets were written is unknown
	restored   bool           // a target was written back in place, not synced yet
	release    func()         // drops the journal's lock (lockJournal); nil when not held
	saves      map[string]int // how often the journal was saved in each state, for Fault
}

// dirCache holds the directory of the last target open: the files of one
// directory come one after the other (changes are sorted by path), and
// names in it are looked up from this handle, not walked down from the
// root each time. Each worker of a step has its own.
type dirCache struct {
	root *os.Root
	name string
	dir  *os.Root // the directory name, as a root, once asked for
	file *os.File // the same directory, as a file, once asked for
}

// at makes d the directory held.
func (c *dirCache) at(d string) {
	if c.name != d {
		c.close()
		c.name = d
	}
}

// in returns the directory of the root-relative path p, held open, and
// p's name in it.
func (c *dirCache) in(p string) (*os.Root, string, error) {
	c.at(path.Dir(p))
	if c.dir == nil {
		sub, err := c.root.OpenRoot(c.name)
		if err != nil {
			return nil, "", err
		}
		c.dir = sub
	}
	return c.dir, path.Base(p), nil
}

// open is in for a file's own system calls: the directory as a file.
func (c *dirCache) open(p string) (*os.File, string, error) {
	c.at(path.Dir(p))
	if c.file == nil {
		f, err := c.root.Open(c.name)
		if err != nil {
			return nil, "", err
		}
		c.file = f
	}
	return c.file, path.Base(p), nil
}

func (c *dirCache) close() {
	if c.dir != nil {
		c.dir.Close()
		c.dir = nil
	}
	if c.file != nil {
		c.file.Close()
		c.file = nil
	}
}

// workers is how many files a step stages or renames at once: the work is
// file system calls, which the kernel runs in parallel.
const workers = 4

// each runs fn for every file of the transaction, in parallel, after
// checking, in order and on the calling goroutine, for a signal and for
// the Fault of step. It stops at the first error and returns it once every
// file under way is done, also when the caller panics (a test's crash).
func (t *txn) each(step string, fn func(c *dirCache, i int) error) (err error) {
	var (
		mu    sync.Mutex
		first error
		wg    sync.WaitGroup
	)
	failed := func() error {
		mu.Lock()
		defer mu.Unlock()
		return first
	}
	jobs := make(chan int)
	for range min(workers, len(t.j.Files)) {
		wg.Go(func() {
			c := &dirCache{root: t.root}
			defer c.close()
			for i := range jobs {
				if failed() != nil {
					continue
				}
				if err := fn(c, i); err != nil {
					mu.Lock()
					if first == nil {
						first = err
					}
					mu.Unlock()
				}
			}
		})
	}
	defer func() {
		close(jobs)
		wg.Wait()
		if err == nil {
			err = failed()
		}
	}()
	for i := range t.j.Files {
		if failed() != nil {
			return nil // the deferred function returns it
		}
		if err := t.interrupted(); err != nil {
			return err
		}
		if err := fault(step, i); err != nil {
			return fmt.Errorf("%s: %w", t.j.Files[i].Target, err)
		}
		jobs <- i
	}
	return nil
}

// Changes writes every change as one transaction under the root directory
// dir (see the comment above). A file that changed since it was read, or
// appeared where a new one goes, stops the write before anything is
// renamed. On an error nothing is written: what was renamed is put back,
// and the error says so; when that fails too it is a *RollbackError.
func Changes(dir string, changes []plan.Change, opts ...Options) error {
	writing.Add(1)
	defer writing.Add(-1)
	root, err := os.OpenRoot(dir)
	if err != nil {
		return err
	}
	defer root.Close()
	t := &txn{root: root, j: journal{Version: journalVersion, ID: newID(), State: stateStaging}}
	if len(opts) > 0 {
		t.opt = opts[0]
	}
	defer t.unlock() // a crash (a panic in tests) drops the lock as a death would
	if err := t.plan(changes); err != nil {
		return err
	}
	phase.Mark("write: journal")
	if err := t.run(changes); err != nil {
		return t.abort(err)
	}
	// A signal while the files were written and synced rolls them back
	// too: the journal does not say done yet.
	if err := t.interrupted(); err != nil {
		return t.abort(err)
	}
	if err := t.finish(); err != nil {
		return err
	}
	finished.Add(1)
	return nil
}

// journalThere is the error of a write that finds a journal in place:
// another process's, live (its lock is held), or a dead write's.
func (t *txn) journalThere() error {
	if release, _, err := lockJournal(t.root); errors.Is(err, errBusy) {
		return fmt.Errorf("%s: %w; nothing was written", JournalDir, err)
	} else if err == nil {
		release()
	}
	return fmt.Errorf("%s: an interrupted jemfix write left it; run any jemfix command on this root to recover it; nothing was written", journalFile)
}

// errBusy is the lock of a journal that a live jemfix holds.
var errBusy = errors.New("another jemfix process is writing this workspace now; run this command again when it has ended")

// unlock releases the journal's lock, if held.
func (t *txn) unlock() {
	if t.release != nil {
		t.release()
		t.release = nil
	}
}

func newID() string {
	b := make([]byte, 6)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// plan fills the journal and writes it. Nothing else exists yet.
func (t *txn) plan(changes []plan.Change) error {
	if _, err := t.root.Lstat(journalFile); err == nil {
		return t.journalThere()
	}
	for i, ch := range changes {
		e := entry{Target: ch.Path, Temp: path.Join(path.Dir(ch.Path), fmt.Sprintf(".jemfix-%s-%d", t.j.ID, i)), New: ch.Creates(), Mode: 0o644}
		if e.New {
			e.Dirs = t.missingDirs(path.Dir(ch.Path))
		} else {
			e.Backup = path.Join(JournalDir, strconv.Itoa(i))
		}
		t.j.Files = append(t.j.Files, e)
	}
	if err := t.root.Mkdir(JournalDir, 0o755); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return t.journalThere()
		}
		return fmt.Errorf("%s: %w; nothing was written", JournalDir, err)
	}
	// Until the lock is held another jemfix may take the new directory for
	// a dead write's and remove it, or make its own: the write goes on only
	// with the lock of the very directory the path names, still empty.
	// Otherwise it leaves the directory alone: it may be another's.
	if err := fault("lock", 0); err != nil {
		t.root.Remove(JournalDir) // only while empty: a directory with a journal is not ours to remove
		return fmt.Errorf("%w; nothing was written", err)
	}
	release, locked, err := lockJournal(t.root)
	if err != nil {
		if errors.Is(err, errBusy) {
			return fmt.Errorf("%s: %w; nothing was written", JournalDir, err)
		}
		return fmt.Errorf("%s: %w; another jemfix may have removed it; nothing was written", JournalDir, err)
	}
	t.release = release
	if cur, err := t.root.Lstat(JournalDir); err != nil || !os.SameFile(cur, locked) {
		t.unlock()
		return fmt.Errorf("%s: another jemfix process replaced it while this one made it; nothing was written", JournalDir)
	}
	if _, err := t.root.Lstat(journalFile); err == nil {
		t.unlock()
		return t.journalThere()
	}
	if err := t.save(); err != nil {
		t.root.RemoveAll(JournalDir)
		t.unlock()
		return fmt.Errorf("%w; nothing was written", err)
	}
	return nil
}

// run stages every file, then writes or renames them all.
func (t *txn) run(changes []plan.Change) error {
	f, err := t.root.OpenFile(undoFile, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return fmt.Errorf("%s: %w", undoFile, err)
	}
	defer f.Close()
	t.log = &undoLog{f: f}
	err = t.each("stage", func(c *dirCache, i int) error { return t.stage(c, i, changes[i]) })
	if err != nil {
		return err
	}
	phase.Mark("write: stage")
	// What a rollback needs must be on disk before the first target
	// changes: the undo log, and the backups, which are entries of the
	// journal directory (a backup that is a copy was synced as written).
	if err := errors.Join(f.Sync(), t.syncDir(JournalDir)); err != nil {
		return err
	}
	t.j.State = stateRenaming
	if err := t.save(); err != nil {
		return err
	}
	phase.Mark("write: sync undo")
	err = t.each("rename", func(c *dirCache, i int) error {
		e := &t.j.Files[i]
		if e.InPlace {
			return t.writeInPlace(c, e, changes[i])
		}
		dir, name, err := c.in(e.Target)
		if err == nil {
			err = dir.Rename(path.Base(e.Temp), name) // the temporary file sits next to its target
		}
		if err != nil {
			return fmt.Errorf("%s: %w", e.Target, err)
		}
		return nil
	})
	if err != nil {
		return err
	}
	phase.Mark("write: rename")
	err = t.syncStaged()
	phase.Mark("write: sync")
	return err
}

// interrupted returns an *Interrupted when a signal has arrived.
func (t *txn) interrupted() error {
	in := t.opt.Interrupt
	if in == nil {
		return nil
	}
	select {
	case <-in.done:
		return &Interrupted{Signal: in.sig}
	default:
		return nil
	}
}

// stage prepares file i: it checks that the target still holds what was
// read, then keeps the bytes a write in place replaces, or writes the new
// content to a temporary file and backs up the old one.
func (t *txn) stage(c *dirCache, i int, ch plan.Change) error {
	e := &t.j.Files[i]
	if !e.New {
		if done, err := t.stageInPlace(c, e, ch); done || err != nil {
			return err
		}
	}
	if e.New {
		if _, err := t.root.Lstat(e.Target); err == nil {
			return fmt.Errorf("%s: appeared since jemfix looked; nothing was written, run jemfix again", e.Target)
		}
		for _, d := range e.Dirs {
			if err := t.root.Mkdir(d, 0o755); err != nil && !errors.Is(err, fs.ErrExist) {
				return fmt.Errorf("%s: %w", d, err)
			}
		}
	} else {
		dir, name, err := c.in(e.Target)
		if err != nil {
			return err
		}
		fi, err := dir.Lstat(name)
		if err != nil {
			return fmt.Errorf("%s: %w", e.Target, err)
		}
		if !fi.Mode().IsRegular() {
			return fmt.Errorf("%s: not a regular file; jemfix does not write through symlinks", e.Target)
		}
		e.Mode = uint32(fi.Mode().Perm())
		cur, err := dir.ReadFile(name)
		if err != nil {
			return fmt.Errorf("%s: %w", e.Target, err)
		}
		if ch, err = current(ch, cur, e.Target); err != nil {
			return err
		}
		if err := t.backup(e, cur); err != nil {
			return err
		}
	}
	return t.writeTemp(c, e, ch.New)
}

// missingDirs returns the directories that writing a file in dir needs
// to create, outermost first.
func (t *txn) missingDirs(dir string) []string {
	var missing []string
	for d := dir; d != "." && d != "/"; d = path.Dir(d) {
		if _, err := t.root.Lstat(d); err == nil {
			break
		}
		missing = append([]string{d}, missing...)
	}
	return missing
}

// backup keeps the old content of a target in the journal directory: a
// hard link, which costs nothing and keeps the very file, or a copy,
// synced.
func (t *txn) backup(e *entry, cur []byte) error {
	if err := t.root.Link(e.Target, e.Backup); err == nil {
		return nil
	}
	return t.writeFile(e.Backup, cur, fs.FileMode(e.Mode))
}

func (t *txn) writeTemp(c *dirCache, e *entry, content []byte) error {
	dir, _, err := c.in(e.Target)
	if err == nil {
		err = t.create(dir, path.Base(e.Temp), content, fs.FileMode(e.Mode), !canSyncAll)
	}
	if err != nil {
		return fmt.Errorf("%s: %w", e.Target, err)
	}
	if canSyncAll {
		t.noteUnsynced(e.Temp)
	}
	return nil
}

func (t *txn) noteUnsynced(name string) {
	t.mu.Lock()
	t.unsynced = append(t.unsynced, name)
	t.mu.Unlock()
}

// writeFile creates name (it must not exist) with content and mode, and
// syncs it.
func (t *txn) writeFile(name string, content []byte, mode fs.FileMode) error {
	return t.create(t.root, name, content, mode, true)
}

// create makes the file name under dir, which must not exist, with
// content and mode, syncing it when asked to.
func (t *txn) create(dir *os.Root, name string, content []byte, mode fs.FileMode, sync bool) error {
	f, err := dir.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, mode)
	if err != nil {
		return err
	}
	_, err = f.Write(content)
	err = errors.Join(err, f.Chmod(mode))
	if sync {
		err = errors.Join(err, f.Sync())
	}
	if err = errors.Join(err, f.Close()); err != nil {
		dir.Remove(name)
	}
	return err
}

// syncStaged makes the staged files, or the renames, durable: one sync of
// the whole file system where that is possible, else a sync of each file
// staged without one and of every directory involved.
func (t *txn) syncStaged() error {
	if canSyncAll {
		err := t.syncAll()
		if err == nil {
			t.unsynced = t.unsynced[:0]
			return nil
		}
		for _, name := range t.unsynced {
			if err := t.syncFile(name); err != nil {
				return err
			}
		}
		t.unsynced = t.unsynced[:0]
	}
	return t.syncDirs()
}

// syncFile syncs one file that exists under the root.
func (t *txn) syncFile(name string) error {
	f, err := t.root.Open(name)
	if err != nil {
		return err
	}
	return errors.Join(f.Sync(), f.Close())
}

// save writes the journal through a temporary file and a rename, and syncs
// it and its directory: a crash leaves the old journal or the new one.
func (t *txn) save() error {
	data, err := json.MarshalIndent(t.j, "", "  ")
	if err != nil {
		return err
	}
	tmp := journalFile + ".tmp"
	t.root.Remove(tmp)
	if t.saves == nil {
		t.saves = map[string]int{}
	}
	t.saves[t.j.State]++
	if err := fault("save "+t.j.State, t.saves[t.j.State]-1); err != nil {
		return unsaved{fmt.Errorf("%s: %w", journalFile, err)}
	}
	if err := t.writeFile(tmp, append(data, '\n'), 0o644); err != nil {
		t.root.Remove(tmp)
		return unsaved{fmt.Errorf("%s: %w", journalFile, err)}
	}
	if err := t.root.Rename(tmp, journalFile); err != nil {
		return unsaved{fmt.Errorf("%s: %w", journalFile, err)}
	}
	if err := t.syncDir(JournalDir); err != nil {
		return err
	}
	return fault("saved "+t.j.State, 0)
}

// unsaved is an error of save that left the journal on disk as it was:
// the new one was not written, or not renamed over it.
type unsaved struct{ err error }

func (e unsaved) Error() string { return e.err.Error() }
func (e unsaved) Unwrap() error { return e.err }

// syncDirs syncs every directory a target lives in, so that the renames
// (or the staged files) are on disk.
func (t *txn) syncDirs() error {
	seen := map[string]bool{}
	for _, e := range t.j.Files {
		d := path.Dir(e.Target)
		if !seen[d] {
			seen[d] = true
			if err := t.syncDir(d); err != nil {
				return err
			}
		}
	}
	return t.syncDir(JournalDir)
}

func (t *txn) syncDir(d string) error {
	f, err := t.root.Open(d)
	if err != nil {
		return err
	}
	err = f.Sync()
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if errors.Is(err, syscall.EINVAL) { // file systems that cannot sync a directory
		return nil
	}
	return err
}

// finish marks the transaction done, then removes the backups and the
// journal.
func (t *txn) finish() error {
	t.j.State = stateDone
	if err := t.save(); err != nil {
		t.j.State = stateRenaming
		if errors.As(err, new(unsaved)) {
			// The journal on disk still says renaming (a full disk
			// refuses the new one): roll back under it now.
			return t.abort(err)
		}
		// Every file is new already, and the journal on disk may say done
		// (its rename went through, what followed failed). A rollback
		// under that journal, cut short by a crash, would leave a tree
		// half put back that a recovery "completes": the journal says
		// renaming again first. If it cannot, it stays, saying one or the
		// other, and the next command finishes the write or undoes it.
		if serr := t.save(); serr != nil {
			return fmt.Errorf("%w; the journal could not be saved again (%v) and stays in %s: the next jemfix command in this directory finishes the write or puts the old files back", err, serr, JournalDir)
		}
		return t.abort(err)
	}
	return t.cleanup()
}

// cleanup removes what a finished transaction leaves: backups, the journal.
func (t *txn) cleanup() error {
	// Every temporary file was renamed; the backups are in the journal
	// directory, which goes as a whole.
	for i := range t.j.Files {
		if err := fault("cleanup", i); err != nil {
			t.kept(err) // the journal says done: the next command removes the rest
			return nil
		}
	}
	if err := t.root.RemoveAll(JournalDir); err != nil {
		t.kept(err) // done all the same; the next command removes it
		return nil
	}
	t.syncDir(".")
	phase.Mark("write: cleanup")
	return nil
}

// kept tells Options.Kept, if set, that the journal directory stays.
func (t *txn) kept(err error) {
	if t.opt.Kept != nil && !t.recovering {
		t.opt.Kept(err)
	}
}

// abort rolls back after err and says what happened.
func (t *txn) abort(err error) error {
	renamed := t.j.State != stateStaging
	states, rerr := t.rollback()
	var intr *Interrupted
	switch {
	case rerr != nil:
		return &RollbackError{Err: err, Rollback: rerr, States: states}
	case errors.As(err, &intr):
		return err
	case renamed:
		return fmt.Errorf("%w; the files already written were put back, nothing was written", err)
	case strings.Contains(err.Error(), "nothing was written"):
		return err
	}
	return fmt.Errorf("%w; nothing was written", err)
}
