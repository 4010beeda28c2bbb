package textedit

import "testing"

func TestApply(t *testing.T) {
	tests := []struct {
		name, src string
		edits     []Edit
		want      string
		wantErr   bool
	}{
		{name: "none", src: "a\r\nb", want: "a\r\nb"},
		{name: "replace", src: "use jemalloc_ctl::x;", edits: []Edit{{4, 16, "tikv_jemalloc_ctl"}}, want: "use tikv_jemalloc_ctl::x;"},
		{name: "unsorted", src: "abc", edits: []Edit{{2, 3, "Z"}, {0, 1, "X"}}, want: "XbZ"},
		{name: "insert", src: "ab", edits: []Edit{{1, 1, "-"}}, want: "a-b"},
		{name: "two inserts keep order", src: "ab", edits: []Edit{{1, 1, "1"}, {1, 1, "2"}}, want: "a12b"},
		{name: "duplicate applied once", src: "abc", edits: []Edit{{0, 1, "X"}, {0, 1, "X"}}, want: "Xbc"},
		{name: "overlap", src: "abc", edits: []Edit{{0, 2, "X"}, {1, 3, "Y"}}, wantErr: true},
		{name: "range", src: "abc", edits: []Edit{{2, 4, "X"}}, wantErr: true},
		{name: "reversed", src: "abc", edits: []Edit{{2, 1, "X"}}, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Apply([]byte(tt.src), tt.edits)
			if (err != nil) != tt.wantErr {
				t.Fatalf("Apply error = %v, wantErr %v", err, tt.wantErr)
			}
			if err == nil && string(got) != tt.want {
				t.Errorf("Apply = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestLineCol(t *testing.T) {
	src := []byte("ab\ncd\r\nef")
	for _, tt := range []struct{ off, line, col int }{{0, 1, 1}, {2, 1, 3}, {3, 2, 1}, {7, 3, 1}, {9, 3, 3}} {
		if l, c := LineCol(src, tt.off); l != tt.line || c != tt.col {
			t.Errorf("LineCol(%d) = %d:%d, want %d:%d", tt.off, l, c, tt.line, tt.col)
		}
	}
}
