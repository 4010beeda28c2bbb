package workspace

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"reflect"
	"runtime"
	"runtime/debug"
	"strings"
	"testing"

	"jemfix/internal/cargotest"

	"github.com/google/go-cmp/cmp"
)

// sysTree writes a tree with files, directories and symbolic links of
// every kind under dir/ws, the root, and returns the root.
func sysTree(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	files := map[string]string{
		"outside/secret.rs":    "secret\n",
		"outside/d/x.rs":       "x\n",
		"ws/Cargo.toml":        "[workspace]\nmembers = [\"a\"]\n",
		"ws/README.md":         "# readme\n",
		"ws/empty.rs":          "",
		"ws/a/Cargo.toml":      "[package]\nname = \"a\"\nversion = \"0.1.0\"\n",
		"ws/a/src/lib.rs":      "pub fn f() {}\n",
		"ws/a/src/big.rs":      strings.Repeat("// a line of a big file\n", 3000),
		"ws/a/src/deep/mod.rs": "mod x;\n",
		"ws/a/src/deep/x.rs":   "fn x() {}\n",
		"ws/b/c/d/e.rs":        "fn e() {}\n",
		"ws/.hidden/h.rs":      "fn h() {}\n",
	}
	cargotest.WriteTree(t, dir, files)
	for _, l := range [][2]string{
		{"lib.rs", "ws/a/src/alias.rs"},                                    // to a file beside it
		{"../Cargo.toml", "ws/a/src/up.rs"},                                // inside the root, outside the directory
		{"deep", "ws/a/src/deeplink"},                                      // to a directory
		{"nowhere.rs", "ws/a/src/dangling.rs"},                             // dangling
		{filepath.Join(dir, "outside", "secret.rs"), "ws/a/src/escape.rs"}, // leaving the root
		{filepath.Join(dir, "outside", "d"), "ws/a/escdir"},                // a directory leaving the root
		{"a/src", "ws/srclink"},                                            // a directory inside the root
		{"a/src/lib.rs", "ws/liblink.rs"},                                  // a file inside the root
		{"../outside/secret.rs", "ws/escape.rs"},                           // relative, leaving the root
	} {
		if err := os.Symlink(l[0], filepath.Join(dir, filepath.FromSlash(l[1]))); err != nil {
			t.Skip("no symbolic links here:", err)
		}
	}
	if err := os.Mkdir(filepath.Join(dir, "ws", "emptydir"), 0o755); err != nil {
		t.Fatal(err)
	}
	return filepath.Join(dir, "ws")
}

// openRoots opens the root as the file system RootFS makes and as the
// os.Root one it was before; both are released at the end of the test.
func openRoots(t *testing.T, dir string) (fsys, old fs.FS) {
	t.Helper()
	root, err := os.OpenRoot(dir)
	if err != nil {
		t.Fatal(err)
	}
	fsys = RootFS(root)
	t.Cleanup(func() { releaseFS(fsys); root.Close() })
	return fsys, rootFS{root.FS().(rootFSMethods), root}
}

// openDirs opens dir in both file systems.
func openDirs(t *testing.T, fsys, old fs.FS, dir string) (fs.FS, fs.FS) {
	t.Helper()
	sub, c, err := fsys.(DirFS).OpenDir(dir)
	if err != nil {
		t.Fatalf("OpenDir(%s): %v", dir, err)
	}
	t.Cleanup(func() { c.Close() })
	osub, oc, err := old.(DirFS).OpenDir(dir)
	if err != nil {
		t.Fatalf("old OpenDir(%s): %v", dir, err)
	}
	t.Cleanup(func() { oc.Close() })
	return sub, osub
}

type entry struct {
	Name string
	Type fs.FileMode
	Size int64
	Mode fs.FileMode
}

func entries(t *testing.T, ds []fs.DirEntry) []entry {
	t.Helper()
	var out []entry
	for _, d := range ds {
		fi, err := d.Info()
		if err != nil {
			t.Fatalf("%s: Info: %v", d.Name(), err)
		}
		if fi.Name() != d.Name() || fi.Mode().Type() != d.Type() || d.IsDir() != fi.IsDir() {
			t.Errorf("%s: Info says %s %v, entry %v", d.Name(), fi.Name(), fi.Mode(), d.Type())
		}
		if got := d.(fmt.Stringer).String(); got != fs.FormatDirEntry(d) {
			t.Errorf("%s: String() = %q", d.Name(), got)
		}
		out = append(out, entry{d.Name(), d.Type(), fi.Size(), fi.Mode()})
	}
	return out
}

