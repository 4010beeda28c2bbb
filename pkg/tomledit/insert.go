package tomledit

import (
	"slices"
	"strings"

	"jemfix/pkg/textedit"
)

// DropDependency removes every place dep is written:
//   - a `key = ...` or `key.field = ...` line goes whole, with its
//     end-of-line comment and the comment lines directly above it;
//   - a [dependencies.key] sub-table goes from the comment lines directly
//     above its header through its last key/value line (comments after
//     that belong to what follows);
//   - an entry inside an inline table goes with its separating comma.
//
// Lines that stood alone between blank lines take one of those blank lines
// with them, and a file without a final line ending keeps having none. The
// table header itself stays, even when it becomes empty (DropDependencies
// removes an emptied target table).
func (d *Doc) DropDependency(dep *Dep) []textedit.Edit {
	return d.DropDependencies([]*Dep{dep})
}

// DropDependencies removes every place each of deps is written, as
// DropDependency does, and the header of a [target.<spec>.*dependencies]
// table that loses all its entries and holds no comment line: such a
// table was written for the dropped entries alone. Other tables keep
// their header, since edits may add entries under it.
func (d *Doc) DropDependencies(deps []*Dep) []textedit.Edit {
	var kvs []ref
	var tables []Span
	gone := map[ref]bool{}
	for _, dep := range deps {
		info := d.lookup(dep) // with the syntax
		if info == nil {
			continue
		}
		kvs = append(kvs, info.dotted...)
		if info.whole != noRef {
			kvs = append(kvs, info.whole)
		}
		for _, t := range info.subs {
			tables = append(tables, Span{d.ownedStart(d.startOf(t)), d.tableEnd(t)})
		}
	}
	if len(kvs) == 0 && len(tables) == 0 {
		return nil
	}
	var emptied []ref
	for _, kv := range kvs {
		gone[kv] = true
		if t := d.at(kv).up; t > 0 && d.at(t).header() && !slices.Contains(emptied, t) {
			emptied = append(emptied, t)
		}
	}
	for _, t := range emptied {
		if d.emptiedTarget(t, gone) {
			tables = append(tables, Span{d.ownedStart(d.startOf(t)), d.endOf(t)})
		}
	}
	edits := d.removeKeyValues(kvs, tables)
	slices.SortFunc(edits, func(a, b textedit.Edit) int { return a.Start - b.Start })
	return edits
}

// emptiedTarget reports whether header t is a [target.<spec>.*dependencies]
// table whose key/values are all in gone, with no comment line from its
// header to the comment lines that introduce the next header.
func (d *Doc) emptiedTarget(t ref, gone map[ref]bool) bool {
	keys := d.keys(t)
	if d.at(t).kind != kTable || len(keys) != 3 || keys[0].name != "target" || depKind(keys[2].name) == "" {
		return false
	}
	for _, kv := range d.kidsOf(t) {
		if !gone[kv] {
			return false
		}
	}
	end := len(d.bytes())
	for r := t + 1; int(r) < len(d.syntax.nodes); r++ {
		if d.at(r).header() {
			end = d.ownedStart(d.startOf(r)) // comment lines right above a header are that table's
			break
		}
	}
	i, _ := slices.BinarySearch(d.comments, uint32(d.endOf(t)))
	return i == len(d.comments) || int(d.comments[i]) >= end
}

// removeKeyValues removes key/value pairs, and the whole-line spans in
// lines: a top-level pair goes with its line (dropLines), an item of an
// inline table with its separator.
func (d *Doc) removeKeyValues(kvs []ref, lines []Span) []textedit.Edit {
	var lists []ref
	drop := map[ref][]int{}
	for _, kv := range kvs {
		list := d.list(kv)
		if list == noRef {
			lines = append(lines, Span{d.ownedStart(d.startOf(kv)), lineEnd(d.bytes(), d.endOf(kv))})
			continue
		}
		if _, ok := drop[list]; !ok {
			lists = append(lists, list)
		}
		drop[list] = append(drop[list], slices.Index(d.kidsOf(list), kv))
	}
	edits := d.dropLines(lines)
	for _, v := range lists {
		edits = append(edits, d.removeItems(v, drop[v])...)
	}
	return edits
}

