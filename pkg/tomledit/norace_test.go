//go:build !race

package tomledit

const raceEnabled = false