// The fast listing gives what os.ReadDir gives: names in order, types
// from the directory, links as links, and an Info that lstats.
func TestSysFSReadDir(t *testing.T) {
	dir := sysTree(t)
	fsys, old := openRoots(t, dir)
	if runtime.GOOS == "linux" && runtime.GOARCH == "amd64" {
		if name := reflect.TypeOf(fsys).Name(); name != "sysFS" {
			t.Errorf("RootFS is a %s on linux/amd64, not the raw one", name)
		}
	}
	src, osrc := openDirs(t, fsys, old, "a/src")
	a, oa := openDirs(t, fsys, old, "a")
	for _, c := range []struct {
		fsys, old fs.FS
		name, os  string
	}{
		{fsys, old, ".", "."},
		{fsys, old, "a", "a"},
		{fsys, old, "a/src", "a/src"},
		{fsys, old, "a/src/deep", "a/src/deep"},
		{fsys, old, "emptydir", "emptydir"},
		{src, osrc, ".", "a/src"},
		{src, osrc, "deep", "a/src/deep"},
		{a, oa, ".", "a"},
		{a, oa, "src", "a/src"},
		{a, oa, "src/deep", "a/src/deep"},
	} {
		want, err := os.ReadDir(filepath.Join(dir, filepath.FromSlash(c.os)))
		if err != nil {
			t.Fatal(err)
		}
		got, err := fs.ReadDir(c.fsys, c.name)
		if err != nil {
			t.Errorf("%T ReadDir(%s): %v", c.fsys, c.name, err)
			continue
		}
		var wantEntries []entry
		for _, d := range want {
			fi, err := os.Lstat(filepath.Join(dir, filepath.FromSlash(c.os), d.Name()))
			if err != nil {
				t.Fatal(err)
			}
			wantEntries = append(wantEntries, entry{d.Name(), d.Type(), fi.Size(), fi.Mode()})
		}
		if diff := cmp.Diff(wantEntries, entries(t, got)); diff != "" {
			t.Errorf("ReadDir(%s) of %s differs from os.ReadDir (-want +got):\n%s", c.name, c.os, diff)
		}
		// And from what the os.Root gave.
		oldGot, err := fs.ReadDir(c.old, c.name)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(entries(t, oldGot), entries(t, got)); diff != "" {
			t.Errorf("ReadDir(%s) of %s differs from the os.Root's (-old +new):\n%s", c.name, c.os, diff)
		}
		// Listing again lists everything again.
		again, err := fs.ReadDir(c.fsys, c.name)
		if err != nil || len(again) != len(got) {
			t.Errorf("second ReadDir(%s) of %s: %d entries, %v; want %d", c.name, c.os, len(again), err, len(got))
		}
	}
	// Directories that the raw path does not open give the os.Root's
	// answer: through links inside the root, out of it, missing.
	for _, name := range []string{"srclink", "a/src/deeplink", "a/escdir", "missing", "README.md", "a/src/lib.rs/x", "../x", "/a"} {
		got, err := fs.ReadDir(fsys, name)
		want, werr := fs.ReadDir(old, name)
		if fmt.Sprint(err) != fmt.Sprint(werr) {
			t.Errorf("ReadDir(%s): error %v, want %v", name, err, werr)
		}
		var g, w []string
		for _, d := range got {
			g = append(g, d.Name()+" "+d.Type().String())
		}
		for _, d := range want {
			w = append(w, d.Name()+" "+d.Type().String())
		}
		if diff := cmp.Diff(w, g); diff != "" {
			t.Errorf("ReadDir(%s) differs from the os.Root's (-old +new):\n%s", name, diff)
		}
	}
}

// A directory of many entries takes several getdents64 calls.
func TestSysFSReadDirLarge(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{}
	for i := range 3000 {
		files[fmt.Sprintf("d/file-with-a-longish-name-%04d.rs", 2999-i)] = ""
	}
	cargotest.WriteTree(t, dir, files)
	fsys, _ := openRoots(t, dir)
	sub, c, err := fsys.(DirFS).OpenDir("d")
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	got, err := fs.ReadDir(sub, ".")
	if err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadDir(filepath.Join(dir, "d"))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(want) {
		t.Fatalf("%d entries, want %d", len(got), len(want))
	}
	for i := range want {
		if got[i].Name() != want[i].Name() || got[i].Type() != want[i].Type() {
			t.Fatalf("entry %d: %s %v, want %s %v", i, got[i].Name(), got[i].Type(), want[i].Name(), want[i].Type())
		}
	}
}