// dropLines turns deletions of whole lines into edits that keep the file's
// shape: lines standing alone between blank lines take one blank line with
// them, and when the file has no final line ending the deletion reaching the
// end takes the line ending above it.
func (d *Doc) dropLines(spans []Span) []textedit.Edit {
	src := d.bytes()
	spans = mergeSpans(spans)
	for i, s := range spans {
		if s.Start > d.bom && d.blankLine(d.lineStart(s.Start-1)) && d.blankLine(s.End) {
			spans[i].Start = d.lineStart(s.Start - 1)
		}
	}
	spans = mergeSpans(spans)
	if n := len(spans); n > 0 {
		last := &spans[n-1]
		if last.End == len(src) && last.Start > d.bom && src[last.End-1] != '\n' {
			last.Start--
			if last.Start > d.bom && src[last.Start-1] == '\r' {
				last.Start--
			}
		}
	}
	return deletions(spans)
}

// blankLine reports whether the line starting at s is empty or blank; the
// end of the file counts as blank.
func (d *Doc) blankLine(s int) bool {
	src := d.bytes()
	i := skipBlank(src, s)
	return i == len(src) || src[i] == '\n' || src[i] == '\r'
}

// tableEnd returns the end of the last line of t: its last key/value line,
// or its header line when it has none.
func (d *Doc) tableEnd(t ref) int {
	if kids := d.kidsOf(t); len(kids) > 0 {
		return lineEnd(d.bytes(), d.endOf(kids[len(kids)-1]))
	}
	return d.endOf(t)
}

// slot is where the entries of one logical table are written.
type slot struct {
	header  ref   // its own [header], when written; else noRef
	entries []ref // top-level key/values whose key names an entry
	idx     []int // for each entry, the index of the entry's key part
	list    ref   // the table written as an inline table value; else noRef
}

// findSlot collects a table given match, which reports whether a path
// starts with that table and how many parts name it.
func (d *Doc) findSlot(match func([]part) (int, bool)) slot {
	s := slot{header: noRef, list: noRef}
	for t := range d.headers() {
		ps := d.keys(t)
		if n, ok := match(ps); ok && d.at(t).kind != kArrayTable && len(ps) == n && s.header == noRef {
			s.header = t
		}
	}
	var full []part
	for kv := range d.visited() {
		full = d.full(kv, full[:0])
		pre := len(full) - len(d.keys(kv))
		n, ok := match(full)
		switch {
		case !ok:
		case len(full) == n && d.at(kv).kind == kInline && s.list == noRef:
			s.list = kv
		case len(full) > n && d.list(kv) == noRef && n >= pre:
			s.entries = append(s.entries, kv)
			s.idx = append(s.idx, n-pre)
		}
	}
	return s
}

func depMatch(t DepTable) func([]part) (int, bool) {
	return func(path []part) (int, bool) {
		n, dt, ok := classify(path)
		return n, ok && dt == t
	}
}

func featMatch(path []part) (int, bool) {
	return 1, len(path) > 0 && path[0].name == "features"
}

