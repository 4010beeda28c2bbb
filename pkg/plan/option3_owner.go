package plan

import (
	"bytes"
	"fmt"
	"slices"
	"strings"

	"jemfix/pkg/conflict"
	"jemfix/pkg/workspace"
)

// Option 3: which library member owns jemalloc.

// chooseOwner picks the library every allocator-declaring binary depends
// on, preferring one whose library declares the allocator, then one that
// already has jemalloc dependencies; --into wins.
func (c *consolidation) chooseOwner(into string) (*workspace.Manifest, error) {
	libs := c.libraries()
	// Every member with an allocator counts against an owner library
	// that declares one (otherAllocator); only those that may want
	// jemalloc's must depend on the owner.
	all, bins, err := allocatorMembers(c.ws, c.uses)
	if err != nil {
		return nil, err
	}
	if into != "" {
		m := c.ws.Member(into)
		switch {
		case m == nil:
			return nil, fmt.Errorf("--into=%s: no member of the workspace has that name", into)
		case !slices.Contains(libs, m):
			return nil, fmt.Errorf("--into=%s: not a library member of the workspace that can own jemalloc (it needs a src/lib.rs, and a proc-macro crate or a cargo-hakari workspace-hack package cannot)", into)
		}
		if other := c.otherAllocator(m, all); other != "" {
			return nil, fmt.Errorf("option 3: %s's library declares a #[global_allocator], and so does %s, which would get it with %s's jemalloc feature: two global allocators; choose another owner with --into", m.Name, other, m.Name)
		}
		c.p.Why = append(c.p.Why, fmt.Sprintf("owner %s: chosen with --into", into))
		return m, nil
	}
	// A library that declares the allocator itself (an allocator crate
	// of the workspace) is the natural owner: it keeps its declaration.
	// Otherwise one with jemalloc dependencies is preferred. A package
	// whose own binary declares the allocator may own jemalloc too (its
	// binaries depend on its library), but any other library comes first.
	rank := func(m *workspace.Manifest) int {
		switch {
		case c.libraryDeclares(m):
			return 2
		case slices.Contains(bins, m):
			return -1
		case len(c.familyUses(m)) > 0:
			return 1
		}
		return 0
	}
	var best *workspace.Manifest
	var passed []string // why a library that every binary depends on was passed over
	for _, lib := range libs {
		others := slices.DeleteFunc(slices.Clone(bins), func(m *workspace.Manifest) bool { return m == lib })
		if !c.allDependOn(others, lib) {
			continue
		}
		if other := c.otherAllocator(lib, all); other != "" {
			passed = append(passed, fmt.Sprintf("%s's library declares a #[global_allocator], and so does %s", lib.Name, other))
			continue
		}
		if c.reachesUser(lib) {
			passed = append(passed, fmt.Sprintf("%s depends on another member that uses jemalloc, which would depend on it", lib.Name))
			continue
		}
		if best == nil || rank(lib) > rank(best) {
			best = lib
		}
	}
	if best == nil {
		why := ""
		if len(passed) > 0 {
			why = " (" + strings.Join(passed, "; ") + ")"
		}
		return nil, fmt.Errorf("option 3: no library member that every binary declaring a #[global_allocator] depends on can own jemalloc%s; name one with --into=CRATE", why)
	}
	c.p.Why = append(c.p.Why, fmt.Sprintf("owner %s: the library that every member declaring a #[global_allocator] depends on", best.Name))
	return best, nil
}

// codeName is the name m's code gives the owner's library: the key of
// m's dependency on it when that renames the package (package = "…"),
// else the library's own name ([lib] name, or the package name with "-"
// as "_"), which is also what a dependency jemfix adds gives it.
func (c *consolidation) codeName(m *workspace.Manifest) string {
	if d := c.ownerDep(m); d != nil && d.Key != c.owner.Name {
		return workspace.RustName(d.Key)
	}
	for _, tg := range c.owner.Doc.Targets() {
		if tg.Kind == "lib" && tg.Name != "" {
			return workspace.RustName(tg.Name)
		}
	}
	return workspace.RustName(c.owner.Name)
}

