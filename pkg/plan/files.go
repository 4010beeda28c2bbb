package plan

import "io/fs"

// RustFiles lists the .rs files of a member package: everything under its
// directory except target/, hidden directories and nested packages.
func RustFiles(fsys fs.FS, m *Manifest) ([]string, error) {
	return (&Workspace{}).rustFiles(fsys, m)
}
