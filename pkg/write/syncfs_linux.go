package write

import "golang.org/x/sys/unix"

// canSyncAll says that syncAll is available: Linux syncs a whole file
// system with one syncfs(2), which writes every dirty file and directory
// of it, and, since Linux 5.8, reports a write-back error of any of them.
const canSyncAll = true

// syncAll syncs the file system that holds the root.
func (t *txn) syncAll() error {
	f, err := t.root.Open(".")
	if err != nil {
		return err
	}
	defer f.Close()
	raw, err := f.SyscallConn()
	if err != nil {
		return err
	}
	var serr error
	if err := raw.Control(func(fd uintptr) { serr = unix.Syncfs(int(fd)) }); err != nil {
		return err
	}
	return serr
}
