#!/usr/bin/env bash
# factgraph against networkx, igraph and Kuzu on WN18RR and FB15k-237, measured in one run on one
# machine. Builds release, imports both datasets to RON, installs the peers into its own virtualenv,
# runs every query sample through every tool (each answer checked against the agreed one before a
# time counts), and prints medians and the ratios the scale issue sets as targets.
#
# factgraph is measured two ways: `factgraph-run-*` is the whole `factgraph run` of the sample as a
# script (benches/sample_to_kgq.py writes it and checks its jsonl answers), the issue's
# whole-process row, compared with `networkx-1pass`, a networkx process that loads the triples and
# answers the sample once; `factgraph-kernels-*` is examples/sample.rs, which times the traversal
# kernels per query kind directly (no parsing, no rendering), set beside the peers' per-kind times.
#
#   benches/compare.sh                 # ROUNDS=3 processes per tool and dataset
#   ROUNDS=5 DATA=/path/to/data benches/compare.sh
#
# Slow (minutes) and needs the network for pip: not part of `cargo test` or .ci/run.
set -euo pipefail
cd "$(dirname "$0")/.."

ROUNDS=${ROUNDS:-3}
DATA=${DATA:-../shared/data}
TARGET=${CARGO_TARGET_DIR:-target}
OUT=$TARGET/compare
mkdir -p "$OUT"
[ -x /usr/bin/time ] || { echo "compare.sh needs GNU time at /usr/bin/time (apt-get install time)" >&2; exit 2; }

cargo build --release --quiet --bin factgraph --example sample
FG=$TARGET/release/factgraph
SAMPLE=$TARGET/release/examples/sample

if [ ! -x "$OUT/venv/bin/python" ]; then
    python3 -m venv "$OUT/venv"
fi
"$OUT/venv/bin/pip" install --quiet networkx igraph
PEERS="networkx igraph"
if "$OUT/venv/bin/pip" install --quiet kuzu 2>/dev/null; then
    PEERS="$PEERS kuzu"
else
    echo "note: kuzu could not be installed; comparing without it" >&2
fi

DATASETS="wn18rr fb15k237"
for d in $DATASETS; do
    "$FG" import --from tsv "$DATA/$d.tsv" -o "$OUT/$d.ron" --published 2025-01-01 --force >/dev/null
    rm -f "$OUT/$d.ron.fgcache"
    python3 benches/sample_to_kgq.py script "$DATA/queries-$d.tsv" > "$OUT/$d.kgq"
done

RESULTS=$OUT/results.txt
: > "$RESULTS"
# One measured process: its own timings line, plus wall time and peak RSS from GNU time.
measure() {
    local dataset=$1 tool=$2
    shift 2
    local line
    line=$(/usr/bin/time -f "wall_s=%e peak_kb=%M" -o "$OUT/time.txt" "$@")
    echo "$dataset $tool $line $(cat "$OUT/time.txt")" >> "$RESULTS"
}
# One measured `factgraph run` of the sample script: its answers go to a file and are all checked
# against the sample after the process has exited; any wrong answer stops the benchmark here,
# before a time is reported.
measure_run() {
    local dataset=$1 tool=$2
    shift 2
    /usr/bin/time -f "wall_s=%e peak_kb=%M" -o "$OUT/time.txt" \
        "$FG" -g "$OUT/$dataset.ron" run --format jsonl "$@" "$OUT/$dataset.kgq" > "$OUT/$dataset.jsonl"
    local line
    line=$(python3 benches/sample_to_kgq.py check "$DATA/queries-$dataset.tsv" "$OUT/$dataset.jsonl")
    echo "$dataset $tool ${line%% *} $(cat "$OUT/time.txt")" >> "$RESULTS"
}

for round in $(seq "$ROUNDS"); do
    echo "round $round of $ROUNDS" >&2
    for d in $DATASETS; do
        q=$DATA/queries-$d.tsv
        # Cold: parse and validate the RON file. Warm: the binary cache written by the cold run.
        rm -f "$OUT/$d.ron.fgcache"
        measure_run "$d" factgraph-run-cold --no-cache
        measure "$d" factgraph-kernels-cold "$SAMPLE" "$OUT/$d.ron" "$q" --no-cache
        "$FG" stats -g "$OUT/$d.ron" >/dev/null
        measure_run "$d" factgraph-run-warm
        measure "$d" factgraph-kernels-warm "$SAMPLE" "$OUT/$d.ron" "$q"
        for p in $PEERS; do
            # Kuzu answers a path query in milliseconds: one pass over the sample is enough.
            passes=3
            [ "$p" = kuzu ] && passes=1
            measure "$d" "$p" "$OUT/venv/bin/python" benches/peers.py "$p" "$DATA/$d.tsv" "$q" "$passes"
        done
        # The same work as one `factgraph run`: load, answer the sample once, exit.
        measure "$d" networkx-1pass "$OUT/venv/bin/python" benches/peers.py networkx "$DATA/$d.tsv" "$q" 1
    done
done

echo
echo "factgraph compare, $(date -u +%Y-%m-%d), $(nproc) cores, $(uname -m),"\
     "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), load average $(cut -d' ' -f1-3 /proc/loadavg)"
"$OUT/venv/bin/python" benches/summarize.py "$RESULTS"
