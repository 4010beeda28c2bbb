package workspace

import (
	"io/fs"
	"path"
	"regexp"
	"slices"
	"strings"

	"jemfix/pkg/family"
	"jemfix/pkg/tomledit"
)

// Patch is one entry of [patch.<registry>] or [replace] in the root
// manifest, or of [patch.<registry>] in the root's cargo configuration
// (.cargo/config.toml), that stands in for a jemalloc-family crate. cargo
// reads the manifest's tables from the workspace root only.
type Patch struct {
	File  string // the root-relative file that writes the entry: the root manifest or the configuration
	src   []byte // File's content, for PatchAt
	Table string // "[patch.crates-io]", "[patch.'https://…']" or "[replace]"
	// Key is the entry's key: a dependency key in [patch.*], a package ID
	// spec ("jemalloc-ctl:0.5.4", "jemalloc-ctl@0.5.4") in [replace].
	Key     string
	Package string // package = "…" of the entry, or ""
	Crate   string // the family crate it stands in for: Package, else Key (the name of a [replace] spec)
	Version string // version = "…" of the entry, or the version of a [replace] spec; "" when none
	Path    string // path = "…" of the entry, or ""
	Git     string // git = "…" of the entry, or ""
	Ref     string // "?branch=…", "?tag=…" or "?rev=…" of a git entry, or ""
	Start   int    // byte offset in File: the entry's key, or the '[' of its own [patch.<registry>.<key>] header
}

// CratesIO reports whether p patches crates.io: [patch.crates-io], or the
// same table named by the index's URL, as cargo reads both.
func (p Patch) CratesIO() bool {
	return p.Table == "[patch.crates-io]" || strings.HasPrefix(p.Table, "[patch.") && strings.Contains(p.Table, "github.com/rust-lang/crates.io-index")
}

// PatchAt locates a patch entry for messages.
func (ws *Workspace) PatchAt(p Patch) Position { return ws.At(p.File, p.src, p.Start) }

// PatchTable names the table of a patch entry for advice: "[patch.crates-io]"
// in the root manifest, "[patch.crates-io] of ws/.cargo/config.toml" in the
// configuration.
func (ws *Workspace) PatchTable(p Patch) string {
	if p.File == ws.Root.Path {
		return p.Table
	}
	return p.Table + " of " + ws.Path(p.File)
}

// configFiles are the names of the cargo configuration files of a
// directory, in the order cargo takes them: it reads the first that
// exists (the name without an extension wins when both do).
var configFiles = []string{".cargo/config", ".cargo/config.toml"}

// cargoConfig returns the root's cargo configuration file and its
// content, or "" and nil. Configuration in directories above the root,
// or in the user's cargo home, is outside the root and not read.
func (ws *Workspace) cargoConfig() (string, []byte) {
	ws.configOnce.Do(func() {
		for _, name := range configFiles {
			if !ws.IsFile(name) {
				continue
			}
			if src, err := ws.ReadFile(name, MaxManifestSize); err == nil {
				ws.configName, ws.configSrc = name, src
			}
			return
		}
	})
	return ws.configName, ws.configSrc
}

// Patches lists, in source order, the [patch.<registry>] and [replace]
// entries of the root manifest whose key or package names a crate of the
// jemalloc family, then the [patch.<registry>] entries of the root's
// cargo configuration, which take the place of the manifest's of the same
// table and key, as they do in cargo. Any form a manifest may write is
// read: inline tables, [patch.crates-io.jemalloc-ctl] sub-tables and
// dotted keys. ws.PatchAt(p) locates one for messages. Paths in either
// file are relative to the root.
func (ws *Workspace) Patches() []Patch {
	out := patchesIn(ws.Root.Path, ws.Root.Doc.Src(), true)
	if name, src := ws.cargoConfig(); src != nil {
		config := patchesIn(name, src, false)
		out = slices.DeleteFunc(out, func(p Patch) bool {
			return slices.ContainsFunc(config, func(c Patch) bool { return c.Table == p.Table && c.Key == p.Key })
		})
		out = append(out, config...)
	}
	return out
}

