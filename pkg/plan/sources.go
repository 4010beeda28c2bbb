package plan

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"path"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"jemfix/internal/phase"

	"jemfix/internal/par"
	"jemfix/pkg/conflict"
	"jemfix/pkg/docs"
	"jemfix/pkg/rustedit"
	"jemfix/pkg/textedit"
	"jemfix/pkg/workspace"
)

// sourceChanges rewrites the Rust sources of every package whose dependency
// keys changed. uses are the workspace's family uses (conflict.Uses) when
// the caller has them, else nil.
func sourceChanges(ws *workspace.Workspace, p *Plan, edits map[*workspace.Manifest]*manifestEdit, uses []conflict.Use) error {
	s, err := newSourcePass(ws, uses, true)
	if err != nil {
		return err
	}
	var all renames
	for _, me := range edits {
		all.add(me)
	}
	s.scanText(&all)
	changes, err := s.packages(p, editsOf(ws.Manifests(), edits))
	if err != nil {
		return err
	}
	p.Changes = append(p.Changes, changes...)
	s.finish(p)
	return nil
}

// errOneRun stops a plan made a run of manifests at a time when a file of
// one run's packages is pulled in by, or is a target of, a package of
// another run: which package rewrites it, and how, is decided over the
// packages of one run, so the plan is made again in one run.
var errOneRun = errors.New("plan: a source file is shared by packages of two runs")

// sourcePass rewrites the sources of a plan's packages, all at once or a
// run of packages at a time (Option1Each): one walk of the root, and one
// scan of the non-Rust files, made once every package's renames are known.
type sourcePass struct {
	ws       *workspace.Workspace
	t        *tree
	text     chan *docs.TextScan
	runs     int             // the runs planned so far
	reported map[string]bool // the symbolic links reported, when the packages come in runs
}

// newSourcePass waits for the walk of the root. whole says the packages
// are planned in one run.
func newSourcePass(ws *workspace.Workspace, uses []conflict.Use, whole bool) (*sourcePass, error) {
	phase.Mark("plan manifests")
	files, err := ws.Walk()
	if err != nil {
		return nil, err
	}
	phase.Mark("walk")
	s := &sourcePass{ws: ws, t: &tree{Files: files, uses: uses, partial: !whole}, text: make(chan *docs.TextScan, 1)}
	if !whole {
		s.reported = map[string]bool{}
	}
	return s, nil
}

// scanText makes the scan of the non-Rust files ready on the side, while
// the packages' sources are read: it needs only the walk and the renames
// of every package, which no longer change.
func (s *sourcePass) scanText(all *renames) {
	go func() { s.text <- all.scan(s.t.Other) }()
}

// packages rewrites the sources of the packages of mes, in order, and
// returns their changes; the reports go to p.Skipped. With the packages
// in runs, each run's tables are made for the uses of its manifests
// (uses), and errOneRun says the run met a file another run plans.
func (s *sourcePass) packages(p *Plan, mes []*manifestEdit) ([]Change, error) {
	if s.runs++; s.runs > 1 {
		phase.Mark("plan manifests")
	}
	ws, t := s.ws, s.t
	pkgs := planPackages(ws, t, mes, p.Series)
	if t.shared.Load() {
		return nil, errOneRun // a target of another package's: known before any file is read
	}
	n := 0
	for _, pk := range pkgs {
		n += len(pk.jobs)
	}
	jobs := make([]sourceJob, 0, n)
	seen := make(map[string]bool, n)
	for _, pk := range pkgs { // in path order, so that a shared file has one owner
		p.Skipped = append(p.Skipped, pk.skips...)
		for _, j := range pk.jobs {
			if seen[j.path] {
				continue
			}
			seen[j.path] = true
			jobs = append(jobs, j)
		}
	}
	var plain *sync.Map
	if jemallocOnly(jobs) {
		plain = ws.PlainFiles()
	}
	phase.Mark("plan packages")
	results := runJobs(ws.FS, jobs, plain, ws.At)
	phase.Mark("read and rewrite")
	p.Skipped = append(p.Skipped, includedSkips(ws, t, jobs, results)...)
	p.Skipped = append(p.Skipped, linkSkips(ws, t.Links, pkgs, s.reported)...)
	var changes []Change
	for _, r := range results {
		if r.err != nil {
			return nil, r.err
		}
		p.Skipped = append(p.Skipped, r.skipped...)
		if r.change != nil {
			changes = append(changes, *r.change)
		}
	}
	if t.shared.Load() {
		return nil, errOneRun
	}
	return changes, nil
}

