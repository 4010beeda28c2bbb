package phase

import (
	"strings"
	"testing"
)

func TestMarks(t *testing.T) {
	Mark("before start") // ignored
	Start()
	Mark("load")
	Mark("plan")
	Mark("check")
	Mark("plan") // a second run: its time adds to the first's
	var b strings.Builder
	if err := Write(&b); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(b.String()), "\n")
	if len(lines) != 4 || !strings.HasPrefix(lines[0], "load ") || !strings.HasPrefix(lines[1], "plan ") || !strings.HasPrefix(lines[2], "check ") || !strings.HasPrefix(lines[3], "total ") {
		t.Errorf("Write =\n%s", b.String())
	}
}

// The hook sees each step as it ends, in order.
func TestOnMark(t *testing.T) {
	var seen []string
	OnMark(func(step string) { seen = append(seen, step) })
	t.Cleanup(func() { OnMark(nil) })
	Start()
	Mark("load")
	Mark("check")
	if strings.Join(seen, ",") != "load,check" {
		t.Errorf("hook saw %q, want load, check", seen)
	}
}
