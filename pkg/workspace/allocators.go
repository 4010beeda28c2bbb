package workspace

import (
	"bytes"
	"errors"
	"strings"

	"jemfix/internal/par"
)

// AllocatorDecl is one #[global_allocator] declaration in a member's sources.
type AllocatorDecl struct {
	Path string // root-relative file
	Line int
	Cfg  string // the cfg predicate of the attributes right above it; "" when unconditional
	// Jemalloc marks a static whose declaration names Jemalloc (or a
	// jemalloc crate); a System or mimalloc allocator has it false.
	Jemalloc bool
}

// AllocatorsOf finds the #[global_allocator] declarations of every member
// (GlobalAllocators), reading the members in parallel.
func (ws *Workspace) AllocatorsOf(ms []*Manifest) ([][]AllocatorDecl, error) {
	out := make([][]AllocatorDecl, len(ms))
	errs := make([]error, len(ms))
	par.PerCPU(len(ms), func(i int) {
		out[i], errs[i] = ws.GlobalAllocators(ms[i])
	})
	return out, errors.Join(errs...)
}

// GlobalAllocators finds the #[global_allocator] declarations of a member,
// in the files the walk gives its package (see Walk). The answer is kept:
// the planner asks for every member several times.
func (ws *Workspace) GlobalAllocators(m *Manifest) ([]AllocatorDecl, error) {
	ws.allocMu.Lock()
	decls, ok := ws.allocs[m]
	ws.allocMu.Unlock()
	if ok {
		return decls, nil
	}
	files, err := ws.Walk()
	if err != nil {
		return nil, err
	}
	var out []AllocatorDecl
	var buf []byte
	own, err := files.Package(m.Dir)
	if err != nil {
		return nil, err
	}
	for _, f := range own {
		src, err := ReadInto(buf, ws.FS, f.Path, ws.Path(f.Path), MaxSourceSize)
		var big *TooLargeError
		if errors.As(err, &big) {
			continue // not read for rewriting either; see MaxSourceSize
		}
		if err != nil {
			return nil, err
		}
		buf = src
		if !bytes.Contains(src, []byte("global_allocator")) {
			continue
		}
		lines := strings.Split(string(src), "\n")
		for i, l := range lines {
			if cfg, ok := allocatorAttr(l); ok {
				var preds []string
				if above := cfgAbove(lines, i); above != "" {
					preds = append(preds, above)
				}
				if cfg != "" {
					preds = append(preds, cfg)
				}
				out = append(out, AllocatorDecl{Path: f.Path, Line: i + 1, Cfg: AllOf(preds), Jemalloc: namesJemalloc(lines[i+1:])})
			}
		}
	}
	ws.allocMu.Lock()
	defer ws.allocMu.Unlock()
	if ws.allocs == nil {
		ws.allocs = map[*Manifest][]AllocatorDecl{}
	}
	ws.allocs[m] = out
	return out, nil
}

// allocatorAttr reports whether line l is a global allocator's attribute:
// #[global_allocator], or #[cfg_attr(PRED, global_allocator)], which
// declares one where PRED holds; cfg is PRED, or "".
func allocatorAttr(l string) (cfg string, ok bool) {
	t := strings.TrimSpace(l)
	if t == "#[global_allocator]" {
		return "", true
	}
	inner, ok := strings.CutPrefix(t, "#[cfg_attr(")
	if !ok {
		return "", false
	}
	inner, ok = strings.CutSuffix(inner, ")]")
	i := strings.LastIndex(inner, ",")
	if !ok || i < 0 || strings.TrimSpace(inner[i+1:]) != "global_allocator" {
		return "", false
	}
	return strings.TrimSpace(inner[:i]), true
}

// namesJemalloc reports whether the declaration on lines, up to its ';',
// names Jemalloc or a jemalloc crate.
func namesJemalloc(lines []string) bool {
	for _, l := range lines[:min(len(lines), 8)] {
		if strings.Contains(strings.ToLower(l), "jemalloc") {
			return true
		}
		if strings.Contains(l, ";") {
			return false
		}
	}
	return false
}

// cfgAbove joins the #[cfg(...)] attributes on the lines directly above
// line i into one predicate.
func cfgAbove(lines []string, i int) string {
	var preds []string
	for j := i - 1; j >= 0; j-- {
		l := strings.TrimSpace(lines[j])
		if !strings.HasPrefix(l, "#[") {
			break
		}
		if inner, ok := strings.CutPrefix(l, "#[cfg("); ok {
			preds = append(preds, strings.TrimSuffix(strings.TrimSuffix(inner, "]"), ")"))
		}
	}
	return AllOf(preds)
}

// AllOf joins cfg predicates: "" for none, the predicate itself for one,
// all(…) for more.
func AllOf(preds []string) string {
	switch len(preds) {
	case 0:
		return ""
	case 1:
		return preds[0]
	}
	return "all(" + strings.Join(preds, ", ") + ")"
}
