package tomledit

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
	"github.com/pelletier/go-toml/v2"
	"golang.org/x/tools/txtar"

	"jemfix/pkg/textedit"
)

// addSeeds adds the hand-written seeds, every Cargo.toml under fixtures/
// and the input of every shapes-corpus case, so that fuzzing starts from the
// manifests jemfix is built for.
func addSeeds(f *testing.F, add func(src []byte)) {
	for _, s := range fuzzSeeds {
		add([]byte(s))
	}
	err := filepath.WalkDir("../../fixtures", func(p string, e fs.DirEntry, err error) error {
		if err != nil || e.IsDir() || e.Name() != "Cargo.toml" {
			return err
		}
		src, err := os.ReadFile(p)
		if err == nil {
			add(src)
		}
		return err
	})
	if err != nil {
		f.Fatal(err)
	}
	ins, err := shapeInputs("../plan/testdata/shapes")
	if err != nil {
		f.Fatal(err)
	}
	for _, in := range ins {
		add(in)
	}
}

// shapeInputs reads the input manifest of every case of the shapes corpus
// (pkg/plan's Option 1 goldens): the in/Cargo.toml section of a txtar, or a
// NAME.in.toml file.
func shapeInputs(dir string) ([][]byte, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var out [][]byte
	for _, e := range entries {
		p := filepath.Join(dir, e.Name())
		switch {
		case strings.HasSuffix(p, ".in.toml"):
			src, err := os.ReadFile(p)
			if err != nil {
				return nil, err
			}
			out = append(out, src)
		case strings.HasSuffix(p, ".txtar"):
			a, err := txtar.ParseFile(p)
			if err != nil {
				return nil, err
			}
			for _, f := range a.Files {
				if f.Name == "in/Cargo.toml" {
					out = append(out, f.Data)
				}
			}
		}
	}
	return out, nil
}

// The edit operations FuzzEdit picks from.
const (
	opRename = iota
	opDrop
	opAddDep
	opAddElem
	opRemoveElem
	opAddFeature
	opEditDep
	opCount
)

// FuzzEdit applies one random edit verb to a manifest and checks that the
// output parses, that no byte outside the edits changed, and that the
// decoded output is the decoded input with exactly that change.
func FuzzEdit(f *testing.F) {
	addSeeds(f, func(src []byte) {
		for op := range opCount {
			f.Add(src, uint8(op), uint16(0), "tikv-jemalloc-ctl")
		}
	})
	f.Fuzz(func(t *testing.T, src []byte, op uint8, pick uint16, name string) {
		if !utf8.ValidString(name) {
			return
		}
		d, err := Parse("Cargo.toml", src)
		if err != nil {
			return
		}
		edits, sem := fuzzOp(d, op%opCount, int(pick), name)
		if sem == nil || len(edits) == 0 {
			return
		}
		out, err := textedit.Apply(d.Src(), edits)
		if err != nil {
			t.Fatalf("Apply: %v", err)
		}
		checkOnlyInside(t, d.Src(), out, edits)
		if _, err := Parse("Cargo.toml", out); err != nil {
			t.Fatalf("output does not parse: %v\n%q\n%q", err, d.Src(), out)
		}
		want, got := decode(t, d.Src()), decode(t, out)
		sem(want)
		if diff := cmp.Diff(pruneEmpty(want), pruneEmpty(got)); diff != "" {
			t.Fatalf("decoded mismatch (-want +got):\n%s\n%q\n%q", diff, d.Src(), out)
		}
	})
}

// fuzzOp builds the edits of operation op and the change it must make to
// the decoded document; sem is nil when the operation does not apply.
func fuzzOp(d *Doc, op uint8, pick int, name string) ([]textedit.Edit, func(map[string]any)) {
	switch op {
	case opRename, opDrop, opEditDep:
		return fuzzDepOp(d, op, pick, name)
	case opAddDep:
		tables := []DepTable{{Kind: "normal"}, {Kind: "dev"}, {Kind: "build", Target: "cfg(unix)"}, {Kind: "normal", InWorkspace: true}}
		tbl := tables[pick%len(tables)]
		if clash(d, &Dep{Kind: tbl.Kind, Target: tbl.Target, InWorkspace: tbl.InWorkspace}, name) || len(writtenTables(d, tbl)) > 1 {
			return nil, nil // with both spellings written, source order picks the table
		}
		return d.AddDependency(tbl, name, `"1"`), addedSomewhere(tbl, name)
	case opAddFeature:
		if feature(d, name) != nil {
			return nil, nil
		}
		return d.AddFeature(name, []string{"dep:" + name}), refs(name, "dep:"+name)
	}
	return fuzzFeatureOp(d, op, pick, name)
}