// Stat and Lstat answer as the os.Root does, for paths with and without
// links, and for missing ones.
func TestSysFSStat(t *testing.T) {
	dir := sysTree(t)
	fsys, old := openRoots(t, dir)
	src, osrc := openDirs(t, fsys, old, "a/src")
	type result struct {
		Name  string
		Mode  fs.FileMode
		Size  int64
		Error string
	}
	res := func(fi fs.FileInfo, err error) result {
		if err != nil {
			return result{Error: err.Error()}
		}
		r := result{Name: fi.Name(), Mode: fi.Mode()}
		if !fi.IsDir() {
			r.Size = fi.Size()
		}
		return r
	}
	names := []string{".", "Cargo.toml", "a", "a/Cargo.toml", "a/src/lib.rs", "a/src/deep/x.rs", "missing", "missing/x",
		"a/missing/x", "Cargo.toml/x", "a/src/lib.rs/x", "liblink.rs", "srclink", "srclink/lib.rs", "escape.rs",
		"a/escdir", "a/escdir/x.rs", "a/src/alias.rs", "a/src/up.rs", "a/src/escape.rs", "a/src/dangling.rs",
		"a/src/deeplink", "a/src/deeplink/x.rs", "emptydir", "./a", "a/", "", "../ws"}
	for _, c := range []struct {
		name      string
		fsys, old fs.FS
	}{{"root", fsys, old}, {"a/src", src, osrc}} {
		for _, n := range names {
			if c.name == "a/src" {
				n = strings.TrimPrefix(n, "a/src/")
			}
			if diff := cmp.Diff(res(fs.Stat(c.old, n)), res(fs.Stat(c.fsys, n))); diff != "" {
				t.Errorf("%s: Stat(%q) differs from the os.Root's (-old +new):\n%s", c.name, n, diff)
			}
			if diff := cmp.Diff(res(fs.Lstat(c.old, n)), res(fs.Lstat(c.fsys, n))); diff != "" {
				t.Errorf("%s: Lstat(%q) differs from the os.Root's (-old +new):\n%s", c.name, n, diff)
			}
		}
	}
	if l, err := fs.ReadLink(fsys, "liblink.rs"); err != nil || l != "a/src/lib.rs" {
		t.Errorf("ReadLink(liblink.rs) = %q, %v", l, err)
	}
}

