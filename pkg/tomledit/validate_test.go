package tomledit

import (
	"bytes"
	"errors"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/pelletier/go-toml/v2"
	"github.com/pelletier/go-toml/v2/unstable"
)

// Parse rejects what toml.Unmarshal into a map rejects, in its words. It
// runs toml.Unmarshal only when its own walk cannot vouch for the
// document, so these cases check both sides of that line. Decoding into a
// struct{} (or a struct of the few fields the accessors need) would not
// do: go-toml skips the values of keys a struct has no field for, so it
// accepts the out-of-range numbers and impossible dates below.
func TestParseRejectsLikeUnmarshal(t *testing.T) {
	tests := []struct{ name, src, want string }{
		{"integer overflow", "[package]\nx = 99999999999999999999\n", "Cargo.toml:2:5: invalid TOML: decimal number is too large to fit in a 64-bit signed integer"},
		{"integer overflow in array", "a = [\"x\", 99999999999999999999]\n", "Cargo.toml:1:11: invalid TOML: decimal number is too large to fit in a 64-bit signed integer"},
		{"impossible date", "[package.metadata]\nreleased = 2021-02-30\n", "Cargo.toml:2:20: invalid TOML: impossible date"},
		{"hour out of range", "a = { t = 1979-05-27T25:32:00Z }\n", "Cargo.toml:1:22: invalid TOML: hour cannot be greater 23"},
		{"float out of range", "a = 1.7976931348623159e308\n", "Cargo.toml:1:5: invalid TOML: unable to parse float: strconv.ParseFloat: parsing \"1.7976931348623159e308\": value out of range"},
		{"duplicate key in inline table", "[dependencies]\na = { version = \"1\", version = \"2\" }\n", "Cargo.toml:2:1: invalid TOML: key version is already defined"},
		{"duplicate dotted key", "[dependencies]\na.version = \"1\"\na.version = \"2\"\n", "Cargo.toml:3:1: invalid TOML: key version is already defined"},
		{"dotted key through a value", "[dependencies]\na = \"1\"\na.version = \"2\"\n", "Cargo.toml:3:1: invalid TOML: key a is already defined"},
		{"dotted key into a table", "[dependencies.a]\n[dependencies]\na.version = \"1\"\n", "Cargo.toml:3:1: invalid TOML: key a is already defined"},
		{"header through a value", "[dependencies]\na = \"1\"\n[dependencies.a.features]\n", "Cargo.toml:3:2: invalid TOML: key a already exists as a value"},
		{"header on an inline table", "[dependencies]\na = { version = \"1\" }\n[dependencies.a]\n", "Cargo.toml:3:2: invalid TOML: key a should be a table, not a value"},
		{"table on an array of tables", "[[bin]]\nname = \"a\"\n[bin]\n", "Cargo.toml:3:2: invalid TOML: table bin already exists as an array of tables"},
		{"array of tables on a table", "[bin]\n[[bin]]\n", "Cargo.toml:2:3: invalid TOML: key bin already exists as a table, but should be an array table"},
		{"key twice in one array table", "[[bin]]\nname = \"a\"\nname = \"b\"\n", "Cargo.toml:3:1: invalid TOML: key name is already defined"},
		{"duplicate key in an array's inline table", "a = [{ b = \"1\", b = \"2\" }]\n", "Cargo.toml:1:1: invalid TOML: key b is already defined"},
		{"dotted key in array's inline tables", "a = [{ b.c = \"1\", b = \"2\" }]\n", "Cargo.toml:1:1: invalid TOML: key b is already defined"},
		{"root key then table", "package = \"x\"\n[package]\n", "Cargo.toml:2:2: invalid TOML: key package should be a table, not a value"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("Cargo.toml", []byte(tt.src))
			if err == nil {
				t.Fatalf("Parse accepted %q", tt.src)
			}
			if err.Error() != tt.want {
				t.Errorf("Error() = %q, want %q", err.Error(), tt.want)
			}
			var de *toml.DecodeError
			if !errors.As(err, &de) {
				t.Errorf("Unwrap = %T, want *toml.DecodeError", errors.Unwrap(err))
			}
		})
	}
}

