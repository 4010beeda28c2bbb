package workspace

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// Open finds the workspace around arg, a directory or file on disk, the
// way cargo does, and loads it. Every read goes through an os.Root opened
// at the workspace root: a symbolic link that leads out of the root fails
// instead of being followed. Close releases the root.
func Open(arg string) (*Workspace, error) { return open(arg, false, false) }

// OpenWalking is Open for a caller that will walk the workspace (Walk):
// the walk begins (StartWalk) as soon as the root is found, and runs while
// the manifests are read, which leave a core idle part of the time.
func OpenWalking(arg string) (*Workspace, error) { return open(arg, true, false) }

// OpenLean is OpenWalking for a caller that plans a run of manifests at a
// time: every manifest but the root lets go of its bytes once it is read
// and parsed, and they are read again, and checked against what was read,
// when a step needs them (Load, Release, tomledit.Doc.Release). A large
// workspace then holds the bytes of a run's manifests, not of all.
func OpenLean(arg string) (*Workspace, error) { return open(arg, true, true) }

func open(arg string, walk, lean bool) (*Workspace, error) {
	rel, err := findRootOf(arg)
	if err != nil {
		return nil, err
	}
	dir := "/" + rel
	if rel == "." {
		dir = "/"
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, err
	}
	fsys := RootFS(root)
	closer := rootCloser{fsys, root}
	ws, err := load(fsys, displayPath(arg, dir), walk, lean)
	if err != nil {
		closer.Close()
		return nil, err
	}
	ws.Dir, ws.closer = dir, closer
	return ws, nil
}

// findRootOf returns the workspace root of arg, a directory or a file in
// one (a Cargo.toml, a source file), as a slash path from "/". Its errors
// name arg as the user gave it.
func findRootOf(arg string) (string, error) {
	abs, err := filepath.Abs(arg)
	if err != nil {
		return "", err
	}
	fi, err := os.Stat(abs)
	var pe *fs.PathError
	switch {
	case errors.As(err, &pe):
		return "", fmt.Errorf("%s: %w", arg, pe.Err)
	case err != nil:
		return "", err
	case !fi.IsDir():
		abs = filepath.Dir(abs) // a path to a Cargo.toml or a source file
	}
	rel, err := FindRoot(os.DirFS("/"), strings.TrimPrefix(filepath.ToSlash(abs), "/"), func(p string) string {
		return displayPath(arg, "/"+p)
	})
	if errors.Is(err, ErrNoManifest) && !fi.IsDir() {
		return "", noManifest(fmt.Sprintf("%s: a file in no Cargo package: no Cargo.toml next to it or in any directory above it", arg))
	}
	return rel, err
}

// rootCloser releases a root and the file system RootFS made of it.
type rootCloser struct {
	fsys fs.FS
	root *os.Root
}

func (c rootCloser) Close() error {
	releaseFS(c.fsys)
	return c.root.Close()
}

// Close releases the root directory of a workspace that Open loaded; the
// loaded model stays usable.
func (ws *Workspace) Close() error {
	ws.walking.Wait() // a walk StartWalk began holds the root
	if ws.closer == nil {
		return nil
	}
	return ws.closer.Close()
}

// displayPath names the root the way the user named the path inside it:
// relative when they gave a relative path.
func displayPath(arg, root string) string {
	if filepath.IsAbs(arg) {
		return root
	}
	wd, err := os.Getwd()
	if err != nil {
		return root
	}
	rel, err := filepath.Rel(wd, root)
	if err != nil {
		return root
	}
	return filepath.ToSlash(rel)
}

// RootFS is the file system of root, which can also open a directory as a
// file system of its own (DirFS), itself such a file system: files opened
// through it cannot leave that directory. On Linux it holds each directory
// as a raw descriptor and lists and reads through it (see sysfs_linux.go);
// elsewhere, and for paths through a symbolic link, the directory is an
// os.Root of its own.
func RootFS(root *os.Root) fs.FS { return newRootFS(root) }

// rootFSMethods are the methods of os.Root's file system that jemfix uses.
type rootFSMethods interface {
	fs.ReadDirFS
	fs.ReadFileFS
	fs.StatFS
	fs.ReadLinkFS
}

// rootFS is the file system of an os.Root alone.
type rootFS struct {
	rootFSMethods
	root *os.Root
}

func (r rootFS) OpenDir(dir string) (fs.FS, io.Closer, error) {
	sub, err := r.root.OpenRoot(dir)
	if err != nil {
		return nil, nil, err
	}
	return rootFS{sub.FS().(rootFSMethods), sub}, sub, nil
}