// AddDependency adds `key = valueTOML` (valueTOML is written as given, e.g.
// `"0.5"` or `{ version = "0.5", optional = true }`) to table t:
//   - after the last entry of the table, or in sorted position when the
//     table's keys are already sorted (cargo add's rule), copying the
//     neighbouring entry's indentation, key quoting and dotted prefix,
//     spacing around '=' (padded to the same column when the table aligns
//     its '=') and line ending;
//   - right after the header of a table with no entries;
//   - as the last item of a table written as an inline table;
//   - when the table is missing, as a new table with a blank line before
//     it, after the last table sharing its parent ([target.<spec>.*] or
//     [workspace.*]), else after the last dependency table, else at the end.
//
// It returns nil when no header can be written for a missing table because
// a value that is not a table (`dependencies = []`), an inline table, or an
// array of tables already holds its name or a parent's. The caller checks
// that key is new; a duplicate key is rejected when the output is parsed
// again.
func (d *Doc) AddDependency(t DepTable, key, valueTOML string) []textedit.Edit {
	d.withSyntax()
	if e := d.insertEntry(d.findSlot(depMatch(t)), key, valueTOML); e != nil {
		return e
	}
	if d.occupied(depPath(t)) {
		return nil
	}
	anchor := -1
	switch {
	case t.InWorkspace:
		anchor = d.lastTableEnd(func(p []part) bool { return len(p) > 0 && p[0].name == "workspace" })
	case t.Target != "":
		anchor = d.lastTableEnd(func(p []part) bool {
			return len(p) > 1 && p[0].name == "target" && p[1].name == t.Target
		})
	}
	if anchor < 0 {
		anchor = d.lastDepTableEnd()
	}
	return []textedit.Edit{d.createTable(anchor, d.depHeader(t), key, valueTOML)}
}

// AddFeature adds `name = ["ref", ...]` to [features], placed as
// AddDependency places entries; a missing [features] table is created after
// the last dependency table, else at the end. Refs are quoted like the
// existing feature strings.
func (d *Doc) AddFeature(name string, refs []string) []textedit.Edit {
	d.withSyntax()
	style := ""
	for _, f := range d.feats {
		for _, r := range f.Refs {
			style = d.text(r.Span)
		}
	}
	quoted := make([]string, len(refs))
	for i, r := range refs {
		quoted[i] = quoteLike(style, r)
	}
	val := "[" + strings.Join(quoted, ", ") + "]"
	if e := d.insertEntry(d.findSlot(featMatch), name, val); e != nil {
		return e
	}
	if d.occupied([]string{"features"}) {
		return nil
	}
	return []textedit.Edit{d.createTable(d.lastDepTableEnd(), "features", name, val)}
}

// insertEntry adds key = val to an existing table; it returns nil when the
// table is not written at all.
func (d *Doc) insertEntry(s slot, key, val string) []textedit.Edit {
	switch {
	case s.list != noRef:
		raw := ""
		if kids := d.kidsOf(s.list); len(kids) > 0 {
			raw = d.text(d.keys(kids[0])[0].span())
		}
		return d.addItem(s.list, keyLike(raw, key)+" = "+val)
	case len(s.entries) > 0:
		return []textedit.Edit{d.entryNear(s, key, val)}
	case s.header != noRef:
		at := d.startOf(s.header)
		line := d.indent(at) + keyLike("", key) + " = " + val
		return []textedit.Edit{d.lineAfter(at, line)}
	}
	return nil
}

// entryNear places a new entry after the last one, or before the first
// greater key when the keys are sorted.
func (d *Doc) entryNear(s slot, key, val string) textedit.Edit {
	names := make([]string, len(s.entries))
	for i, kv := range s.entries {
		names[i] = d.keys(kv)[s.idx[i]].name
	}
	pos := len(names)
	if slices.IsSorted(names) {
		pos, _ = slices.BinarySearch(names, key)
		for pos < len(names) && names[pos] <= key {
			pos++
		}
	}
	aligned := d.aligned(s.entries)
	if pos == len(names) {
		nb := s.entries[pos-1]
		return d.lineAfter(d.endOf(nb), d.entryLine(nb, s.idx[pos-1], aligned, key, val))
	}
	nb := s.entries[pos]
	at := d.ownedStart(d.startOf(nb))
	if pos > 0 && blankLineBetween(d.bytes(), d.endOf(s.entries[pos-1]), at) {
		// nb opens a group of its own (a blank line, its comments): the
		// new entry ends the group before it instead.
		prev := s.entries[pos-1]
		return d.lineAfter(d.endOf(prev), d.entryLine(prev, s.idx[pos-1], aligned, key, val))
	}
	return textedit.Edit{Start: at, End: at, New: d.entryLine(nb, s.idx[pos], aligned, key, val) + d.eol(d.startOf(nb))}
}

