// Package tomledit owns lossless reading and editing of Cargo.toml files.
//
// Parse builds a read-only model of a manifest: its dependencies from every
// dependency table, its [features] and its [workspace] lists, each with the
// byte spans where it is written. Edit verbs never change the Doc or re-print
// the file; they return textedit.Edits over Doc.Src(), so every byte outside an
// edit stays exactly as it was (CRLF, tabs, comments, a missing final newline
// and a UTF-8 byte order mark included).
//
// go-toml's unstable parser gives the structure and the spans of keys and
// scalars; a small scanner here finds the brackets and separators it does not
// report. The semantics the parser alone accepts (duplicate keys, redefined
// tables, numbers and dates out of range) are toml.Unmarshal's: Parse
// accepts exactly what it accepts, and runs it only when its own check of
// the keys cannot vouch for the document (see seen).
//
// A jemfix run keeps a Doc for every manifest of a workspace, so a Doc is
// kept small: its syntax is slices of plain nodes, key parts, children and
// comments, allocated once at their final size, and a Doc may let go of
// it (Compact, ParseCompact) and of dependency entries (Prune).
package tomledit

import (
	"bytes"
	"errors"
	"fmt"
	"hash/maphash"
	"slices"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/pelletier/go-toml/v2"
	"github.com/pelletier/go-toml/v2/unstable"

	"jemfix/pkg/textedit"
)

// Span is a half-open byte range [Start, End) of the source.
type Span struct{ Start, End int }

// Error is a parse error. Error() returns "name:line:col: msg" (line and col
// 1-based, col counted in bytes); without a Name it returns "line:col: msg".
type Error struct {
	Name      string
	Offset    int
	Line, Col int
	Msg       string
	Err       error // underlying error, may be nil
}

func (e *Error) Error() string {
	if e.Name == "" {
		return fmt.Sprintf("%d:%d: %s", e.Line, e.Col, e.Msg)
	}
	return fmt.Sprintf("%s:%d:%d: %s", e.Name, e.Line, e.Col, e.Msg)
}

func (e *Error) Unwrap() error { return e.Err }

// Doc is a parsed manifest. Its bytes (Src) are kept as given, not
// copied: the caller must not change them while the Doc is in use.
type Doc struct {
	Name string
	src  []byte // nil while the Doc has let go of them (Release)
	away *away  // where the bytes are read again, once Release let go of them

	*syntax        // tables, key/values, array elements, comments; nil after Compact
	bom     int    // length of a leading UTF-8 BOM, 0 or 3
	deps    []*Dep // in order of first appearance
	feats   []Feature
	props   []prop // the scalars of [package] and [workspace.package]
	rare    *rare  // nil for most manifests

	// mu guards the syntax's return after Compact (withSyntax): the
	// verbs of one Doc may run on several goroutines.
	mu sync.Mutex
}

// rare holds what few manifests have.
type rare struct {
	ws      *Workspace
	targets []Target
	field   *Error // FieldError
}

// FieldError returns the first dependency field whose type cargo refuses
// (`features = "stats"`, `optional = "yes"`), at its position, or nil.
// Parse accepts such a document, since it is valid TOML; cargo does not
// load it.
func (d *Doc) FieldError() error {
	if d.rare == nil || d.rare.field == nil {
		return nil
	}
	return d.rare.field
}

// prop is a string (or, for build, a bool) [package].key or
// [workspace.package].key, written by the key/value r.
type prop struct {
	r    ref
	ws   bool   // [workspace.package]
	kind kind   // kString or kBool
	key  string // the last part of the key, which a compacted Doc no longer has
	val  string // for a bool, "true" or "false"
}

var utf8BOM = []byte("\xef\xbb\xbf")

// Parse reads a Cargo manifest. It rejects malformed TOML, duplicate keys and
// redefined tables, invalid UTF-8 and NUL bytes (binary files) with *Error.
// An empty file is a valid, empty document. Line endings may be LF, CRLF or
// mixed, the last line needs no newline, and a UTF-8 BOM is skipped; all
// spans are offsets into src as given.
func Parse(name string, src []byte) (*Doc, error) { return parse(name, src, keepSyntax|keepModel) }

