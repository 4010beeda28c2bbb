package plan

import (
	"bytes"
	"fmt"
	"io/fs"
	"path"
	"strings"

	"jemfix/pkg/rustedit"
	"jemfix/pkg/textedit"
)

// Scope: a renamed dependency is visible only to some targets of its
// package. A normal dependency is visible to the library, binaries,
// examples, tests and benches, not to the build script; a dev-dependency
// to tests, examples, benches and #[cfg(test)] code (jemfix rewrites every
// non-build file for it, since #[cfg(test)] code may sit anywhere); a
// build-dependency only to the build script and the modules next to it.

// Skip kinds that plan adds to rustedit's.
const (
	KindInclude = "include" // a file pulled in by include!
	KindMention = "mention" // a non-Rust file names an old crate
	KindScope   = "scope"   // a target jemfix does not rewrite
)

// tree is one walk of the workspace root.
type tree struct {
	rust   map[string][]fileEntry          // package dir -> its .rs files
	other  []fileEntry                     // non-Rust files that may name a crate
	series map[*Manifest]map[string]string // member -> Rust name -> old series, built on first use
}

type fileEntry struct {
	path string
	size int64 // for non-Rust files only
}

// walkRoot lists the files of the workspace in one walk. It does not enter
// target/, vendor/, node_modules/ or hidden directories (except .github,
// .cargo and .circleci, for their configuration files), and it never follows
// a symbolic link. A .rs file belongs to the nearest directory above it
// that holds a Cargo.toml.
func walkRoot(fsys fs.FS) (*tree, error) {
	t := &tree{rust: map[string][]fileEntry{}}
	var owners []string // package dirs of the directories being walked
	err := walk(fsys, func(p string, d fs.DirEntry, dir fs.FS) error {
		for len(owners) > 0 && !within(p, owners[len(owners)-1]) {
			owners = owners[:len(owners)-1]
		}
		if d.IsDir() {
			if p != "." && skipWalk(d.Name()) {
				return fs.SkipDir
			}
			if p == "." && isFile(fsys, "Cargo.toml") || p != "." && isFile(dir, path.Join(d.Name(), "Cargo.toml")) {
				owners = append(owners, p)
			}
			return nil
		}
		if !d.Type().IsRegular() {
			return nil
		}
		switch {
		case strings.HasSuffix(p, ".rs") && len(owners) > 0 && !hiddenPath(p):
			// The size cap of a Rust file is checked when it is read.
			owner := owners[len(owners)-1]
			t.rust[owner] = append(t.rust[owner], fileEntry{path: p})
		case textKind(p) != "":
			info, err := d.Info()
			if err != nil {
				return err
			}
			t.other = append(t.other, fileEntry{path: p, size: info.Size()})
		}
		return nil
	})
	return t, err
}

func skipWalk(name string) bool {
	switch name {
	case "target", "vendor", "node_modules":
		return true
	case ".github", ".cargo", ".circleci":
		return false
	}
	return strings.HasPrefix(name, ".")
}

func hiddenPath(p string) bool {
	return strings.HasPrefix(p, ".") || strings.Contains(p, "/.")
}

// within reports whether p is dir or lies under it.
func within(p, dir string) bool {
	return dir == "." || p == dir || strings.HasPrefix(p, dir+"/")
}

