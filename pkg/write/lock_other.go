//go:build !unix

package write

import "os"

// lockJournal is a no-op where flock(2) is missing: only one jemfix may
// run on a root at a time there.
func lockJournal(*os.Root) (func(), error) { return func() {}, nil }
