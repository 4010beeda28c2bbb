package workspace

import (
	"encoding/binary"
	"io"
	"io/fs"
	"os"
	"path"
	"runtime"
	"slices"
	"strings"
	"sync"
	"syscall"
	"time"

	"golang.org/x/sys/unix"
)

// On Linux, the workspace's file system holds each directory it reads as a
// raw file descriptor (dirHandle), and does the common operations on it
// with *at system calls: listing a directory reads its getdents64 records
// without a stat per entry (os.Root's ReadDir lstats every entry), and a
// file is opened with openat(O_NOFOLLOW) and read without an *os.File
// (whose setup costs fcntl calls and a failing epoll_ctl). Every raw open
// is of one path element with O_NOFOLLOW, so nothing is reached through a
// symbolic link: a path that meets one, or any error that is not a plain
// "does not exist", is handed to the directory's os.Root, which follows
// links that stay inside the root and refuses the others as before.

// newRootFS returns the file system of root: one holding root's directory
// as a raw descriptor, or the os.Root one when that cannot be made.
func newRootFS(root *os.Root) fs.FS {
	if fd, err := dupRootFD(root); err == nil {
		return sysFS{newDirHandle(fd, root, ".")}
	}
	return rootFS{root.FS().(rootFSMethods), root}
}

// dupRootFD returns a descriptor of root's directory of its own.
func dupRootFD(root *os.Root) (int, error) {
	f, err := root.Open(".")
	if err != nil {
		return -1, err
	}
	defer f.Close()
	rc, err := f.SyscallConn()
	if err != nil {
		return -1, err
	}
	nfd, derr := -1, error(nil)
	if err := rc.Control(func(fd uintptr) {
		r, _, e := syscall.Syscall(syscall.SYS_FCNTL, fd, syscall.F_DUPFD_CLOEXEC, 0)
		if e != 0 {
			derr = e
			return
		}
		nfd = int(r)
	}); err != nil {
		return -1, err
	}
	return nfd, derr
}

// openForRead opens p for ReadInto: a single name in a held directory
// directly on its descriptor, a longer path with one openat2 when no link
// is on the way (openBeneath), anything else through fsys.
func openForRead(fsys fs.FS, p string) (fs.File, error) {
	if s, ok := fsys.(sysFS); ok && isName(p) {
		if f, err, ok := s.h.openFile(p); ok {
			return f, err
		}
	}
	if s, ok := fsys.(sysFS); ok && fs.ValidPath(p) {
		if f, ok := s.h.openPath(p); ok {
			return f, nil
		}
		if r, err := s.h.osRoot(); err == nil {
			return r.OpenFile(p, os.O_RDONLY|syscall.O_NONBLOCK, 0)
		}
	}
	return fsys.Open(p)
}

// openPath opens p, a path of several elements below the directory, for
// reading with openBeneath, or returns false.
func (h *dirHandle) openPath(p string) (*rawFile, bool) {
	fd, ok := h.acquire()
	if !ok {
		return nil, false
	}
	defer h.release()
	nfd, ok := openBeneath(fd, p, syscall.O_RDONLY|syscall.O_NONBLOCK)
	if !ok {
		return nil, false
	}
	return &rawFile{fd: nfd, name: h.display(p)}, true
}

// releaseFS releases what a file system of newRootFS holds besides its
// os.Root.
func releaseFS(fsys fs.FS) {
	if s, ok := fsys.(sysFS); ok {
		s.h.Close()
	}
}

// isName reports whether p is one path element: no slash, not "." or "..".
func isName(p string) bool {
	return p != "" && p != "." && p != ".." && !strings.Contains(p, "/")
}