// blankLineBetween reports whether a line of src between offsets from and
// to (the end of one entry and the start of the next) holds nothing but
// blanks.
func blankLineBetween(src []byte, from, to int) bool {
	if from >= to || to > len(src) {
		return false
	}
	lines := strings.Split(string(src[from:to]), "\n")
	// The first piece ends the entry's line, the last starts the next's.
	for _, l := range lines[1 : len(lines)-1] {
		if strings.TrimSpace(l) == "" {
			return true
		}
	}
	return false
}

// aligned reports whether entries line up their '=' in one column, with
// at least one key padded to reach it.
func (d *Doc) aligned(entries []ref) bool {
	col, padded := -1, false
	for _, kv := range entries {
		keyEnd := d.keyEnd(kv)
		eq := skipBlank(d.bytes(), keyEnd)
		c := eq - d.lineStart(d.startOf(kv))
		if col >= 0 && c != col {
			return false
		}
		col, padded = c, padded || eq-keyEnd > 1
	}
	return padded && len(entries) > 1
}

// entryLine writes key = val the way the neighbour entry nb is written. In
// an aligned table the new '=' goes in the same column.
func (d *Doc) entryLine(nb ref, idx int, aligned bool, key, val string) string {
	seg := d.keys(nb)[idx].span()
	start, keyEnd := d.startOf(nb), d.keyEnd(nb)
	ind := d.indent(start)
	head := d.text(Span{start, seg.Start}) + keyLike(d.text(seg), key)
	eq := skipBlank(d.bytes(), keyEnd)
	before := d.text(Span{keyEnd, eq})
	after := d.text(Span{eq + 1, d.valStart(nb)})
	if aligned {
		pad := eq - d.lineStart(start) - len(ind) - len(head)
		before = strings.Repeat(" ", max(pad, 1))
	}
	return ind + head + before + "=" + after + val
}

// lastTableEnd returns the end of the last table whose header path matches,
// or -1.
func (d *Doc) lastTableEnd(match func([]part) bool) int {
	end := -1
	for t := range d.headers() {
		if match(d.keys(t)) {
			end = d.tableEnd(t)
		}
	}
	if end >= 0 {
		end = d.closingComments(end)
	}
	return end
}

// closingComments returns the end of the comment lines that follow a
// table's last line at end and close it: the run of comment lines ends at
// a blank line or the end of the file, not at a header it would introduce.
// It returns end when there is no such run.
func (d *Doc) closingComments(end int) int {
	src := d.bytes()
	last := end
	for i := end; i < len(src); {
		next := lineEnd(src, i)
		line := strings.TrimSpace(string(src[i:next]))
		switch {
		case strings.HasPrefix(line, "#"):
			last = next
			i = next
			continue
		case line == "":
			return last
		}
		return end // the comments introduce what follows
	}
	return last
}

// lastDepTableEnd returns the end of the last package dependency table;
// without one, the end of the [package] table and its subtables, where
// cargo's own manifests start their dependencies ([features] or [lib] may
// follow, and a table written at the end of the file would take in what
// another edit adds to the table it follows); else the end of the file.
func (d *Doc) lastDepTableEnd() int {
	end := d.lastTableEnd(func(p []part) bool {
		_, t, ok := classify(p)
		return ok && !t.InWorkspace
	})
	if end < 0 {
		end = d.lastTableEnd(func(p []part) bool { return len(p) > 0 && p[0].name == "package" })
	}
	if end < 0 {
		return len(d.bytes())
	}
	return end
}

// createTable writes a new [header] with one entry at anchor, the start of
// a line or the end of the file, after a blank line.
func (d *Doc) createTable(anchor int, header, key, val string) textedit.Edit {
	eol := d.eol(max(anchor-1, 0))
	text := "[" + header + "]" + eol + keyLike("", key) + " = " + val + eol
	switch {
	case anchor <= d.bom:
	case d.bytes()[anchor-1] != '\n':
		text = eol + eol + text
	default:
		text = eol + text
	}
	return textedit.Edit{Start: anchor, End: anchor, New: text}
}