// finish adds the reports of the scan of the non-Rust files to p.
func (s *sourcePass) finish(p *Plan) {
	p.text = <-s.text
	_, notes := p.text.Scan(s.ws, false)
	p.Skipped = append(p.Skipped, skipsOf(notes)...)
}

// linkSkips reports the .rs files of the packages planned that are
// symbolic links out of the root: their code may name an old crate, and
// jemfix neither reads nor writes them. reported, when not nil, holds the
// links reported by the runs before, each reported once.
func linkSkips(ws *workspace.Workspace, links []string, pkgs []packagePlan, reported map[string]bool) []Skipped {
	var out []Skipped
	for _, l := range links {
		if reported[l] {
			continue
		}
		for _, pk := range pkgs {
			if len(pk.jobs) > 0 && workspace.Within(l, pk.dir) {
				out = append(out, Skipped{At: workspace.Position{Path: ws.Path(l), Line: 1, Col: 1}, Kind: KindScope,
					Reason: "a symbolic link out of the root, which jemfix neither reads nor writes; if its code names an old crate, update it by hand"})
				if reported != nil {
					reported[l] = true
				}
				break
			}
		}
	}
	return out
}

// packagePlan is what planPackages found for one package: the jobs of its
// files, a file another package shares included, and its reports.
type packagePlan struct {
	dir   string // the package's directory
	jobs  []sourceJob
	skips []Skipped
}

// planPackages makes the jobs of the packages of mes whose sources a
// rename touches, in order. The packages are planned in parallel, one
// worker per CPU: each looks up its targets and build script and makes
// its rename tables on its own.
func planPackages(ws *workspace.Workspace, t *tree, mes []*manifestEdit, series string) []packagePlan {
	mes = slices.DeleteFunc(slices.Clone(mes), func(me *manifestEdit) bool {
		return len(me.crates) == 0 && len(me.features) == 0 && len(me.stale.normal) == 0 && len(me.stale.build) == 0
	})
	if len(mes) == 0 {
		return nil
	}
	t.oldSeries(ws) // made once, before the workers read it
	out := make([]packagePlan, len(mes))
	par.PerCPU(len(mes), func(i int) {
		out[i].dir = mes[i].m.Dir
		out[i].jobs, out[i].skips = packageJobs(ws, t, mes[i], series)
	})
	return out
}

// tree is one walk of the workspace root, with the series of each family
// dependency by member and Rust name, built on first use.
type tree struct {
	*workspace.Files
	uses   []conflict.Use // conflict.Uses of the workspace, or nil: oldSeries finds them
	series map[*workspace.Manifest]map[string]string
	tables tables // shared rename tables (internOptions), which planPackages' workers share
	// partial says the packages are planned a run at a time; shared is
	// then set when a file the run's packages name as a target, or pull
	// in, is another package's (errOneRun).
	partial bool
	shared  atomic.Bool
}

// renames collects the renames of every package for the scan of non-Rust
// files.
type renames struct {
	crates, features, replace map[string]string
	kept                      map[string]bool
}

// add takes in the renames of one package.
func (r *renames) add(me *manifestEdit) {
	if r.crates == nil {
		r.crates, r.features = map[string]string{}, map[string]string{}
		r.replace, r.kept = map[string]string{}, map[string]bool{}
	}
	maps.Copy(r.crates, me.crates)
	maps.Copy(r.features, me.features)
	// A name that is both a Rust name and a key ("jemallocator") gets
	// the key's new form: outside Rust code it is a package, feature
	// or spec name (cargo tree -i, --features), and cargo does not
	// read "_" for "-" there.
	maps.Copy(r.replace, me.crates)
	maps.Copy(r.replace, me.keys)
	for _, k := range me.kept {
		r.kept[k] = true
	}
}

// scan returns the scan of the non-Rust files for the renames.
func (r *renames) scan(files []workspace.File) *docs.TextScan {
	replace := maps.Clone(r.replace)
	words := slices.Sorted(maps.Keys(replace)) // old names, dropped entries ("") too
	maps.DeleteFunc(replace, func(_, nu string) bool { return nu == "" })
	ts := docs.NewTextScan(files, words, r.crates, r.features)
	ts.Replace, ts.Kept = replace, r.kept
	return ts
}

func skipsOf(notes []docs.Note) []Skipped {
	var out []Skipped
	for _, n := range notes {
		out = append(out, Skipped{At: n.At, Kind: n.Kind, Reason: n.Reason})
	}
	return out
}