// patchesIn lists the family entries of the file's [patch.<registry>]
// tables, and of its [replace] table when replace is set.
func patchesIn(file string, src []byte, replace bool) []Patch {
	var all []*Patch
	byID := map[[2]string]*Patch{}
	_ = walkTOML(src, func(it tomlItem) {
		var table, key string
		var rest []string
		switch {
		case len(it.path) >= 3 && it.path[0] == "patch":
			table, key, rest = "[patch."+tomlKey(it.path[1])+"]", it.path[2], it.path[3:]
		case replace && len(it.path) >= 2 && it.path[0] == "replace":
			table, key, rest = "[replace]", it.path[1], it.path[2:]
		default:
			return
		}
		id := [2]string{table, key}
		p := byID[id]
		if p == nil {
			p = &Patch{File: file, src: src, Table: table, Key: key, Start: it.start}
			byID[id] = p
			all = append(all, p)
		}
		if it.header || len(rest) != 1 {
			return
		}
		s, ok := stringValue(it.value)
		if !ok {
			return
		}
		switch rest[0] {
		case "package":
			p.Package = s
		case "version":
			p.Version = s
		case "path":
			p.Path = s
		case "git":
			p.Git = s
		case "branch", "tag", "rev":
			p.Ref = "?" + rest[0] + "=" + s
		}
	})
	var out []Patch
	for _, p := range all {
		name, version := p.Key, ""
		if p.Table == "[replace]" {
			name, version = specName(p.Key)
		}
		p.Crate = name
		if p.Package != "" {
			p.Crate = p.Package
		}
		if p.Version == "" {
			p.Version = version
		}
		_, keyIn := family.Lookup(name)
		_, crateIn := family.Lookup(p.Crate)
		if keyIn || crateIn {
			out = append(out, *p)
		}
	}
	return out
}

// specName splits a package ID spec into its name and version:
// "name", "name:1.2.3", "name@1.2.3", "url#name@1.2.3", "url#name:1.2.3",
// "url#1.2.3" (the name is the URL's last segment) or a bare URL.
func specName(spec string) (name, version string) {
	url, frag, hasFrag := strings.Cut(spec, "#")
	if !hasFrag {
		if strings.Contains(spec, "://") {
			return lastSegment(spec), ""
		}
		url, frag = "", spec
	}
	if i := strings.IndexAny(frag, ":@"); i >= 0 {
		return frag[:i], frag[i+1:]
	}
	if url != "" && frag != "" && frag[0] >= '0' && frag[0] <= '9' {
		return lastSegment(url), frag
	}
	return frag, ""
}

func lastSegment(url string) string {
	url = strings.TrimSuffix(url, "/")
	return url[strings.LastIndex(url, "/")+1:]
}

var bareKey = regexp.MustCompile(`^[A-Za-z0-9_-]+$`)

// tomlKey writes a key segment the way a manifest would: bare when it can
// be, else in single quotes (registry URLs), else in double quotes.
func tomlKey(k string) string {
	switch {
	case bareKey.MatchString(k):
		return k
	case !strings.ContainsAny(k, "'\n\r"):
		return "'" + k + "'"
	}
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`, "\r", `\r`).Replace(k) + `"`
}

// PatchTarget returns the package of the graph that a path patch names, or nil
// (a git or registry patch, or a path jemfix did not read).
func (ws *Workspace) PatchTarget(p Patch) *Manifest {
	if p.Path == "" {
		return nil
	}
	return ws.idx().byDir[path.Join(".", p.Path)]
}

// Source names the git source of a patch the way GitSource names an
// entry's ("https://github.com/o/r?rev=abc"), or "" for a patch not from
// git.
func (p Patch) Source() string {
	if p.Git == "" {
		return ""
	}
	return canonicalGitURL(p.Git) + p.Ref
}

// PatchManifest returns the manifest of the package a path patch names,
// read and parsed even when that package is not one of the graph's (an
// excluded vendor directory), or nil.
func (ws *Workspace) PatchManifest(p Patch) *tomledit.Doc {
	if p.Path == "" || path.IsAbs(p.Path) {
		return nil
	}
	if m := ws.PatchTarget(p); m != nil {
		return m.Doc
	}
	name := path.Join(".", p.Path, "Cargo.toml")
	if !fs.ValidPath(name) {
		return nil
	}
	src, err := ws.ReadFile(name, MaxManifestSize)
	if err != nil {
		return nil
	}
	doc, err := tomledit.ParseCompact(name, src)
	if err != nil {
		return nil
	}
	return doc
}