// Files read through the fast path read as os.ReadFile reads them; links
// inside the root still read, links out of it still fail, with the
// errors the os.Root gave.
func TestSysFSReadInto(t *testing.T) {
	dir := sysTree(t)
	fsys, old := openRoots(t, dir)
	src, osrc := openDirs(t, fsys, old, "a/src")
	deep, odeep := openDirs(t, fsys, old, "a/src/deep")
	type result struct {
		Data  string
		Error string
	}
	read := func(fsys fs.FS, p string, buf []byte) result {
		b, err := ReadInto(buf, fsys, p, "ws/"+p, MaxSourceSize)
		if err != nil {
			return result{Error: err.Error()}
		}
		return result{Data: string(b)}
	}
	cases := []struct {
		where     string
		fsys, old fs.FS
		names     []string
	}{
		{"root", fsys, old, []string{"Cargo.toml", "README.md", "empty.rs", "liblink.rs", "escape.rs", "missing.rs", "a", "a/src/lib.rs", "srclink/lib.rs", "a/escdir/x.rs", "emptydir"}},
		{"a/src", src, osrc, []string{"lib.rs", "big.rs", "alias.rs", "up.rs", "escape.rs", "dangling.rs", "missing.rs", "deep", "deep/x.rs", "deeplink/x.rs"}},
		{"a/src/deep", deep, odeep, []string{"mod.rs", "x.rs"}},
	}
	var buf []byte
	for _, c := range cases {
		for _, p := range c.names {
			got, want := read(c.fsys, p, buf), read(c.old, p, nil)
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("%s: ReadInto(%s) differs from the os.Root's (-old +new):\n%s", c.where, p, diff)
			}
			full := filepath.Join(dir, filepath.FromSlash(c.where), filepath.FromSlash(p))
			if c.where == "root" {
				full = filepath.Join(dir, filepath.FromSlash(p))
			}
			if b, err := os.ReadFile(full); err == nil && got.Error == "" && string(b) != got.Data {
				t.Errorf("%s: ReadInto(%s) = %d bytes, os.ReadFile %d", c.where, p, len(got.Data), len(b))
			}
			if got.Data != "" {
				buf = []byte(got.Data)[:0] // reuse a buffer of any size
			}
			got, want = read(c.fsys, p, nil), result{}
			if b, err := fs.ReadFile(c.fsys, p); err != nil {
				want.Error = "ws/" + p + ": " + UnwrapPath(err).Error()
			} else {
				want.Data = string(b)
			}
			if want.Error == "" && got.Error == "" && got.Data != want.Data {
				t.Errorf("%s: fs.ReadFile(%s) differs from ReadInto", c.where, p)
			}
			// fs.ReadFile gives the error the os.Root gave.
			_, err := fs.ReadFile(c.fsys, p)
			_, oerr := fs.ReadFile(c.old, p)
			if fmt.Sprint(err) != fmt.Sprint(oerr) {
				t.Errorf("%s: fs.ReadFile(%s): %v, os.Root gave %v", c.where, p, err, oerr)
			}
		}
	}
	// The ones that must still fail do.
	for _, c := range []struct {
		fsys fs.FS
		p    string
	}{{fsys, "escape.rs"}, {src, "escape.rs"}, {src, "up.rs"}, {src, "dangling.rs"}, {fsys, "a/escdir/x.rs"}} {
		if _, err := ReadInto(nil, c.fsys, c.p, c.p, MaxSourceSize); err == nil {
			t.Errorf("ReadInto(%s) followed a link out of its directory", c.p)
		}
	}
	for _, c := range []struct {
		fsys fs.FS
		p    string
	}{{fsys, "liblink.rs"}, {src, "alias.rs"}, {fsys, "srclink/lib.rs"}} {
		if b, err := ReadInto(nil, c.fsys, c.p, c.p, MaxSourceSize); err != nil || string(b) != "pub fn f() {}\n" {
			t.Errorf("ReadInto(%s) = %q, %v; want the linked file", c.p, b, err)
		}
	}
}

// The size cap is checked on the open file.
func TestSysFSReadIntoLimit(t *testing.T) {
	dir := sysTree(t)
	fsys, old := openRoots(t, dir)
	src, _ := openDirs(t, fsys, old, "a/src")
	size := int64(len(strings.Repeat("// a line of a big file\n", 3000)))
	for _, fsys := range []fs.FS{src, old} {
		_, err := ReadInto(nil, fsys, "big.rs", "ws/a/src/big.rs", size-1)
		if fsys == old {
			_, err = ReadInto(nil, fsys, "a/src/big.rs", "ws/a/src/big.rs", size-1)
		}
		var big *TooLargeError
		if !errors.As(err, &big) || big.Size != size || big.Limit != size-1 || big.Kind != "a Rust source" || big.Name != "ws/a/src/big.rs" {
			t.Fatalf("%T: ReadInto over the limit: %#v", fsys, err)
		}
		want := fmt.Sprintf("ws/a/src/big.rs:1:1: file is %d bytes, larger than the %d bytes limit for a Rust source", size, size-1)
		if err.Error() != want {
			t.Errorf("error %q, want %q", err, want)
		}
	}
	buf := make([]byte, 0, 10)
	b, err := ReadInto(buf, src, "big.rs", "big.rs", size)
	if err != nil || int64(len(b)) != size {
		t.Fatalf("ReadInto at the limit: %d bytes, %v", len(b), err)
	}
	b2, err := ReadInto(b, src, "lib.rs", "lib.rs", size)
	if err != nil || string(b2) != "pub fn f() {}\n" || &b2[0] != &b[0] {
		t.Errorf("ReadInto into a large enough buffer: %q, %v, same buffer %v", b2, err, len(b2) > 0 && &b2[0] == &b[0])
	}
}

