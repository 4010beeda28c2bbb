package workspace

import (
	"errors"
	"strings"
)

// AllocatorDecl is one #[global_allocator] declaration in a member's sources.
type AllocatorDecl struct {
	Path string // root-relative file
	Line int
	Cfg  string // the cfg predicate of the attributes right above it; "" when unconditional
}

// GlobalAllocators finds the #[global_allocator] declarations of a member.
func (ws *Workspace) GlobalAllocators(m *Manifest) ([]AllocatorDecl, error) {
	files, err := ws.RustFiles(m)
	if err != nil {
		return nil, err
	}
	var out []AllocatorDecl
	for _, f := range files {
		src, err := ws.ReadFile(f, MaxSourceSize)
		var big *TooLargeError
		if errors.As(err, &big) {
			continue // not read for rewriting either; see MaxSourceSize
		}
		if err != nil {
			return nil, err
		}
		if !strings.Contains(string(src), "#[global_allocator]") {
			continue
		}
		lines := strings.Split(string(src), "\n")
		for i, l := range lines {
			if strings.TrimSpace(l) == "#[global_allocator]" {
				out = append(out, AllocatorDecl{Path: f, Line: i + 1, Cfg: cfgAbove(lines, i)})
			}
		}
	}
	return out, nil
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
