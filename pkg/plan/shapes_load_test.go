package plan_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/rogpeppe/go-internal/txtar"
)

// shapeCase is one manifest of the shapes corpus in testdata/shapes: a
// txtar with in/Cargo.toml and out/Cargo.toml sections, or, for bytes a
// txtar cannot hold (CRLF, no final newline, a BOM), a NAME.in.toml and
// NAME.out.toml pair.
type shapeCase struct {
	Name    string
	File    string // the txtar, or the .in.toml file
	OutFile string // the .out.toml file of a pair; "" for a txtar
	In, Out []byte
	Archive *txtar.Archive // nil for a pair
	// Cargo is false when the comment of a txtar has a line
	// "cargo: skip ...": the manifest is not complete on its own (a
	// member that inherits from a workspace root that is not there).
	Cargo bool
}

const shapesDir = "testdata/shapes"

// loadShapes reads the shapes corpus, sorted by file name.
func loadShapes() ([]shapeCase, error) {
	entries, err := os.ReadDir(shapesDir)
	if err != nil {
		return nil, err
	}
	var out []shapeCase
	for _, e := range entries {
		var c shapeCase
		var err error
		switch name := e.Name(); {
		case strings.HasSuffix(name, ".txtar"):
			c, err = loadArchive(filepath.Join(shapesDir, name))
		case strings.HasSuffix(name, ".in.toml"):
			c, err = loadPair(filepath.Join(shapesDir, name))
		default:
			continue
		}
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, nil
}

func loadArchive(file string) (shapeCase, error) {
	a, err := txtar.ParseFile(file)
	if err != nil {
		return shapeCase{}, err
	}
	c := shapeCase{Name: strings.TrimSuffix(filepath.Base(file), ".txtar"), File: file, Archive: a, Cargo: true}
	for _, line := range strings.Split(string(a.Comment), "\n") {
		if strings.HasPrefix(line, "cargo: skip") {
			c.Cargo = false
		}
	}
	for _, f := range a.Files {
		switch f.Name {
		case "in/Cargo.toml":
			c.In = f.Data
		case "out/Cargo.toml":
			c.Out = f.Data
		}
	}
	if c.In == nil {
		return c, fmt.Errorf("%s: no in/Cargo.toml section", file)
	}
	return c, nil
}

func loadPair(file string) (shapeCase, error) {
	in, err := os.ReadFile(file)
	if err != nil {
		return shapeCase{}, err
	}
	outFile := strings.TrimSuffix(file, ".in.toml") + ".out.toml"
	out, err := os.ReadFile(outFile)
	if err != nil && !os.IsNotExist(err) {
		return shapeCase{}, err
	}
	name := strings.TrimSuffix(filepath.Base(file), ".in.toml")
	return shapeCase{Name: name, File: file, OutFile: outFile, In: in, Out: out, Cargo: true}, nil
}

// WriteGolden stores out as the case's golden output.
func (c *shapeCase) writeGolden(out []byte) error {
	if c.Archive == nil {
		return os.WriteFile(c.OutFile, out, 0o644)
	}
	files := []txtar.File{{Name: "in/Cargo.toml", Data: c.In}, {Name: "out/Cargo.toml", Data: out}}
	a := &txtar.Archive{Comment: c.Archive.Comment, Files: files}
	return os.WriteFile(c.File, txtar.Format(a), 0o644)
}
