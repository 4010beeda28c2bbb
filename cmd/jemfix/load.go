package main

import (
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"

	"jemfix/pkg/plan"
)

// workspace is a loaded workspace and where it lives on disk.
type workspace struct {
	*plan.Workspace
	dir  string // absolute root directory
	root *os.Root
}

// loadArgs parses a command line that names one workspace and loads it.
// A nil workspace comes with the exit code to return; errors are printed.
func (c *cli) loadArgs(cmd command, args []string) (*workspace, int) {
	arg, code := c.parse(cmd, args)
	if code >= 0 {
		return nil, code
	}
	ws, err := load(arg)
	if err != nil {
		return nil, c.fail(arg, err)
	}
	return ws, -1
}

// load finds the workspace around arg and reads it.
func load(arg string) (*workspace, error) {
	abs, err := filepath.Abs(arg)
	if err != nil {
		return nil, err
	}
	if fi, err := os.Stat(abs); err != nil {
		return nil, err
	} else if !fi.IsDir() {
		abs = filepath.Dir(abs) // a path to a Cargo.toml or a source file
	}
	rel, err := plan.FindRoot(os.DirFS("/"), strings.TrimPrefix(filepath.ToSlash(abs), "/"), func(p string) string {
		return displayPath(arg, "/"+p)
	})
	if err != nil {
		return nil, err
	}
	dir := "/" + rel
	if rel == "." {
		dir = "/"
	}
	// Every read goes through os.Root: a symbolic link that leads out of
	// the workspace root fails instead of being followed.
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, err
	}
	ws, err := plan.Load(root.FS(), displayPath(arg, dir))
	if err != nil {
		root.Close()
		return nil, err
	}
	return &workspace{Workspace: ws, dir: dir, root: root}, nil
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

// fsys reads the workspace root.
func (ws *workspace) fsys() fs.FS { return rootFS{ws.root.FS().(rootFSMethods), ws.root} }

// rootFSMethods are the methods of os.Root's file system that plan uses.
type rootFSMethods interface {
	fs.ReadDirFS
	fs.ReadFileFS
	fs.StatFS
	fs.ReadLinkFS
}

// rootFS is os.Root's file system, which can also open a directory as an
// os.Root of its own (plan.DirFS), itself a rootFS: files opened through it
// cannot leave that directory.
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

// display names a root-relative path the way messages show it.
func (ws *workspace) display(rel string) string { return path.Join(ws.Display, rel) }

// close releases the root directory handle.
func (ws *workspace) close() { ws.root.Close() }
