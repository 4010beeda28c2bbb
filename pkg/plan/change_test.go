package plan

import (
	"strings"
	"testing"

	"jemfix/pkg/textedit"
)

// A deferred change keeps no content; Fill gives it back from the bytes
// the plan read, and refuses any other.
func TestDeferredChange(t *testing.T) {
	old := []byte("use jemalloc_ctl::epoch;\n")
	ch := deferChange("src/lib.rs", old, []textedit.Edit{{Start: 4, End: 16, New: "tikv_jemalloc_ctl"}})
	if !ch.Deferred() || ch.Creates() || ch.Old != nil || ch.New != nil {
		t.Fatalf("deferred change %+v: want no content, not a creation", ch)
	}
	got, err := ch.Fill(old, "ws/src/lib.rs")
	if err != nil || string(got.New) != "use tikv_jemalloc_ctl::epoch;\n" || string(got.Old) != string(old) || got.Deferred() {
		t.Errorf("Fill = %q, %q, %v", got.Old, got.New, err)
	}
	for _, other := range []string{"use jemalloc_ctl::epoch; \n", "use jemalloc_ctl::Epoch;\n", ""} {
		if _, err := ch.Fill([]byte(other), "ws/src/lib.rs"); err == nil || !strings.HasPrefix(err.Error(), "ws/src/lib.rs: changed since jemfix read it") {
			t.Errorf("Fill(%q): err = %v, want the file reported as changed", other, err)
		}
	}
	if (Change{Path: "new.md", New: []byte("x")}).Creates() != true {
		t.Errorf("a change without old content and nothing deferred must create its file")
	}
}

// update builds on a deferred change of the same file: its edits first,
// then the update's.
func TestUpdateDeferred(t *testing.T) {
	old := []byte("use jemalloc_ctl::epoch;\n")
	p := &Plan{Changes: []Change{deferChange("src/lib.rs", old, []textedit.Edit{{Start: 4, End: 16, New: "tikv_jemalloc_ctl"}})}}
	if err := p.update("src/lib.rs", old, func(base []byte) []byte { return append(append([]byte{}, base...), "pub use x;\n"...) }); err != nil {
		t.Fatal(err)
	}
	if len(p.Changes) != 1 || string(p.Changes[0].New) != "use tikv_jemalloc_ctl::epoch;\npub use x;\n" {
		t.Errorf("changes = %+v", p.Changes)
	}
	q := &Plan{Changes: []Change{deferChange("src/lib.rs", old, nil)}}
	if err := q.update("src/lib.rs", []byte("other\n"), func(b []byte) []byte { return b }); err == nil {
		t.Errorf("update over a file that changed since the plan read it: no error")
	}
}
