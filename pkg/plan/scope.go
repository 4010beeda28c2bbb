package plan

import (
	"bytes"
	"fmt"
	"io/fs"
	"maps"
	"path"
	"regexp"
	"slices"
	"strings"
	"sync"

	"jemfix/pkg/conflict"
	"jemfix/pkg/docs"
	"jemfix/pkg/rustedit"
	"jemfix/pkg/textedit"
	"jemfix/pkg/workspace"
)

// Scope: a renamed dependency is visible only to some targets of its
// package. A normal dependency is visible to the library, binaries,
// examples, tests and benches, not to the build script; a dev-dependency
// to tests, examples, benches and #[cfg(test)] code (jemfix rewrites every
// non-build file for it, since #[cfg(test)] code may sit anywhere); a
// build-dependency only to the build script and the modules next to it.

// Skip kinds that plan adds to rustedit's.
const (
	KindInclude = "include"        // a file pulled in by include!
	KindMention = docs.KindMention // a non-Rust file names an old crate
	KindScope   = "scope"          // a target jemfix does not rewrite
)

// packageJobs returns the rewrite jobs for the Rust files of one package,
// each with the renames its target can see, and reports targets jemfix
// leaves alone. A file shared by two packages gets a job in each; the
// caller keeps the first.
func packageJobs(ws *workspace.Workspace, t *tree, me *manifestEdit, series string) ([]sourceJob, []Skipped) {
	normal, build := sourceOptions(ws, t, me, series)
	m := me.m
	bs := ws.BuildScript(m, t.Files)
	roots := map[string]bool{}
	var skips []Skipped
	own, err := t.Package(m.Dir)
	if err != nil {
		return nil, []Skipped{{At: ws.Position(m, 0), Kind: KindScope, Reason: fmt.Sprintf("%s: %v; its sources were not rewritten", ws.Path(m.Dir), err)}}
	}
	files := slices.Clip(own)
	for _, tg := range m.Doc.Targets() {
		if tg.Path == "" {
			continue
		}
		p := path.Clean(path.Join(m.Dir, tg.Path))
		roots[p] = true
		switch {
		case !fs.ValidPath(p) || ws.ThroughLink(p):
			skips = append(skips, Skipped{At: ws.Position(m, tg.PathSpan.Start), Kind: KindScope,
				Reason: fmt.Sprintf("[%s] path %q leaves the workspace root or goes through a symbolic link; not rewritten", tg.Kind, tg.Path)})
		case !slices.ContainsFunc(own, func(f workspace.File) bool { return f.Path == p }) && ws.IsFile(p):
			// Outside the package's directory, or in a package nested in
			// it, or where the walk does not go: cargo builds it as this
			// package's target all the same.
			files = append(files, workspace.File{Path: p})
			if t.partial {
				t.shared.Store(true) // maybe another package's file, of another run
			}
		}
	}
	// The options of the package's files, made once: the build script
	// tests no package feature in cfg, so it gets no feature renames of a
	// half-migrated package.
	normalJob := &jobConfig{opt: normal, hard: normal.Crates, features: me.features, adjust: me.adjust, roots: roots}
	if len(me.stale.normal) > 0 {
		normalJob.stale, normalJob.opt = me.stale.normal, t.internOptions(withStale(normal, me.stale.normal, me.stale.features))
	}
	buildJob := &jobConfig{opt: build, hard: build.Crates, features: me.features, adjust: me.adjust, roots: roots}
	if len(me.stale.build) > 0 {
		buildJob.stale, buildJob.opt = me.stale.build, t.internOptions(withStale(build, me.stale.build, nil))
	}
	if len(roots) == 0 {
		normalJob.roots, buildJob.roots = nil, nil // kept with the jobs: most packages name no target path
	}
	through := throughModules(ws, files)
	normalJob.opt.ThroughModules, buildJob.opt.ThroughModules = through, through
	jobs := make([]sourceJob, 0, len(files))
	for _, f := range files {
		job := sourceJob{path: f.Path, jobConfig: normalJob}
		if workspace.InBuildScript(f.Path, bs, m.Dir, roots) {
			job.jobConfig = buildJob
		}
		jobs = append(jobs, job)
	}
	return jobs, skips
}