// ParseCompact is Parse followed by Compact, without making the syntax
// Compact would let go of.
func ParseCompact(name string, src []byte) (*Doc, error) {
	return parse(name, src, keepModel)
}

// Compact lets go of what only the edit verbs use: the syntax (nodes, key
// parts, comments). What the document says stays: Deps, Dependencies,
// Features, Targets, BuildScript, the package fields, Workspace, Src. An
// edit verb that needs the syntax again parses Src once more and keeps the
// result until the next Compact; renaming a key, a version or a feature's
// string needs only the model and Src. Compact must not run while a verb
// of d runs.
//
// A jemfix run compacts every manifest as it is read: most manifests are
// never edited, and most edits are renames, so the syntax of a large
// workspace is never held all at once.
func (d *Doc) Compact() {
	d.mu.Lock()
	d.syntax = nil
	d.mu.Unlock()
}

// withSyntax makes sure d has its syntax, parsing Src again after Compact.
// Every edit verb that reads the syntax calls it first.
func (d *Doc) withSyntax() {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.syntax != nil {
		return
	}
	d.loadLocked()
	again, err := parse(d.Name, d.src, keepSyntax)
	if err != nil { // Src parsed before and cannot have changed
		panic("tomledit: " + d.Name + " no longer parses: " + err.Error())
	}
	d.syntax = again.syntax
}

// Src returns the manifest's bytes, as given to Parse. A Doc that let go
// of them (Release) reads them again first, and panics with a
// *ChangedError when that fails or they are no longer the same: a caller
// that can report an error loads them first (Load).
func (d *Doc) Src() []byte { return d.bytes() }

func (d *Doc) bytes() []byte {
	d.mu.Lock()
	defer d.mu.Unlock()
	if err := d.loadLocked(); err != nil {
		panic(err)
	}
	return d.src
}

// away is what a Doc that let go of its bytes keeps of them: where to
// read them again, and their size and checksum, to know them.
type away struct {
	from Source
	at   string
	size int
	sum  uint64
}

// Source reads the bytes of a Doc that let go of them (Release) again:
// at is what the Doc's caller gave Release, name the Doc's Name.
type Source interface {
	ReadAgain(at, name string) ([]byte, error)
}

// sumSeed keys the checksums of the bytes a Doc let go of; they never
// leave the process.
var sumSeed = maphash.MakeSeed()

// Release lets go of d's bytes, which from gives back (ReadAgain(at,
// d.Name)) when a caller needs them again (Src, Load, every verb): a
// large workspace need not hold the bytes of every manifest. A Doc that holds its syntax (a verb parsed it
// since the last Compact) keeps them. Release must not run while a verb of
// d runs.
func (d *Doc) Release(from Source, at string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.syntax != nil || d.src == nil {
		return
	}
	if d.away == nil {
		d.away = &away{from: from, at: at, size: len(d.src), sum: maphash.Bytes(sumSeed, d.src)}
	}
	d.src = nil
}

// Load reads d's bytes again if it let go of them (Release). It fails,
// with a *ChangedError, when they cannot be read or are no longer the
// bytes d was parsed from.
func (d *Doc) Load() error {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.loadLocked()
}

func (d *Doc) loadLocked() error {
	if d.src != nil || d.away == nil {
		return nil
	}
	src, err := d.away.from.ReadAgain(d.away.at, d.Name)
	if err == nil && (len(src) != d.away.size || maphash.Bytes(sumSeed, src) != d.away.sum) {
		err = errors.New("changed since jemfix read it")
	}
	if err != nil {
		return &ChangedError{Name: d.Name, Err: err}
	}
	d.src = src
	return nil
}

// ChangedError is the error of a Doc whose bytes, read again after
// Release, are gone or no longer the ones it was parsed from.
type ChangedError struct {
	Name string
	Err  error
}

func (e *ChangedError) Error() string {
	msg := e.Err.Error()
	if !strings.HasPrefix(msg, e.Name+": ") { // a read error names the file already
		msg = e.Name + ": " + msg
	}
	return msg + "; nothing was written, run jemfix again"
}

