// Package workspace loads a Cargo workspace from its manifests alone, the
// way cargo lays it out: the root, the members (globs, exclude, path
// dependencies), [workspace.dependencies], Cargo.lock, and the walk that
// tells which source file belongs to which package and target. Cargo cannot
// resolve a workspace with a links conflict, so nothing here asks cargo. It
// reads through an fs.FS and never writes.
package workspace

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"runtime"
	"slices"
	"strings"

	"jemfix/internal/par"
	"jemfix/pkg/tomledit"
)

// MaxManifestSize caps what Load reads as one Cargo.toml. Real manifests,
// even of the largest workspaces, stay under 100 KiB; a file this large is
// generated or not a manifest, and is refused before it is read.
const MaxManifestSize = 4 << 20

// Workspace is what Load read: the root manifest and every member package.
type Workspace struct {
	Display string      // the root as the user named it, used in messages
	FS      fs.FS       // the root directory; every read goes through it
	Root    *Manifest   // the root Cargo.toml (a package, a virtual manifest, or both)
	Members []*Manifest // member packages sorted by path; includes Root when it is a package
	Lock    *Lock       // Cargo.lock, or nil when absent
	Dir     string      // the absolute root directory when Open loaded it from disk, else ""

	closer io.Closer // the root directory handle Open holds
}

// Manifest is one Cargo.toml.
type Manifest struct {
	Path string // slash path relative to the workspace root
	Dir  string // directory of Path, "." for the root
	Name string // [package].name, "" for a virtual manifest
	Doc  *tomledit.Doc
}

// Path joins a root-relative path to the root as the user named it, for
// messages.
func (ws *Workspace) Path(rel string) string { return path.Join(ws.Display, rel) }

// FindRoot returns the workspace root for dir, both slash paths inside fsys:
// the nearest package at or above dir, then the nearest [workspace] at or
// above that package whose members include it. name turns a path of fsys
// into the name shown in errors.
func FindRoot(fsys fs.FS, dir string, name func(string) string) (string, error) {
	pkg, ok := upward(fsys, path.Clean(dir), func(string) bool { return true })
	if !ok {
		return "", fmt.Errorf("could not find Cargo.toml in %s or any parent directory", name(dir))
	}
	var loadErr error
	root, ok := upward(fsys, pkg, func(d string) bool {
		m, err := readManifest(fsys, d, name(path.Join(d, "Cargo.toml")))
		if err != nil {
			loadErr = err
			return true
		}
		ws := m.Doc.Workspace()
		return ws != nil && includes(ws, d, pkg)
	})
	if loadErr != nil {
		return "", loadErr
	}
	if !ok {
		return pkg, nil
	}
	return root, nil
}

// upward returns the first directory from dir up to the top of fsys that
// holds a Cargo.toml accepted by keep.
func upward(fsys fs.FS, dir string, keep func(string) bool) (string, bool) {
	for {
		if isFile(fsys, path.Join(dir, "Cargo.toml")) && keep(dir) {
			return dir, true
		}
		if dir == "." || dir == "/" || dir == "" {
			return "", false
		}
		dir = path.Dir(dir)
	}
}

// includes reports whether the workspace at wsDir lists pkgDir as a member.
func includes(ws *tomledit.Workspace, wsDir, pkgDir string) bool {
	if wsDir == pkgDir {
		return true
	}
	rel, ok := relative(wsDir, pkgDir)
	if !ok || excluded(ws, rel) {
		return false
	}
	for _, pat := range ws.Members {
		if ok, _ := path.Match(path.Clean(pat), rel); ok {
			return true
		}
	}
	return false
}

func relative(base, target string) (string, bool) {
	if base == "." {
		return target, true
	}
	rel, ok := strings.CutPrefix(target, base+"/")
	return rel, ok
}

func excluded(ws *tomledit.Workspace, rel string) bool {
	for _, ex := range ws.Exclude {
		ex = path.Clean(ex)
		if rel == ex || strings.HasPrefix(rel, ex+"/") {
			return true
		}
	}
	return false
}

// IsFile reports whether p, a root-relative path, is a regular file.
func (ws *Workspace) IsFile(p string) bool { return isFile(ws.FS, p) }