// throughModules returns rustedit.Options.ThroughModules for a package of
// files: on its first call it reads them all again and notes every name
// that follows crate:: or super::, the paths by which another file can
// reach an import. Only a private import of a
// renamed crate asks, which is rare; the others never pay for the reads.
func throughModules(ws *workspace.Workspace, files []workspace.File) func(string) bool {
	var once sync.Once
	var names map[string]bool
	return func(old string) bool {
		once.Do(func() {
			names = map[string]bool{}
			for _, f := range files {
				src, err := ws.ReadFile(f.Path, workspace.MaxSourceSize)
				if err != nil {
					continue
				}
				for _, head := range []string{"crate::", "super::"} { // self:: in another file is that file's module
					for i := 0; ; {
						j := bytes.Index(src[i:], []byte(head))
						if j < 0 {
							break
						}
						start := i + j + len(head)
						end := start
						for end < len(src) && identByteASCII(src[end]) {
							end++
						}
						names[string(src[start:end])] = true
						i = max(end, start)
					}
				}
			}
		})
		return names[old]
	}
}

// sourceOptions splits the package's renames by the kind of dependency that
// brought them: normal and dev renames apply to every file but the build
// script, build renames only to the build script.
func sourceOptions(ws *workspace.Workspace, t *tree, me *manifestEdit, series string) (normal, build rustedit.Options) {
	edition := ws.Edition(me.m)
	normal = rustedit.Options{Crates: map[string]string{}, Features: me.features, OldSeries: map[string]string{}, NewSeries: series, Deps: map[string]bool{},
		StyleEdition: edition, Edition: edition} // cargo fmt passes the package's edition to rustfmt
	build = rustedit.Options{OldSeries: normal.OldSeries, NewSeries: series, StyleEdition: edition, Edition: edition}
	for _, d := range me.m.Doc.Deps() {
		if d.InWorkspace {
			continue
		}
		key := d.Key
		if nk, ok := me.keys[key]; ok {
			key = nk
		}
		opt := &normal
		if d.Kind == "build" {
			opt = &build
			if build.Deps == nil { // most packages have no build dependency
				build.Crates, build.Deps = map[string]string{}, map[string]bool{}
			}
		}
		if n := workspace.RustName(key); rustedit.Needed(n) && d.Kind != "dev" {
			opt.Deps[n] = true // (a dev-dependency serves tests, not the library the rewrite may touch)
		}
		if nu, ok := me.crates[workspace.RustName(d.Key)]; ok {
			opt.Crates[workspace.RustName(d.Key)] = nu
		}
	}
	for name, ser := range t.oldSeries(ws)[me.m] {
		if me.crates[name] != "" {
			normal.OldSeries[name] = ser
		}
	}
	normal, build = t.internOptions(normal), t.internOptions(build)
	build.OldSeries = normal.OldSeries
	return normal, build
}

// internOptions makes options whose rename tables equal those of an
// earlier package share them: the packages of a large workspace mostly
// rename the same crates, and the tables are only read.
func (t *tree) internOptions(o rustedit.Options) rustedit.Options {
	o.Crates, o.OldSeries, o.Features = t.tables.intern(o.Crates), t.tables.intern(o.OldSeries), t.tables.intern(o.Features)
	o.Deps = t.tables.internSet(o.Deps)
	return o
}

// oldSeries indexes the series of every family dependency by member and
// Rust name, once per walk.
func (t *tree) oldSeries(ws *workspace.Workspace) map[*workspace.Manifest]map[string]string {
	if t.series == nil {
		t.series = map[*workspace.Manifest]map[string]string{}
		uses := t.uses
		if uses == nil {
			uses = conflict.Uses(ws)
		}
		for _, u := range uses {
			if u.Dep.InWorkspace {
				continue
			}
			if t.series[u.Manifest] == nil {
				t.series[u.Manifest] = map[string]string{}
			}
			t.series[u.Manifest][workspace.RustName(u.Dep.Key)] = u.Series
		}
	}
	return t.series
}