// otherAllocator returns a member of bins other than lib that declares its
// own allocator, when lib's library declares one too: the members get
// lib's allocator with its jemalloc feature, and two global allocators do
// not link. "" when there is none, or lib's library declares none.
func (c *consolidation) otherAllocator(lib *workspace.Manifest, bins []*workspace.Manifest) string {
	if !c.libraryDeclares(lib) {
		return ""
	}
	for _, m := range bins {
		if m != lib {
			return m.Name
		}
	}
	// A test, bench or example of a member that gets the owner links the
	// owner's library, and its allocator with it.
	for _, m := range c.ws.Members {
		if m == lib || len(c.familyUses(m)) == 0 {
			continue
		}
		decls, err := c.ws.GlobalAllocators(m)
		if err != nil {
			continue
		}
		if i := slices.IndexFunc(decls, func(d workspace.AllocatorDecl) bool { return ownCrate(m, d.Path) }); i >= 0 {
			return fmt.Sprintf("%s's %s", m.Name, strings.TrimPrefix(decls[i].Path, m.Dir+"/"))
		}
	}
	return ""
}

// libraryDeclares reports whether m's library, not one of its binaries,
// declares a global allocator: files other than src/main.rs and src/bin/.
func (c *consolidation) libraryDeclares(m *workspace.Manifest) bool {
	decls, err := c.ws.GlobalAllocators(m)
	if err != nil {
		return false
	}
	return slices.ContainsFunc(decls, func(d workspace.AllocatorDecl) bool {
		return !ownCrate(m, d.Path) && d.Path != joinDir(m.Dir, "src/main.rs") && !workspace.Within(d.Path, joinDir(m.Dir, "src/bin"))
	})
}

// reachesUser reports whether m depends on another member that uses
// jemalloc: that member would depend on m, a cycle.
func (c *consolidation) reachesUser(m *workspace.Manifest) bool {
	for _, u := range c.uses {
		if !u.Unused && !u.Dep.InWorkspace && u.Manifest != m && dependsOn(c.ws, m, u.Manifest, map[*workspace.Manifest]bool{}) {
			return true
		}
	}
	return false
}

// libraries returns the members with a library target that may own
// jemalloc: not a cargo-hakari workspace-hack package, whose dependencies
// `cargo hakari generate` rewrites, and not a proc-macro crate, which can
// export nothing but its macros.
func (c *consolidation) libraries() []*workspace.Manifest {
	var out []*workspace.Manifest
	for _, m := range c.ws.Members {
		if bytes.Contains(m.Doc.Src, []byte("### BEGIN HAKARI SECTION")) || workspace.ProcMacro(m) {
			continue
		}
		if c.ws.IsFile(joinDir(m.Dir, "src/lib.rs")) {
			out = append(out, m)
		}
	}
	return out
}

// allocatorMembers returns the members whose library or binaries declare
// a global allocator, and of those the ones that may want jemalloc's: a
// member whose only allocator is System or mimalloc, with no jemalloc
// dependency, needs no owner.
func allocatorMembers(ws *workspace.Workspace, uses []conflict.Use) (all, jemalloc []*workspace.Manifest, err error) {
	var ms []*workspace.Manifest
	for _, m := range ws.Members {
		if !m.NonMember { // a path dependency of the root package: no binary of the workspace
			ms = append(ms, m)
		}
	}
	decls, err := ws.AllocatorsOf(ms)
	if err != nil {
		return nil, nil, err
	}
	for i, m := range ms {
		own := slices.DeleteFunc(slices.Clone(decls[i]), func(d workspace.AllocatorDecl) bool { return ownCrate(m, d.Path) })
		if len(own) == 0 {
			continue
		}
		all = append(all, m)
		uses := slices.ContainsFunc(uses, func(u conflict.Use) bool { return u.Manifest == m && !u.Unused && !u.Dep.InWorkspace })
		if uses || slices.ContainsFunc(own, func(d workspace.AllocatorDecl) bool { return d.Jemalloc }) {
			jemalloc = append(jemalloc, m)
		}
	}
	return all, jemalloc, nil
}

// ownCrate reports whether file p of m belongs to one of m's integration
// tests, benches or examples: crates of their own, which depend on m. An
// allocator declared there is not m's, and m may still own jemalloc.
func ownCrate(m *workspace.Manifest, p string) bool {
	for _, dir := range []string{"tests", "benches", "examples"} {
		if workspace.Within(p, joinDir(m.Dir, dir)) {
			return true
		}
	}
	return false
}

func (c *consolidation) allDependOn(ms []*workspace.Manifest, lib *workspace.Manifest) bool {
	for _, m := range ms {
		if c.ws.DepOn(m, lib) == nil {
			return false
		}
	}
	return true
}

// dependsOn reports whether member a reaches member b through normal
// dependencies.
func dependsOn(ws *workspace.Workspace, a, b *workspace.Manifest, seen map[*workspace.Manifest]bool) bool {
	if a == b {
		return true
	}
	if seen[a] {
		return false
	}
	seen[a] = true
	for _, m := range ws.Members {
		if ws.DepOn(a, m) != nil && dependsOn(ws, m, b, seen) {
			return true
		}
	}
	return false
}
