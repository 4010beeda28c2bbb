// Package write puts a plan's changes on disk as one transaction: every
// file is written, or none is, even when the process dies half way, and a
// later Recover finishes or undoes what a dead process left (txn.go). It
// is the only package that writes into a workspace.
package write

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// File writes a file outside the workspace plan (a patch, a report)
// through a temporary file in the same directory and a rename. A path
// that names something other than a regular file (/dev/null, /dev/stdout,
// a FIFO) is written through, never replaced; a symbolic link stays a
// link, and the file it names is replaced.
func File(path string, content []byte) error {
	fi, err := os.Stat(path)
	switch {
	case err == nil && fi.IsDir():
		return fmt.Errorf("%s: is a directory", filepath.Clean(path))
	case err == nil && !fi.Mode().IsRegular():
		f, err := os.OpenFile(path, os.O_WRONLY, 0)
		if err == nil {
			_, err = f.Write(content)
			err = errors.Join(err, f.Close())
		}
		if err != nil {
			return fmt.Errorf("%s: %w", filepath.Clean(path), err)
		}
		return nil
	case err == nil:
		if target, err := filepath.EvalSymlinks(path); err == nil {
			path = target
		}
	}
	f, err := os.CreateTemp(filepath.Dir(path), ".jemfix-*")
	if err != nil {
		return err
	}
	_, err = f.Write(content)
	err = errors.Join(err, f.Chmod(0o644), f.Sync(), f.Close())
	if err == nil {
		err = os.Rename(f.Name(), path)
	}
	if err != nil {
		os.Remove(f.Name())
		return fmt.Errorf("%s: %w", filepath.Clean(path), err)
	}
	return nil
}
