package plan

import (
	"bytes"
	"fmt"
	"hash/maphash"
	"io/fs"

	"jemfix/pkg/textedit"
	"jemfix/pkg/workspace"
)

// Change is one file's old and new content.
//
// A change the source rewrite makes to a Rust file is deferred: it keeps
// the edits and a checksum of the bytes read, not the bytes, so that the
// plan of a tree of thousands of files holds no file content. Load reads
// the file again and applies the edits; a file that changed meanwhile is
// an error. Old and New of a deferred change are nil until it is loaded.
// A manifest's change is deferred too, but keeps Old, the bytes the
// workspace holds anyway: Load applies the edits to them, and New is
// never held for longer than a step needs it.
type Change struct {
	Path     string // slash path relative to the workspace root
	Old, New []byte // a nil Old with nothing deferred means the file is created

	deferred *deferred
}

// deferred is what a deferred change keeps of the file it read.
type deferred struct {
	edits []textedit.Edit
	size  int
	sum   uint64
}

// seed keys the checksums of deferred changes; they never leave the process.
var seed = maphash.MakeSeed()

// deferChange returns the change of the file at p from old by edits,
// keeping neither content.
func deferChange(p string, old []byte, edits []textedit.Edit) Change {
	return Change{Path: p, deferred: &deferred{edits: edits, size: len(old), sum: maphash.Bytes(seed, old)}}
}

// deferEdits returns the change of the file at p from old, which the
// caller keeps, by edits: Load applies them to old without reading.
func deferEdits(p string, old []byte, edits []textedit.Edit) Change {
	c := deferChange(p, old, edits)
	c.Old = old
	return c
}

// handedOnMark marks the changes a plan handed to a Sink (Option1Each):
// the plan keeps their paths, and whether they create their files, not
// their edits.
var handedOnMark = &deferred{}

// handedOn returns what the plan keeps of changes it handed on.
func handedOn(changes []Change) []Change {
	out := make([]Change, len(changes))
	for i, c := range changes {
		out[i] = Change{Path: c.Path}
		if !c.Creates() {
			out[i].deferred = handedOnMark
		}
	}
	return out
}

// HandedOn reports whether the plan handed the change to a Sink, keeping
// its path only: it cannot be loaded.
func (c Change) HandedOn() bool { return c.deferred == handedOnMark }

// Forget returns the change without the content it read, when it has
// its edits (a deferred change): Load reads the file again, and checks it
// is what the plan read. A caller that keeps many changes keeps their
// edits, not their files.
func (c Change) Forget() Change {
	if c.Deferred() {
		c.Old = nil
	}
	return c
}

// Creates reports whether the change creates its file.
func (c Change) Creates() bool { return c.Old == nil && c.deferred == nil }

// Deferred reports whether the contents must be loaded (Load) first.
func (c Change) Deferred() bool { return c.deferred != nil && c.New == nil }

// Load returns the change with Old and New filled in: a deferred change
// reads its file through fsys (the workspace root) and applies its edits.
// A file that no longer holds what the plan read is an error, as is one
// that cannot be read; name turns the path into the name shown.
func (c Change) Load(fsys fs.FS, name func(string) string) (Change, error) {
	if !c.Deferred() {
		return c, nil
	}
	if c.HandedOn() {
		return c, fmt.Errorf("%s: internal error: the plan handed this change on and kept no edits", name(c.Path))
	}
	if c.Old != nil {
		return c.Fill(c.Old, name(c.Path))
	}
	old, err := workspace.ReadInto(nil, fsys, c.Path, name(c.Path), workspace.MaxSourceSize)
	if err != nil {
		return c, err
	}
	return c.Fill(old, name(c.Path))
}

// Fill fills in the contents of a deferred change from old, the file's
// content now, read by the caller: it must be what the plan read. name
// is the file's name in errors.
func (c Change) Fill(old []byte, name string) (Change, error) {
	d := c.deferred
	if d == nil || c.New != nil {
		return c, nil
	}
	if len(old) != d.size || maphash.Bytes(seed, old) != d.sum {
		return c, fmt.Errorf("%s: changed since jemfix read it; nothing was written, run jemfix again", name)
	}
	nu, err := textedit.Apply(old, d.edits)
	if err != nil {
		return c, fmt.Errorf("%s: internal error: %w", name, err)
	}
	c.Old, c.New = old, nu
	return c, nil
}

// LoadAll loads every deferred change of p, for the steps that need every
// content at once (apply --rustfmt, --docs); they then stay loaded.
func (p *Plan) LoadAll(ws *workspace.Workspace) error {
	for i, ch := range p.Changes {
		loaded, err := ch.Load(ws.FS, ws.Path)
		if err != nil {
			return err
		}
		p.Changes[i] = loaded
	}
	return nil
}

// update records new content for path: fn gets the newest content so far
// (src when the plan has not changed the file yet) and returns the next.
// src is the file's content as read.
func (p *Plan) update(name string, src []byte, fn func(base []byte) []byte) error {
	base := src
	for i, ch := range p.Changes {
		if ch.Path != name {
			continue
		}
		if ch.Deferred() {
			loaded, err := ch.Fill(src, name)
			if err != nil {
				return err
			}
			ch = loaded
		}
		base = ch.New
		p.Changes = append(p.Changes[:i], p.Changes[i+1:]...)
		break
	}
	if out := fn(base); !bytes.Equal(out, src) {
		p.Changes = append(p.Changes, Change{Path: name, Old: src, New: out})
	}
	return nil
}
