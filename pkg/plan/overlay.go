package plan

import (
	"bytes"
	"io/fs"
	"path"
	"time"
)

// overlay is the workspace as a plan leaves it: the changed files with
// their new content over the files on disk, so the fixed workspace can be
// loaded before anything is written.
type overlay struct {
	base  fs.FS
	files map[string][]byte
}

func overlayOf(base fs.FS, changes []Change) overlay {
	o := overlay{base: base, files: map[string][]byte{}}
	for _, c := range changes {
		o.files[c.Path] = c.New
	}
	return o
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
