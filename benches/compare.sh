#!/usr/bin/env bash
# factgraph against its peers, measured in one run on one machine, on the code users run, and held
# against the targets of the performance issue (docs/performance.md has the last table):
#
# - WN18RR and FB15k-237 against networkx, igraph and Kuzu: builds release, imports both datasets
#   to RON, takes a 400-query sample of each (the first 200 neighbour and 200 path queries of the
#   agreed sample), and for each round runs every tool in its own process on the same sample, each
#   answer checked against the agreed one before a time counts. factgraph is one `factgraph run
#   --timing --format jsonl` of the sample as a script, process start to exit, cold (`--no-cache`,
#   parsing the RON file) and warm (from the binary cache): its load time is what `--timing`
#   reports, its per-query times the answers' `elapsed_us` (parse, resolve, evaluate, answer with
#   evidence; not rendering). Each peer (benches/peers.py) is one process that loads the TSV and
#   answers the same sample once, doing the same work per query.
# - Generated graphs of 1M and 10M facts (`factgraph generate`) against Kuzu (benches/kuzu_scale.py):
#   the facts exported with `factgraph export -f csv` and loaded by Kuzu's `COPY` (timed, once per
#   size), then, alternating each round, a Kuzu process reopening that database and answering
#   `neighbors ID out`'s question, factgraph answering it from its warm cache, and factgraph
#   parsing the RON file cold; whole process and peak RSS from GNU time, and reading the file into
#   memory from the page cache (Python) as the measure of parse throughput.
# - ICEWS18 period questions against DuckDB (benches/periods_duckdb.py): each asked REPS times per
#   process, the first ask apart; factgraph warm, DuckDB in memory on the same TSV.
#
#   benches/compare.sh                      # ROUNDS=5, SCALE="1000000 10000000"
#   SCALE=1000000 ROUNDS=3 benches/compare.sh   # without 10M (its COPY takes many minutes)
#   SCALE= benches/compare.sh               # no generated graphs at all
#
# The generated files live in SCALE_DIR (default /tmp/factgraph-compare; 10M needs about 5 GB)
# and are deleted at the end unless KEEP_SCALE=1. Slow (minutes; with 10M, most of an hour on a
# busy 2-core machine) and needs the network for pip: not part of `cargo test` or .ci/run.
set -euo pipefail
cd "$(dirname "$0")/.."

ROUNDS=${ROUNDS:-5}
REPS=${REPS:-15}
SCALE=${SCALE-"1000000 10000000"}
SCALE_DIR=${SCALE_DIR:-/tmp/factgraph-compare}
SCALE_ROUNDS=${SCALE_ROUNDS:-3}
DATA=${DATA:-../shared/data}
TARGET=${CARGO_TARGET_DIR:-target}
OUT=$TARGET/compare
SAMPLE="neighbor=200 path=200"
mkdir -p "$OUT"
[ -x /usr/bin/time ] || { echo "compare.sh needs GNU time at /usr/bin/time (apt-get install time)" >&2; exit 2; }

# FACTGRAPH=/path/to/factgraph measures that binary instead of building this checkout's.
if [ -z "${FACTGRAPH:-}" ]; then
    cargo build --release --quiet --bin factgraph
fi
FG=${FACTGRAPH:-$TARGET/release/factgraph}

if [ ! -x "$OUT/venv/bin/python" ]; then
    python3 -m venv "$OUT/venv"
fi
"$OUT/venv/bin/pip" install --quiet networkx igraph duckdb
PEERS="networkx igraph"
# Kuzu also answers the WN18RR and FB15k-237 samples unless KUZU_SAMPLE=0 (no target rests on
# it there, and it is the slowest peer at that work); the generated graphs need it either way.
KUZU=0
if "$OUT/venv/bin/pip" install --quiet kuzu 2>/dev/null; then
    KUZU=1
    [ "${KUZU_SAMPLE:-1}" = 0 ] || PEERS="$PEERS kuzu"
else
    echo "note: kuzu could not be installed; comparing without it, and without generated graphs" >&2
    SCALE=
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
: > "$OUT/sizes.txt"
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

# Period questions on ICEWS18, warm cache, each asked REPS times in one process.
PERIODS=(
    'match ?a ?r ?b count during 2018-09-01..2018-09-07'
    'match ?a "Use conventional military force" ?b count during 2018-09'
    'timeline "North Korea" during 2018-10'
)
"$FG" import --from tsv "$DATA/icews18-news.tsv" -o "$OUT/icews18.ron" --published 2018-11-01 --force >/dev/null
rm -f "$OUT/icews18.ron.fgcache"
"$FG" -g "$OUT/icews18.ron" query stats >/dev/null
: > "$OUT/periods.kgq"
for _ in $(seq "$REPS"); do
    printf '%s\n' "${PERIODS[@]}" >> "$OUT/periods.kgq"
