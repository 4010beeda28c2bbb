package plan

import (
	"io"
	"io/fs"
)

// DirFS is an fs.FS that can open one of its directories as a file system
// of its own, held open until it is closed. jemfix's os.Root-backed file
// system is one: reading the files of a directory through it does not walk
// down from the root again for each file.
type DirFS interface {
	fs.FS
	OpenDir(dir string) (fs.FS, io.Closer, error)
}

// openDir returns a file system rooted at dir and the function that
// releases it. When fsys cannot hold dir open, or opening it fails, the
// names are looked up from the root as before, and any error shows on the
// read of each file.
func openDir(fsys fs.FS, dir string) (fs.FS, func()) {
	if d, ok := fsys.(DirFS); ok {
		if sub, c, err := d.OpenDir(dir); err == nil {
			return sub, func() { c.Close() }
		}
	}
	if sub, err := fs.Sub(fsys, dir); err == nil {
		return sub, func() {}
	}
	return fsys, func() {}
}
