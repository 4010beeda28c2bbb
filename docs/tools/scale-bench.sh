#!/bin/sh
# scale-bench.sh: the measurements of docs/PERFORMANCE.md's scaling table.
#
#   docs/tools/scale-bench.sh [OUT_DIR] [SIZES...]
#
# For each size (crates; default 250 1000 4000 8000 16000) it writes a
# generated workspace (internal/gen.WriteScale: 3 files of 16,000 bytes per
# crate, path dependencies between crates, one file in 50 naming
# jemalloc_ctl) to /tmp/jemfix-scale/sN unless it exists, then measures with
# hyperfine, medians kept in OUT_DIR (default /tmp/jemfix-bench):
#   - `jemfix apply --option=1 --dry-run` against `rg -l jemalloc`;
#   - the write (`jemfix apply --option=1`) against the dry run, each on a
#     fresh copy of the tree made (and synced) before every run;
#   - the peak RSS of the dry run and of the write (/usr/bin/time %M, 3 runs);
#   - that the written tree scores perfectly with the generator's oracle.
# With JEMFIX_BENCH_REGISTRY=R, every crate also has R registry
# dependencies (serde = "1", …), as real manifests do; those trees are
# /tmp/jemfix-scale/sN-rR.
# Needs hyperfine, rg, GNU time and Go; run it from the repository root.
set -eu
out=${1:-/tmp/jemfix-bench}
shift 2>/dev/null || true
sizes=${*:-250 1000 4000 8000 16000}
registry=${JEMFIX_BENCH_REGISTRY:-0}
export JEMFIX_GEN_SCALE_REGISTRY=$registry
trees=/tmp/jemfix-scale
mkdir -p "$out" "$trees"
go build -o "$out/jemfix" ./cmd/jemfix
go test -c -o "$out/gen.test" ./internal/gen
jemfix=$out/jemfix
uptime | tee "$out/uptime.txt"
for n in $sizes; do
	src=$trees/s$n
	if [ "$registry" != 0 ]; then
		src=$src-r$registry
	fi
	if [ ! -d "$src" ]; then
		JEMFIX_GEN_SCALE_DIR=$src JEMFIX_GEN_SCALE_CRATES=$n "$out/gen.test" -test.run 'TestWriteScaleTree$' >/dev/null
	fi
	copy=$trees/copy
	hyperfine -N -i --warmup 1 --runs 10 --export-json "$out/dry-rg-$n.json" \
		"$jemfix apply --option=1 --dry-run $src" "rg -l jemalloc $src"
	hyperfine -N -i --runs 5 --export-json "$out/write-dry-$n.json" \
		--prepare "sh -c 'rm -rf $copy && cp -a $src $copy && sync'" \
		"$jemfix apply --option=1 $copy" "$jemfix apply --option=1 --dry-run $copy"
	for i in 1 2 3; do
		/usr/bin/time -f %M "$jemfix" apply --option=1 --dry-run "$src" 2>&1 >/dev/null | tail -1
	done >"$out/rss-dry-$n.txt"
	for i in 1 2 3; do
		rm -rf "$copy" && cp -a "$src" "$copy" && sync
		/usr/bin/time -f %M "$jemfix" apply --option=1 "$copy" 2>&1 >/dev/null | tail -1
	done >"$out/rss-write-$n.txt"
	JEMFIX_ORACLE_DIR=$copy JEMFIX_GEN_SCALE_CRATES=$n "$out/gen.test" -test.run 'TestScoreFixedTree$' -test.v | grep -E 'score|FAIL|ok' >"$out/oracle-$n.txt" || true
	rm -rf "$copy"
done
python3 - "$out" $sizes <<'PY'
import json, sys
out, sizes = sys.argv[1], sys.argv[2:]
def med(name, i):
    return json.load(open(f"{out}/{name}.json"))["results"][i]["median"]
def rss(name):
    return max(int(x) for x in open(f"{out}/{name}.txt").read().split()) / 1024
print("| crates | files | dry run | rg | ratio | µs per file | write | write/dry | peak RSS dry | peak RSS write |")
print("|---|---|---|---|---|---|---|---|---|---|")
for n in sizes:
    files = int(n) * 3
    dry, rg = med(f"dry-rg-{n}", 0), med(f"dry-rg-{n}", 1)
    wr, dry2 = med(f"write-dry-{n}", 0), med(f"write-dry-{n}", 1)
    print(f"| {int(n):,} | {files:,} | {dry:.3f} s | {rg:.3f} s | {dry/rg:.1f}× | {dry/files*1e6:.0f} | {wr:.3f} s | {wr/dry2:.2f}× | {rss(f'rss-dry-{n}'):.0f} MB | {rss(f'rss-write-{n}'):.0f} MB |")
PY
