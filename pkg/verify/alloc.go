package verify

import (
	"fmt"
	"strings"

	"jemfix/pkg/conflict"
	"jemfix/pkg/workspace"
)

// AllocatorCheck is the static check of one member's global allocators:
// for each feature set cargo may build it with, how many are declared.
type AllocatorCheck struct {
	Member     string
	Allocators []workspace.AllocatorDecl
	Counts     map[string]int // feature set ("default", "none", "feature X", "all") -> declarations compiled in
	Pass       bool           // no feature set declares more than one
}

// Allocators checks, without building anything, that each member declares
// at most one global allocator under every feature set: default features,
// none, each jemalloc feature alone, and all features. The target is taken
// to be x86_64 Linux with glibc.
func Allocators(ws *workspace.Workspace) ([]AllocatorCheck, error) {
	var out []AllocatorCheck
	reach := conflict.NewReach(ws)
	for _, m := range ws.Members {
		allocs, err := ws.GlobalAllocators(m)
		if err != nil {
			return nil, err
		}
		if len(allocs) == 0 {
			continue
		}
		c := AllocatorCheck{Member: m.Name, Allocators: allocs, Counts: map[string]int{}, Pass: true}
		for name, set := range featureSets(reach, m) {
			n := 0
			for _, a := range allocs {
				if a.Cfg == "" || evalCfg(a.Cfg, set) {
					n++
				}
			}
			c.Counts[name] = n
			c.Pass = c.Pass && n <= 1
		}
		out = append(out, c)
	}
	return out, nil
}

// featureSets returns the feature sets to check, each closed over the
// member's own feature references.
func featureSets(reach *conflict.Reach, m *workspace.Manifest) map[string]map[string]bool {
	feats := map[string][]string{}
	var all []string
	for _, f := range m.Doc.Features() {
		for _, r := range f.Refs {
			feats[f.Name] = append(feats[f.Name], r.Value)
		}
		all = append(all, f.Name)
	}
	for _, d := range m.Doc.Dependencies() {
		if d.Optional && !d.InWorkspace {
			all = append(all, d.Key)
		}
	}
	sets := map[string]map[string]bool{
		"none":    closure(nil, feats),
		"default": closure([]string{"default"}, feats),
		"all":     closure(all, feats),
	}
	for _, f := range reach.Features(m) {
		sets[fmt.Sprintf("feature %s", f)] = closure([]string{f}, feats)
	}
	return sets
}

func closure(start []string, feats map[string][]string) map[string]bool {
	on := map[string]bool{}
	var add func(string)
	add = func(f string) {
		f = strings.TrimPrefix(f, "dep:")
		if strings.Contains(f, "/") || on[f] {
			return
		}
		on[f] = true
		for _, r := range feats[f] {
			add(r)
		}
	}
	for _, f := range start {
		add(f)
	}
	return on
}
