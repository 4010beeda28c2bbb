package workspace

import "path/filepath"

// RootDir returns the directory of the workspace root that Open finds for
// arg, with symbolic links resolved, without loading the workspace. Two
// arguments name the same workspace when their RootDirs are equal: the
// same directory twice, a member directory and its workspace, or a path
// through a symbolic link.
func RootDir(arg string) (string, error) {
	// The same search as Open's, so that the key names what Open loads.
	rel, err := findRootOf(arg)
	if err != nil {
		return "", err
	}
	dir := "/" + rel
	if rel == "." {
		dir = "/"
	}
	return filepath.EvalSymlinks(dir)
}
