package main

import (
	"bytes"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"jemfix/internal/cargotest"
)

// schemaFor compiles the definition def of docs/jemfix.schema.json.
func schemaFor(t *testing.T, def string) *jsonschema.Schema {
	t.Helper()
	path, err := filepath.Abs(filepath.Join("..", "..", "docs", "jemfix.schema.json"))
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		t.Fatal(err)
	}
	if err := c.AddResource(path, doc); err != nil {
		t.Fatal(err)
	}
	s, err := c.Compile(path + "#/$defs/" + def)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// documents splits stdout into its JSON documents: one indented document,
// or JSON Lines.
func documents(t *testing.T, out []byte) []any {
	t.Helper()
	var docs []any
	dec := json.NewDecoder(bytes.NewReader(out))
	for {
		var raw json.RawMessage
		if err := dec.Decode(&raw); err == io.EOF {
			return docs
		} else if err != nil {
			t.Fatalf("stdout is not JSON: %v\n%s", err, out)
		}
		doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
		if err != nil {
			t.Fatal(err)
		}
		docs = append(docs, doc)
	}
}

// Every --json document jemfix prints validates against
// docs/jemfix.schema.json: scan, plan, verify, apply on one root and in
// bulk (each line and the totals), dry runs and writes, errors.
func TestJSONSchema(t *testing.T) {
	riptide := cargotest.CopyFixture(t, "riptide")
	tikvOnly := cargotest.CopyFixture(t, "tikv-only")
	half := cargotest.CopyFixture(t, "half-migrated")
	outside := filepath.Join(cargotest.CopyFixture(t, "outside-root"), "ws")
	broken := t.TempDir()
	if err := os.WriteFile(filepath.Join(broken, "Cargo.toml"), []byte("[package\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	written := cargotest.CopyFixture(t, "two-binaries")
	cargotest.RequireCargo(t)
	verified := cargotest.CopyFixture(t, "riptide")
	cargotest.UseStubRegistry(t, verified)
	tests := []struct {
		args []string
		defs []string // the definition of each document, in order; the last repeats
	}{
		{[]string{"scan", "--json", riptide}, []string{"scan"}},
		{[]string{"scan", "--json", half}, []string{"scan"}},
		{[]string{"scan", "--json", outside}, []string{"scan"}},
		{[]string{"scan", "--json", broken}, []string{"error"}},
		{[]string{"plan", "--json", riptide}, []string{"plan"}},
		{[]string{"plan", "--json", tikvOnly}, []string{"plan"}},
		{[]string{"plan", "--json", outside}, []string{"plan"}},
		{[]string{"apply", "--option=1", "--dry-run", "--json", riptide}, []string{"root"}},
		{[]string{"apply", "--option=2", "--dry-run", "--json", riptide}, []string{"root"}},
		{[]string{"apply", "--option=3", "--dry-run", "--json", riptide}, []string{"root"}},
		{[]string{"apply", "--option=1", "--dry-run", "--json", outside}, []string{"root"}},
		{[]string{"apply", "--option=1", "--dry-run", "--json", broken}, []string{"root"}},
		{[]string{"apply", "--option=auto", "--json", written}, []string{"root"}},
		{[]string{"verify", "--json", "--offline", verified}, []string{"verify"}},
		{[]string{"apply", "--option=1", "--verify", "--offline", "--json", verified}, []string{"root"}},
		{[]string{"apply", "--option=1", "--dry-run", "--json", "-j", "2", riptide, tikvOnly, broken, riptide}, []string{"root", "root", "root", "root", "totals"}},
	}
	schemas := map[string]*jsonschema.Schema{}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args[:2], " "), func(t *testing.T) {
			var stdout bytes.Buffer
			run(tt.args, &stdout, io.Discard)
			docs := documents(t, stdout.Bytes())
			if len(docs) != len(tt.defs) {
				t.Fatalf("%d documents, want %d:\n%s", len(docs), len(tt.defs), stdout.String())
			}
			for i, doc := range docs {
				def := tt.defs[i]
				if schemas[def] == nil {
					schemas[def] = schemaFor(t, def)
				}
				if err := schemas[def].Validate(doc); err != nil {
					t.Errorf("document %d is not a valid %s: %v\n%s", i, def, err, stdout.String())
				}
			}
		})
	}
}
