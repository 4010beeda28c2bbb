#!/bin/bash
# compare-dry.sh: interleaved dry runs of jemfix builds against rg, as
# docs/PERFORMANCE.md reports them (mean wall time, largest peak RSS).
#
#   docs/tools/compare-dry.sh TREE RUNS JEMFIX...
#
# Each round runs every build's `apply --option=1 --dry-run TREE`, then
# `rg -l jemalloc TREE`, under GNU time. Needs rg and /usr/bin/time.
set -eu
tree=$1 runs=$2
shift 2
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
for i in $(seq "$runs"); do
	for b in "$@" rg; do
		log=$out/$(echo "$b" | tr / _)
		if [ "$b" = rg ]; then
			/usr/bin/time -a -o "$log" -f "%e %M" rg -l jemalloc "$tree" >/dev/null 2>&1 || true
		else
			/usr/bin/time -a -o "$log" -f "%e %M" "$b" apply --option=1 --dry-run "$tree" >/dev/null 2>&1 || true
		fi
	done
done
for b in "$@" rg; do
	grep -E '^[0-9]' "$out/$(echo "$b" | tr / _)" | awk -v n="$b" '{t+=$1; if ($2>m) m=$2; c++; ts=ts" "$1; ms=ms" "$2}
		END {printf "%s: mean %.3f s, peak RSS %d KB; times%s; RSS%s\n", n, t/c, m, ts, ms}'
done