// sourceJob is one file to rewrite, with the configuration its package
// shares among its files (one for the build script, one for the others):
// a tree of many thousand files makes as many jobs.
type sourceJob struct {
	path string
	*jobConfig
}

// jobConfig is how the files of one package, or its build script, are
// rewritten.
type jobConfig struct {
	opt    rustedit.Options
	adjust adjustFunc // may be nil
	// hard are the renames the plan's moves brought, stale those of a
	// half-migrated package (see stale.go); both are in opt.Crates.
	hard, stale map[string]string
	// features are the package's renamed features, whose CARGO_FEATURE_*
	// variables the file may read (a build script does).
	features map[string]string
	// roots are the package's target root files its manifest names
	// ([lib] path, [[bin]] path, …): crate roots, whatever their names.
	roots map[string]bool
}

// adjustFunc lets an option change the edits rustedit proposes for a file,
// and report what it dropped.
type adjustFunc func(src []byte, res rustedit.Result) rustedit.Result

// sourceResult is what the rewrite of one file left: the deferred change
// and the reports, not the file's bytes (see Change), so that the results
// of a large tree hold no content.
type sourceResult struct {
	job     int             // the file's index in the jobs
	old     []byte          // the content read, kept only when it pulls in files (pullsFiles, includedSkips)
	change  *Change         // nil when the file does not change
	edits   []textedit.Edit // what the change applies, for reports
	skipped []Skipped
	err     error
}

// bufs holds the read buffers of the workers of runJobs.
var bufs sync.Pool

// batchSize caps the files of one directory a worker reads in one go, so
// that a large directory is still shared among the workers.
const batchSize = 32

// runJobs rewrites files in parallel, one worker per CPU, and returns the
// results that hold something (a change, a report, an error, the bytes
// of a file that calls include!) in the order of jobs: most files of a
// large tree leave none. A worker takes a run of jobs in one directory and opens
// that directory once (see DirFS).
// With plain, a file recorded there is not read again, and a file read and
// found plain is recorded (see workspace.Workspace.PlainFiles). at places the
// reports (workspace.Workspace.At).
func runJobs(fsys fs.FS, jobs []sourceJob, plain *sync.Map, at positioner) []sourceResult {
	var batches [][2]int
	for i := 0; i < len(jobs); {
		j := i + 1
		for j < len(jobs) && j-i < batchSize && path.Dir(jobs[j].path) == path.Dir(jobs[i].path) {
			j++
		}
		batches = append(batches, [2]int{i, j})
		i = j
	}
	kept := make([][]sourceResult, len(batches))
	par.PerCPU(len(batches), func(b int) {
		lo, hi := batches[b][0], batches[b][1]
		dir, done := workspace.OpenDir(fsys, path.Dir(jobs[lo].path))
		defer done()
		// The read buffer goes from file to file and from batch to batch:
		// nothing keeps the bytes read, unless the file pulls in others.
		buf, _ := bufs.Get().([]byte)
		defer func() { bufs.Put(buf) }()
		for i := lo; i < hi; i++ {
			if plain != nil {
				if _, ok := plain.Load(jobs[i].path); ok {
					continue // nothing to rename, nothing to report
				}
			}
			var src []byte
			var r sourceResult
			r, src, buf = rewriteFile(dir, jobs[i], buf, at)
			if r.old != nil || r.change != nil || len(r.skipped) > 0 || r.err != nil {
				r.job = i
				kept[b] = append(kept[b], r)
			}
			if plain != nil && src != nil && !bytes.Contains(src, []byte("jemalloc")) && !pullsFiles(src) {
				plain.Store(jobs[i].path, struct{}{})
			}
		}
	})
	return slices.Concat(kept...)
}

// positioner places an offset of a file's content (workspace.Workspace.At).
type positioner func(p string, src []byte, off int) workspace.Position

// rewriteFile reads and rewrites one file; dir is the file system of the
// directory that holds it. It reads into buf and returns the buffer the
// next file may read into: buf again unless the result keeps the bytes.
func rewriteFile(dir fs.FS, job sourceJob, buf []byte, at positioner) (r sourceResult, src, next []byte) {
	src, err := workspace.ReadInto(buf, dir, path.Base(job.path), job.path, workspace.MaxSourceSize)
	var big *workspace.TooLargeError
	if errors.As(err, &big) {
		return sourceResult{skipped: []Skipped{{At: at(job.path, nil, 0), Kind: KindScope,
			Reason: fmt.Sprintf("file is %d bytes, larger than the %s limit for %s; not read", big.Size, workspace.SizeLimit(big.Limit), big.Kind)}}}, nil, buf
	}
	if err != nil {
		return sourceResult{err: err}, nil, buf
	}
	edits, skips, err := rewriteSource(job, src)
	if err != nil {
		return sourceResult{err: err}, src, src
	}
	r = sourceResult{edits: edits}
	for _, s := range skips {
		r.skipped = append(r.skipped, Skipped{At: at(job.path, src, s.Offset), Kind: s.Kind, Reason: s.Reason, File: job.path})
	}
	if len(edits) > 0 {
		ch := deferChange(job.path, src, edits)
		r.change = &ch
	}
	if pullsFiles(src) {
		r.old = src
		return r, src, nil
	}
	return r, src, src
}

