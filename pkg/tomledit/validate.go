package tomledit

import (
	"bytes"

	"github.com/pelletier/go-toml/v2/unstable"
)

// seen checks the keys of a document against the rules toml.Unmarshal
// applies after parsing: a key is defined once; a [header] defines a table
// once, and not one a dotted key or a value already made; a dotted key
// extends only tables other dotted keys made; a [[header]] appends a fresh
// table, whose keys may be defined again. When seen accepts every
// expression and every value is a string or a bool, toml.Unmarshal accepts
// the document too, and Parse need not run it: it is run only to report
// the error, in its own words.
//
// Every key is an entry, after its parent, so that a search for a child
// starts at its parent.
type seen struct {
	entries []seenEntry
	cur     int32 // the table the key/values being read go to

	gone  []bool  // scratch for drop
	remap []int32 // scratch for drop
}

type seenKind uint8

const (
	seenValue  seenKind = iota + 1 // a value of a key/value: never extended
	seenDotted                     // a table a dotted key made
	seenTable                      // a table a [header] made, or one a longer header implies
	seenArray                      // an array of tables
	seenAnon                       // an inline table or array inside an array: no name to find
)

type seenEntry struct {
	parent   int32
	kind     seenKind
	explicit bool   // a table its own [header] made
	name     []byte // valid during one Parse
}

func (s *seen) reset() {
	s.entries = append(s.entries[:0], seenEntry{parent: -1, kind: seenTable})
	s.cur = 0
}

func (s *seen) find(parent int32, name []byte) int32 {
	for i := int(parent) + 1; i < len(s.entries); i++ {
		if e := &s.entries[i]; e.parent == parent && e.kind != seenAnon && bytes.Equal(e.name, name) {
			return int32(i)
		}
	}
	return -1
}

func (s *seen) add(parent int32, name []byte, k seenKind, explicit bool) int32 {
	s.entries = append(s.entries, seenEntry{parent: parent, kind: k, explicit: explicit, name: name})
	return int32(len(s.entries) - 1)
}

// header checks a [header] or [[header]] with the given key, and makes its
// table the current one.
func (s *seen) header(key unstable.Iterator, array bool) bool {
	parent := int32(0)
	for key.Next() {
		name := key.Node().Data
		i := s.find(parent, name)
		if key.IsLast() {
			switch {
			case i < 0 && array:
				s.cur = s.add(parent, name, seenArray, true)
			case i < 0:
				s.cur = s.add(parent, name, seenTable, true)
			case array && s.entries[i].kind == seenArray:
				s.drop(i) // a new element: its keys start afresh
				s.cur = i
			case !array && s.entries[i].kind == seenTable && !s.entries[i].explicit:
				s.entries[i].explicit = true
				s.cur = i
			default:
				return false
			}
			return true
		}
		switch {
		case i < 0:
			i = s.add(parent, name, seenTable, false)
		case s.entries[i].kind == seenValue || s.entries[i].kind == seenAnon:
			return false
		}
		parent = i
	}
	return false
}

// keyval checks the key/value n, under the table or inline table parent,
// and the keys of its value.
func (s *seen) keyval(n *unstable.Node, parent int32) bool {
	key := n.Key()
	for key.Next() {
		name := key.Node().Data
		i := s.find(parent, name)
		if key.IsLast() {
			return i < 0 && s.value(s.add(parent, name, seenValue, false), n.Value())
		}
		switch {
		case i < 0:
			i = s.add(parent, name, seenDotted, false)
		case s.entries[i].kind != seenDotted:
			return false
		}
		parent = i
	}
	return false
}

// value checks the keys of the inline tables in v, the value of entry id.
func (s *seen) value(id int32, v *unstable.Node) bool {
	switch v.Kind {
	case unstable.InlineTable:
		for it := v.Children(); it.Next(); {
			if c := it.Node(); c.Kind == unstable.KeyValue && !s.keyval(c, id) {
				return false
			}
		}
	case unstable.Array:
		for it := v.Children(); it.Next(); {
			if c := it.Node(); (c.Kind == unstable.InlineTable || c.Kind == unstable.Array) && !s.value(s.add(id, nil, seenAnon, false), c) {
				return false
			}
		}
	}
	return true
}

// drop removes the entries below id, keeping the others in order.
func (s *seen) drop(id int32) {
	n := len(s.entries)
	if cap(s.gone) < n {
		s.gone, s.remap = make([]bool, n), make([]int32, n)
	}
	gone, remap := s.gone[:n], s.remap[:n]
	k := int32(0)
	for i := range s.entries {
		e := s.entries[i]
		if e.parent >= 0 && (e.parent == id || gone[e.parent]) {
			gone[i] = true
			continue
		}
		gone[i], remap[i] = false, k
		if e.parent >= 0 {
			e.parent = remap[e.parent]
		}
		s.entries[k] = e
		k++
	}
	clear(s.entries[k:])
	s.entries = s.entries[:k]
}
