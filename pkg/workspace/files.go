package workspace

import (
	"fmt"
	"io/fs"
	"path"
	"strings"
	"sync"
)

// MaxSourceSize caps the Rust files jemfix reads; larger files are
// reported, not rewritten.
const MaxSourceSize = 8 << 20

// Files is one walk of the workspace root.
type Files struct {
	// rust holds each package directory's .rs files, their paths joined
	// by NUL, which no path holds: a string a package, not a File a file,
	// so that a tree of many thousand files keeps a few bytes for each
	// beside its path (Package makes the Files).
	rust  map[string]string
	Other []File // non-Rust files that may name a crate
	// Links are the .rs files that are symbolic links whose target is not
	// a file inside the root: jemfix reads and writes neither.
	Links []string
	names map[string]bool // the build.rs files the walk saw, of any type but a directory

	fsys   fs.FS
	hidden sync.Map // package dir under a skipped directory -> []File, or error
}

// Package returns the .rs files of the package in dir. A package of the
// build graph inside a directory the walk does not enter (a local copy in
// vendor/) is walked on its own, once: jemfix edits its manifest, so it
// must see its sources too.
func (f *Files) Package(dir string) ([]File, error) {
	if !underSkipped(dir) {
		packed, ok := f.rust[dir]
		if !ok {
			return nil, nil
		}
		out := make([]File, 0, strings.Count(packed, "\x00")+1)
		for p := range strings.SplitSeq(packed, "\x00") {
			out = append(out, File{Path: p})
		}
		return out, nil
	}
	if got, ok := f.hidden.Load(dir); ok {
		if err, ok := got.(error); ok {
			return nil, err
		}
		return got.([]File), nil
	}
	paths, err := packageRust(f.fsys, dir)
	if err != nil {
		f.hidden.Store(dir, err)
		return nil, err
	}
	out := make([]File, len(paths))
	for i, p := range paths {
		out[i] = File{Path: p}
	}
	f.hidden.Store(dir, out)
	return out, nil
}

// underSkipped reports whether a segment of dir is a directory the walk
// does not enter.
func underSkipped(dir string) bool {
	for seg := range strings.SplitSeq(dir, "/") {
		if seg != "." && skipWalk(seg) {
			return true
		}
	}
	return false
}

// File is one file the walk found.
type File struct {
	Path string // root-relative slash path
	Size int64  // for non-Rust files only
}

// Walk lists the files of the workspace in one walk. It does not enter
// target/, vendor/, node_modules/ or hidden directories (except .github,
// .cargo and .circleci, for their configuration files), and it never follows
// a symbolic link. A .rs file belongs to the nearest directory above it
// that holds a Cargo.toml.
// The walk is made once per Workspace; every later call returns the same
// Files, which callers must not change.
func (ws *Workspace) Walk() (*Files, error) {
	ws.walkOnce.Do(func() { ws.files, ws.walkErr = ws.walk() })
	return ws.files, ws.walkErr
}

// StartWalk begins Walk on a goroutine of its own, for a caller that will
// need the files after work that reads none: the walk, mostly system
// calls, then runs on another core while that work runs, and Walk waits
// for it. Close waits for it too, so that it never outlives the root.
func (ws *Workspace) StartWalk() {
	ws.walking.Go(func() { ws.Walk() })
}