// pullsFiles reports whether src may pull in other files by a path of its
// own: include!("…") or #[path = "…"] (see includedSkips).
func pullsFiles(src []byte) bool {
	return callsInclude(src) || bytes.Contains(src, []byte("#[path"))
}

// callsInclude reports whether src may call include!: it holds "include"
// followed by "!". It looks for the rare '!' first; "include" alone is
// common in words and names.
func callsInclude(src []byte) bool {
	for off := 0; ; {
		i := bytes.IndexByte(src[off:], '!')
		if i < 0 {
			return false
		}
		off += i + 1
		if off-1 >= len("include") && string(src[off-1-len("include"):off-1]) == "include" {
			return true
		}
	}
}

// jemallocOnly reports whether every crate and feature the jobs rename has
// "jemalloc" in its name, so that a file without it needs no rewrite.
// Option 2's split features have names of their own.
func jemallocOnly(jobs []sourceJob) bool {
	for _, j := range jobs {
		for _, m := range []map[string]string{j.opt.Crates, j.opt.Features} {
			for old := range m {
				if !strings.Contains(old, "jemalloc") {
					return false
				}
			}
		}
	}
	return true
}

// rewriteSource rewrites src, the content of job's file: the edits to make
// and the places left alone.
func rewriteSource(job sourceJob, src []byte) ([]textedit.Edit, []rustedit.Skip, error) {
	res, err := rustedit.Rewrite(job.path, src, job.opt)
	var pe *rustedit.ParseError
	if errors.As(err, &pe) {
		if !rustedit.NamesInCode(src, slices.Collect(maps.Keys(job.opt.Crates))) {
			// The old names are in comments, literals or longer words
			// only: nothing to rewrite, whatever the syntax error.
			return nil, nil, nil
		}
		res = rustedit.Result{Skipped: []rustedit.Skip{{Offset: pe.Offset, Kind: rustedit.KindParse, Reason: "syntax error (" + pe.Msg + "); file not rewritten"}}}
		if len(job.stale) > 0 {
			res = quietStale(src, res, job.hard, job.stale)
		}
		return nil, res.Skipped, nil
	}
	if err != nil {
		return nil, nil, err
	}
	if job.adjust != nil {
		res = job.adjust(src, res)
		res.Edits = rustedit.SortUses(src, res.Edits, job.opt)
	}
	if len(job.stale) > 0 {
		res = quietStale(src, res, job.hard, job.stale)
	}
	res.Skipped = append(res.Skipped, featureEnvs(src, job.features)...)
	if _, err := textedit.Sort(len(src), res.Edits); err != nil {
		return nil, nil, fmt.Errorf("%s: internal error: %w", job.path, err)
	}
	return res.Edits, res.Skipped, nil
}

// featureEnvs reports the CARGO_FEATURE_* names of renamed features that
// src reads (build scripts do, with env!, option_env! or std::env::var):
// cargo sets the variable of the new name only, so the code would
// silently see the feature off.
func featureEnvs(src []byte, features map[string]string) []rustedit.Skip {
	var out []rustedit.Skip
	for _, old := range slices.Sorted(maps.Keys(features)) {
		from, to := featureEnv(old), featureEnv(features[old])
		for off := 0; ; {
			i := bytes.Index(src[off:], []byte(from))
			if i < 0 {
				break
			}
			at := off + i
			off = at + len(from)
			if off < len(src) && identByteASCII(src[off]) {
				continue // CARGO_FEATURE_JEMALLOCATOR_X is another feature
			}
			out = append(out, rustedit.Skip{Offset: at, Kind: KindMention,
				Reason: fmt.Sprintf("%s reads the feature %q, which is %q now: use %s", from, old, features[old], to)})
		}
	}
	return out
}

// featureEnv is the environment variable cargo sets for a feature.
func featureEnv(name string) string {
	return "CARGO_FEATURE_" + strings.ToUpper(strings.ReplaceAll(name, "-", "_"))
}