// includedSkips turns the edits of a file that another file pulls in with
// include!("…") into reports. Such a file is not a module: its text lands
// wherever it is included, possibly in several targets with different
// dependencies, so jemfix leaves it for a person to check.
// results are runJobs', in the order of jobs.
func includedSkips(ws *workspace.Workspace, t *tree, jobs []sourceJob, results []sourceResult) []Skipped {
	var by map[string]int     // the index in results of a changed file by path, made at the first include!
	var known map[string]bool // every file of the jobs
	var out []Skipped
	for _, r := range results {
		incs := includeCalls(r.old)
		paths := pathAttrs(r.old)
		if len(incs)+len(paths) > 0 && by == nil {
			by, known = map[string]int{}, make(map[string]bool, len(jobs))
			for k, r := range results {
				if r.change != nil {
					by[r.change.Path] = k
				}
			}
			for _, j := range jobs {
				known[j.path] = true
			}
		}
		pulled := slices.Concat(incs, paths)
		slices.SortFunc(pulled, func(a, b include) int { return a.off - b.off })
		for _, pa := range pulled {
			if s, ok := outsideSources(ws, t, jobs[r.job], r.old, pa, known); ok {
				out = append(out, s)
			}
		}
		for _, inc := range incs {
			target := path.Clean(path.Join(path.Dir(jobs[r.job].path), inc.path))
			k, ok := by[target]
			if !ok || results[k].change == nil {
				continue
			}
			line, col := textedit.LineCol(r.old, inc.off)
			from := fmt.Sprintf("%s:%d:%d", ws.Path(jobs[r.job].path), line, col)
			old := results[k].old
			if old == nil { // the result kept no bytes: read the file again to place the edits
				var err error
				if old, err = ws.ReadFile(target, workspace.MaxSourceSize); err != nil {
					old = nil
				}
			}
			for _, e := range results[k].edits {
				out = append(out, Skipped{At: ws.At(target, old, e.Start), Kind: KindInclude, Left: target,
					Reason: fmt.Sprintf("file is pulled in by include! at %s, not a module; rename to %s by hand", from, e.New)})
			}
			results[k].change = nil
		}
	}
	return out
}

type include struct {
	off  int
	path string
	attr bool        // #[path = "…"], not include!
	mods []inlineMod // the inline modules (mod m { … }) around a #[path], outermost first
}

// inlineMod is an inline module around a #[path] attribute: its name, and
// the path of its own #[path = "…"] attribute, "" when it has none.
type inlineMod struct{ name, path string }

// outsideSources reports a file that job's file pulls in (include!, or
// #[path] on a module) when it is none of the sources jemfix rewrites (a
// file with another extension, or outside the package) and names one of
// the crates the job renames: jemfix leaves it as it is, and the package
// would not build.
func outsideSources(ws *workspace.Workspace, t *tree, job sourceJob, src []byte, pa include, known map[string]bool) (Skipped, bool) {
	target := path.Clean(path.Join(path.Dir(job.path), pa.path))
	if len(pa.mods) > 0 {
		target = path.Clean(path.Join(path.Join(inlineDirs(job, pa.mods)...), pa.path))
	}
	if known[target] || path.IsAbs(pa.path) {
		return Skipped{}, false
	}
	line, col := textedit.LineCol(src, pa.off)
	at := workspace.Position{Path: ws.Path(job.path), Line: line, Col: col}
	how := "include!"
	if pa.attr {
		how = "#[path]"
	}
	if target == ".." || strings.HasPrefix(target, "../") {
		return Skipped{At: at, Kind: KindInclude, File: job.path,
			Reason: fmt.Sprintf("%s pulls in %s, outside the workspace root: not read; if it names a renamed crate, rename it by hand", how, pa.path)}, true
	}
	b, err := ws.ReadFile(target, workspace.MaxSourceSize)
	if err != nil {
		return Skipped{}, false
	}
	if t.partial && strings.HasSuffix(target, ".rs") {
		t.shared.Store(true) // a source of another package, maybe of another run
	}
	for _, old := range slices.Sorted(maps.Keys(job.opt.Crates)) {
		scope := b
		if !pa.attr {
			// include! pastes b where it stands, so the including file's
			// imports may bind there too (through a glob, a function's
			// scope, …): any of them counts, but one only for tests.
			scope = slices.Concat(notForTests(src), b)
		}
		if namesCrate(target, b, scope, old, job.opt) {
			return Skipped{At: at, Kind: KindInclude, File: job.path,
				Reason: fmt.Sprintf("%s pulls in %s, which is not among the package's sources jemfix rewrites and names %s; rename it to %s there by hand", how, ws.Path(target), old, job.opt.Crates[old]), Left: target}, true
		}
	}
	return Skipped{}, false
}