done
for round in $(seq "$ROUNDS"); do
    echo "periods, round $round of $ROUNDS" >&2
    "$FG" -g "$OUT/icews18.ron" run --timing --format jsonl "$OUT/periods.kgq" > "$OUT/periods.jsonl" 2>/dev/null
    echo "icews18 factgraph-warm $(python3 benches/periods_figures.py factgraph "$OUT/periods.jsonl")" >> "$RESULTS"
    "$OUT/venv/bin/python" benches/periods_duckdb.py "$DATA/icews18-news.tsv" "$REPS" > "$OUT/duckdb.jsonl"
    echo "icews18 duckdb $(python3 benches/periods_figures.py duckdb "$OUT/duckdb.jsonl")" >> "$RESULTS"
done

# Generated graphs against Kuzu: COPY once per size, then reopen / warm / cold, alternating.
measure_scale() {
    local size=$1 tool=$2
    shift 2
    local line
    line=$(/usr/bin/time -f "wall_s=%e peak_kb=%M" -o "$OUT/time.txt" "$@")
    echo "gen$size $tool $line $(cat "$OUT/time.txt")" >> "$RESULTS"
}
# One `factgraph run` of the first query: its load time and the answer's time and size.
fg_first() {
    local size=$1 tool=$2
    shift 2
    /usr/bin/time -f "wall_s=%e peak_kb=%M" -o "$OUT/time.txt" \
        "$FG" -g "$SCALE_DIR/gen$size.ron" run --timing --format jsonl "$@" "$SCALE_DIR/first.kgq" \
        > "$OUT/first.jsonl" 2> "$OUT/first.stderr"
    local load_ms
    load_ms=$(sed -n 's/^loaded .* in \([0-9.]*\) ms$/\1/p' "$OUT/first.stderr")
    [ -n "$load_ms" ] || { echo "no load time from factgraph --timing" >&2; exit 1; }
    echo "gen$size $tool load_s=$(python3 -c "print($load_ms / 1000)") $(python3 -c '
import json, sys
a = json.loads(open(sys.argv[1]).readline())
n = sum(1 for r in a["results"] if r["depth"] == 1 and r["direction"] == "out")
us = a["elapsed_us"]
print(f"first_ms={us / 1000:.3f} answer={n}", end="")' "$OUT/first.jsonl") $(cat "$OUT/time.txt")" >> "$RESULTS"
}
mkdir -p "$SCALE_DIR"
FIRST=a1
printf 'neighbors "%s" out\n' "$FIRST" > "$SCALE_DIR/first.kgq"
for size in $SCALE; do
    ron=$SCALE_DIR/gen$size.ron csv=$SCALE_DIR/csv$size db=$SCALE_DIR/kuzu$size
    [ -f "$ron" ] || "$FG" generate --facts "$size" --seed 1 -o "$ron" >/dev/null
    [ -f "$csv/edges.csv" ] || "$FG" --no-cache -g "$ron" export -f csv -o "$csv" --force >/dev/null
    echo "gen$size file_bytes=$(stat -c %s "$ron")" >> "$OUT/sizes.txt"
    rm -rf "$db" "$ron.fgcache"
    echo "$size facts: Kuzu COPY" >&2
    measure_scale "$size" kuzu-copy "$OUT/venv/bin/python" benches/kuzu_scale.py copy "$db" "$csv/nodes.csv" "$csv/edges.csv"
    "$FG" -g "$ron" stats >/dev/null   # writes the cache the warm runs read
    for round in $(seq "$SCALE_ROUNDS"); do
        echo "$size facts, round $round of $SCALE_ROUNDS" >&2
        measure_scale "$size" kuzu-open "$OUT/venv/bin/python" benches/kuzu_scale.py first "$db" "$FIRST"
        fg_first "$size" factgraph-warm
        fg_first "$size" factgraph-cold --no-cache
        measure_scale "$size" read-file python3 -c '
import sys, time
t = time.perf_counter()
n = len(open(sys.argv[1], "rb").read())
print(f"read_mb_s={n / (time.perf_counter() - t) / 1e6:.1f}")' "$ron"
    done
done
if [ "${KEEP_SCALE:-0}" != 1 ] && [ -n "$SCALE" ]; then
    rm -rf "$SCALE_DIR"
fi

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
"$OUT/venv/bin/python" -c 'import kuzu; print(" kuzu", kuzu.__version__, end="")' 2>/dev/null || true
"$OUT/venv/bin/python" -c 'import duckdb; print(" duckdb", duckdb.__version__)'
python3 benches/summarize.py "$RESULTS" "$OUT/sizes.txt"
