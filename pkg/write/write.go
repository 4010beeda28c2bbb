// Package write puts a plan's changes on disk: every file through a
// temporary file next to it and a rename, all staged before the first
// rename. It is the only package that writes into a workspace.
package write

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"jemfix/pkg/plan"
)

// staged is a change written to a temporary file next to its target.
type staged struct {
	target, temp string
	dirs         []string // directories created for a new file, outermost first
}

// Changes writes every change atomically: each file goes to a
// temporary file in its own directory, with the original mode, and only
// when all of them are staged are they renamed over their targets. A file
// that changed since it was read stops the write before anything is
// renamed, and no temporary file is left behind.
func Changes(root string, changes []plan.Change) error {
	var done []staged
	cleanup := func() {
		for _, s := range done {
			os.Remove(s.temp)
			for i := len(s.dirs) - 1; i >= 0; i-- {
				os.Remove(s.dirs[i]) // only removes it while empty
			}
		}
	}
	for _, ch := range changes {
		s, err := stage(root, ch)
		done = append(done, s)
		if err != nil {
			cleanup()
			return err
		}
	}
	for i, s := range done {
		if err := os.Rename(s.temp, s.target); err != nil {
			cleanup()
			return fmt.Errorf("%s: %w (%d of %d files were written)", s.target, err, i, len(done))
		}
	}
	return nil
}

func stage(root string, ch plan.Change) (staged, error) {
	target := filepath.Join(root, filepath.FromSlash(ch.Path))
	if ch.Old == nil {
		return stageNew(target, ch.New)
	}
	fi, err := os.Lstat(target)
	if err != nil {
		return staged{}, err
	}
	if !fi.Mode().IsRegular() {
		return staged{}, fmt.Errorf("%s: not a regular file; jemfix does not write through symlinks", target)
	}
	cur, err := os.ReadFile(target)
	if err != nil {
		return staged{}, err
	}
	if !bytes.Equal(cur, ch.Old) {
		return staged{}, fmt.Errorf("%s: changed since jemfix read it; nothing was written, run jemfix again", target)
	}
	return stageFile(target, ch.New, fi.Mode().Perm())
}

// stageNew stages a file that must not exist yet, creating its missing
// directories.
func stageNew(target string, content []byte) (staged, error) {
	if _, err := os.Lstat(target); err == nil {
		return staged{}, fmt.Errorf("%s: appeared since jemfix looked; nothing was written, run jemfix again", target)
	}
	var dirs []string
	for d := filepath.Dir(target); ; d = filepath.Dir(d) {
		if _, err := os.Lstat(d); err == nil {
			break
		}
		dirs = append([]string{d}, dirs...)
	}
	for _, d := range dirs {
		if err := os.Mkdir(d, 0o755); err != nil {
			return staged{dirs: dirs}, err
		}
	}
	s, err := stageFile(target, content, 0o644)
	s.dirs = dirs
	return s, err
}

func stageFile(target string, content []byte, mode os.FileMode) (staged, error) {
	f, err := os.CreateTemp(filepath.Dir(target), ".jemfix-*")
	if err != nil {
		return staged{}, err
	}
	_, err = f.Write(content)
	err = errors.Join(err, f.Chmod(mode), f.Sync(), f.Close())
	if err != nil {
		os.Remove(f.Name())
		return staged{}, fmt.Errorf("%s: %w", target, err)
	}
	return staged{target: target, temp: f.Name()}, nil
}

// File writes a file outside the workspace plan (a patch, a report)
// through a temporary file in the same directory and a rename.
func File(path string, content []byte) error {
	s, err := stageFile(path, content, 0o644)
	if err != nil {
		return err
	}
	if err := os.Rename(s.temp, path); err != nil {
		os.Remove(s.temp)
		return fmt.Errorf("%s: %w", filepath.Clean(path), err)
	}
	return nil
}