// dirHandle is a directory held open as a raw file descriptor. base and
// rel say how it was reached: rel is its path from base, an os.Root, made
// of directories opened without following symbolic links. Operations that
// the raw descriptor does not serve go to the os.Root of the directory,
// opened from base on first use.
type dirHandle struct {
	mu      sync.RWMutex // held for reading while fd is in use
	fd      int          // -1 once closed
	cleanup runtime.Cleanup

	base *os.Root
	rel  string

	lmu    sync.Mutex // serializes listings of fd, which move its offset
	listed bool       // fd was listed: rewind before listing again

	rmu     sync.Mutex
	root    *os.Root // the os.Root of the directory; base when rel is "."
	ownRoot bool     // root was opened here and is closed with the handle
	rootErr error
	closed  bool
}

func newDirHandle(fd int, base *os.Root, rel string) *dirHandle {
	h := &dirHandle{fd: fd, base: base, rel: rel}
	// A handle nobody closes gives its descriptor back when it is collected.
	h.cleanup = runtime.AddCleanup(h, func(fd int) { syscall.Close(fd) }, fd)
	return h
}

// acquire returns the descriptor, held until release, or false once the
// handle is closed.
func (h *dirHandle) acquire() (int, bool) {
	h.mu.RLock()
	if h.fd < 0 {
		h.mu.RUnlock()
		return -1, false
	}
	return h.fd, true
}

func (h *dirHandle) release() { h.mu.RUnlock() }

// Close closes the descriptor and the os.Root opened for the directory.
func (h *dirHandle) Close() error {
	h.mu.Lock()
	var err error
	if h.fd >= 0 {
		h.cleanup.Stop()
		err = syscall.Close(h.fd)
		h.fd = -1
	}
	h.mu.Unlock()
	h.rmu.Lock()
	h.closed = true
	if h.ownRoot && h.root != nil {
		h.root.Close()
	}
	h.root = nil
	h.rmu.Unlock()
	if err != nil {
		return &fs.PathError{Op: "close", Path: h.rel, Err: err}
	}
	return nil
}

// osRoot returns the os.Root of the directory, which it opens from base
// on first use.
func (h *dirHandle) osRoot() (*os.Root, error) {
	h.rmu.Lock()
	defer h.rmu.Unlock()
	switch {
	case h.closed:
		return nil, os.ErrClosed
	case h.root != nil || h.rootErr != nil:
		return h.root, h.rootErr
	case h.rel == ".":
		h.root = h.base
	default:
		h.root, h.rootErr = h.base.OpenRoot(h.rel)
		h.ownRoot = h.rootErr == nil
	}
	return h.root, h.rootErr
}

// osFS is the fs.FS of osRoot.
func (h *dirHandle) osFS() (rootFSMethods, error) {
	r, err := h.osRoot()
	if err != nil {
		return nil, err
	}
	return r.FS().(rootFSMethods), nil
}

// sysFS is the file system of a held directory. It is a DirFS.
type sysFS struct{ h *dirHandle }

func (s sysFS) Open(name string) (fs.File, error) {
	r, err := s.h.osFS()
	if err != nil {
		return nil, &fs.PathError{Op: "open", Path: name, Err: err}
	}
	return r.Open(name)
}

func (s sysFS) ReadLink(name string) (string, error) {
	r, err := s.h.osFS()
	if err != nil {
		return "", &fs.PathError{Op: "readlink", Path: name, Err: err}
	}
	return r.ReadLink(name)
}

func (s sysFS) Stat(name string) (fs.FileInfo, error) { return s.stat(name, true) }

func (s sysFS) Lstat(name string) (fs.FileInfo, error) { return s.stat(name, false) }

func (s sysFS) stat(name string, follow bool) (fs.FileInfo, error) {
	if fs.ValidPath(name) {
		if fi, err, ok := s.h.statRaw(name, follow); ok {
			return fi, err
		}
	}
	r, err := s.h.osFS()
	if err != nil {
		return nil, &fs.PathError{Op: "statat", Path: name, Err: err}
	}
	if follow {
		return r.Stat(name)
	}
	return r.Lstat(name)
}