// walk over the workspace's file system visits what fs.WalkDir visits
// over os.DirFS, with the same types.
func TestSysFSWalk(t *testing.T) {
	dir := sysTree(t)
	fsys, _ := openRoots(t, dir)
	var want []string
	err := fs.WalkDir(os.DirFS(dir), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		want = append(want, p+" "+d.Type().String())
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	err = walk(fsys, func(p string, d fs.DirEntry, dir fs.FS) error {
		got = append(got, p+" "+d.Type().String())
		if p != "." {
			fi, err := fs.Lstat(dir, d.Name())
			if err != nil || fi.Mode().Type() != d.Type() {
				t.Errorf("%s: Lstat in its directory: %v, %v", p, fi, err)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("walk differs from fs.WalkDir (-want +got):\n%s", diff)
	}
}

// Entries keep answering Info after their directory is closed.
func TestSysFSInfoAfterClose(t *testing.T) {
	dir := sysTree(t)
	fsys, _ := openRoots(t, dir)
	sub, c, err := fsys.(DirFS).OpenDir("a/src")
	if err != nil {
		t.Fatal(err)
	}
	ds, err := fs.ReadDir(sub, ".")
	if err != nil {
		t.Fatal(err)
	}
	c.Close()
	for _, d := range ds {
		fi, err := d.Info()
		want, werr := os.Lstat(filepath.Join(dir, "a", "src", d.Name()))
		if err != nil || werr != nil || fi.Size() != want.Size() || fi.Mode() != want.Mode() {
			t.Errorf("%s: Info after Close = %v, %v; want %v", d.Name(), fi, err, want)
		}
	}
	if _, err := fs.Stat(sub, "lib.rs"); !errors.Is(err, fs.ErrClosed) {
		t.Errorf("Stat after Close: %v, want ErrClosed", err)
	}
	if _, err := ReadInto(nil, sub, "lib.rs", "lib.rs", MaxSourceSize); !errors.Is(err, fs.ErrClosed) {
		t.Errorf("ReadInto after Close: %v, want ErrClosed", err)
	}
}

// Walking and reading a tree many times leaves no descriptor open.
func TestSysFSNoLeak(t *testing.T) {
	if _, err := os.ReadDir("/proc/self/fd"); err != nil {
		t.Skip("no /proc/self/fd here")
	}
	dir := sysTree(t)
	cargotest.WriteTree(t, dir, map[string]string{"a/src/more.rs": "fn more() {}\n"})
	// No collection: a descriptor closed by a cleanup is a leak here.
	defer debug.SetGCPercent(debug.SetGCPercent(-1))
	once := func() {
		root, err := os.OpenRoot(dir)
		if err != nil {
			t.Fatal(err)
		}
		fsys := RootFS(root)
		err = walk(fsys, func(p string, d fs.DirEntry, dir fs.FS) error {
			switch {
			case d.IsDir() && p != ".":
				isFile(dir, path.Join(d.Name(), "Cargo.toml"))
			case d.Type().IsRegular():
				if _, err := d.Info(); err != nil {
					return err
				}
				if _, err := ReadInto(nil, dir, d.Name(), p, MaxSourceSize); err != nil {
					return err
				}
			case d.Type() == fs.ModeSymlink:
				ReadInto(nil, dir, d.Name(), p, MaxSourceSize) // some fail
				fs.Stat(dir, d.Name())
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		// The way runJobs reads: a directory held open, files read in it.
		for _, d := range []string{"a/src", "a/src/deep", "srclink", "a/escdir", "missing"} {
			sub, done := OpenDir(fsys, d)
			for _, n := range []string{"lib.rs", "x.rs", "alias.rs", "escape.rs", "missing.rs"} {
				ReadInto(nil, sub, n, n, MaxSourceSize)
			}
			fs.ReadDir(sub, ".")
			fs.Stat(sub, "deep/x.rs")
			fs.ReadFile(sub, "lib.rs")
			done()
		}
		releaseFS(fsys)
		root.Close()
		ws, err := Open(dir)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := ws.Walk(); err != nil {
			t.Fatal(err)
		}
		ws.Close()
	}
	count := func() int {
		ds, err := os.ReadDir("/proc/self/fd")
		if err != nil {
			t.Fatal(err)
		}
		return len(ds)
	}
	once()
	before := count()
	for range 100 {
		once()
	}
	if after := count(); after != before {
		t.Errorf("%d descriptors open after 100 walks, %d before", after, before)
	}
}
