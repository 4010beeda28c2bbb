#!/bin/bash
# compare-write.sh: the write against the dry run of jemfix builds, on a
# fresh copy of TREE for each run (the dry run first, on the same copy).
#
#   docs/tools/compare-write.sh TREE RUNS JEMFIX...
#
# Copies go to $TMPDIR (default /tmp) and are removed. Needs GNU time.
set -eu
tree=$1 runs=$2
shift 2
out=$(mktemp -d)
copy=${TMPDIR:-/tmp}/jemfix-compare-copy
trap 'rm -rf "$out" "$copy"' EXIT
for i in $(seq "$runs"); do
	for b in "$@"; do
		log=$out/$(echo "$b" | tr / _)
		rm -rf "$copy" && cp -a "$tree" "$copy" && sync
		/usr/bin/time -a -o "$log.dry" -f "%e %M" "$b" apply --option=1 --dry-run "$copy" >/dev/null 2>&1 || true
		/usr/bin/time -a -o "$log.write" -f "%e %M" "$b" apply --option=1 "$copy" >/dev/null 2>&1 || true
	done
done
for b in "$@"; do
	for k in dry write; do
		grep -E '^[0-9]' "$out/$(echo "$b" | tr / _).$k" | awk -v n="$b $k" '{t+=$1; if ($2>m) m=$2; c++; ts=ts" "$1}
			END {printf "%s: mean %.3f s, peak RSS %d KB; times%s\n", n, t/c, m, ts}'
	done
done
