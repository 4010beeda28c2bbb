package plan

import (
	"maps"
	"slices"
	"strings"
	"sync"
)

// Rename tables (old name -> new) are made per manifest and per package,
// and are mostly equal across a large workspace: tables hands out one map
// for each content, and put changes a table by copying it.

// tables hands out one map for equal rename tables, which are then only
// read: the packages of a large workspace mostly rename the same crates.
// It is safe for concurrent use.
type tables struct {
	mu   sync.Mutex
	same map[string]map[string]string // by the sorted pairs, NUL-separated
	sets map[string]map[string]bool   // by the sorted names, NUL-separated
}

// intern returns the map equal to m that t handed out first, or m; a nil
// t hands out m.
func (t *tables) intern(m map[string]string) map[string]string {
	if t == nil || len(m) == 0 {
		return m
	}
	return t.get(tableKey(m, nil), func() map[string]string { return m })
}

// internSet is intern for a set of names.
func (t *tables) internSet(m map[string]bool) map[string]bool {
	if t == nil || len(m) == 0 {
		return m
	}
	key := strings.Join(slices.Sorted(maps.Keys(m)), "\x00")
	return shared(&t.mu, &t.sets, key, func() map[string]bool { return m })
}

// get returns the table of key, made by build the first time.
func (t *tables) get(key string, build func() map[string]string) map[string]string {
	return shared(&t.mu, &t.same, key, build)
}

// shared returns same[key], made by build the first time, under mu.
func shared[M any](mu *sync.Mutex, same *map[string]M, key string, build func() M) M {
	mu.Lock()
	defer mu.Unlock()
	if m, ok := (*same)[key]; ok {
		return m
	}
	if *same == nil {
		*same = map[string]M{}
	}
	m := build()
	(*same)[key] = m
	return m
}

// tableKey is the pairs of m, with set[0] set to set[1] when set is not
// nil, sorted by key and NUL-separated.
func tableKey(m map[string]string, set *[2]string) string {
	keys := slices.Sorted(maps.Keys(m))
	if set != nil {
		if i, found := slices.BinarySearch(keys, set[0]); !found {
			keys = slices.Insert(keys, i, set[0])
		}
	}
	var b strings.Builder
	for _, k := range keys {
		v := m[k]
		if set != nil && k == set[0] {
			v = set[1]
		}
		b.WriteString(k)
		b.WriteByte(0)
		b.WriteString(v)
		b.WriteByte(0)
	}
	return b.String()
}

// put returns table with k set to v: table itself when it says so
// already, else a new table, the one same handed out for equal contents
// when same is not nil. The members of a large workspace mostly make the
// same renames, and a table of one entry costs about 300 bytes.
func put(same *tables, table map[string]string, k, v string) map[string]string {
	if old, ok := table[k]; ok && old == v {
		return table
	}
	build := func() map[string]string {
		nu := make(map[string]string, len(table)+1)
		maps.Copy(nu, table)
		nu[k] = v
		return nu
	}
	if same == nil {
		return build()
	}
	return same.get(tableKey(table, &[2]string{k, v}), build)
}
