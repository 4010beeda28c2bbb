package verify

import "strings"

// target is the configuration cfg predicates are evaluated for: x86_64
// Linux with glibc, the platform the jemalloc crates build on.
var target = map[string]string{
	"target_os": "linux", "target_env": "gnu", "target_family": "unix",
	"target_arch": "x86_64", "target_pointer_width": "64", "target_vendor": "unknown",
}

// evalCfg evaluates a cfg predicate (`all`, `any`, `not`, `feature = "x"`,
// `key = "value"`, bare names such as `unix`) with the given features on.
// An unknown bare name is false, as rustc treats it.
func evalCfg(pred string, features map[string]bool) bool {
	p := &cfgParser{s: pred}
	return p.expr(features)
}

type cfgParser struct {
	s string
	i int
}

func (p *cfgParser) expr(features map[string]bool) bool {
	name := p.ident()
	p.space()
	switch {
	case p.peek('('):
		p.i++
		var vals []bool
		for p.space(); !p.peek(')') && p.i < len(p.s); p.space() {
			vals = append(vals, p.expr(features))
			p.space()
			if p.peek(',') {
				p.i++
			}
		}
		p.i++
		return combine(name, vals)
	case p.peek('='):
		p.i++
		p.space()
		val := p.str()
		if name == "feature" {
			return features[val]
		}
		return target[name] == val
	}
	return name == "unix" || name == "debug_assertions"
}

func combine(op string, vals []bool) bool {
	switch op {
	case "all":
		for _, v := range vals {
			if !v {
				return false
			}
		}
		return true
	case "any":
		for _, v := range vals {
			if v {
				return true
			}
		}
		return false
	case "not":
		return len(vals) == 1 && !vals[0]
	}
	return false
}

func (p *cfgParser) ident() string {
	p.space()
	start := p.i
	for p.i < len(p.s) && (isIdent(p.s[p.i])) {
		p.i++
	}
	return p.s[start:p.i]
}

func isIdent(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

func (p *cfgParser) str() string {
	if !p.peek('"') {
		return ""
	}
	end := strings.IndexByte(p.s[p.i+1:], '"')
	if end < 0 {
		p.i = len(p.s)
		return ""
	}
	v := p.s[p.i+1 : p.i+1+end]
	p.i += end + 2
	return v
}

func (p *cfgParser) peek(c byte) bool { return p.i < len(p.s) && p.s[p.i] == c }

func (p *cfgParser) space() {
	for p.i < len(p.s) && (p.s[p.i] == ' ' || p.s[p.i] == '\t' || p.s[p.i] == '\n' || p.s[p.i] == '\r') {
		p.i++
	}
}
