package family

import (
	"errors"
	"fmt"
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
