package plan

import (
	"slices"
	"strings"
)

// formatCfg writes a cfg predicate as rustfmt does in an attribute:
// `key = "value"` with spaces around `=`, `name(a, b)` with one space after
// each comma and none inside the parentheses. A predicate it cannot read
// (a raw string, a stray character) is returned as it is.
func formatCfg(pred string) string {
	var b strings.Builder
	for i := 0; i < len(pred); {
		switch c := pred[i]; {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
		case c == '(' || c == ')':
			trimSpace(&b)
			if s := b.String(); c == ')' && strings.HasSuffix(s, ",") {
				b.Reset()
				b.WriteString(s[:len(s)-1]) // a trailing comma goes
			}
			b.WriteByte(c)
			i++
		case c == ',':
			trimSpace(&b)
			b.WriteString(", ")
			i++
		case c == '=':
			trimSpace(&b)
			b.WriteString(" = ")
			i++
		case c == '"':
			j := i + 1
			for j < len(pred) && pred[j] != '"' {
				if pred[j] == '\\' {
					j++
				}
				j++
			}
			if j >= len(pred) {
				return pred
			}
			b.WriteString(pred[i : j+1])
			i = j + 1
		case identByteASCII(c):
			j := i
			for j < len(pred) && identByteASCII(pred[j]) {
				j++
			}
			b.WriteString(pred[i:j])
			i = j
		default:
			return pred
		}
	}
	return strings.TrimRight(b.String(), " ")
}

// trimSpace drops the spaces b ends with (after "," or "=" before a
// closing parenthesis or another separator).
func trimSpace(b *strings.Builder) {
	s := b.String()
	if t := strings.TrimRight(s, " "); len(t) != len(s) {
		b.Reset()
		b.WriteString(t)
	}
}

// attrFnLikeWidth is rustfmt's attr_fn_like_width: the widest argument
// list a function-like attribute keeps on one line.
const attrFnLikeWidth = 70

// cfgAttr writes #[cfg(pred)] as rustfmt lays it out at indent: on one
// line while each list's arguments fit in attrFnLikeWidth, else a list of
// one argument hugs it and a longer list puts one argument on each line,
// without a trailing comma. pred is formatCfg's form; one it cannot read
// stays on one line.
func cfgAttr(pred, indent, eol string) string {
	tree, ok := parseCfg(pred)
	if !ok {
		return "#[cfg(" + pred + ")]"
	}
	return "#[" + cfgCall{name: "cfg", args: []cfgCall{tree}}.layout(indent, eol) + "]"
}

// cfgCall is a cfg predicate: a leaf (`unix`, `feature = "x"`) when args
// is nil, else name(args...).
type cfgCall struct {
	name string
	args []cfgCall
	leaf bool
}

func (c cfgCall) line() string {
	if c.leaf {
		return c.name
	}
	return c.name + "(" + c.argsLine() + ")"
}

func (c cfgCall) argsLine() string {
	parts := make([]string, len(c.args))
	for i, a := range c.args {
		parts[i] = a.line()
	}
	return strings.Join(parts, ", ")
}

func (c cfgCall) layout(indent, eol string) string {
	if c.leaf || len(c.argsLine()) <= attrFnLikeWidth {
		return c.line()
	}
	if len(c.args) == 1 {
		return c.name + "(" + c.args[0].layout(indent, eol) + ")"
	}
	inner := indent + "    "
	var b strings.Builder
	b.WriteString(c.name + "(" + eol)
	for i, a := range c.args {
		b.WriteString(inner + a.layout(inner, eol))
		if i < len(c.args)-1 {
			b.WriteString(",")
		}
		b.WriteString(eol)
	}
	b.WriteString(indent + ")")
	return b.String()
}

// parseCfg reads a predicate in formatCfg's form.
func parseCfg(s string) (cfgCall, bool) {
	c, rest, ok := parseCfgAt(s)
	return c, ok && rest == ""
}

func parseCfgAt(s string) (cfgCall, string, bool) {
	i := strings.IndexAny(s, "(,)")
	if i < 0 {
		return cfgCall{name: s, leaf: true}, "", s != ""
	}
	if s[i] != '(' || strings.Contains(s[:i], "\"") {
		// a leaf: up to the next separator outside a string
		end := leafEnd(s)
		return cfgCall{name: s[:end], leaf: true}, s[end:], end > 0
	}
	c := cfgCall{name: s[:i]}
	rest := s[i+1:]
	for {
		if strings.HasPrefix(rest, ")") {
			return c, rest[1:], true
		}
		a, r, ok := parseCfgAt(rest)
		if !ok {
			return c, "", false
		}
		c.args = append(c.args, a)
		rest = strings.TrimPrefix(r, ", ")
		if !strings.HasPrefix(rest, ")") && len(rest) == len(r) {
			return c, "", false
		}
	}
}

// leafEnd returns the end of the leaf predicate s starts with: the first
// ',' or ')' outside a string.
func leafEnd(s string) int {
	in := false
	for i := 0; i < len(s); i++ {
		switch {
		case in && s[i] == '\\':
			i++
		case s[i] == '"':
			in = !in
		case !in && (s[i] == ',' || s[i] == ')'):
			return i
		}
	}
	return len(s)
}

// targetWithin reports whether every target of the target table inner
// (`cfg(…)` or a triple, "" for every target) is one of outer's: the same
// table, or cfg predicates where inner implies outer (`cfg(all(unix, x))`
// within `cfg(unix)`, `cfg(target_os = "linux")` within `cfg(any(macos,
// target_os = "linux"))`). It reads the predicates' form, not their
// meaning: an implication it cannot see is a no.
func targetWithin(inner, outer string) bool {
	if inner == outer || outer == "" {
		return true
	}
	a, aok := targetCfg(inner)
	b, bok := targetCfg(outer)
	return aok && bok && cfgImplies(a, b)
}

// targetCfg parses the predicate of a `cfg(…)` target table.
func targetCfg(t string) (cfgCall, bool) {
	p, ok := parseCfg(formatCfg(t))
	if !ok || p.leaf || p.name != "cfg" || len(p.args) != 1 {
		return cfgCall{}, false
	}
	return p.args[0], true
}

// cfgImplies reports whether predicate a holds only where b does, by the
// form of any(…) and all(…) alone.
func cfgImplies(a, b cfgCall) bool {
	if a.line() == b.line() {
		return true
	}
	switch {
	case !a.leaf && a.name == "any":
		for _, x := range a.args {
			if !cfgImplies(x, b) {
				return false
			}
		}
		return len(a.args) > 0
	case !b.leaf && b.name == "all":
		for _, y := range b.args {
			if !cfgImplies(a, y) {
				return false
			}
		}
		return true
	}
	if !b.leaf && b.name == "any" && slices.ContainsFunc(b.args, func(y cfgCall) bool { return cfgImplies(a, y) }) {
		return true
	}
	return !a.leaf && a.name == "all" && slices.ContainsFunc(a.args, func(x cfgCall) bool { return cfgImplies(x, b) })
}