// occupied reports whether a key/value, or an array of tables, holds path
// or a parent of it, so that a [header] for path would redefine it.
func (d *Doc) occupied(path []string) bool {
	same := func(ps []part) bool {
		for i, p := range ps {
			a, b := p.name, path[i]
			if a != b && (depKind(a) == "" || depKind(a) != depKind(b)) {
				return false
			}
		}
		return true
	}
	var full []part
	for kv := range d.visited() {
		if full = d.full(kv, full[:0]); len(full) <= len(path) && same(full) {
			return true
		}
	}
	for t := range d.headers() {
		if ps := d.keys(t); d.at(t).kind == kArrayTable && len(ps) <= len(path) && same(ps) {
			return true
		}
	}
	return false
}

// depPath is the canonical header path of t.
func depPath(t DepTable) []string {
	switch {
	case t.InWorkspace:
		return []string{"workspace", "dependencies"}
	case t.Target != "":
		return []string{"target", t.Target, kindTables[t.Kind]}
	}
	return []string{kindTables[t.Kind]}
}

var kindTables = map[string]string{"normal": "dependencies", "dev": "dev-dependencies", "build": "build-dependencies"}

// depHeader spells the header of t, reusing the written form of its target
// spec when the file has one.
func (d *Doc) depHeader(t DepTable) string {
	switch {
	case t.InWorkspace:
		return "workspace.dependencies"
	case t.Target == "":
		return kindTables[t.Kind]
	}
	spec := ""
	for tb := range d.headers() {
		if ps := d.keys(tb); len(ps) > 1 && ps[0].name == "target" && ps[1].name == t.Target {
			spec = d.text(ps[1].span())
		}
	}
	if spec == "" {
		return t.Header()
	}
	return "target." + spec + "." + kindTables[t.Kind]
}

// Header spells the table's header, without its brackets:
// `dependencies`, `target.'cfg(unix)'.dev-dependencies`.
func (t DepTable) Header() string {
	switch {
	case t.InWorkspace:
		return "workspace.dependencies"
	case t.Target == "":
		return kindTables[t.Kind]
	}
	return "target." + specKey(t.Target) + "." + kindTables[t.Kind]
}

// specKey quotes a target spec, preferring a literal string: cfg()
// expressions hold double quotes.
func specKey(s string) string {
	switch {
	case bareKey(s):
		return s
	case literalOK(s):
		return "'" + s + "'"
	}
	return basicQuote(s)
}

// ReplaceDependency writes `key = valueTOML` in place of dep, when dep is
// written as one key/value of its table: `key = value`, or a single dotted
// `key.field = value` (no sub-table, not inside an inline table). The
// entry's line, comments and table stay. It returns nil for any other
// form.
func (d *Doc) ReplaceDependency(dep *Dep, key, valueTOML string) []textedit.Edit {
	kv := d.oneKeyValue(dep)
	if kv == noRef {
		return nil
	}
	return []textedit.Edit{{Start: d.startOf(kv), End: d.endOf(kv), New: keyLike("", key) + " = " + valueTOML}}
}

// OneKeyValue reports whether dep is written as one key/value of its
// table, the form ReplaceDependency replaces.
func (d *Doc) OneKeyValue(dep *Dep) bool { return d.oneKeyValue(dep) != noRef }

func (d *Doc) oneKeyValue(dep *Dep) ref {
	info := d.lookup(dep) // with the syntax
	if info == nil || len(info.subs) > 0 {
		return noRef
	}
	kv := info.whole
	switch {
	case kv != noRef && len(info.dotted) == 0:
	case kv == noRef && len(info.dotted) == 1:
		kv = info.dotted[0]
	default:
		return noRef
	}
	if d.list(kv) != noRef {
		return noRef
	}
	return kv
}