func isFile(fsys fs.FS, name string) bool {
	fi, err := fs.Stat(fsys, name)
	return err == nil && fi.Mode().IsRegular()
}

// Load reads the workspace whose root is the top of fsys. display is how the
// user named the root; it prefixes every path in errors.
func Load(fsys fs.FS, display string) (*Workspace, error) {
	ws := &Workspace{Display: display, FS: fsys}
	root, err := readManifest(fsys, ".", ws.Path("Cargo.toml"))
	if err != nil {
		return nil, err
	}
	ws.Root = root
	if err := ws.loadMembers(); err != nil {
		return nil, err
	}
	lock, err := readLock(fsys, ws.Path("Cargo.lock"))
	if err != nil {
		return nil, err
	}
	ws.Lock = lock
	return ws, nil
}

func (ws *Workspace) loadMembers() error {
	fsys := ws.FS
	decl := ws.Root.Doc.Workspace()
	if ws.Root.Name != "" {
		ws.Members = append(ws.Members, ws.Root)
	}
	if decl == nil {
		if ws.Root.Name == "" {
			return fmt.Errorf("%s:1:1: neither [package] nor [workspace]: not a Cargo manifest", ws.Path("Cargo.toml"))
		}
		return nil
	}
	dirs, err := memberDirs(fsys, decl)
	if err != nil {
		return fmt.Errorf("%s: %w", ws.Path("Cargo.toml"), err)
	}
	// Manifests are read and parsed in parallel, and added in order.
	ms := make([]*Manifest, len(dirs))
	errs := make([]error, len(dirs))
	par.Each(len(dirs), runtime.GOMAXPROCS(0), func(i int) {
		if dirs[i] != "." {
			ms[i], errs[i] = ws.readMember(dirs[i])
		}
	})
	for i, m := range ms {
		if errs[i] != nil {
			return errs[i]
		}
		if m != nil && ws.manifestAt(m.Dir) == nil {
			ws.Members = append(ws.Members, m)
		}
	}
	if err := ws.addPathMembers(decl); err != nil {
		return err
	}
	slices.SortFunc(ws.Members, func(a, b *Manifest) int { return strings.Compare(a.Path, b.Path) })
	return nil
}

// memberDirs expands the members globs, minus exclude.
func memberDirs(fsys fs.FS, decl *tomledit.Workspace) ([]string, error) {
	var dirs []string
	for _, pat := range decl.Members {
		pat = path.Clean(pat)
		if !fs.ValidPath(pat) {
			return nil, fmt.Errorf("workspace member %q is outside the workspace root; jemfix does not follow it", pat)
		}
		matches, err := fs.Glob(fsys, pat)
		if err != nil {
			return nil, fmt.Errorf("workspace member pattern %q: %w", pat, err)
		}
		if len(matches) == 0 && !hasMeta(pat) {
			return nil, fmt.Errorf("workspace member %q does not exist", pat)
		}
		for _, d := range matches {
			fi, statErr := fs.Stat(fsys, path.Join(d, "Cargo.toml"))
			switch {
			case excluded(decl, d) || slices.Contains(dirs, d):
			case statErr != nil && !errors.Is(statErr, fs.ErrNotExist):
				// Such as a link out of the root: report it, never follow it.
				return nil, fmt.Errorf("workspace member %s: %w", path.Join(d, "Cargo.toml"), UnwrapPath(statErr))
			case statErr == nil && fi.Mode().IsRegular():
				dirs = append(dirs, d)
			case !hasMeta(pat):
				return nil, fmt.Errorf("workspace member %q has no Cargo.toml", pat)
			}
		}
	}
	return dirs, nil
}