// namesCrate reports whether the Rust text b, pulled into a package
// whose renames are opt, still names the crate old in code: the rewrite
// of b would change a path of it. Text that does not parse as a file (an
// expression that include! pulls in) counts when old appears in its code,
// outside comments and literals. Text whose scope (the file, and for
// include! the including file too) binds old to the new crate itself
// (`use tikv_jemallocator as jemallocator;`) compiles as it is.
func namesCrate(name string, b, scope []byte, old string, opt rustedit.Options) bool {
	if !rustedit.NamesInCode(b, []string{old}) {
		return false
	}
	if aliases(rustedit.CodeOnly(scope), opt.Crates[old], old) {
		return false
	}
	res, err := rustedit.Rewrite(name, b, opt)
	if err != nil {
		return true
	}
	for _, e := range res.Edits {
		if strings.Contains(string(b[e.Start:e.End]), old) {
			return true
		}
	}
	return false
}

// aliases reports whether code binds old to the crate nu itself: `use
// nu as old;`, `extern crate nu as old;`. Paths through old then compile.
func aliases(code []byte, nu, old string) bool {
	return regexp.MustCompile(`\b(use|extern\s+crate)\s+(::)?` + regexp.QuoteMeta(nu) + `\s+as\s+` + regexp.QuoteMeta(old) + `\s*;`).Match(code)
}

// notForTests returns the code of src, comments and literals blanked,
// less each line that follows a #[cfg(test)] attribute line: an item a
// build without tests does not see.
func notForTests(src []byte) []byte {
	var out []byte
	testOnly := false
	for _, line := range bytes.SplitAfter(rustedit.CodeOnly(src), []byte("\n")) {
		switch t := string(bytes.TrimSpace(line)); {
		case t == "#[cfg(test)]":
			testOnly = true
		case strings.HasPrefix(t, "#[") || t == "":
		case testOnly:
			testOnly = false
			continue
		}
		out = append(out, line...)
	}
	return out
}

// pathAttrs finds #[path = "literal"] attributes, as include does
// include! calls.
func pathAttrs(src []byte) []include {
	var out []include
	for i := 0; ; {
		j := bytes.Index(src[i:], []byte("#[path"))
		if j < 0 {
			return out
		}
		start := i + j
		i = start + len("#[path")
		k := skipBlanks(src, i)
		if k >= len(src) || src[k] != '=' {
			continue
		}
		p, ok, done := literalAt(src, k+1)
		if done {
			return out
		}
		if ok && !onInlineModule(src, k) {
			out = append(out, include{off: start, path: p, attr: true, mods: inlineModules(src, start)})
		}
	}
}

// onInlineModule reports whether the item after offset i of src, inside
// an attribute, is an inline module (`mod m { … }`), whose #[path] names
// a directory (see inlineDirs), not a file.
func onInlineModule(src []byte, i int) bool {
	code := rustedit.CodeOnly(src[i:])
	end := bytes.IndexAny(code, ";{")
	return end >= 0 && code[end] == '{'
}

// inlineDirs returns the directories, from the root, where a #[path]
// inside the inline modules mods of job's file starts, as rustc finds
// them: the file's directory; in a file that is not a mod.rs or a crate
// root (src/a.rs), the directory of that file's module (src/a/); then a
// directory per module. A module with a #[path] of its own names its
// directory itself, from the directory it stands in: before the first
// module, that of the file, without the file module's directory.
func inlineDirs(job sourceJob, mods []inlineMod) []string {
	dirs := []string{path.Dir(job.path)}
	fileMod := ""
	if !modRs(job.path) && !job.roots[job.path] {
		fileMod = strings.TrimSuffix(path.Base(job.path), ".rs")
	}
	for _, m := range mods {
		if m.path != "" {
			dirs = append(dirs, m.path)
		} else {
			if fileMod != "" {
				dirs = append(dirs, fileMod)
			}
			dirs = append(dirs, m.name)
		}
		fileMod = ""
	}
	return dirs
}

// inlineModules returns the inline modules (`mod m { … }`) around offset
// off of src, outermost first.
func inlineModules(src []byte, off int) []inlineMod {
	code := rustedit.CodeOnly(src[:off])
	var stack []inlineMod // per open brace: the module it opens, or a zero one
	for i, c := range code {
		switch c {
		case '{':
			stack = append(stack, moduleBefore(src, code[:i]))
		case '}':
			if len(stack) > 0 {
				stack = stack[:len(stack)-1]
			}
		}
	}
	var out []inlineMod
	for _, m := range stack {
		if m.name != "" {
			out = append(out, m)
		}
	}
	return out
}

