package plan_test

import (
	"bytes"
	"fmt"
	"testing"

	"jemfix/pkg/tomledit"
)

// onlyTokensChanged checks that out is in with, at most, each of the given
// spans of in replaced by a one-line text: the bytes between the spans
// appear in out unchanged and in order, the first at the start of out and
// the last at its end. spans must be sorted and disjoint.
func onlyTokensChanged(in, out []byte, spans []tomledit.Span) error {
	if len(spans) == 0 {
		if !bytes.Equal(in, out) {
			return fmt.Errorf("no token may change, but the output differs")
		}
		return nil
	}
	var keep [][]byte
	last := 0
	for _, s := range spans {
		keep = append(keep, in[last:s.Start])
		last = s.End
	}
	keep = append(keep, in[last:])
	if !bytes.HasPrefix(out, keep[0]) {
		return fmt.Errorf("bytes before the first token (offset %d) changed", spans[0].Start)
	}
	pos := len(keep[0])
	for i, seg := range keep[1:] {
		var j int
		if i == len(keep)-2 {
			j = len(out) - len(seg)
			if j < pos || !bytes.Equal(out[j:], seg) {
				return fmt.Errorf("bytes after the last token (offset %d) changed", spans[i].End)
			}
		} else if j = bytes.Index(out[pos:], seg); j < 0 {
			return fmt.Errorf("bytes %d..%d between two tokens changed", spans[i].End, spans[i+1].Start)
		} else {
			j += pos
		}
		if bytes.ContainsAny(out[pos:j], "\r\n") {
			return fmt.Errorf("the token at offset %d became %q, more than one line", spans[i].Start, out[pos:j])
		}
		pos = j + len(seg)
	}
	return nil
}

func TestOnlyTokensChanged(t *testing.T) {
	in := []byte(`a = "x" # c` + "\n" + `b = "y"` + "\n")
	spans := []tomledit.Span{{Start: 4, End: 7}, {Start: 16, End: 19}}
	tests := []struct {
		out  string
		fail bool
	}{
		{out: string(in)},
		{out: "a = \"longer\" # c\nb = 'z'\n"},
		{out: "a = \"x\" # C\nb = \"y\"\n", fail: true},
		{out: "a = \"x\" # c\nb = \"y\"", fail: true},
		{out: "a = \"x\"\n # c\nb = \"y\"\n", fail: true},
		{out: "a = \"x\n\" # c\nb = \"y\"\n", fail: true},
		{out: " a = \"x\" # c\nb = \"y\"\n", fail: true},
	}
	for _, tt := range tests {
		err := onlyTokensChanged(in, []byte(tt.out), spans)
		if (err != nil) != tt.fail {
			t.Errorf("onlyTokensChanged(%q) = %v, want failure %v", tt.out, err, tt.fail)
		}
	}
}
