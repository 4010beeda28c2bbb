package workspace

import (
	"bytes"
	"io/fs"
	"path"
	"time"
)

// Overlay returns base with files (root-relative path -> content) laid
// over it: with a plan's new contents, the workspace as the plan leaves it,
// which can be loaded before anything is written.
func Overlay(base fs.FS, files map[string][]byte) fs.FS {
	return overlay{base: base, files: files}
}

type overlay struct {
	base  fs.FS
	files map[string][]byte
}

func (o overlay) Open(name string) (fs.File, error) {
	if b, ok := o.files[name]; ok {
		return &memFile{name: path.Base(name), Reader: bytes.NewReader(b), size: int64(len(b))}, nil
	}
	return o.base.Open(name)
}

type memFile struct {
	*bytes.Reader
	name string
	size int64
}

func (f *memFile) Stat() (fs.FileInfo, error) { return f, nil }
func (f *memFile) Close() error               { return nil }
func (f *memFile) Name() string               { return f.name }
func (f *memFile) Size() int64                { return f.size }
func (f *memFile) Mode() fs.FileMode          { return 0o644 }
func (f *memFile) ModTime() time.Time         { return time.Time{} }
func (f *memFile) IsDir() bool                { return false }
func (f *memFile) Sys() any                   { return nil }
