package workspace

import (
	"os"
	"path/filepath"
	"strings"
)

// RootDir returns the directory of the workspace root that Open finds for
// arg, with symbolic links resolved, without loading the workspace. Two
// arguments name the same workspace when their RootDirs are equal: the
// same directory twice, a member directory and its workspace, or a path
// through a symbolic link.
func RootDir(arg string) (string, error) {
	// The same search as Open's, so that the key names what Open loads.
	abs, err := filepath.Abs(arg)
	if err != nil {
		return "", err
	}
	if fi, err := os.Stat(abs); err != nil {
		return "", err
	} else if !fi.IsDir() {
		abs = filepath.Dir(abs)
	}
	rel, err := FindRoot(os.DirFS("/"), strings.TrimPrefix(filepath.ToSlash(abs), "/"), func(p string) string {
		return displayPath(arg, "/"+p)
	})
	if err != nil {
		return "", err
	}
	dir := "/" + rel
	if rel == "." {
		dir = "/"
	}
	return filepath.EvalSymlinks(dir)
}
