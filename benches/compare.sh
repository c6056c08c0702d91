#!/usr/bin/env bash
# factgraph against networkx, igraph and Kuzu on WN18RR and FB15k-237, measured in one run on one
# machine, on the code users run. Builds release, imports both datasets to RON, takes a 400-query
# sample of each (the first 200 neighbour and 200 path queries of the agreed sample), installs the
# peers into its own virtualenv, and for each round runs every tool in its own process on the same
# sample: each answer checked against the agreed one before a time counts. Prints medians and ratios.
#
# factgraph is one `factgraph run --timing --format jsonl` of the sample as a script, process start
# to exit, cold (`--no-cache`, parsing the RON file) and warm (from the binary cache): its load time
# is what `--timing` reports, its per-query times the answers' `elapsed_us` (parse, resolve,
# evaluate, answer with evidence; not rendering). Each peer (benches/peers.py) is one process that
# loads the TSV and answers the same sample once, doing the same work per query.
#
#   benches/compare.sh                 # ROUNDS=5 processes per tool and dataset
#   ROUNDS=3 DATA=/path/to/data benches/compare.sh
#
# Slow (minutes) and needs the network for pip: not part of `cargo test` or .ci/run.
set -euo pipefail
cd "$(dirname "$0")/.."

ROUNDS=${ROUNDS:-5}
DATA=${DATA:-../shared/data}
TARGET=${CARGO_TARGET_DIR:-target}
OUT=$TARGET/compare
SAMPLE="neighbor=200 path=200"
mkdir -p "$OUT"
[ -x /usr/bin/time ] || { echo "compare.sh needs GNU time at /usr/bin/time (apt-get install time)" >&2; exit 2; }

cargo build --release --quiet --bin factgraph
FG=$TARGET/release/factgraph

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
    # shellcheck disable=SC2086 # SAMPLE is a list of words.
    python3 benches/sample_to_kgq.py take "$DATA/queries-$d.tsv" $SAMPLE > "$OUT/$d-sample.tsv"
    python3 benches/sample_to_kgq.py script "$OUT/$d-sample.tsv" > "$OUT/$d.kgq"
done

RESULTS=$OUT/results.txt
: > "$RESULTS"
# One measured peer process: its own figures, plus wall time and peak RSS from GNU time.
measure_peer() {
    local dataset=$1 tool=$2
    local line
    line=$(/usr/bin/time -f "wall_s=%e peak_kb=%M" -o "$OUT/time.txt" \
        "$OUT/venv/bin/python" benches/peers.py "$tool" "$DATA/$dataset.tsv" "$OUT/$dataset-sample.tsv")
    echo "$dataset $tool $line $(cat "$OUT/time.txt")" >> "$RESULTS"
}
# One measured `factgraph run` of the sample script: its answers go to a file and are all checked
# against the sample after the process has exited; any wrong answer stops the benchmark here,
# before a time is reported.
measure_run() {
    local dataset=$1 tool=$2
    shift 2
    /usr/bin/time -f "wall_s=%e peak_kb=%M" -o "$OUT/time.txt" \
        "$FG" -g "$OUT/$dataset.ron" run --timing --format jsonl "$@" "$OUT/$dataset.kgq" \
        > "$OUT/$dataset.jsonl" 2> "$OUT/$dataset.stderr"
    # `--timing` reports the load as `loaded ... in X ms` on stderr.
    local load_ms line
    load_ms=$(sed -n 's/^loaded .* in \([0-9.]*\) ms$/\1/p' "$OUT/$dataset.stderr")
    [ -n "$load_ms" ] || { echo "no load time from factgraph --timing" >&2; exit 1; }
    line=$(python3 benches/sample_to_kgq.py check "$OUT/$dataset-sample.tsv" "$OUT/$dataset.jsonl")
    echo "$dataset $tool load_s=$(python3 -c "print($load_ms / 1000)") $line $(cat "$OUT/time.txt")" >> "$RESULTS"
}

for round in $(seq "$ROUNDS"); do
    echo "round $round of $ROUNDS" >&2
    for d in $DATASETS; do
        # Cold: parse and validate the RON file. Warm: the binary cache written by the cold run.
        rm -f "$OUT/$d.ron.fgcache"
        measure_run "$d" factgraph-cold --no-cache
        "$FG" stats -g "$OUT/$d.ron" >/dev/null
        measure_run "$d" factgraph-warm
        for p in $PEERS; do
            measure_peer "$d" "$p"
        done
    done
done

echo
echo "factgraph compare, $(date -u +%Y-%m-%d), ROUNDS=$ROUNDS, $(nproc) cores, $(uname -m),"\
     "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), load average $(cut -d' ' -f1-3 /proc/loadavg)"
"$OUT/venv/bin/python" -c 'import sys, networkx, igraph; print("Python", sys.version.split()[0], "networkx", networkx.__version__, "igraph", igraph.__version__, end="")'
"$OUT/venv/bin/python" -c 'import kuzu; print(" kuzu", kuzu.__version__)' 2>/dev/null || echo
"$OUT/venv/bin/python" benches/summarize.py "$RESULTS"
