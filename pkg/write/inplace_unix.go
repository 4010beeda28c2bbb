//go:build unix

package write

import (
	"errors"
	"io"
	"os"
	"slices"

	"golang.org/x/sys/unix"
)

// rawFile is a target opened to be rewritten in place: a bare descriptor,
// because the os package's registration of each file with the poller
// costs four system calls a file and a regular file never blocks.
type rawFile struct {
	fd       int
	size     int64
	dev, ino uint64
	nlink    uint64
	regular  bool
}

// openInPlace opens name in the directory dir for reading and writing.
// It does not follow a symbolic link (ELOOP) and does not wait on a FIFO
// (O_NONBLOCK): name must be the very file the plan read, in the
// directory the root resolved.
func openInPlace(dir *os.File, name string) (*rawFile, error) {
	conn, err := dir.SyscallConn()
	if err != nil {
		return nil, err
	}
	fd := -1
	var oerr error
	err = conn.Control(func(d uintptr) {
		fd, oerr = unix.Openat(int(d), name, unix.O_RDWR|unix.O_NOFOLLOW|unix.O_NONBLOCK|unix.O_CLOEXEC, 0)
	})
	if err = errors.Join(err, oerr); err != nil {
		if fd >= 0 {
			unix.Close(fd)
		}
		return nil, &os.PathError{Op: "open", Path: name, Err: err}
	}
	var st unix.Stat_t
	if err := unix.Fstat(fd, &st); err != nil {
		unix.Close(fd)
		return nil, &os.PathError{Op: "fstat", Path: name, Err: err}
	}
	return &rawFile{
		fd:      fd,
		size:    st.Size,
		dev:     uint64(st.Dev),
		ino:     uint64(st.Ino),
		nlink:   uint64(st.Nlink),
		regular: st.Mode&unix.S_IFMT == unix.S_IFREG,
	}, nil
}

// readAll reads the whole file from its start.
func (f *rawFile) readAll() ([]byte, error) {
	buf := make([]byte, 0, f.size+512) // room to see that the file grew
	for {
		if len(buf) == cap(buf) {
			buf = slices.Grow(buf, 4096)
		}
		m, err := unix.Pread(f.fd, buf[len(buf):cap(buf)], int64(len(buf)))
		if err == unix.EINTR {
			continue
		}
		if err != nil {
			return nil, err
		}
		if m == 0 {
			return buf, nil
		}
		buf = buf[:len(buf)+m]
	}
}

// replace writes tail at offset keep and cuts the file after it: the
// bytes before keep stay as they are.
func (f *rawFile) replace(keep int64, tail []byte) error {
	for off := 0; off < len(tail); {
		m, err := unix.Pwrite(f.fd, tail[off:], keep+int64(off))
		if err == unix.EINTR {
			continue
		}
		if err != nil {
			return err
		}
		if m == 0 {
			return io.ErrShortWrite
		}
		off += m
	}
	return unix.Ftruncate(f.fd, keep+int64(len(tail)))
}

func (f *rawFile) sync() error { return unix.Fsync(f.fd) }

func (f *rawFile) close() error { return unix.Close(f.fd) }
