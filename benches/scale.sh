#!/usr/bin/env bash
# Load time and peak memory on synthetic graphs of 1M and 10M facts (`factgraph generate`), parsed
# and reloaded from the binary cache, measured in one run on one machine: the README's scale table.
#
#   benches/scale.sh                         # SIZES="1000000 10000000", ROUNDS=3
#   SIZES=1000000 ROUNDS=5 benches/scale.sh
#
# For each size: the generated file (kept under $CARGO_TARGET_DIR/scale/), then ROUNDS processes
# each of a parse (`--no-cache`) and a reload (the cache the first load wrote), alternating. *load*
# is the load time `--timing` reports; *process* and *peak* come from GNU time for the whole
# `factgraph run` of an empty script. Slow (the 10M file is 1.5 GB and parses in tens of seconds)
# and needs about 8 GB of disk: not part of `cargo test` or .ci/run.
set -euo pipefail
cd "$(dirname "$0")/.."

SIZES=${SIZES:-"1000000 10000000"}
ROUNDS=${ROUNDS:-3}
TARGET=${CARGO_TARGET_DIR:-target}
OUT=$TARGET/scale
mkdir -p "$OUT"
[ -x /usr/bin/time ] || { echo "scale.sh needs GNU time at /usr/bin/time (apt-get install time)" >&2; exit 2; }

cargo build --release --quiet --bin factgraph
FG=$TARGET/release/factgraph
: > "$OUT/empty.kgq"
RESULTS=$OUT/results.txt
: > "$RESULTS"

# One measured process: the load time it reports, then wall time and peak RSS.
measure() {
    local size=$1 mode=$2
    shift 2
    local load
    load=$(/usr/bin/time -f "wall_s=%e peak_kb=%M" -o "$OUT/time.txt" \
        "$FG" -g "$OUT/gen$size.ron" run --timing "$@" "$OUT/empty.kgq" 2>&1 >/dev/null |
        sed -n 's/.* in \([0-9.]*\) ms$/\1/p')
    echo "$size $mode load_ms=$load $(cat "$OUT/time.txt")" >> "$RESULTS"
}

for size in $SIZES; do
    file=$OUT/gen$size.ron
    [ -f "$file" ] || "$FG" generate --facts "$size" --seed 1 -o "$file" >/dev/null
    rm -f "$file.fgcache"
    "$FG" -g "$file" run "$OUT/empty.kgq" >/dev/null
    for round in $(seq "$ROUNDS"); do
        echo "$size facts, round $round of $ROUNDS" >&2
        measure "$size" parse --no-cache
        measure "$size" reload
    done
done

echo
echo "factgraph scale, $(date -u +%Y-%m-%d), $(nproc) cores, $(uname -m),"\
     "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), load average $(cut -d' ' -f1-3 /proc/loadavg)"
python3 - "$RESULTS" "$OUT" <<'EOF'
import os, statistics, sys
from collections import defaultdict

runs = defaultdict(lambda: defaultdict(list))
for line in open(sys.argv[1], encoding="utf-8"):
    size, mode, *pairs = line.split()
    for key, value in (p.split("=", 1) for p in pairs):
        runs[(int(size), mode)][key].append(float(value))
med = {k: {c: statistics.median(v) for c, v in cols.items()} for k, cols in runs.items()}
print(f"\n(medians of {len(next(iter(runs.values()))['wall_s'])} runs)\n")
print("| facts | file | parse: load | process | peak | reload: load | process | peak | cache file | reload / parse |")
print("|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|")
for size in sorted({s for s, _ in med}):
    p, r = med[(size, "parse")], med[(size, "reload")]
    file = os.path.join(sys.argv[2], f"gen{size}.ron")
    mb = lambda n: f"{n / 1e6:,.0f} MB"
    print(f"| {size:,} | {mb(os.path.getsize(file))} | {p['load_ms'] / 1000:.2f} s | {p['wall_s']:.2f} s "
          f"| {mb(p['peak_kb'] * 1024)} | {r['load_ms'] / 1000:.3f} s | {r['wall_s']:.2f} s "
          f"| {mb(r['peak_kb'] * 1024)} | {mb(os.path.getsize(file + '.fgcache'))} "
          f"| {r['load_ms'] / p['load_ms']:.3f}x |")
EOF