func TestParseAcceptsLikeUnmarshal(t *testing.T) {
	for _, src := range []string{
		"[[bin]]\nname = \"a\"\n[[bin]]\nname = \"b\"\n",
		"[[bin]]\nname = \"a\"\n[bin.x]\nk = \"1\"\n[[bin]]\nname = \"b\"\n[bin.x]\nk = \"2\"\n",
		"[a.b]\n[a]\nc = \"1\"\n",
		"[a.b.c]\n[a.b]\nd = true\n[a]\n",
		"a.b.c = \"1\"\na.b.d = \"2\"\n[a.e]\n",
		"[dependencies]\na.version = \"1\"\na.optional = true\n[dependencies.b]\n",
		"x = [{ a = \"1\" }, { a = \"2\" }, [{ a = \"3\" }]]\n",
		"[target.'cfg(unix)'.dependencies]\na = \"1\"\n[target.\"cfg(unix)\".dev-dependencies]\na = \"1\"\n",
		"[profile.release]\nopt-level = 3\nlto = true\n",
	} {
		if _, err := Parse("Cargo.toml", []byte(src)); err != nil {
			t.Errorf("Parse(%q): %v", src, err)
		}
	}
}

// validateOne checks Parse against its definition on src: a document is
// accepted when go-toml's parser and toml.Unmarshal (into a map) accept it,
// and the accessors answer what the decoded map holds.
func validateOne(t *testing.T, src []byte) {
	t.Helper()
	d, err := Parse("Cargo.toml", src)
	body := bytes.TrimPrefix(src, utf8BOM)
	var data map[string]any
	uerr := toml.Unmarshal(body, &data)
	var e *Error
	var pe *unstable.ParserError
	switch {
	case err == nil && uerr != nil:
		t.Fatalf("Parse accepted what toml.Unmarshal rejects (%v): %q", uerr, src)
	case err == nil:
	case !errors.As(err, &e):
		t.Fatalf("error %T, want *Error", err)
	case e.Err == nil, errors.As(err, &pe):
		// Bytes or syntax: the parser, not the decoder, rejects it.
		return
	case uerr == nil:
		t.Fatalf("Parse rejected what toml.Unmarshal accepts (%v): %q", err, src)
	case !strings.HasSuffix(err.Error(), strings.TrimPrefix(uerr.Error(), "toml: ")):
		t.Fatalf("Parse says %q, toml.Unmarshal %q: %q", err, uerr, src)
	default:
		return
	}
	want, got := mapAccessors(data), docAccessors(d)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("accessors (-decoded +Doc):\n%s\n%q", diff, src)
	}
}

type accessors struct {
	PackageName string
	Package     map[string]string
	WsPackage   map[string]string
	Workspace   *Workspace
	Build       string
	BuildSet    bool
}

var accessorKeys = []string{"name", "version", "edition", "build", "license", "rust-version", "workspace", "publish"}

func docAccessors(d *Doc) accessors {
	a := accessors{PackageName: d.PackageName(), Package: map[string]string{}, WsPackage: map[string]string{}, Workspace: d.Workspace()}
	for _, k := range accessorKeys {
		a.Package[k] = d.PackageString(k)
		a.WsPackage[k] = d.WorkspacePackageString(k)
	}
	a.Build, a.BuildSet = d.BuildScript()
	return a
}

// mapAccessors answers what the accessors answer, from the decoded
// document.
func mapAccessors(data map[string]any) accessors {
	pkg, _ := data["package"].(map[string]any)
	ws, isWS := data["workspace"].(map[string]any)
	wsPkg, _ := ws["package"].(map[string]any)
	str := func(m map[string]any, k string) string {
		s, _ := m[k].(string)
		return s
	}
	a := accessors{PackageName: str(pkg, "name"), Package: map[string]string{}, WsPackage: map[string]string{}}
	for _, k := range accessorKeys {
		a.Package[k] = str(pkg, k)
		a.WsPackage[k] = str(wsPkg, k)
	}
	list := func(v any) []string {
		var out []string
		l, _ := v.([]any)
		for _, e := range l {
			if s, ok := e.(string); ok {
				out = append(out, s)
			}
		}
		return out
	}
	if isWS {
		a.Workspace = &Workspace{Members: list(ws["members"]), Exclude: list(ws["exclude"]), DefaultMembers: list(ws["default-members"])}
	}
	switch v := pkg["build"].(type) {
	case string:
		a.Build, a.BuildSet = v, true
	case bool:
		a.BuildSet = true
		if v {
			a.Build = "build.rs"
		}
	}
	return a
}