// statRaw stats name, walking down its directories without following
// links. It returns false when the os.Root is to answer instead: when a
// link is met (and follow is set for the last element), or an error other
// than ENOENT, whose error is then the same as os.Root's.
func (h *dirHandle) statRaw(name string, follow bool) (fs.FileInfo, error, bool) {
	fd, ok := h.acquire()
	if !ok {
		return nil, nil, false
	}
	defer h.release()
	var st unix.Stat_t
	if name == "." {
		if err := ignoringEINTR(func() error { return unix.Fstat(fd, &st) }); err != nil {
			return nil, nil, false
		}
		return &fileInfo{name: ".", sys: st}, nil, true
	}
	dirfd, base := fd, name
	if i := strings.LastIndexByte(name, '/'); i >= 0 {
		d, err := openDirPath(fd, name[:i])
		if err != nil {
			if err == syscall.ENOENT {
				return nil, &fs.PathError{Op: "statat", Path: name, Err: err}, true
			}
			return nil, nil, false
		}
		defer syscall.Close(d)
		dirfd, base = d, name[i+1:]
	}
	switch err := fstatat(dirfd, base, &st, unix.AT_SYMLINK_NOFOLLOW); {
	case err == syscall.ENOENT:
		return nil, &fs.PathError{Op: "statat", Path: name, Err: err}, true
	case err != nil:
		return nil, nil, false
	case follow && st.Mode&syscall.S_IFMT == syscall.S_IFLNK:
		return nil, nil, false
	}
	return &fileInfo{name: base, sys: st}, nil, true
}

func (s sysFS) ReadFile(name string) ([]byte, error) {
	if isName(name) {
		if f, err, ok := s.h.openFile(name); ok {
			if err != nil {
				return nil, err
			}
			defer f.Close()
			return readAll(f)
		}
	}
	r, err := s.h.osFS()
	if err != nil {
		return nil, &fs.PathError{Op: "readfile", Path: name, Err: err}
	}
	return r.ReadFile(name)
}

// readAll reads what is left of f, sized by its Stat.
func readAll(f *rawFile) ([]byte, error) {
	var size int
	if fi, err := f.Stat(); err == nil && fi.Mode().IsRegular() {
		size = int(fi.Size())
	}
	buf := make([]byte, 0, size+512)
	for {
		if len(buf) == cap(buf) {
			buf = slices.Grow(buf, 512)
		}
		n, err := f.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if err == io.EOF {
			return buf, nil
		}
		if err != nil {
			return buf, err
		}
	}
}

// openFile opens name, a single path element, on the descriptor. It
// returns false when name is a symbolic link (or the handle is closed):
// the os.Root opens it then, following a link that stays inside the root
// and refusing the others.
func (h *dirHandle) openFile(name string) (*rawFile, error, bool) {
	fd, ok := h.acquire()
	if !ok {
		return nil, nil, false
	}
	var nfd int
	err := ignoringEINTR(func() (err error) {
		nfd, err = syscall.Openat(fd, name, syscall.O_RDONLY|syscall.O_NOFOLLOW|syscall.O_CLOEXEC|syscall.O_NONBLOCK, 0)
		return err
	})
	h.release()
	switch err {
	case nil:
		return &rawFile{fd: nfd, name: h.display(name)}, nil, true
	case syscall.ELOOP, syscall.EMLINK, syscall.ENOTDIR:
		return nil, nil, false
	}
	return nil, &fs.PathError{Op: "openat", Path: name, Err: err}, true
}

func (s sysFS) ReadDir(name string) ([]fs.DirEntry, error) {
	if fs.ValidPath(name) {
		if entries, err, ok := s.h.readDirRaw(name); ok {
			return entries, err
		}
	}
	r, err := s.h.osFS()
	if err != nil {
		return nil, &fs.PathError{Op: "readdir", Path: name, Err: err}
	}
	return r.ReadDir(name)
}

