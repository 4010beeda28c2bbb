package apply

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"

	"jemfix/internal/par"
	"jemfix/pkg/plan"
	"jemfix/pkg/udiff"
)

// Many applies to every root with jobs workers. Roots are independent: an
// error or a panic in one is that root's outcome, and the others go on.
// Outcomes keep the order of roots. done, when not nil, is called after
// each root with its index, one call at a time.
func Many(roots []string, jobs int, cfg *Config, done func(i int)) []*Outcome {
	c := *cfg
	c.patchNames = patchNames(roots)
	results := make([]*Outcome, len(roots))
	var mu sync.Mutex
	par.Each(len(roots), jobs, func(i int) {
		results[i] = Root(roots[i], &c)
		if done != nil {
			mu.Lock()
			done(i)
			mu.Unlock()
		}
	})
	return results
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

// Diffs returns the diff of each change, computed in parallel.
func Diffs(changes []plan.Change) []string {
	diffs := make([]string, len(changes))
	par.Each(len(changes), runtime.GOMAXPROCS(0), func(i int) {
		ch := changes[i]
		diffs[i] = udiff.Diff(udiff.File{Path: ch.Path, Old: ch.Old, New: ch.New})
	})
	return diffs
}

// patchNames gives each root a patch file name: its base name, with -2, -3
// … added to repeats, in input order.
func patchNames(roots []string) map[string]string {
	seen := map[string]int{}
	names := map[string]string{}
	for _, r := range roots {
		abs, err := filepath.Abs(r)
		if err != nil {
			abs = r
		}
		base := filepath.Base(abs)
		seen[base]++
		if n := seen[base]; n > 1 {
			base = fmt.Sprintf("%s-%d", base, n)
		}
		names[r] = base
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