func fuzzDepOp(d *Doc, op uint8, pick int, name string) ([]textedit.Edit, func(map[string]any)) {
	deps := d.Dependencies()
	if len(deps) == 0 {
		return nil, nil
	}
	dep := deps[pick%len(deps)]
	if op == opDrop {
		return d.DropDependency(dep), onTables(dep, func(tbl map[string]any) { delete(tbl, dep.Key) })
	}
	if op == opEditDep {
		if len(writtenTables(d, dep.Table())) > 1 {
			return nil, nil
		}
		fe := FieldEdit{Features: []string{name}, Drop: []string{"optional", "default-features"}}
		return d.EditDependency(dep, fe), onTables(dep, func(tbl map[string]any) { editedFields(tbl, dep.Key, fe) })
	}
	if clash(d, dep, name) {
		return nil, nil
	}
	return d.RenameDependency(dep, name), onTables(dep, func(tbl map[string]any) {
		tbl[name] = tbl[dep.Key]
		delete(tbl, dep.Key)
	})
}

func fuzzFeatureOp(d *Doc, op uint8, pick int, name string) ([]textedit.Edit, func(map[string]any)) {
	feats := d.Features()
	if len(feats) == 0 {
		return nil, nil
	}
	f := feats[pick%len(feats)]
	// The decoded array may hold more than the string refs the model lists.
	change := func(edit func([]any) []any) func(map[string]any) {
		return func(m map[string]any) {
			fs := at(m, "features")
			arr, _ := fs[f.Name].([]any)
			fs[f.Name] = edit(arr)
		}
	}
	if op == opAddElem {
		return d.AddArrayElement(f, name), change(func(a []any) []any { return append(a, name) })
	}
	if len(f.Refs) == 0 {
		return nil, nil
	}
	i := (pick / len(feats)) % len(f.Refs)
	return d.RemoveArrayElements(f, f.Refs[i:i+1]), change(func(a []any) []any { return removeNthString(a, i) })
}

// editedFields applies fe to the decoded entry key of tbl.
func editedFields(tbl map[string]any, key string, fe FieldEdit) {
	e, ok := tbl[key].(map[string]any)
	if !ok {
		if len(fe.Features) == 0 {
			return
		}
		e = map[string]any{"version": tbl[key]}
		tbl[key] = e
	}
	for _, f := range fe.Drop {
		delete(e, f)
		delete(e, strings.ReplaceAll(f, "-", "_"))
	}
	feats, _ := e["features"].([]any)
	for _, f := range fe.Features {
		if !slices.Contains(feats, any(f)) {
			feats = append(feats, f)
		}
	}
	if feats != nil {
		e["features"] = feats
	}
}

// removeNthString removes the i-th string element of a.
func removeNthString(a []any, i int) []any {
	out := []any{}
	for _, e := range a {
		if _, ok := e.(string); ok {
			i--
			if i == -1 {
				continue
			}
		}
		out = append(out, e)
	}
	return out
}

// onTables applies change to every decoded table that holds dep: cargo
// reads dev_dependencies as dev-dependencies, so one Dep may sit in both.
func onTables(dep *Dep, change func(map[string]any)) func(map[string]any) {
	return func(m map[string]any) {
		for _, path := range aliasPaths(dep.Table()) {
			if tbl, ok := lookupTable(m, path); ok {
				if _, ok := tbl[dep.Key]; ok {
					change(tbl)
				}
			}
		}
	}
}

func aliasPaths(t DepTable) [][]string {
	path := depPath(t)
	last := len(path) - 1
	alt := append([]string(nil), path...)
	alt[last] = strings.ReplaceAll(path[last], "-", "_")
	if alt[last] == path[last] {
		return [][]string{path}
	}
	return [][]string{path, alt}
}

func lookupTable(m map[string]any, path []string) (map[string]any, bool) {
	for _, k := range path {
		next, ok := m[k].(map[string]any)
		if !ok {
			return nil, false
		}
		m = next
	}
	return m, true
}

// addedSomewhere adds name = "1" to the written table of t: the canonical
// one, or its dev_dependencies / build_dependencies spelling when only that
// one is written.
func addedSomewhere(t DepTable, name string) func(map[string]any) {
	return func(m map[string]any) {
		for _, p := range aliasPaths(t) {
			if tbl, ok := lookupTable(m, p); ok {
				tbl[name] = "1"
				return
			}
		}
		at(m, depPath(t)...)[name] = "1"
	}
}

// writtenTables returns the spellings of t that d's decoded form holds.
func writtenTables(d *Doc, t DepTable) [][]string {
	m := map[string]any{}
	if err := toml.Unmarshal(bytes.TrimPrefix(d.Src(), utf8BOM), &m); err != nil {
		return nil
	}
	var out [][]string
	for _, p := range aliasPaths(t) {
		if _, ok := lookupTable(m, p); ok {
			out = append(out, p)
		}
	}
	return out
}
