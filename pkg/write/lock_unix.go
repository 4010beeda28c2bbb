//go:build unix

package write

import (
	"errors"
	"os"

	"golang.org/x/sys/unix"
)

// lockJournal takes the journal directory's exclusive lock without
// waiting. A write holds it from the journal's creation until it is gone;
// a recovery takes it before reading the journal. The kernel drops it
// when the holder dies, so a lock that is held means a live jemfix.
func lockJournal(root *os.Root) (release func(), err error) {
	f, err := root.Open(JournalDir)
	if err != nil {
		return nil, err
	}
	if err := unix.Flock(int(f.Fd()), unix.LOCK_EX|unix.LOCK_NB); err != nil {
		f.Close()
		if errors.Is(err, unix.EWOULDBLOCK) {
			return nil, errBusy
		}
		return nil, err
	}
	return func() { f.Close() }, nil // closing the last descriptor drops the lock
}
