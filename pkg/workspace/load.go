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
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"jemfix/internal/par"
	"jemfix/pkg/family"
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
	Members []*Manifest // the packages of the build graph inside the root, sorted by path (see Load)
	Lock    *Lock       // Cargo.lock, or nil when absent
	Dir     string      // the absolute root directory when Open loaded it from disk, else ""
	Unread  []Unread    // path dependencies that leave the root: in the graph, not read

	closer io.Closer // the root directory handle Open holds
	index  index     // lookups by name and directory, built on first use

	walkOnce sync.Once      // Walk's result, made once
	walking  sync.WaitGroup // a walk StartWalk began, which Close waits for
	files    *Files
	walkErr  error
	allocMu  sync.Mutex // GlobalAllocators' results, per member
	allocs   map[*Manifest][]AllocatorDecl

	// plain holds the root-relative paths of Rust files read once and found
	// to contain neither "jemalloc" nor "include!": no rename of a jemalloc
	// crate or feature can touch them, so the planner, which evaluates
	// several options over the same files, reads each of them once. It is
	// kept only when RememberPlain asked for it: a single option reads each
	// file once anyway, and on a large tree the set is large.
	plain   sync.Map
	plainOn atomic.Bool

	pruned pruned // the names of the dependency entries the manifests let go of (prune.go)
	lean   bool   // the manifests but the root let go of their bytes (OpenLean)

	configOnce sync.Once // the root's cargo configuration (cargoConfig), read once
	configName string
	configSrc  []byte
}

// Manifest is one Cargo.toml.
type Manifest struct {
	Path string // slash path relative to the workspace root
	Dir  string // directory of Path, "." for the root
	Name string // [package].name, "" for a virtual manifest
	Doc  *tomledit.Doc
	// NonMember marks a package in the build graph that is not a workspace
	// member: a path dependency of a root package without [workspace], or
	// one in an excluded directory. cargo resolves its normal and build
	// dependencies, not its dev-dependencies.
	NonMember bool

	pruned nameFilter // the names of the entries the Doc let go of (prune.go)
}

// RememberPlain makes the workspace keep the set of plain Rust files
// (see PlainFiles), for a caller that plans several options.
func (ws *Workspace) RememberPlain() { ws.plainOn.Store(true) }

// PlainFiles returns the set of plain Rust files the planner has read, or
// nil when the workspace does not keep it (RememberPlain).
func (ws *Workspace) PlainFiles() *sync.Map {
	if !ws.plainOn.Load() {
		return nil
	}
	return &ws.plain
}

// Path joins a root-relative path to the root as the user named it, for
// messages.
func (ws *Workspace) Path(rel string) string { return path.Join(ws.Display, rel) }

// ErrNoManifest is the error of a directory with no Cargo.toml in it or
// above it: no package, no workspace.
var ErrNoManifest = errors.New("not inside a Cargo package or workspace")

// noManifest is an ErrNoManifest with its own words.
type noManifest string

func (e noManifest) Error() string        { return string(e) }
func (e noManifest) Is(target error) bool { return target == ErrNoManifest }

// FindRoot returns the workspace root for dir, both slash paths inside fsys:
// the nearest package at or above dir, then the nearest [workspace] at or
// above that package whose members include it (through the members
// globs, or through path dependencies of the members, as cargo counts
// them). name turns a path of fsys into the name shown in errors.
//
// cargo itself stops at the nearest [workspace] that does not exclude the
// package, and fails when the package is not one of its members
// ("current package believes it's in a workspace when it's not"); so does
// FindRoot. When that workspace cannot be loaded, FindRoot returns the
// package itself.
func FindRoot(fsys fs.FS, dir string, name func(string) string) (string, error) {
	pkg, ok := upward(fsys, path.Clean(dir), func(string) bool { return true })
	if !ok {
		return "", noManifest(fmt.Sprintf("could not find Cargo.toml in %s or any parent directory", name(dir)))
	}
	var loadErr error
	root, ok := upward(fsys, pkg, func(d string) bool {
		m, err := readManifest(fsys, d, name(path.Join(d, "Cargo.toml")))
		if err != nil {
			loadErr = err
			return true
		}
		ws := m.Doc.Workspace()
		return ws != nil && includes(fsys, m, ws, pkg, name)
	})
	if loadErr != nil {
		return "", loadErr
	}
	if !ok {
		if err := sideRoot(fsys, pkg, name); err != nil {
			return "", err
		}
		if w, pkgName := forgotten(fsys, pkg, name); w != "" {
			rel, _ := relative(w, pkg)
			return "", fmt.Errorf("%s: package %s is inside the workspace at %s, which neither lists nor excludes it; cargo fails on it too (\"current package believes it's in a workspace when it's not\"); add %q to [workspace].members or [workspace].exclude in %s, or give the package an empty [workspace] of its own",
				name(path.Join(pkg, "Cargo.toml")), pkgName, name(path.Join(w, "Cargo.toml")), rel, name(path.Join(w, "Cargo.toml")))
		}
		return pkg, nil
	}
	return root, nil
}