// pathAttr matches a whole #[path = "…"] attribute.
var pathAttr = regexp.MustCompile(`^#\s*\[\s*path\s*=\s*"([^"\\]*)"\s*\]$`)

// moduleBefore returns the module m when code, the blanked copy of a
// prefix of src, ends with `mod m` (blanks after it allowed), with the
// path of a #[path = "…"] attribute among those before it; else a zero
// inlineMod.
func moduleBefore(src, code []byte) inlineMod {
	code = bytes.TrimRight(code, " \t\r\n")
	end := len(code)
	for end > 0 && identByteASCII(code[end-1]) {
		end--
	}
	name := string(code[end:])
	rest := bytes.TrimRight(code[:end], " \t\r\n")
	if name == "" || !bytes.HasSuffix(rest, []byte("mod")) || len(rest) > 3 && identByteASCII(rest[len(rest)-4]) {
		return inlineMod{}
	}
	m := inlineMod{name: strings.TrimPrefix(name, "r#")}
	before := trimVisibility(bytes.TrimRight(rest[:len(rest)-3], " \t\r\n"))
	for {
		open := attrStart(before)
		if open < 0 {
			return m
		}
		if sub := pathAttr.FindSubmatch(src[open:len(before)]); sub != nil {
			m.path = string(sub[1])
		}
		before = bytes.TrimRight(before[:open], " \t\r\n")
	}
}

// trimVisibility drops a trailing `pub`, `pub(crate)`, `pub(in a::b)`
// from code, and the blanks before it.
func trimVisibility(code []byte) []byte {
	if bytes.HasSuffix(code, []byte(")")) {
		if open := bytes.LastIndexByte(code, '('); open >= 0 {
			if head := bytes.TrimRight(code[:open], " \t\r\n"); bytes.HasSuffix(head, []byte("pub")) {
				code = head
			}
		}
	}
	if bytes.HasSuffix(code, []byte("pub")) && (len(code) == 3 || !identByteASCII(code[len(code)-4])) {
		code = code[:len(code)-3]
	}
	return bytes.TrimRight(code, " \t\r\n")
}

// attrStart returns the offset of the '#' of the attribute code ends
// with (`#[…]`, brackets balanced, literals blanked), or -1.
func attrStart(code []byte) int {
	if !bytes.HasSuffix(code, []byte("]")) {
		return -1
	}
	depth := 0
	for i := len(code) - 1; i >= 0; i-- {
		switch code[i] {
		case ']':
			depth++
		case '[':
			if depth--; depth == 0 {
				hash := bytes.TrimRight(code[:i], " \t")
				if !bytes.HasSuffix(hash, []byte("#")) {
					return -1
				}
				return len(hash) - 1
			}
		}
	}
	return -1
}

// modRs reports whether the Rust file p is a mod-rs file, whose inline
// modules' #[path] attributes start at its own directory: a mod.rs, or a
// crate root (lib.rs, main.rs, build.rs, a file of src/bin, examples,
// tests or benches).
func modRs(p string) bool {
	switch base, dir := path.Base(p), path.Base(path.Dir(p)); {
	case base == "mod.rs" || base == "lib.rs" || base == "main.rs" || base == "build.rs":
		return true
	case dir == "bin" || dir == "examples" || dir == "tests" || dir == "benches":
		return true
	}
	return false
}

// skipBlanks returns the offset of the first byte at or after i that is
// not a space or a tab.
func skipBlanks(src []byte, i int) int {
	for i < len(src) && (src[i] == ' ' || src[i] == '\t') {
		i++
	}
	return i
}

// literalAt reads the string literal that starts at i, after blanks: ok
// when there is one; done when it never ends, so nothing after it can be
// read either.
func literalAt(src []byte, i int) (s string, ok, done bool) {
	k := skipBlanks(src, i)
	if k >= len(src) || src[k] != '"' {
		return "", false, false
	}
	end := bytes.IndexByte(src[k+1:], '"')
	if end < 0 {
		return "", false, true
	}
	return string(src[k+1 : k+1+end]), true, false
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
		p, ok, done := literalAt(src, i)
		if done {
			return out
		}
		if ok {
			out = append(out, include{off: start, path: p})
		}
	}
}

func identByteASCII(b byte) bool {
	return b == '_' || b >= '0' && b <= '9' || b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z'
}