// readDirRaw lists name, "." for the held directory itself, or returns
// false for the os.Root to list it.
func (h *dirHandle) readDirRaw(name string) ([]fs.DirEntry, error, bool) {
	if name == "." {
		h.lmu.Lock()
		defer h.lmu.Unlock()
	}
	fd, ok := h.acquire()
	if !ok {
		return nil, nil, false
	}
	defer h.release()
	dirfd, dir := fd, ""
	if name == "." {
		if h.listed {
			if _, err := syscall.Seek(fd, 0, io.SeekStart); err != nil {
				return nil, nil, false
			}
		}
		h.listed = true
	} else {
		d, err := openDirPath(fd, name)
		if err != nil {
			return nil, nil, false
		}
		defer syscall.Close(d)
		dirfd, dir = d, name
	}
	entries, err := listDir(dirfd, h, dir)
	if err != nil {
		err = &fs.PathError{Op: "readdirent", Path: h.display(name), Err: err}
	}
	return entries, err, true
}

// display names name, relative to the handle, as the os.Root of the
// directory names its files (their os.File.Name) in errors.
func (h *dirHandle) display(name string) string {
	dir := h.base.Name()
	if h.rel != "." {
		dir = joinPath(dir, h.rel)
	}
	return joinPath(dir, name)
}

// joinPath joins as package os does for the files of an os.Root.
func joinPath(dir, name string) string {
	if len(dir) > 0 && os.IsPathSeparator(dir[len(dir)-1]) {
		return dir + name
	}
	return dir + string(os.PathSeparator) + name
}

// OpenDir holds dir open as a directory of its own, opening each of its
// elements without following links. A dir that goes through a link, or
// that cannot be opened, is opened by the os.Root as before: a link that
// leaves this directory is refused.
func (s sysFS) OpenDir(dir string) (fs.FS, io.Closer, error) {
	if fs.ValidPath(dir) {
		if fd, ok := s.h.acquire(); ok {
			nfd, err := openDirPath(fd, dir)
			s.h.release()
			if err == nil {
				sub := newDirHandle(nfd, s.h.base, path.Join(s.h.rel, dir))
				return sysFS{sub}, sub, nil
			}
		}
	}
	r, err := s.h.osRoot()
	if err != nil {
		return nil, nil, &fs.PathError{Op: "openat", Path: dir, Err: err}
	}
	sub, err := r.OpenRoot(dir)
	if err != nil {
		return nil, nil, err
	}
	return rootFS{sub.FS().(rootFSMethods), sub}, sub, nil
}

// openDirPath opens dir, a valid fs path, under fd one element at a time,
// each with O_NOFOLLOW. A symbolic link on the way fails with ELOOP (or
// ENOTDIR); "." opens fd's directory again.
func openDirPath(fd int, dir string) (int, error) {
	if nfd, ok := openBeneath(fd, dir, syscall.O_RDONLY|syscall.O_DIRECTORY); ok {
		return nfd, nil
	}
	cur := fd
	for {
		elem, rest, more := strings.Cut(dir, "/")
		var nfd int
		err := ignoringEINTR(func() (err error) {
			nfd, err = syscall.Openat(cur, elem, syscall.O_RDONLY|syscall.O_DIRECTORY|syscall.O_NOFOLLOW|syscall.O_CLOEXEC, 0)
			return err
		})
		if cur != fd {
			syscall.Close(cur)
		}
		if err != nil {
			return -1, err
		}
		if !more {
			return nfd, nil
		}
		cur, dir = nfd, rest
	}
}

// direntBufs are the buffers getdents64 reads into.
var direntBufs = sync.Pool{New: func() any { b := make([]byte, 32<<10); return &b }}

