package family

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// CheckReq reports whether req is a version requirement cargo reads: one
// or more comparators separated by commas, each an optional operator (=,
// >, >=, <, <=, ~, ^) and a version (1, 1.2, 1.2.3, with * or x for the
// parts left open, and -pre and +build after a full version), or "*".
func CheckReq(req string) error {
	if strings.TrimSpace(req) == "" {
		return errors.New("it is empty")
	}
	for c := range strings.SplitSeq(req, ",") {
		if err := checkComparator(strings.TrimSpace(c)); err != nil {
			return err
		}
	}
	return nil
}

func checkComparator(c string) error {
	if c == "" {
		return errors.New("a comparator is empty")
	}
	for _, op := range []string{">=", "<=", "=", ">", "<", "~", "^"} {
		if rest, ok := strings.CutPrefix(c, op); ok {
			c = strings.TrimSpace(rest)
			break
		}
	}
	if c == "*" {
		return nil
	}
	core, build, hasBuild := strings.Cut(c, "+")
	core, pre, hasPre := strings.Cut(core, "-")
	parts := strings.Split(core, ".")
	if len(parts) > 3 {
		return errors.New("more than three numbers")
	}
	open := false
	for i, p := range parts {
		switch {
		case p == "*" || p == "x" || p == "X":
			if i == 0 {
				return errors.New("the major version cannot be a wildcard")
			}
			open = true
		case open:
			return errors.New("a number after a wildcard")
		case !number(p):
			return fmt.Errorf("%q is not a version number", p)
		}
	}
	if (hasPre || hasBuild) && (len(parts) < 3 || open) {
		return errors.New("a pre-release or build needs a full version")
	}
	if hasPre && !identifiers(pre) || hasBuild && !identifiers(build) {
		return errors.New("a pre-release or build is dot-separated letters, digits and hyphens")
	}
	return nil
}

// number is a decimal without a leading zero.
func number(s string) bool {
	if s == "" || (len(s) > 1 && s[0] == '0') {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

func identifiers(s string) bool {
	for id := range strings.SplitSeq(s, ".") {
		if id == "" || strings.Trim(id, "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-") != "" {
			return false
		}
	}
	return true
}

// version is a version's major, minor and patch; a range is [lo, hi).
type version [3]int

var unbounded = version{1 << 30}

func (v version) less(w version) bool {
	for i := range v {
		if v[i] != w[i] {
			return v[i] < w[i]
		}
	}
	return false
}

// bump returns the first version after every version that starts with
// v's first n parts: bump(1.2.3, 2) = 1.3.0.
func (v version) bump(n int) version {
	out := version{}
	copy(out[:n], v[:n])
	out[n-1]++
	return out
}

// comparatorRange returns the range of versions comparator c admits,
// with false when it is not one cargo reads (CheckReq).
func comparatorRange(c string) (lo, hi version, ok bool) {
	c = strings.TrimSpace(c)
	op := ""
	for _, o := range []string{">=", "<=", "=", ">", "<", "~", "^"} {
		if rest, found := strings.CutPrefix(c, o); found {
			op, c = o, strings.TrimSpace(rest)
			break
		}
	}
	if c == "*" {
		return version{}, unbounded, op == ""
	}
	core, _, _ := strings.Cut(c, "+")
	core, _, _ = strings.Cut(core, "-")
	var v version
	n := 0 // the parts written before any wildcard
	for i, p := range strings.Split(core, ".") {
		if i > 2 {
			return lo, hi, false
		}
		if p == "*" || p == "x" || p == "X" {
			break
		}
		x, err := strconv.Atoi(p)
		if !number(p) || err != nil {
			return lo, hi, false
		}
		v[i], n = x, i+1
	}
	if n == 0 {
		return lo, hi, false
	}
	wild := strings.ContainsAny(core, "*xX")
	switch {
	case op == "=" || wild:
		return v, v.bump(n), true
	case op == ">=":
		return v, unbounded, true
	case op == ">":
		return v.bump(n), unbounded, true
	case op == "<":
		return version{}, v, true
	case op == "<=":
		return version{}, v.bump(n), true
	case op == "~":
		return v, v.bump(min(n, 2)), true
	}
	// Caret, written or not: the leftmost non-zero part written stays.
	switch {
	case v[0] > 0 || n == 1:
		return v, v.bump(1), true
	case v[1] > 0 || n == 2:
		return v, v.bump(2), true
	}
	return v, v.bump(3), true
}

// MaybeSeveral reports whether req may admit several series: a
// comparator other than =, ^ or ~ on a minor version, a wildcard, a bare
// major version. A plain "0.5" or "^0.5.4" admits one; Admitted tells.
func MaybeSeveral(req string) bool {
	return strings.ContainsAny(req, "*<>,xX") || !strings.Contains(req, ".")
}

// Admitted returns the series of all (published series, oldest first)
// that some version req admits belongs to, oldest first; nil when req is
// not a requirement cargo reads.
func Admitted(req string, all []string) []string {
	lo, hi := version{}, unbounded
	for c := range strings.SplitSeq(req, ",") {
		l, h, ok := comparatorRange(c)
		if !ok {
			return nil
		}
		if lo.less(l) {
			lo = l
		}
		if h.less(hi) {
			hi = h
		}
	}
	var out []string
	for _, s := range all {
		slo, _, ok := comparatorRange("=" + s)
		if !ok {
			continue
		}
		shi := slo.bump(1)
		if slo[0] == 0 {
			shi = slo.bump(2)
		}
		if slo.less(hi) && lo.less(shi) { // [slo, shi) meets [lo, hi)
			out = append(out, s)
		}
	}
	return out
}
