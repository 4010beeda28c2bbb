//go:build unix

package write

import (
	"errors"
	"io/fs"
	"os"

	"golang.org/x/sys/unix"
)

// lockJournal takes the journal directory's exclusive lock without
// waiting. A write holds it from the journal's creation until it is gone;
// a recovery takes it before reading the journal. The kernel drops it
// when the holder dies, so a lock that is held means a live jemfix. It
// returns the locked directory's identity, which the caller compares with
// what the path names now (the directory may have been replaced between
// its open and the lock).
func lockJournal(root *os.Root) (release func(), locked fs.FileInfo, err error) {
	f, err := root.Open(JournalDir)
	if err != nil {
		return nil, nil, err
	}
	if err := unix.Flock(int(f.Fd()), unix.LOCK_EX|unix.LOCK_NB); err != nil {
		f.Close()
		if errors.Is(err, unix.EWOULDBLOCK) {
			return nil, nil, errBusy
		}
		return nil, nil, err
	}
	fi, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, nil, err
	}
	return func() { f.Close() }, fi, nil // closing the last descriptor drops the lock
}