func (e *ChangedError) Unwrap() error { return e.Err }

// Check returns the error Parse would return for src, or nil, without
// making the Doc: the syntax is walked and checked the same way, but what
// a Doc keeps (its nodes, dependencies, features) is not built. For a
// caller that only asks whether a manifest still reads, such as the check
// before a write.
func Check(name string, src []byte) error {
	_, err := parse(name, src, 0)
	return err
}

// CheckEdited is Check for src, the new content of a manifest that was
// old (nil for a new file), and it also refuses a field cargo would refuse
// (FieldError: an entry that an edit put into the wrong table, say) when
// old had none.
func CheckEdited(name string, old, src []byte) error {
	d, err := parse(name, src, keepModel)
	if err != nil {
		return err
	}
	ferr := d.FieldError()
	if ferr == nil {
		return nil
	}
	if old != nil {
		if o, err := parse(name, old, keepModel); err != nil || o.FieldError() != nil {
			return nil // it was refused before the edit too
		}
	}
	return ferr
}

// keep names what parse hands to the Doc it makes.
type keep uint8

const (
	// keepSyntax is the nodes, key parts and comments, for the edit
	// verbs. Alone, it is asked for a document that parsed before
	// (withSyntax): the checks and the model are skipped.
	keepSyntax keep = 1 << iota
	keepModel       // what the document says: Deps, Features, ...
)

// parse is Parse, keeping k; with k 0 it stops before building what the
// Doc keeps (builder.finish, which cannot fail) and returns a nil Doc.
func parse(name string, src []byte, k keep) (*Doc, error) {
	d := &Doc{Name: name, src: src}
	if err := d.checkBytes(); err != nil {
		return nil, err
	}
	if bytes.HasPrefix(src, utf8BOM) {
		d.bom = len(utf8BOM)
	}
	body := src[d.bom:]
	b := getBuilder(d)
	defer putBuilder(b)
	b.noModel, b.noChecks = k&keepModel == 0, k == keepSyntax
	if err := b.build(body); err != nil {
		return nil, err
	}
	if b.unsure && !b.noChecks {
		// The syntax walk cannot vouch for the document: toml.Unmarshal
		// decides, and words the error.
		var data map[string]any
		if err := toml.Unmarshal(body, &data); err != nil {
			return nil, d.decodeError(body, err)
		}
	}
	if k == 0 {
		return nil, nil
	}
	b.finish(k)
	return d, nil
}

// checkBytes rejects what cannot be a text manifest before TOML parsing, so
// that the message names the real problem.
func (d *Doc) checkBytes() error {
	src := d.src
	if i := bytes.IndexByte(src, 0); i >= 0 {
		return d.errorAt(i, "NUL byte: this is a binary file, not a TOML manifest", nil)
	}
	if utf8.Valid(src) {
		return nil
	}
	for i := 0; i < len(src); {
		r, n := utf8.DecodeRune(src[i:])
		if r == utf8.RuneError && n <= 1 {
			msg := fmt.Sprintf("invalid UTF-8 byte 0x%02x: a manifest must be UTF-8 encoded", src[i])
			return d.errorAt(i, msg, nil)
		}
		i += n
	}
	return nil
}

func (d *Doc) errorAt(off int, msg string, err error) *Error {
	src := d.bytes()
	off = min(max(off, 0), len(src))
	line, col := textedit.LineCol(src, off)
	return &Error{Name: d.Name, Offset: off, Line: line, Col: col, Msg: msg, Err: err}
}

// parserError places a go-toml syntax error: its Highlight is a subslice of
// body, so the capacities give its offset.
func (d *Doc) parserError(body []byte, err error) error {
	off := len(body)
	var pe *unstable.ParserError
	if errors.As(err, &pe) {
		off = cap(body) - cap(pe.Highlight)
		if off < 0 || off > len(body) {
			off = len(body)
		}
	}
	msg := strings.TrimPrefix(err.Error(), "toml: ")
	if bytes.HasPrefix(body[off:], utf8BOM) {
		// go-toml names the first byte of the mark, U+00EF.
		msg = "a byte order mark (U+FEFF) outside a string: TOML allows one only at the start of the file"
	}
	return d.errorAt(d.bom+off, "invalid TOML: "+msg, err)
}