// sideRoot refuses a package whose package.workspace names a root that
// is not above it: cargo builds it in that workspace, which jemfix, reading
// a workspace from its root down, cannot read with this member.
func sideRoot(fsys fs.FS, pkg string, name func(string) string) error {
	m, err := readManifest(fsys, pkg, name(path.Join(pkg, "Cargo.toml")))
	if err != nil {
		return nil
	}
	named := m.Doc.PackageString("workspace")
	if named == "" {
		return nil
	}
	root := path.Clean(path.Join(pkg, named))
	if _, ok := relative(root, pkg); ok && root != pkg {
		return nil
	}
	return fmt.Errorf("%s: package %s names its workspace %q (package.workspace), which is not above it; cargo builds it in that workspace, and jemfix, which reads a workspace from its root down, cannot read that one with this member: move the package under its workspace root",
		name(path.Join(pkg, "Cargo.toml")), m.Name, named)
}

// forgotten returns the directory of the nearest [workspace] above the
// package pkg that does not exclude it, the one cargo takes for pkg's,
// when that workspace loads and pkg is not among its members, and the
// package's name; else "". A package that names its workspace
// (package.workspace) is checked against that one when it is above the
// package; one that `cargo package` unpacked under target/package is not
// cargo's to search for.
func forgotten(fsys fs.FS, pkg string, name func(string) string) (string, string) {
	if pkg == "." {
		return "", ""
	}
	self, err := readManifest(fsys, pkg, name(path.Join(pkg, "Cargo.toml")))
	if err != nil {
		return "", ""
	}
	start := path.Dir(pkg)
	if named := self.Doc.PackageString("workspace"); named != "" {
		// package.workspace names the root: cargo checks that it lists
		// the package. jemfix checks one above the package only; a root
		// beside it is outside what jemfix reads.
		root := path.Clean(path.Join(pkg, named))
		if _, ok := relative(root, pkg); !ok || root == pkg {
			return "", "" // FindRoot refuses a root beside the package (sideRoot)
		}
		start = root
	}
	var found *Manifest
	upward(fsys, start, func(d string) bool {
		m, err := readManifest(fsys, d, name(path.Join(d, "Cargo.toml")))
		if err != nil {
			return true // FindRoot reported it
		}
		ws := m.Doc.Workspace()
		if ws == nil {
			return false
		}
		if rel, ok := relative(m.Dir, pkg); ok && excluded(ws, rel) {
			return false // cargo looks further up
		}
		found = m
		return true
	})
	if found == nil {
		return "", ""
	}
	if rel, _ := relative(found.Dir, pkg); strings.HasPrefix(rel, "target/package/") {
		return "", ""
	}
	sub, err := fs.Sub(fsys, found.Dir)
	if err != nil {
		return "", ""
	}
	if _, err := Load(sub, name(found.Dir)); err != nil {
		return "", "" // cargo fails on that workspace; the package is read on its own
	}
	pkgName := self.Name
	if pkgName == "" {
		pkgName = path.Base(pkg)
	}
	return found.Dir, pkgName
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

// includes reports whether the workspace root m (a Cargo.toml of fsys with
// the [workspace] ws) has pkgDir as a member: through its members globs,
// or as a path dependency of a member. Only when no glob names the package
// are the members read, to follow their path dependencies.
func includes(fsys fs.FS, m *Manifest, ws *tomledit.Workspace, pkgDir string, name func(string) string) bool {
	if m.Dir == pkgDir {
		return true
	}
	rel, ok := relative(m.Dir, pkgDir)
	if !ok || excluded(ws, rel) {
		return false
	}
	for _, pat := range ws.Members {
		if matchMember(path.Clean(pat), rel) {
			return true
		}
	}
	sub, err := fs.Sub(fsys, m.Dir)
	if err != nil {
		return false
	}
	outer, err := Load(sub, name(m.Dir))
	if err != nil {
		return false // cargo fails on this workspace too; the package stays on its own
	}
	member := outer.idx().byDir[rel]
	return member != nil && !member.NonMember
}

func relative(base, target string) (string, bool) {
	if base == "." {
		return target, true
	}
	rel, ok := strings.CutPrefix(target, base+"/")
	return rel, ok
}

// excluded reports whether the workspace leaves the root-relative
// directory rel out: it lies in an exclude entry (a path, not a glob, with
// any trailing slash ignored) and not in a members entry read as a literal
// path, which takes precedence, as cargo decides it (`members =
// ["crates/a"]` with `exclude = ["crates"]` keeps crates/a).
func excluded(ws *tomledit.Workspace, rel string) bool {
	return under(ws.Exclude, rel) && !under(ws.Members, rel)
}

// under reports whether rel is one of dirs or lies under one of them,
// comparing whole path segments.
func under(dirs []string, rel string) bool {
	for _, d := range dirs {
		if d = path.Clean(d); d == "." || Within(rel, d) {
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
//
// Members holds every package of the build graph that lies inside the
// root: the root when it is a package, the workspace members (globs minus
// exclude, and path dependencies of members), and the packages that path
// dependencies reach without being members (a root package without
// [workspace], an excluded directory), marked NonMember. cargo resolves
// them all in one graph, so one links conflict spans them all.
func Load(fsys fs.FS, display string) (*Workspace, error) { return load(fsys, display, false, false) }

// LoadLean is Load whose manifests, but the root's, let go of their bytes
// once read, as OpenLean's do.
func LoadLean(fsys fs.FS, display string) (*Workspace, error) {
	return load(fsys, display, false, true)
}

// load is Load; with walk, the walk of the root (StartWalk) runs while the
// manifests are read. A load that fails waits for it, since the caller
// then releases the root.
func load(fsys fs.FS, display string, walk, lean bool) (_ *Workspace, err error) {
	ws := &Workspace{Display: display, FS: fsys, lean: lean}
	if walk {
		ws.StartWalk()
		defer func() {
			if err != nil {
				ws.walking.Wait()
			}
		}()
	}
	root, err := readManifest(fsys, ".", ws.Path("Cargo.toml"))
	if err != nil {
		return nil, err
	}
	ws.Root = root
	ws.pruned.prune(root)
	if err := ws.loadMembers(); err != nil {
		return nil, err
	}
	ws.restorePruned()
	if err := ws.familyRequirements(); err != nil {
		return nil, err
	}
	lock, err := readLock(fsys, ws.Path("Cargo.lock"))
	if err != nil {
		return nil, err
	}
	ws.Lock = lock
	ws.Unread = ws.outside()
	return ws, nil
}

// Unread is a path dependency of the build graph that leaves the root:
// jemfix does not read it, so it cannot tell what that package depends on.
type Unread struct {
	Manifest *Manifest     // the package that depends on it
	Dep      *tomledit.Dep // the dependency entry
	Dir      string        // the path as the entry writes it
}

// UnreadNotes describes the path dependencies that leave the root, for
// messages: the path, the entry, the package and where it is written.
func (ws *Workspace) UnreadNotes() []string {
	var out []string
	for _, u := range ws.Unread {
		out = append(out, fmt.Sprintf("%s (path dependency %s of %s, at %s)", u.Dir, u.Dep.Key, u.Manifest.Name, ws.Position(u.Manifest, u.Dep.Start)))
	}
	return out
}

// outside lists the path dependencies, of every package in the graph, that
// leave the root.
func (ws *Workspace) outside() []Unread {
	var out []Unread
	for _, m := range ws.Manifests() {
		for _, dep := range m.Doc.Deps() {
			if dep.InWorkspace || m.NonMember && dep.Kind == "dev" {
				continue // an inherited entry counts where a member inherits it
			}
			p := dep.Path
			if dep.Workspace && !dep.InWorkspace {
				if inh := ws.Inherited(dep.Key); inh != nil {
					p = inh.Path
				}
				if p == "" || fs.ValidPath(path.Clean(p)) {
					continue
				}
			} else if p == "" || fs.ValidPath(path.Join(m.Dir, p)) {
				continue
			}
			out = append(out, Unread{Manifest: m, Dep: dep, Dir: p})
		}
	}
	return out
}

func (ws *Workspace) loadMembers() error {
	decl := ws.Root.Doc.Workspace()
	at := map[string]bool{} // the directories of ws.Members so far
	if ws.Root.Name != "" {
		ws.Members = append(ws.Members, ws.Root)
		at[ws.Root.Dir] = true
	}
	if decl == nil && ws.Root.Name == "" {
		return fmt.Errorf("%s:1:1: neither [package] nor [workspace]: not a Cargo manifest", ws.Path("Cargo.toml"))
	}
	if decl != nil {
		dirs, err := ws.memberDirs(decl)
		if err != nil {
			return err
		}
		// Manifests are read and parsed in parallel, and added in order.
		ms := make([]*Manifest, len(dirs))
		errs := make([]error, len(dirs))
		par.PerCPU(len(dirs), func(i int) {
			if dirs[i] != "." {
				ms[i], errs[i] = ws.readMember(dirs[i], true)
			}
		})
		for i, m := range ms {
			if errs[i] != nil {
				return errs[i]
			}
			if m != nil && !at[m.Dir] {
				ws.Members = append(ws.Members, m)
				at[m.Dir] = true
			}
		}
	}
	if err := ws.addPathDeps(decl, at); err != nil {
		return err
	}
	slices.SortFunc(ws.Members, func(a, b *Manifest) int { return strings.Compare(a.Path, b.Path) })
	return ws.uniqueNames()
}

// uniqueNames refuses two packages of one name, as cargo does ("two
// packages named `a` in this workspace"). A member directory that is a
// symbolic link to another member is the usual cause: editing through both
// paths would change one file twice.
func (ws *Workspace) uniqueNames() error {
	seen := map[string]*Manifest{}
	for _, m := range ws.Members {
		if m.Name == "" {
			continue
		}
		if first, ok := seen[m.Name]; ok {
			why := ""
			if ws.ThroughLink(m.Dir) {
				why = fmt.Sprintf("; %s goes through a symbolic link", ws.Path(m.Dir))
			}
			return fmt.Errorf("%s:1:1: two packages named %q in this workspace, %s and %s%s; cargo refuses this too: remove one, or list only one path in members",
				ws.Path(m.Path), m.Name, ws.Path(first.Path), ws.Path(m.Path), why)
		}
		seen[m.Name] = m
	}
	return nil
}

// familyRequirements refuses a jemalloc-family entry whose version is not a
// requirement cargo reads ("banana"): cargo stops at that manifest, and
// jemfix would otherwise take a series from it and rewrite it.
//
// It also refuses what makes cargo refuse a manifest that jemfix would
// otherwise read past: a dependency field of the wrong type (`features =
// "stats"`), and a jemalloc-family entry that inherits from a
// [workspace.dependencies] entry the root does not have.
func (ws *Workspace) familyRequirements() error {
	for _, m := range ws.Manifests() {
		if err := m.Doc.FieldError(); err != nil {
			return fmt.Errorf("%w; cargo refuses this manifest too", err)
		}
		for _, d := range m.Doc.Deps() {
			if _, ok := family.Lookup(d.RealName()); ok && d.Workspace && !d.InWorkspace && m.NonMember {
				if err := ws.inheritsElsewhere(m, d); err != nil {
					return err
				}
			}
			if _, ok := family.Lookup(d.RealName()); ok && d.Workspace && !d.InWorkspace && ws.Inherited(d.Key) == nil {
				return fmt.Errorf("%s: %s = { workspace = true } inherits from [workspace.dependencies] of %s, which has no %s entry; cargo refuses this manifest too: add the entry there, or give this one a version",
					ws.Position(m, d.Start), d.Key, ws.Path(ws.Root.Path), d.Key)
			}
			if _, ok := family.Lookup(d.RealName()); !ok || d.VersionSpan == (tomledit.Span{}) {
				continue // no version written
			}
			if err := family.CheckReq(d.Version); err != nil {
				return fmt.Errorf("%s: %s = %q is not a version requirement cargo accepts: %v", ws.Position(m, d.VersionSpan.Start), d.Key, d.Version, err)
			}
		}
	}
	return nil
}

// inheritsElsewhere refuses the `workspace = true` entry d of m, a
// package of the graph that is not a member, when cargo does not read it
// from the root's [workspace.dependencies]: m has a [workspace] of its own,
// which is where cargo reads it, or the root's workspace excludes m, and
// cargo reads it from a [workspace] between the two, or refuses the
// manifest when there is none. jemfix reads inherited entries from the
// root only, so it would plan with the wrong entry.
func (ws *Workspace) inheritsElsewhere(m *Manifest, d *tomledit.Dep) error {
	const fix = "jemfix reads inherited entries from the root's manifest only: write the entry out in full (its version and features in place of workspace = true), then run jemfix again"
	switch {
	case m.Doc.Workspace() != nil:
		return fmt.Errorf("%s: %s = { workspace = true } inherits from the [workspace.dependencies] of its own manifest, a workspace of its own that this root reaches through a path dependency; %s",
			ws.Position(m, d.Start), d.Key, fix)
	case ws.Root.Doc.Workspace() != nil:
		return fmt.Errorf("%s: %s = { workspace = true } does not inherit from %s, which excludes this package: cargo reads the entry from a [workspace] between the two, or refuses the manifest when there is none; %s",
			ws.Position(m, d.Start), d.Key, ws.Path(ws.Root.Path), fix)
	}
	return nil
}

// memberDirs expands the members globs, minus exclude, the way cargo 1.95
// does (see TestLayoutMatchesCargo for each rule checked against cargo):
//
//   - a pattern is a path relative to the root; a trailing slash is
//     ignored; `*`, `?` and `[...]` match within one path segment, and
//     match names that start with a dot too;
//   - `**` as a whole segment matches any number of directories, none
//     included; at the end of a pattern it matches every path below the
//     directory before it, not the directory itself;
//   - a match that is not a directory (crates/README.md) is skipped;
//   - a directory matched that has no Cargo.toml is an error, unless it is
//     excluded, as is a pattern that matches nothing;
//   - exclude entries are paths, not globs (see excluded).
func (ws *Workspace) memberDirs(decl *tomledit.Workspace) ([]string, error) {
	fsys := ws.FS
	// First the patterns are expanded, in order; then the matches are
	// looked at in parallel (a workspace may have thousands); then the
	// results are taken in order, so that the first error is the one a
	// walk in order would meet.
	type candidate struct {
		d, raw, pat string
		at          Position
		dir         bool  // the listing said it is a directory, not a link
		err         error // a pattern that failed
	}
	var cands []candidate
	seen := map[string]bool{}
	for _, raw := range decl.Members {
		pat := path.Clean(raw)
		at := ws.Position(ws.Root, memberOffset(ws.Root.Doc.Src(), raw))
		if !fs.ValidPath(pat) {
			cands = append(cands, candidate{err: fmt.Errorf("%s: workspace member %q is outside the workspace root; jemfix does not follow it", at, pat)})
			break
		}
		matches, dirs, err := expandMember(fsys, pat)
		if err != nil {
			cands = append(cands, candidate{err: fmt.Errorf("%s: workspace member pattern %q: %w", at, raw, err)})
			break
		}
		if len(matches) == 0 {
			if !hasMeta(pat) {
				err = fmt.Errorf("%s: workspace member %q does not exist", at, pat)
			} else {
				err = fmt.Errorf("%s: workspace member pattern %q matches nothing; cargo fails on it too (%q)", at, raw, "failed to load manifest for workspace member")
			}
			cands = append(cands, candidate{err: err})
			break
		}
		for _, d := range matches {
			if excluded(decl, d) || seen[d] {
				continue
			}
			seen[d] = true
			cands = append(cands, candidate{d: d, raw: raw, pat: pat, at: at, dir: dirs[d]})
		}
	}
	keep := make([]bool, len(cands))
	errs := make([]error, len(cands))
	par.PerCPU(len(cands), func(i int) {
		c := cands[i]
		if c.err != nil {
			errs[i] = c.err
			return
		}
		if !c.dir {
			fi, err := fs.Stat(fsys, c.d)
			switch {
			case err != nil && !errors.Is(err, fs.ErrNotExist):
				// Such as a link out of the root: report it, never follow it.
				errs[i] = fmt.Errorf("workspace member %s: %w", c.d, UnwrapPath(err))
				return
			case err != nil || !fi.IsDir():
				return // a file the glob matched, such as crates/README.md: cargo skips it
			}
		}
		fi, err := fs.Stat(fsys, path.Join(c.d, "Cargo.toml"))
		switch {
		case err == nil && fi.Mode().IsRegular():
			keep[i] = true
		case err != nil && !errors.Is(err, fs.ErrNotExist):
			errs[i] = fmt.Errorf("workspace member %s: %w", path.Join(c.d, "Cargo.toml"), UnwrapPath(err))
		default:
			by := ""
			if c.d != c.pat {
				by = fmt.Sprintf(" (matched by %q)", c.raw)
			}
			errs[i] = fmt.Errorf("%s: workspace member %s%s has no Cargo.toml; cargo fails on it too (%q); add its Cargo.toml, or add %q to [workspace].exclude",
				c.at, ws.Path(c.d), by, "failed to load manifest for workspace member", c.d)
		}
	})
	var dirs []string
	for i, c := range cands {
		if errs[i] != nil {
			return nil, errs[i]
		}
		if keep[i] {
			dirs = append(dirs, c.d)
		}
	}
	return dirs, nil
}

// hasMeta reports whether pat holds a wildcard of the glob crate cargo
// uses: *, ? or a class. A backslash is no escape there, but a character
// of the name (or, on Windows, a separator).
func hasMeta(pat string) bool { return strings.ContainsAny(pat, `*?[`) }

// goGlob turns a segment of a members pattern into path.Match's syntax: a
// class negated with '!' (the glob crate's) with '^', a backslash (a
// character of the name there) escaped.
func goGlob(seg string) string {
	return strings.ReplaceAll(strings.ReplaceAll(seg, `\`, `\\`), "[!", "[^")
}

// expandMember lists what the members pattern pat (cleaned, inside the
// root) matches: files and directories, in lexical order. dirs marks the
// matches the directory listing showed to be directories (not links to
// one), when the pattern's only wildcard is in its last segment, the
// common "crates/*": they need no lookup of their own.
func expandMember(fsys fs.FS, pat string) (matches []string, dirs map[string]bool, err error) {
	parts := strings.Split(pat, "/")
	globs := make([]string, len(parts))
	recursive := false
	for i, p := range parts {
		if strings.Contains(p, "**") && p != "**" {
			return nil, nil, errors.New("`**` must be a whole path segment")
		}
		recursive = recursive || p == "**"
		globs[i] = goGlob(p)
		if _, err := path.Match(globs[i], ""); err != nil {
			return nil, nil, err
		}
	}
	if !recursive && !hasMeta(path.Dir(pat)) && hasMeta(path.Base(pat)) {
		return globLast(fsys, path.Dir(pat), goGlob(path.Base(pat)))
	}
	if !recursive {
		matches, err := fs.Glob(fsys, strings.Join(globs, "/"))
		return matches, nil, err
	}
	// Walk from the longest literal prefix and match every path below it.
	base := "."
	for i, p := range parts {
		if hasMeta(p) || p == "**" {
			base = path.Join(parts[:i]...)
			break
		}
	}
	if base == "" {
		base = "."
	}
	var out []string
	err = fs.WalkDir(fsys, base, func(p string, d fs.DirEntry, err error) error {
		switch {
		case errors.Is(err, fs.ErrNotExist) && p == base:
			return fs.SkipAll
		case err != nil:
			return err
		}
		if matchMember(pat, p) {
			out = append(out, p)
		}
		return nil
	})
	return out, nil, err
}

// globLast is fs.Glob for a pattern whose only wildcard is in its last
// segment, name: one listing of dir, whose entries tell which matches are
// directories. Like fs.Glob, it ignores a directory it cannot list.
func globLast(fsys fs.FS, dir, name string) ([]string, map[string]bool, error) {
	if _, err := path.Match(name, ""); err != nil {
		return nil, nil, err
	}
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return nil, nil, nil
	}
	var out []string
	dirs := map[string]bool{}
	for _, e := range entries {
		if ok, _ := path.Match(name, e.Name()); ok {
			p := path.Join(dir, e.Name())
			out = append(out, p)
			dirs[p] = e.IsDir() // a link to a directory is not IsDir: it is looked up
		}
	}
	return out, dirs, nil
}

// matchMember reports whether the root-relative path rel matches the
// members pattern pat (cleaned), with the rules of memberDirs.
func matchMember(pat, rel string) bool {
	pp := strings.Split(pat, "/")
	for i, p := range pp {
		pp[i] = goGlob(p)
	}
	if rel == "." {
		return pat == "."
	}
	return matchParts(pp, strings.Split(rel, "/"))
}

func matchParts(pp, np []string) bool {
	if len(pp) == 0 {
		return len(np) == 0
	}
	if pp[0] == "**" {
		if len(pp) == 1 {
			return len(np) > 0 // crates/** matches below crates, not crates itself
		}
		for i := 0; i <= len(np); i++ {
			if matchParts(pp[1:], np[i:]) {
				return true
			}
		}
		return false
	}
	if len(np) == 0 {
		return false
	}
	ok, _ := path.Match(pp[0], np[0])
	return ok && matchParts(pp[1:], np[1:])
}

// readMember reads the manifest of the package in dir, which must name its
// package. A workspace member (member) must not hold a [workspace] of its
// own: cargo fails with "multiple workspace roots found". It does not
// change ws.
func (ws *Workspace) readMember(dir string, member bool) (*Manifest, error) {
	m, err := readManifest(ws.FS, dir, ws.Path(path.Join(dir, "Cargo.toml")))
	if err != nil {
		return nil, err
	}
	if m.Name == "" {
		what := "path dependency"
		if member {
			what = "workspace member"
		}
		return nil, fmt.Errorf("%s:1:1: %s has no [package] name; its Cargo.toml must declare its package", ws.Path(m.Path), what)
	}
	if member && m.Doc.Workspace() != nil {
		return nil, fmt.Errorf("%s: package %s has a [workspace] of its own but is a member of the workspace at %s; cargo fails on it too (%q); add %q to the outer [workspace].exclude",
			ws.Position(m, workspaceOffset(m.Doc.Src())), m.Name, ws.Path("Cargo.toml"), "multiple workspace roots found in the same workspace", dir)
	}
	m.NonMember = !member
	ws.pruned.prune(m)
	ws.release(m)
	return m, nil
}

// release lets m's Doc go of its bytes when the workspace was opened to
// keep few (OpenLean): they are read again, and checked, when a step needs
// them (tomledit.Doc.Release). The root manifest keeps them.
func (ws *Workspace) release(m *Manifest) {
	if !ws.lean || m == ws.Root {
		return
	}
	m.Doc.Release(ws, m.Path)
}

// ReadAgain reads the manifest at p, named name in messages, for a Doc
// that let go of its bytes (tomledit.Source).
func (ws *Workspace) ReadAgain(p, name string) ([]byte, error) {
	return readCapped(ws.FS, p, name, MaxManifestSize)
}

// Release lets the Docs of ms go of their bytes again, after a step that
// needed them (Load), when the workspace was opened to keep few
// (OpenLean).
func (ws *Workspace) Release(ms []*Manifest) {
	for _, m := range ms {
		ws.release(m)
	}
}

// Load reads the bytes of the manifests of ms whose Docs let go of them
// (OpenLean), in parallel: a step that needs the bytes of many manifests
// reads them at once, and gets an error, not a panic, when one changed
// since the workspace was loaded.
func (ws *Workspace) Load(ms []*Manifest) error {
	if !ws.lean {
		return nil
	}
	errs := make([]error, len(ms))
	par.PerCPU(len(ms), func(i int) { errs[i] = ms[i].Doc.Load() })
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// addPathDeps adds the packages that path dependencies reach inside the
// root, as cargo builds them. In a [workspace], a path dependency of a
// member is a member too, unless it is excluded. Every other package a
// path dependency reaches, such as those of a root package without
// [workspace] or one in an excluded directory, is in the build graph
// without being a member: it is added with NonMember set, and its own
// dev-dependencies are not followed, since cargo does not resolve them.
// Paths leaving the root are never followed. at holds the directories of
// the packages read so far, and gets those added.
func (ws *Workspace) addPathDeps(decl *tomledit.Workspace, at map[string]bool) error {
	// Members first, so that a package a member reaches is a member even
	// when a non-member reaches it too.
	for _, members := range []bool{true, false} {
		for i := 0; i < len(ws.Members); i++ {
			m := ws.Members[i]
			if members && m.NonMember {
				continue
			}
			for _, d := range ws.pathDeps(m, at) {
				member := members && decl != nil && !excluded(decl, d)
				if members != member || d == "." || at[d] {
					continue
				}
				dep, err := ws.readMember(d, member)
				if err != nil {
					return err
				}
				ws.Members = append(ws.Members, dep)
				at[d] = true
			}
		}
	}
	return nil
}

// pathDeps lists the root-relative directories, inside the root and
// holding a Cargo.toml, that m's path dependencies name, its inherited
// (`workspace = true`) ones included. The dev-dependencies of a
// non-member are left out. A directory in known was read already and
// holds a Cargo.toml.
func (ws *Workspace) pathDeps(m *Manifest, known map[string]bool) []string {
	var out []string
	for _, dep := range m.Doc.Deps() {
		if dep.InWorkspace || m.NonMember && dep.Kind == "dev" {
			continue
		}
		d := ""
		switch inh := ws.Inherited(dep.Key); {
		case dep.Path != "":
			d = path.Join(m.Dir, dep.Path)
		case dep.Workspace && inh != nil && inh.Path != "":
			d = path.Clean(inh.Path) // relative to the root
		default:
			continue
		}
		if fs.ValidPath(d) && (known[d] || ws.IsFile(path.Join(d, "Cargo.toml"))) {
			out = append(out, d)
		}
	}
	return out
}

// readManifest reads and parses dir/Cargo.toml; name is used in errors.
func readManifest(fsys fs.FS, dir, name string) (*Manifest, error) {
	p := path.Join(dir, "Cargo.toml")
	src, err := readCapped(fsys, p, name, MaxManifestSize)
	if err != nil {
		return nil, err
	}
	// Compact from the start: the edit verbs parse the syntax again for
	// the few manifests they need it for (tomledit.Doc.Compact).
	doc, err := tomledit.ParseCompact(name, src)
	if err != nil {
		return nil, err
	}
	// The paths share the bytes of the name messages use, which ends
	// with them: a large workspace keeps them all.
	if strings.HasSuffix(name, p) {
		p = name[len(name)-len(p):]
		if strings.HasPrefix(p, dir) {
			dir = p[:len(dir)]
		}
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
// saves allocating (and zeroing) one per file. Without a buffer (nil) it
// allocates the file's size and one byte, to see the end: the bytes of a
// manifest are kept while the workspace is, and a spare 512 bytes (the
// slack a reused buffer gets) would triple them.
//
// A single name in a directory that jemfix's file system holds open is
// opened and read on the directory's descriptor, without an *os.File (see
// openForRead).
func ReadInto(buf []byte, fsys fs.FS, p, name string, limit int64) ([]byte, error) {
	f, err := openForRead(fsys, p)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, UnwrapPath(err))
	}
	defer f.Close()
	size, err := fileSize(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, UnwrapPath(err))
	}
	if size > limit {
		return nil, &TooLargeError{Name: name, Kind: kindOf(p), Size: size, Limit: limit}
	}
	if buf == nil {
		buf = make([]byte, 0, int(size)+1)
	} else if n := int(size) + bytes.MinRead; cap(buf) < n {
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

// fileSize returns the size of the open file f: from a stat of its own
// when it has one that makes no FileInfo (a raw descriptor, see sysFS).
func fileSize(f fs.File) (int64, error) {
	if s, ok := f.(interface{ size() (int64, error) }); ok {
		return s.size()
	}
	fi, err := f.Stat()
	if err != nil {
		return 0, err
	}
	if !fi.Mode().IsRegular() {
		return 0, &fs.PathError{Op: "read", Path: fi.Name(), Err: errNotRegular}
	}
	return fi.Size(), nil
}

// errNotRegular is the error of reading what is not a regular file (a
// FIFO, a device, a directory): the files are opened without blocking,
// so that a FIFO put in place of a file does not stop the run.
var errNotRegular = errors.New("not a regular file")

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