// textKind names the kind of non-Rust file jemfix scans for mentions, or "".
func textKind(p string) string {
	base := path.Base(p)
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

// packageJobs returns the rewrite jobs for the Rust files of one package,
// each with the renames its target can see, and reports targets jemfix
// leaves alone. seen keeps a file shared by two packages to one job.
func (ws *Workspace) packageJobs(fsys fs.FS, t *tree, me *manifestEdit, series string, seen map[string]bool) ([]sourceJob, []Skipped) {
	normal, build := ws.sourceOptions(t, me, series)
	m := me.m
	bs := buildScript(fsys, m)
	roots := map[string]bool{}
	var skips []Skipped
	files := t.rust[m.Dir]
	for _, tg := range m.Doc.Targets() {
		if tg.Path == "" {
			continue
		}
		p := path.Clean(path.Join(m.Dir, tg.Path))
		roots[p] = true
		switch {
		case !fs.ValidPath(p) || throughLink(fsys, p):
			skips = append(skips, Skipped{At: ws.position(m, tg.PathSpan.Start), Kind: KindScope,
				Reason: fmt.Sprintf("[%s] path %q leaves the workspace root or goes through a symbolic link; not rewritten", tg.Kind, tg.Path)})
		case !within(p, m.Dir) && isFile(fsys, p):
			files = append(files, fileEntry{path: p})
		}
	}
	var jobs []sourceJob
	for _, f := range files {
		if seen[f.path] {
			continue
		}
		seen[f.path] = true
		opt := normal
		if inBuildScript(f.path, bs, m.Dir, roots) {
			opt = build
		}
		jobs = append(jobs, sourceJob{path: f.path, opt: opt})
	}
	return jobs, skips
}

// buildScript returns the package's build script path, or "".
func buildScript(fsys fs.FS, m *Manifest) string {
	p, set := m.Doc.BuildScript()
	if !set {
		p = "build.rs"
		if !isFile(fsys, path.Join(m.Dir, p)) {
			return ""
		}
	}
	if p == "" {
		return ""
	}
	return path.Clean(path.Join(m.Dir, p))
}

// inBuildScript reports whether the file is compiled into the build script:
// the script itself; with a script in its own directory (build/main.rs),
// everything under that directory; with a script at the package root, the
// other .rs files at the root that are not declared targets.
func inBuildScript(p, bs, dir string, roots map[string]bool) bool {
	if bs == "" {
		return false
	}
	if p == bs {
		return true
	}
	if d := path.Dir(bs); d != dir {
		return within(p, d)
	}
	return path.Dir(p) == dir && !roots[p]
}

// throughLink reports whether any part of p is a symbolic link.
func throughLink(fsys fs.FS, p string) bool {
	for q := p; q != "." && q != "/"; q = path.Dir(q) {
		if fi, err := fs.Lstat(fsys, q); err == nil && fi.Mode()&fs.ModeSymlink != 0 {
			return true
		}
	}
	return false
}

// sourceOptions splits the package's renames by the kind of dependency that
// brought them: normal and dev renames apply to every file but the build
// script, build renames only to the build script.
func (ws *Workspace) sourceOptions(t *tree, me *manifestEdit, series string) (normal, build rustedit.Options) {
	normal = rustedit.Options{Crates: map[string]string{}, Features: me.features, OldSeries: map[string]string{}, NewSeries: series, Deps: map[string]bool{}}
	build = rustedit.Options{Crates: map[string]string{}, OldSeries: normal.OldSeries, NewSeries: series, Deps: map[string]bool{}}
	for _, d := range me.m.Doc.Dependencies() {
		if d.InWorkspace {
			continue
		}
		key := d.Key
		if nk, ok := me.keys[key]; ok {
			key = nk
		}
		opt := normal
		if d.Kind == "build" {
			opt = build
		}
		opt.Deps[RustName(key)] = true
		if nu, ok := me.crates[RustName(d.Key)]; ok {
			opt.Crates[RustName(d.Key)] = nu
		}
	}
	for name, ser := range t.oldSeries(ws)[me.m] {
		if me.crates[name] != "" {
			normal.OldSeries[name] = ser
		}
	}
	return normal, build
}

// oldSeries indexes the series of every family dependency by member and
// Rust name, once per walk.
func (t *tree) oldSeries(ws *Workspace) map[*Manifest]map[string]string {
	if t.series == nil {
		t.series = map[*Manifest]map[string]string{}
		for _, u := range ws.Uses() {
			if u.Dep.InWorkspace {
				continue
			}
			if t.series[u.Manifest] == nil {
				t.series[u.Manifest] = map[string]string{}
			}
			t.series[u.Manifest][RustName(u.Dep.Key)] = u.Series
		}
	}
	return t.series
}

// includedSkips turns the edits of a file that another file pulls in with
// include!("…") into reports. Such a file is not a module: its text lands
// wherever it is included, possibly in several targets with different
// dependencies, so jemfix leaves it for a person to check.
func (ws *Workspace) includedSkips(jobs []sourceJob, results []sourceResult) []Skipped {
	by := map[string]int{}
	for i, j := range jobs {
		by[j.path] = i
	}
	var out []Skipped
	for i, r := range results {
		for _, inc := range includeCalls(r.old) {
			target := path.Clean(path.Join(path.Dir(jobs[i].path), inc.path))
			k, ok := by[target]
			if !ok || results[k].new == nil {
				continue
			}
			line, col := textedit.LineCol(r.old, inc.off)
			from := fmt.Sprintf("%s:%d:%d", ws.display(jobs[i].path), line, col)
			for _, e := range results[k].edits {
				l, c := textedit.LineCol(results[k].old, e.Start)
				out = append(out, Skipped{At: Position{Path: ws.display(target), Line: l, Col: c}, Kind: KindInclude,
					Reason: fmt.Sprintf("file is pulled in by include! at %s, not a module; rename to %s by hand", from, e.New)})
			}
			results[k].new = nil
		}
	}
	return out
}

type include struct {
	off  int
	path string
}

// includeCalls finds include!("literal") calls; paths built with concat! or
// env! (OUT_DIR) are not in the tree and are not followed.
func includeCalls(src []byte) []include {
	var out []include
	const mac = "include!("
	for i := 0; ; {
		j := bytes.Index(src[i:], []byte(mac))
		if j < 0 {
			return out
		}
		start := i + j
		i = start + len(mac)
		if start > 0 && (identByteASCII(src[start-1])) {
			continue // include_str!, my_include!
		}
		k := i
		for k < len(src) && (src[k] == ' ' || src[k] == '\t') {
			k++
		}
		if k >= len(src) || src[k] != '"' {
			continue
		}
		end := bytes.IndexByte(src[k+1:], '"')
		if end < 0 {
			return out
		}
		out = append(out, include{off: start, path: string(src[k+1 : k+1+end])})
	}
}

func identByteASCII(b byte) bool {
	return b == '_' || b >= '0' && b <= '9' || b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z'
}
