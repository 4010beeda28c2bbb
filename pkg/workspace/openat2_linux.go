package workspace

import (
	"strings"
	"sync/atomic"
	"syscall"

	"golang.org/x/sys/unix"
)

// A path of several elements under a held directory is opened in one
// openat2(2) call that refuses every symbolic link on the way
// (RESOLVE_NO_SYMLINKS) and any escape from the directory
// (RESOLVE_BENEATH), instead of one openat(O_NOFOLLOW) per element and a
// close for each but the last: on a large workspace, where every
// crates/<name>/Cargo.toml and crates/<name>/src is opened, that is most
// of the open and close calls. Whenever openat2 fails, for whatever
// reason (a link on the way, a missing element, a kernel without it), the
// caller does what it did without it, so the answers and the errors are
// the same.

// noOpenat2 is set once openat2 turns out to be missing (ENOSYS) or
// forbidden (EPERM, as some seccomp filters answer): it is not tried again.
var noOpenat2 atomic.Bool

// resolveStrict is how openBeneath resolves: no link, nothing outside.
const resolveStrict = unix.RESOLVE_BENEATH | unix.RESOLVE_NO_SYMLINKS | unix.RESOLVE_NO_MAGICLINKS

// openBeneath opens p, a valid fs path of more than one element, under
// the directory fd with the open flags flags (O_CLOEXEC and O_NOFOLLOW
// are added), or returns false: the caller then opens it as before.
func openBeneath(fd int, p string, flags int) (int, bool) {
	if noOpenat2.Load() || !strings.Contains(p, "/") {
		return -1, false
	}
	how := unix.OpenHow{Flags: uint64(flags | unix.O_CLOEXEC | unix.O_NOFOLLOW), Resolve: resolveStrict}
	var nfd int
	err := ignoringEINTR(func() (err error) {
		nfd, err = unix.Openat2(fd, p, &how)
		return err
	})
	switch err {
	case nil:
		return nfd, true
	case syscall.ENOSYS, syscall.EPERM:
		noOpenat2.Store(true)
	}
	return -1, false
}