func (ws *Workspace) walk() (*Files, error) {
	fsys := ws.FS
	t := &Files{rust: map[string]string{}, names: map[string]bool{}, fsys: fsys}
	// A .rs file belongs to the nearest directory above it that holds a
	// Cargo.toml. A directory's Cargo.toml is an entry like any other, so
	// the files are placed once the walk has seen every entry: no
	// directory is looked up twice.
	packages := map[string]bool{}
	var rust []string
	err := walk(fsys, func(p string, d fs.DirEntry, dir fs.FS) error {
		if d.IsDir() {
			if p != "." && skipWalk(d.Name()) {
				return fs.SkipDir
			}
			return nil
		}
		if d.Name() == "build.rs" {
			t.names[p] = true
		}
		switch {
		case d.Type()&fs.ModeSymlink != 0 && (d.Name() == "Cargo.toml" || strings.HasSuffix(p, ".rs") && !hiddenPath(p)):
			// A link is followed from the root, not from its directory:
			// os.Root follows it only while it stays inside the root.
			switch {
			case d.Name() == "Cargo.toml" && isFile(fsys, p):
				packages[path.Dir(p)] = true // a link counts when it leads to a file, as cargo reads it
			case d.Name() != "Cargo.toml" && !isFile(fsys, p):
				t.Links = append(t.Links, p)
			}
		case d.Name() == "Cargo.toml":
			if d.Type().IsRegular() {
				packages[path.Dir(p)] = true
			}
		case !d.Type().IsRegular():
		case strings.HasSuffix(p, ".rs") && !hiddenPath(p):
			rust = append(rust, p) // the size cap of a Rust file is checked when it is read
		case TextKind(p) != "":
			info, err := d.Info()
			if err != nil {
				return err
			}
			t.Other = append(t.Other, File{Path: p, Size: info.Size()})
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", ws.Display, UnwrapPath(err))
	}
	byDir := map[string][]string{}
	for _, p := range rust {
		for d := path.Dir(p); ; d = path.Dir(d) {
			if packages[d] {
				byDir[d] = append(byDir[d], p)
				break
			}
			if d == "." {
				break
			}
		}
	}
	for d, paths := range byDir {
		t.rust[d] = strings.Join(paths, "\x00")
	}
	return t, nil
}

// hasBuildRS reports whether the walk saw a build.rs (of any type but a
// directory) in the package directory dir.
func (f *Files) hasBuildRS(dir string) bool { return f.names[path.Join(dir, "build.rs")] }

func skipWalk(name string) bool {
	switch name {
	case "target", "vendor", "node_modules":
		return true
	case ".github", ".cargo", ".circleci", ".config", ".guppy": // CI, cargo, cargo-hakari and nextest settings
		return false
	}
	return strings.HasPrefix(name, ".")
}

func hiddenPath(p string) bool {
	return strings.HasPrefix(p, ".") || strings.Contains(p, "/.")
}

// Within reports whether p is dir or lies under it.
func Within(p, dir string) bool {
	return dir == "." || p == dir || strings.HasPrefix(p, dir+"/")
}

// TextKind names the kind of non-Rust file jemfix scans for mentions, or "".
func TextKind(p string) string {
	base := path.Base(p)
	if history(base) {
		return ""
	}
	switch base {
	case "Cargo.toml", "Cargo.lock":
		return ""
	case "Makefile", "makefile", "GNUmakefile", "justfile", "Justfile", "Dockerfile":
		return base
	}
	switch path.Ext(base) {
	case ".md", ".markdown":
		return "Markdown"
	case ".sh", ".bash":
		return "shell script"
	case ".py":
		return "Python script"
	case ".toml":
		return "TOML file"
	case ".yml", ".yaml":
		return "YAML file"
	}
	return ""
}

// BuildScript returns the package's build script path, or "". files is
// the walk of the workspace, which tells whether build.rs exists.
func (ws *Workspace) BuildScript(m *Manifest, files *Files) string {
	p, set := m.Doc.BuildScript()
	if !set {
		p = "build.rs"
		if !files.hasBuildRS(m.Dir) || !ws.IsFile(path.Join(m.Dir, p)) {
			return ""
		}
	}
	if p == "" {
		return ""
	}
	return path.Clean(path.Join(m.Dir, p))
}

// InBuildScript reports whether the file is compiled into the build script:
// the script itself; with a script in a directory of its own
// (build/main.rs), everything under that directory; with a script at the
// package root, the other .rs files at the root that are not declared
// targets. A script among the package's sources (`build =
// "src/build.rs"`) shares its directory with the targets: only the script
// itself is the build script's there.
func InBuildScript(p, bs, dir string, roots map[string]bool) bool {
	if bs == "" {
		return false
	}
	if p == bs {
		return true
	}
	d := path.Dir(bs)
	if d == dir {
		return path.Dir(p) == dir && !roots[p]
	}
	if src := path.Join(dir, "src"); Within(d, src) || Within(src, d) {
		return false
	}
	for r := range roots {
		if Within(r, d) {
			return false
		}
	}
	return Within(p, d)
}

// ThroughLink reports whether any part of p is a symbolic link.
func (ws *Workspace) ThroughLink(p string) bool {
	for q := p; q != "." && q != "/"; q = path.Dir(q) {
		if fi, err := fs.Lstat(ws.FS, q); err == nil && fi.Mode()&fs.ModeSymlink != 0 {
			return true
		}
	}
	return false
}

// RustFiles lists the .rs files of a member package: everything under its
// directory except target/, hidden directories and nested packages.
func (ws *Workspace) RustFiles(m *Manifest) ([]string, error) {
	files, err := packageRust(ws.FS, m.Dir)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", ws.Path(m.Dir), UnwrapPath(err))
	}
	return files, nil
}

// packageRust walks the package directory dir for its .rs files, leaving
// out target/, vendor/, hidden directories and nested packages.
func packageRust(fsys fs.FS, dir string) ([]string, error) {
	var files []string
	err := fs.WalkDir(fsys, dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if p != dir && skipDir(fsys, p, d.Name()) {
				return fs.SkipDir
			}
			return nil
		}
		if d.Type().IsRegular() && strings.HasSuffix(p, ".rs") {
			files = append(files, p)
		}
		return nil
	})
	return files, err
}

func skipDir(fsys fs.FS, p, name string) bool {
	if name == "target" || name == "vendor" || strings.HasPrefix(name, ".") {
		return true
	}
	return isFile(fsys, path.Join(p, "Cargo.toml"))
}

// history reports whether a file named base records the past (CHANGELOG.md,
// HISTORY, RELEASES.md, NEWS): a crate name there is what was true then,
// not something to update.
func history(base string) bool {
	stem := strings.ToLower(strings.TrimSuffix(base, path.Ext(base)))
	switch strings.NewReplacer("-", "", "_", "").Replace(stem) {
	case "changelog", "changes", "history", "news", "releases", "releasenotes":
		return true
	}
	return false
}
