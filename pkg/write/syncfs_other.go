//go:build !linux

package write

import "errors"

// canSyncAll is false where no call syncs a whole file system: each file
// and directory is synced on its own.
const canSyncAll = false

func (t *txn) syncAll() error { return errors.ErrUnsupported }
