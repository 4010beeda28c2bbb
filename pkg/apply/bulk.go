package apply

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"jemfix/internal/par"
	"jemfix/pkg/workspace"
	"jemfix/pkg/write"
)

// Many applies to every root with jobs workers. Roots are independent: an
// error or a panic in one is that root's outcome, and the others go on.
// Arguments that name the same workspace (twice, through a member
// directory or a symbolic link) are processed once, for the first of
// them; each later one's outcome is a *SameWorkspace error. Outcomes keep
// the order of roots. done, when not nil, is called after each root with
// its index, one call at a time.
func Many(roots []string, jobs int, cfg *Config, done func(i int)) []*Outcome {
	c := *cfg
	first := firstOfWorkspace(roots, jobs)
	var todo []int
	var named []string // the roots processed: only they get patch names
	for i, f := range first {
		if f == i {
			todo = append(todo, i)
			named = append(named, roots[i])
		}
	}
	c.patchNames, c.bulk = patchNames(named), true
	results := make([]*Outcome, len(roots))
	var mu sync.Mutex
	finish := func(i int) {
		if done != nil {
			mu.Lock()
			done(i)
			mu.Unlock()
		}
	}
	par.Each(len(todo), jobs, func(k int) {
		if s := c.Interrupt.Signal(); s != nil {
			// A signal came once an earlier root was written: the roots
			// not started yet are left alone.
			results[todo[k]] = &Outcome{Arg: roots[todo[k]], Err: &write.Interrupted{Signal: s, NotStarted: true}}
		} else {
			results[todo[k]] = Root(roots[todo[k]], &c)
		}
		finish(todo[k])
	})
	for i, f := range first {
		if f != i {
			results[i] = &Outcome{Arg: roots[i], Err: &SameWorkspace{As: results[f].Display()}}
			finish(i)
		}
	}
	return results
}

// SameWorkspace is the outcome of a root argument whose workspace an
// earlier argument names: it was not processed again. Its status is
// StatusDuplicate.
type SameWorkspace struct {
	As string // the earlier root, as its outcome displays it
}

func (e *SameWorkspace) Error() string { return "same workspace as " + e.As + "; processed once" }

// firstOfWorkspace gives, for each root, the index of the first root with
// the same workspace root directory (itself when none comes earlier). A
// root whose workspace cannot be found is its own: Root reports why.
func firstOfWorkspace(roots []string, jobs int) []int {
	dirs := make([]string, len(roots))
	par.Each(len(roots), jobs, func(i int) {
		dirs[i], _ = workspace.RootDir(roots[i])
	})
	first := make([]int, len(roots))
	seen := map[string]int{}
	for i, dir := range dirs {
		first[i] = i
		if dir == "" {
			continue
		}
		if j, ok := seen[dir]; ok {
			first[i] = j
		} else {
			seen[dir] = i
		}
	}
	return first
}

// ReadRoots reads --repos-from: one path per line, "-" for stdin; blank
// lines and lines starting with # are skipped.
func ReadRoots(name string, stdin io.Reader) ([]string, error) {
	r := stdin
	if name != "-" {
		f, err := os.Open(name)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		r = f
	}
	var roots []string
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		if line := strings.TrimSpace(sc.Text()); line != "" && !strings.HasPrefix(line, "#") {
			roots = append(roots, line)
		}
	}
	return roots, sc.Err()
}

// patchNames gives each root a patch file name: its base name, with -2, -3
// … added to repeats, in input order.
func patchNames(roots []string) map[string]string {
	taken := map[string]bool{}
	names := map[string]string{}
	for _, r := range roots {
		abs, err := filepath.Abs(r)
		if err != nil {
			abs = r
		}
		if filepath.Base(abs) == "Cargo.toml" {
			abs = filepath.Dir(abs) // a root named by its manifest
		}
		base := filepath.Base(abs)
		name := base
		for n := 2; taken[name]; n++ {
			name = fmt.Sprintf("%s-%d", base, n)
		}
		taken[name] = true
		names[r] = name
	}
	return names
}

// patchName is the --patch-dir file name of a root.
func (cfg *Config) patchName(o *Outcome) string {
	if n, ok := cfg.patchNames[o.Arg]; ok {
		return n
	}
	return filepath.Base(o.WS.Dir)
}
