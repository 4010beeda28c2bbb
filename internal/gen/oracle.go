package gen

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// Score is how well a tool rewrote the .rs files of a tree WriteScale
// wrote, line by line: each line of the file as generated (before) is
// compared with the same line on disk and with the line the rewrite must
// leave (expected, from the forms' hand-written after texts).
type Score struct {
	Files         int // .rs files compared
	ChangedLines  int // lines that differ between before and the tree on disk
	Correct       int // changed lines equal to the expected new line
	Wrong         int // changed lines not equal to the expected one
	Missed        int // lines that had to change and did not
	Decoys        int // decoy lines (old crate named in a comment, string or identifier)
	DecoysTouched int
}

// Perfect reports whether every line that had to change changed to what was
// expected, and nothing else changed: no wrong, missed or decoy change.
func (sc Score) Perfect() bool {
	return sc.Files > 0 && sc.Wrong == 0 && sc.Missed == 0 && sc.DecoysTouched == 0 && sc.Correct == sc.ChangedLines
}

func (sc *Score) add(o Score) {
	sc.Files += o.Files
	sc.ChangedLines += o.ChangedLines
	sc.Correct += o.Correct
	sc.Wrong += o.Wrong
	sc.Missed += o.Missed
	sc.Decoys += o.Decoys
	sc.DecoysTouched += o.DecoysTouched
}

// String reports the score on one line.
func (sc Score) String() string {
	return fmt.Sprintf("%d files, %d changed lines: %d correct, %d wrong, %d missed; %d decoys, %d touched",
		sc.Files, sc.ChangedLines, sc.Correct, sc.Wrong, sc.Missed, sc.Decoys, sc.DecoysTouched)
}

// maxMessages is the most messages Oracle returns.
const maxMessages = 20

// oldCrate is the Rust name the forms rename; a line naming it that must
// not change is a decoy.
const oldCrate = "jemalloc_ctl"

// Oracle scores the .rs files of the tree WriteScale(dir, s) wrote, after
// a tool (jemfix apply --option=1) rewrote it. For every file it
// regenerates in memory the text as written and the text expected after
// the rewrite, and compares them with the file on disk line by line (the
// rewrite neither adds nor removes lines; a file whose line count changed
// counts as one wrong line). A decoy is a line naming jemalloc_ctl that
// must stay as it is (in a comment, a string, a doc text block, an
// identifier). Manifests are not scored. It returns the score and up to
// 20 messages "path:line: want … got …" for wrong and missed lines, and
// an error when a file cannot be read.
func Oracle(dir string, s Scale) (Score, []string, error) {
	if err := s.check(); err != nil {
		return Score{}, nil, err
	}
	scores := make([]Score, s.Crates)
	msgs := make([][]string, s.Crates)
	err := eachCrate(s.Crates, func(c int) error {
		for i := range s.FilesPerCrate {
			f := s.file(c, i)
			disk, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(f.rel)))
			if err != nil {
				return err
			}
			// The decoys go with the form into the tails: only the prefix's
			// lines are skipped when it is unchanged, and it names no crate.
			prefix, decoys := f.prefix+f.pad, scaleDecoysIf(f.form)
			m := &msgs[c]
			if len(*m) >= maxMessages {
				m = nil // enough from this crate; keep counting
			}
			scores[c].add(scoreFile(f.rel, prefix, decoys+formBefore(f.form), decoys+formAfter(f.form), disk, m))
		}
		return nil
	})
	if err != nil {
		return Score{}, nil, err
	}
	var total Score
	var out []string
	for c := range scores {
		total.add(scores[c])
		for _, m := range msgs[c] {
			if len(out) < maxMessages {
				out = append(out, m)
			}
		}
	}
	return total, out, nil
}

// scoreFile scores one file: before is prefix+tailBefore, expected is
// prefix+tailAfter (prefix ends with a newline or is empty), and disk is the
// file on disk; prefix must not name the old crate. Messages are appended
// to msgs unless it is nil.
func scoreFile(rel, prefix, tailBefore, tailAfter string, disk []byte, msgs *[]string) Score {
	sc := Score{Files: 1}
	// The shared prefix holds no form; when the disk has it unchanged, only
	// the tails need comparing line by line.
	lineBase := 0
	if bytes.HasPrefix(disk, []byte(prefix)) {
		lineBase = strings.Count(prefix, "\n")
		disk = disk[len(prefix):]
	} else {
		tailBefore, tailAfter = prefix+tailBefore, prefix+tailAfter
	}
	before := strings.Split(tailBefore, "\n")
	expected := strings.Split(tailAfter, "\n")
	got := strings.Split(string(disk), "\n")
	if len(got) != len(before) {
		sc.ChangedLines++
		sc.Wrong++
		note(msgs, "%s:1: want %d lines got %d: lines were added or removed", rel, lineBase+len(before)-1, lineBase+len(got)-1)
		return sc
	}
	for j, b := range before {
		e, d := expected[j], got[j]
		decoy := e == b && strings.Contains(b, oldCrate)
		if decoy {
			sc.Decoys++
		}
		switch {
		case d != b:
			sc.ChangedLines++
			if decoy {
				sc.DecoysTouched++
			}
			if d == e {
				sc.Correct++
			} else {
				sc.Wrong++
				note(msgs, "%s:%d: want %q got %q", rel, lineBase+j+1, e, d)
			}
		case e != b:
			sc.Missed++
			note(msgs, "%s:%d: want %q got %q (unchanged)", rel, lineBase+j+1, e, d)
		}
	}
	return sc
}

func note(msgs *[]string, format string, args ...any) {
	if msgs != nil && len(*msgs) < maxMessages {
		*msgs = append(*msgs, fmt.Sprintf(format, args...))
	}
}

// expected returns the slash paths under the tree of s's .rs files and,
// for each, the text the rewrite must leave: for tests that play the part
// of a perfect rewrite.
func (s Scale) expected() (map[string]string, error) {
	if err := s.check(); err != nil {
		return nil, err
	}
	out := make(map[string]string, s.Files())
	for c := range s.Crates {
		for i := range s.FilesPerCrate {
			f := s.file(c, i)
			out[f.rel] = f.prefix + f.pad + scaleDecoysIf(f.form) + formAfter(f.form)
		}
	}
	return out, nil
}
