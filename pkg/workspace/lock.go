package workspace

import (
	"errors"
	"fmt"
	"io/fs"
	"strings"

	"github.com/pelletier/go-toml/v2"
)

// MaxLockSize caps what Load reads as Cargo.lock, which grows with the
// graph: large workspaces stay far below it.
const MaxLockSize = 32 << 20

// Lock is the part of Cargo.lock that jemfix reads.
type Lock struct {
	Packages []LockPackage `toml:"package"`
}

// LockPackage is one [[package]] of Cargo.lock.
type LockPackage struct {
	Name         string   `toml:"name"`
	Version      string   `toml:"version"`
	Source       string   `toml:"source"`
	Dependencies []string `toml:"dependencies"`
}

// readLock reads Cargo.lock at the top of fsys; a missing file gives nil.
func readLock(fsys fs.FS, name string) (*Lock, error) {
	if _, err := fs.Stat(fsys, "Cargo.lock"); errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	src, err := readCapped(fsys, "Cargo.lock", name, MaxLockSize)
	if err != nil {
		return nil, err
	}
	var lock Lock
	if err := toml.Unmarshal(src, &lock); err != nil {
		var de *toml.DecodeError
		if errors.As(err, &de) {
			line, col := de.Position()
			return nil, fmt.Errorf("%s:%d:%d: %s", name, line, col, de.Error())
		}
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return &lock, nil
}

// DepName returns the package name of a Cargo.lock dependency entry, which
// is "name", "name version" or "name version (source)".
func DepName(entry string) string {
	name, _, _ := strings.Cut(entry, " ")
	return name
}

// Find returns the locked packages with the given name.
func (l *Lock) Find(name string) []LockPackage {
	var out []LockPackage
	for _, p := range l.Packages {
		if p.Name == name {
			out = append(out, p)
		}
	}
	return out
}

// Package returns the locked package that a dependency entry points at:
// "name (source)" and "name version" name it, and a bare "name" the only
// package of that name; ok is false when the entry names none, or several.
func (l *Lock) Package(entry string) (LockPackage, bool) {
	f := strings.Fields(entry)
	var found []LockPackage
	for _, p := range l.Find(DepName(entry)) {
		if len(f) >= 2 && p.Version != f[1] || len(f) >= 3 && "("+p.Source+")" != f[2] {
			continue
		}
		found = append(found, p)
	}
	if len(found) != 1 {
		return LockPackage{}, false
	}
	return found[0], true
}

// Version returns the locked version that a dependency entry points at.
func (l *Lock) Version(entry string) string {
	if f := strings.Fields(entry); len(f) >= 2 {
		return f[1]
	}
	if ps := l.Find(DepName(entry)); len(ps) == 1 {
		return ps[0].Version
	}
	return ""
}
