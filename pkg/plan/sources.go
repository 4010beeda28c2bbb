package plan

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"runtime"
	"strings"

	"jemfix/internal/par"
	"jemfix/pkg/rustedit"
	"jemfix/pkg/textedit"
)

// MaxSourceSize caps the Rust files Option 1 reads; larger files are
// reported, not rewritten.
const MaxSourceSize = 8 << 20

// sourceChanges rewrites the Rust sources of every package whose dependency
// keys changed.
func (ws *Workspace) sourceChanges(p *Plan, edits map[*Manifest]*manifestEdit, fsys fs.FS) error {
	t, err := walkRoot(fsys)
	if err != nil {
		return fmt.Errorf("%s: %w", ws.Display, unwrapPath(err))
	}
	var jobs []sourceJob
	seen := map[string]bool{}
	for _, m := range ws.manifests() { // in path order, so that a shared file has one owner
		me := edits[m]
		if me == nil || len(me.crates) == 0 && len(me.features) == 0 {
			continue
		}
		pj, skips := ws.packageJobs(fsys, t, me, p.Series, seen)
		p.Skipped = append(p.Skipped, skips...)
		for _, j := range pj {
			j.adjust = me.adjust
			jobs = append(jobs, j)
		}
	}
	results := runJobs(fsys, jobs)
	p.Skipped = append(p.Skipped, ws.includedSkips(jobs, results)...)
	for i, r := range results {
		if r.err != nil {
			return r.err
		}
		for _, s := range r.skipped {
			line, col := textedit.LineCol(r.old, s.Offset)
			p.Skipped = append(p.Skipped, Skipped{At: Position{Path: ws.display(jobs[i].path), Line: line, Col: col}, Kind: s.Kind, Reason: s.Reason})
		}
		if r.new != nil {
			p.Changes = append(p.Changes, Change{Path: jobs[i].path, Old: r.old, New: r.new})
		}
	}
	p.text = newTextScan(t, edits)
	_, skips := ws.scanText(fsys, p.text, false)
	p.Skipped = append(p.Skipped, skips...)
	return nil
}

type sourceJob struct {
	path   string
	opt    rustedit.Options
	adjust adjustFunc // may be nil
}

// adjustFunc lets an option change the edits rustedit proposes for a file,
// and report what it dropped.
type adjustFunc func(src []byte, res rustedit.Result) rustedit.Result

type sourceResult struct {
	old, new []byte
	edits    []textedit.Edit // what new applied, for reports
	skipped  []rustedit.Skip
	err      error
}

// batchSize caps the files of one directory a worker reads in one go, so
// that a large directory is still shared among the workers.
const batchSize = 32

// runJobs rewrites files in parallel, one worker per CPU; results keep the
// order of jobs. A worker takes a run of jobs in one directory and opens
// that directory once (see DirFS).
func runJobs(fsys fs.FS, jobs []sourceJob) []sourceResult {
	results := make([]sourceResult, len(jobs))
	var batches [][2]int
	for i := 0; i < len(jobs); {
		j := i + 1
		for j < len(jobs) && j-i < batchSize && path.Dir(jobs[j].path) == path.Dir(jobs[i].path) {
			j++
		}
		batches = append(batches, [2]int{i, j})
		i = j
	}
	par.Each(len(batches), runtime.GOMAXPROCS(0), func(b int) {
		lo, hi := batches[b][0], batches[b][1]
		dir, done := openDir(fsys, path.Dir(jobs[lo].path))
		defer done()
		var buf []byte // reused for the files that end up unchanged
		for i := lo; i < hi; i++ {
			results[i], buf = rewriteFile(dir, jobs[i], buf)
		}
	})
	return results
}

// rewriteFile reads and rewrites one file; dir is the file system of the
// directory that holds it. It reads into buf and returns the buffer the
// next file may read into: buf again when nothing refers to the bytes read.
func rewriteFile(dir fs.FS, job sourceJob, buf []byte) (sourceResult, []byte) {
	src, err := readInto(buf, dir, path.Base(job.path), job.path, MaxSourceSize)
	var big *tooLargeError
	if errors.As(err, &big) {
		return sourceResult{skipped: []rustedit.Skip{{Kind: KindScope,
			Reason: fmt.Sprintf("file is %d bytes, larger than the %d-byte limit; not read", big.size, MaxSourceSize)}}}, buf
	}
	if err != nil {
		return sourceResult{err: err}, buf
	}
	r := rewriteSource(job, src)
	if r.old == nil {
		return r, src
	}
	return r, nil
}

// rewriteSource rewrites src, the content of job's file.
func rewriteSource(job sourceJob, src []byte) sourceResult {
	res, err := rustedit.Rewrite(job.path, src, job.opt)
	var pe *rustedit.ParseError
	if errors.As(err, &pe) {
		return sourceResult{old: src, skipped: []rustedit.Skip{{Offset: pe.Offset, Kind: rustedit.KindParse, Reason: "syntax error (" + pe.Msg + "); file not rewritten"}}}
	}
	if err != nil {
		return sourceResult{err: err}
	}
	if job.adjust != nil {
		res = job.adjust(src, res)
	}
	r := sourceResult{old: src, edits: res.Edits, skipped: res.Skipped}
	if len(res.Edits) == 0 && len(res.Skipped) == 0 && !bytes.Contains(src, []byte("include!")) {
		r.old = nil // nothing refers to it later: most files of a large tree end here
	}
	if len(res.Edits) > 0 {
		out, err := textedit.Apply(src, res.Edits)
		if err != nil {
			return sourceResult{err: fmt.Errorf("%s: internal error: %w", job.path, err)}
		}
		r.new = out
	}
	return r
}

// rustFiles lists the .rs files of a package: everything under its
// directory except target/, hidden directories and nested packages.
func (ws *Workspace) rustFiles(fsys fs.FS, m *Manifest) ([]string, error) {
	var files []string
	err := fs.WalkDir(fsys, m.Dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if p != m.Dir && skipDir(fsys, p, d.Name()) {
				return fs.SkipDir
			}
			return nil
		}
		if d.Type().IsRegular() && strings.HasSuffix(p, ".rs") {
			files = append(files, p)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", ws.display(m.Dir), unwrapPath(err))
	}
	return files, nil
}

func skipDir(fsys fs.FS, p, name string) bool {
	if name == "target" || name == "vendor" || strings.HasPrefix(name, ".") {
		return true
	}
	return isFile(fsys, path.Join(p, "Cargo.toml"))
}