var validateSeeds = []string{
	"package.name = \"x\"\npackage.version.workspace = true\n",
	"package = { name = \"x\", build = false }\n",
	"[package]\nname = 5\nbuild = \"b.rs\"\nedition.workspace = true\n",
	"[package]\nname = \"a\"\nbuild = true\n[package.metadata]\nname = \"b\"\n",
	"[[package]]\nname = \"x\"\n",
	"[workspace]\n",
	"[workspace.dependencies]\n",
	"[[workspace]]\nmembers = [\"a\"]\n",
	"[[workspace.x]]\n",
	"workspace = {}\n",
	"workspace = 1\n",
	"workspace.members = [\"a\", 1, \"b\"]\n",
	"workspace = { members = [\"a\"], package = { version = \"1\" } }\n",
	"[workspace]\nmembers = [\"a\", \"b/*\"]\nexclude = []\ndefault-members = [\"a\"]\n[workspace.package]\nversion = \"0.1.0\"\nedition = \"2021\"\n",
	"[workspace.members]\nx = \"1\"\n",
	"[dependencies]\npackage = { name = \"x\" }\n",
	"x = [{ package = { name = \"x\" } }]\n",
	"[package]\nname = 'lit'\nversion = \"\"\"\n1.0\"\"\"\ndescription = \"tab\\there \\u00e9\"\n",
}

// validateCorpus returns the inputs of the fuzz seeds, fixtures, shapes
// corpus and fuzz corpora, and generated manifests.
func validateCorpus() [][]byte {
	var out [][]byte
	for _, s := range append(append([]string(nil), fuzzSeeds...), validateSeeds...) {
		out = append(out, []byte(s))
	}
	_ = filepath.WalkDir("../../fixtures", func(p string, e os.DirEntry, err error) error {
		if err == nil && !e.IsDir() && e.Name() == "Cargo.toml" {
			if src, err := os.ReadFile(p); err == nil {
				out = append(out, src)
			}
		}
		return nil
	})
	if ins, err := shapeInputs("../plan/testdata/shapes"); err == nil {
		out = append(out, ins...)
	}
	for _, dir := range []string{"testdata/fuzz/FuzzParse", "testdata/fuzz/FuzzEdit"} {
		entries, _ := os.ReadDir(dir)
		for _, e := range entries {
			b, err := os.ReadFile(filepath.Join(dir, e.Name()))
			if err != nil {
				continue
			}
			// go test fuzz v1, then []byte("...") first.
			lines := strings.Split(string(b), "\n")
			if len(lines) > 1 && strings.HasPrefix(lines[1], "[]byte(") {
				if s, err := strconv.Unquote(strings.TrimSuffix(strings.TrimPrefix(lines[1], "[]byte("), ")")); err == nil {
					out = append(out, []byte(s))
				}
			}
		}
	}
	r := rand.New(rand.NewPCG(7, 11))
	for range 200 {
		out = append(out, []byte(genManifest(r)))
	}
	return out
}

func TestParseMatchesUnmarshal(t *testing.T) {
	for _, src := range validateCorpus() {
		validateOne(t, src)
		// Prefixes break documents in many places.
		for i := 0; i < len(src); i += 1 + len(src)/32 {
			validateOne(t, src[:i])
		}
	}
}

func FuzzParseMatchesUnmarshal(f *testing.F) {
	for _, src := range validateCorpus() {
		f.Add(src)
	}
	f.Fuzz(func(t *testing.T, src []byte) { validateOne(t, src) })
}
