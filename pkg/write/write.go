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
// through a temporary file in the same directory and a rename.
func File(path string, content []byte) error {
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