// listDir reads the entries of the directory open at fd, sorted by name,
// without "." and "..". Their type is the record's d_type; an entry
// without one is lstat'ed. h and dir (relative to h, "" for h itself)
// are where Info finds them.
func listDir(fd int, h *dirHandle, dir string) ([]fs.DirEntry, error) {
	bp := direntBufs.Get().(*[]byte)
	defer direntBufs.Put(bp)
	buf := *bp
	var ents []dirEntry
	var rerr error
	for rerr == nil {
		var n int
		err := ignoringEINTR(func() (err error) {
			n, err = syscall.ReadDirent(fd, buf)
			return err
		})
		if err != nil {
			rerr = err
			break
		}
		if n <= 0 {
			break
		}
		for rec := buf[:n]; len(rec) > 0; {
			// struct linux_dirent64: ino u64, off i64, reclen u16, type u8,
			// then the name, NUL-terminated.
			if len(rec) < 19 {
				break
			}
			reclen := int(binary.NativeEndian.Uint16(rec[16:18]))
			if reclen < 19 || reclen > len(rec) {
				break
			}
			typ, name := rec[18], rec[19:reclen]
			rec = rec[reclen:]
			if i := slices.Index(name, 0); i >= 0 {
				name = name[:i]
			}
			if string(name) == "." || string(name) == ".." {
				continue
			}
			e := dirEntry{h: h, dir: dir, name: string(name)}
			if mode, ok := direntMode(typ); ok {
				e.typ = mode
			} else {
				var st unix.Stat_t
				err := fstatat(fd, e.name, &st, unix.AT_SYMLINK_NOFOLLOW)
				if err == syscall.ENOENT {
					continue // gone since it was listed
				}
				if err != nil {
					rerr = &fs.PathError{Op: "lstatat", Path: e.name, Err: err}
					break
				}
				fi := &fileInfo{name: e.name, sys: st}
				e.typ, e.info = fi.Mode().Type(), fi
			}
			ents = append(ents, e)
		}
	}
	slices.SortFunc(ents, func(a, b dirEntry) int { return strings.Compare(a.name, b.name) })
	out := make([]fs.DirEntry, len(ents))
	for i := range ents {
		out[i] = &ents[i]
	}
	return out, rerr
}

// direntMode is the type of a d_type, or false when it tells none.
func direntMode(t byte) (fs.FileMode, bool) {
	switch t {
	case syscall.DT_REG:
		return 0, true
	case syscall.DT_DIR:
		return fs.ModeDir, true
	case syscall.DT_LNK:
		return fs.ModeSymlink, true
	case syscall.DT_FIFO:
		return fs.ModeNamedPipe, true
	case syscall.DT_SOCK:
		return fs.ModeSocket, true
	case syscall.DT_CHR:
		return fs.ModeDevice | fs.ModeCharDevice, true
	case syscall.DT_BLK:
		return fs.ModeDevice, true
	}
	return 0, false
}

// dirEntry is an entry of a listing; Info lstats it on the first call.
type dirEntry struct {
	h    *dirHandle
	dir  string // relative to h; "" for h itself
	name string
	typ  fs.FileMode
	info fs.FileInfo
}

func (e *dirEntry) Name() string               { return e.name }
func (e *dirEntry) IsDir() bool                { return e.typ.IsDir() }
func (e *dirEntry) Type() fs.FileMode          { return e.typ }
func (e *dirEntry) String() string             { return fs.FormatDirEntry(e) }
func (e *dirEntry) Info() (fs.FileInfo, error) { return e.lstat() }

func (e *dirEntry) lstat() (fs.FileInfo, error) {
	if e.info != nil {
		return e.info, nil
	}
	p := e.name
	if e.dir == "" {
		if fd, ok := e.h.acquire(); ok {
			var st unix.Stat_t
			err := fstatat(fd, e.name, &st, unix.AT_SYMLINK_NOFOLLOW)
			e.h.release()
			if err != nil {
				return nil, &fs.PathError{Op: "lstat", Path: e.name, Err: err}
			}
			return &fileInfo{name: e.name, sys: st}, nil
		}
	} else {
		p = e.dir + "/" + e.name
		if fi, err, ok := e.h.statRaw(p, false); ok {
			return fi, err
		}
	}
	// The handle is closed, or a link is on the way: ask the root the
	// directory was reached from.
	return e.h.base.Lstat(path.Join(e.h.rel, p))
}

