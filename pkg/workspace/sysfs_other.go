//go:build !linux

package workspace

import (
	"io/fs"
	"os"
)

// Elsewhere the workspace's file system is the os.Root one (see
// sysfs_linux.go for what Linux does instead).

func newRootFS(root *os.Root) fs.FS { return rootFS{root.FS().(rootFSMethods), root} }

// openForRead opens p for ReadInto.
func openForRead(fsys fs.FS, p string) (fs.File, error) { return fsys.Open(p) }

// releaseFS releases what a file system of newRootFS holds besides its
// os.Root: nothing here.
func releaseFS(fs.FS) {}
