package workspace

import (
	"io"
	"io/fs"
	"path"
)

// DirFS is an fs.FS that can open one of its directories as a file system
// of its own, held open until it is closed. jemfix's os.Root-backed file
// system is one: reading the files of a directory through it does not walk
// down from the root again for each file.
type DirFS interface {
	fs.FS
	OpenDir(dir string) (fs.FS, io.Closer, error)
}

// OpenDir returns a file system rooted at dir and the function that
// releases it. When fsys cannot hold dir open, or opening it fails, the
// names are looked up from the root as before, and any error shows on the
// read of each file.
func OpenDir(fsys fs.FS, dir string) (fs.FS, func()) {
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

// walkFunc is called for every entry of a walk: p is its path from the
// root, d the entry, and dir the file system of the directory that holds it
// (of the entry itself for the root "."). For a directory, returning
// fs.SkipDir skips it.
type walkFunc func(p string, d fs.DirEntry, dir fs.FS) error

// walk visits the tree under the root of fsys like fs.WalkDir: in lexical
// order, a directory before its entries, without following symbolic links.
// Each directory is held open (OpenDir) while its entries are visited, so
// that nothing is looked up from the root again. The first error stops the
// walk.
func walk(fsys fs.FS, fn walkFunc) error {
	info, err := fs.Stat(fsys, ".")
	if err != nil {
		return err
	}
	if err := fn(".", fs.FileInfoToDirEntry(info), fsys); err != nil {
		if err == fs.SkipDir {
			return nil
		}
		return err
	}
	return walkEntries(fsys, ".", fn)
}

func walkEntries(dir fs.FS, p string, fn walkFunc) error {
	entries, err := fs.ReadDir(dir, ".")
	if err != nil {
		return &fs.PathError{Op: "readdir", Path: p, Err: UnwrapPath(err)}
	}
	for _, d := range entries {
		cp := path.Join(p, d.Name())
		err := fn(cp, d, dir)
		switch {
		case err == fs.SkipDir && d.IsDir():
			continue
		case err != nil:
			return err
		case !d.IsDir():
			continue
		}
		sub, done := OpenDir(dir, d.Name())
		err = walkEntries(sub, cp, fn)
		done()
		if err != nil {
			return err
		}
	}
	return nil
}