func hasMeta(pat string) bool { return strings.ContainsAny(pat, `*?[\`) }

func (ws *Workspace) addMember(dir string) error {
	if dir == "." || ws.manifestAt(dir) != nil {
		return nil
	}
	m, err := ws.readMember(dir)
	if err != nil {
		return err
	}
	ws.Members = append(ws.Members, m)
	return nil
}

// readMember reads the manifest of the member in dir, which must name its
// package. It does not change ws.
func (ws *Workspace) readMember(dir string) (*Manifest, error) {
	m, err := readManifest(ws.FS, dir, ws.Path(path.Join(dir, "Cargo.toml")))
	if err != nil {
		return nil, err
	}
	if m.Name == "" {
		return nil, fmt.Errorf("%s:1:1: workspace member has no [package] name; a member's Cargo.toml must declare its package", ws.Path(m.Path))
	}
	return m, nil
}

func (ws *Workspace) manifestAt(dir string) *Manifest {
	for _, m := range ws.Members {
		if m.Dir == dir {
			return m
		}
	}
	return nil
}

// addPathMembers adds packages that are reached through a path dependency
// inside the root: cargo makes them members too. Paths leaving the root are
// not followed.
func (ws *Workspace) addPathMembers(decl *tomledit.Workspace) error {
	for i := 0; i < len(ws.Members); i++ {
		m := ws.Members[i]
		for _, dep := range m.Doc.Dependencies() {
			if dep.Path == "" || dep.InWorkspace {
				continue
			}
			d := path.Join(m.Dir, dep.Path)
			if !fs.ValidPath(d) || excluded(decl, d) || !ws.IsFile(path.Join(d, "Cargo.toml")) {
				continue
			}
			if err := ws.addMember(d); err != nil {
				return err
			}
		}
	}
	return nil
}

// readManifest reads and parses dir/Cargo.toml; name is used in errors.
func readManifest(fsys fs.FS, dir, name string) (*Manifest, error) {
	p := path.Join(dir, "Cargo.toml")
	src, err := readCapped(fsys, p, name, MaxManifestSize)
	if err != nil {
		return nil, err
	}
	doc, err := tomledit.Parse(name, src)
	if err != nil {
		return nil, err
	}
	return &Manifest{Path: p, Dir: dir, Name: doc.PackageName(), Doc: doc}, nil
}

// ReadFile reads p, a root-relative path, of at most limit bytes; errors
// name the file as messages show it.
func (ws *Workspace) ReadFile(p string, limit int64) ([]byte, error) {
	return readCapped(ws.FS, p, ws.Path(p), limit)
}

// readCapped reads a file of at most limit bytes, checking the size on the
// open file before reading it; name is used in errors. It opens the file
// once: through os.Root every path lookup opens each directory on the way
// again, so a Stat followed by a ReadFile cost two lookups per file.
func readCapped(fsys fs.FS, p, name string, limit int64) ([]byte, error) {
	return ReadInto(nil, fsys, p, name, limit)
}

// ReadInto is readCapped that reads into buf, which it grows when it is
// too small, and returns the bytes read. Reusing one buffer for many files
// saves allocating (and zeroing) one per file.
func ReadInto(buf []byte, fsys fs.FS, p, name string, limit int64) ([]byte, error) {
	f, err := fsys.Open(p)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, UnwrapPath(err))
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, UnwrapPath(err))
	}
	if fi.Size() > limit {
		return nil, &TooLargeError{Name: name, Kind: kindOf(p), Size: fi.Size(), Limit: limit}
	}
	if n := int(fi.Size()) + bytes.MinRead; cap(buf) < n {
		buf = make([]byte, 0, n)
	}
	buf = buf[:0]
	for {
		if len(buf) == cap(buf) {
			buf = slices.Grow(buf, bytes.MinRead) // the file grew since Stat
		}
		n, err := f.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if err == io.EOF {
			return buf, nil
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, UnwrapPath(err))
		}
	}
}

// TooLargeError is the error of reading a file over its size limit.
type TooLargeError struct {
	Name, Kind  string // the file as messages show it; what it is ("a Cargo.toml")
	Size, Limit int64
}

func (e *TooLargeError) Error() string {
	return fmt.Sprintf("%s:1:1: file is %d bytes, larger than the %s limit for %s", e.Name, e.Size, SizeLimit(e.Limit), e.Kind)
}

// SizeLimit prints a size limit in the unit that states it exactly: "4 MiB",
// "512 KiB", or bytes.
func SizeLimit(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}

// kindOf names a file for the size-limit message.
func kindOf(p string) string {
	switch base := path.Base(p); {
	case base == "Cargo.toml" || base == "Cargo.lock":
		return "a " + base
	case path.Ext(base) == ".rs":
		return "a Rust source"
	}
	return "this file"
}

// UnwrapPath drops the path that an fs.PathError adds, for errors that
// name the file already.
func UnwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