// decodeError places a toml.Unmarshal error, which reports line and column.
func (d *Doc) decodeError(body []byte, err error) error {
	off := 0
	var de *toml.DecodeError
	if errors.As(err, &de) {
		row, col := de.Position()
		off = offsetOf(body, row, col)
	}
	return d.errorAt(d.bom+off, "invalid TOML: "+strings.TrimPrefix(err.Error(), "toml: "), err)
}

// offsetOf turns a 1-based line and byte column into an offset of src.
func offsetOf(src []byte, line, col int) int {
	off := 0
	for ; line > 1; line-- {
		i := bytes.IndexByte(src[off:], '\n')
		if i < 0 {
			return len(src)
		}
		off += i + 1
	}
	return min(off+max(col-1, 0), len(src))
}

// PackageName returns [package].name, or "" when there is none.
func (d *Doc) PackageName() string { return d.prop(false, "name", kString) }

// PackageString returns the string [package].key ("version", "edition"),
// or "" when there is none or it is inherited (`key.workspace = true`).
func (d *Doc) PackageString(key string) string { return d.prop(false, key, kString) }

// WorkspacePackageString returns the string [workspace.package].key, or "".
func (d *Doc) WorkspacePackageString(key string) string { return d.prop(true, key, kString) }

func (d *Doc) prop(ws bool, key string, k kind) string {
	for _, p := range d.props {
		if p.ws == ws && p.kind == k && d.propKey(p) == key {
			return p.val
		}
	}
	return ""
}

// propKey returns the key of p: the last part of its key/value's key.
func (d *Doc) propKey(p prop) string { return p.key }

// noteProp records r when it writes a [package] or [workspace.package]
// scalar, or a [workspace] list, or makes [workspace] a table.
//
// [project] is the name cargo once gave [package], and still reads (with
// a warning): its scalars count as the package's.
func (b *builder) noteProp(r ref, full []part) {
	k := b.at(r).kind
	if full[0].name != "package" && full[0].name != "workspace" && full[0].name != "project" {
		return
	}
	switch {
	case len(full) == 2 && (full[0].name == "package" || full[0].name == "project") && (k == kString || k == kBool && full[1].name == "build"):
		val := ""
		if k == kString {
			val = b.str(r)
		} else if b.value(r).Data[0] == 't' {
			val = "true"
		}
		b.props = append(b.props, prop{r: r, kind: k, key: full[1].name, val: val})
	case full[0].name == "package" || full[0].name == "project":
	case len(full) > 1 || k == kInline:
		b.ws = true
		switch {
		case len(full) == 3 && full[1].name == "package" && k == kString:
			b.props = append(b.props, prop{r: r, ws: true, kind: k, key: full[2].name, val: b.str(r)})
		case len(full) == 2 && k == kArray:
			i := slices.Index(workspaceLists, full[1].name)
			if i >= 0 {
				b.lists[i], _ = b.strings(r, true)
				b.stringsOnly(r, "[workspace] "+full[1].name)
			}
		case len(full) == 2 && slices.Contains(workspaceLists, full[1].name):
			b.badShape(r, fmt.Sprintf("[workspace] %s is %s, where cargo takes an array of strings", full[1].name, kindNames[k]))
		}
	}
}

var workspaceLists = []string{"members", "exclude", "default-members"}

// Workspace lists the [workspace] member globs. It is nil when the manifest
// has no workspace table.
type Workspace struct{ Members, Exclude, DefaultMembers []string }

// Workspace returns the [workspace] lists, or nil when there is no
// [workspace] table.
func (d *Doc) Workspace() *Workspace {
	if d.rare == nil || d.rare.ws == nil {
		return nil
	}
	ws := d.rare.ws
	return &Workspace{
		Members:        slices.Clone(ws.Members),
		Exclude:        slices.Clone(ws.Exclude),
		DefaultMembers: slices.Clone(ws.DefaultMembers),
	}
}