// rawFile is a file open for reading as a raw descriptor.
type rawFile struct {
	fd   int
	name string
}

func (f *rawFile) Read(b []byte) (int, error) {
	if len(b) == 0 {
		return 0, nil
	}
	var n int
	err := ignoringEINTR(func() (err error) {
		n, err = syscall.Read(f.fd, b)
		return err
	})
	switch {
	case err != nil:
		return 0, &fs.PathError{Op: "read", Path: f.name, Err: err}
	case n == 0:
		return 0, io.EOF
	}
	return n, nil
}

func (f *rawFile) Stat() (fs.FileInfo, error) {
	var st unix.Stat_t
	if err := ignoringEINTR(func() error { return unix.Fstat(f.fd, &st) }); err != nil {
		return nil, &fs.PathError{Op: "stat", Path: f.name, Err: err}
	}
	return &fileInfo{name: path.Base(f.name), sys: st}, nil
}

// size is Stat().Size() without the FileInfo, for ReadInto.
func (f *rawFile) size() (int64, error) {
	var st unix.Stat_t
	if err := ignoringEINTR(func() error { return unix.Fstat(f.fd, &st) }); err != nil {
		return 0, &fs.PathError{Op: "stat", Path: f.name, Err: err}
	}
	if st.Mode&unix.S_IFMT != unix.S_IFREG {
		return 0, &fs.PathError{Op: "read", Path: f.name, Err: errNotRegular}
	}
	return st.Size, nil
}

func (f *rawFile) Close() error {
	if f.fd < 0 {
		return &fs.PathError{Op: "close", Path: f.name, Err: fs.ErrClosed}
	}
	err := syscall.Close(f.fd)
	f.fd = -1
	if err != nil {
		return &fs.PathError{Op: "close", Path: f.name, Err: err}
	}
	return nil
}

// fileInfo is the fs.FileInfo of a stat, as package os fills it.
type fileInfo struct {
	name string
	sys  unix.Stat_t
}

func (fi *fileInfo) Name() string       { return fi.name }
func (fi *fileInfo) Size() int64        { return fi.sys.Size }
func (fi *fileInfo) ModTime() time.Time { return time.Unix(fi.sys.Mtim.Unix()) }
func (fi *fileInfo) IsDir() bool        { return fi.Mode().IsDir() }
func (fi *fileInfo) Sys() any           { return &fi.sys }

func (fi *fileInfo) Mode() fs.FileMode {
	m := fs.FileMode(fi.sys.Mode & 0o777)
	switch fi.sys.Mode & syscall.S_IFMT {
	case syscall.S_IFBLK:
		m |= fs.ModeDevice
	case syscall.S_IFCHR:
		m |= fs.ModeDevice | fs.ModeCharDevice
	case syscall.S_IFDIR:
		m |= fs.ModeDir
	case syscall.S_IFIFO:
		m |= fs.ModeNamedPipe
	case syscall.S_IFLNK:
		m |= fs.ModeSymlink
	case syscall.S_IFSOCK:
		m |= fs.ModeSocket
	}
	if fi.sys.Mode&syscall.S_ISGID != 0 {
		m |= fs.ModeSetgid
	}
	if fi.sys.Mode&syscall.S_ISUID != 0 {
		m |= fs.ModeSetuid
	}
	if fi.sys.Mode&syscall.S_ISVTX != 0 {
		m |= fs.ModeSticky
	}
	return m
}

// fstatat is fstatat(2), retried on EINTR.
func fstatat(dirfd int, name string, st *unix.Stat_t, flags int) error {
	return ignoringEINTR(func() error { return unix.Fstatat(dirfd, name, st, flags) })
}

func ignoringEINTR(f func() error) error {
	for {
		if err := f(); err != syscall.EINTR {
			return err
		}
	}
}
