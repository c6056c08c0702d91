#!/usr/bin/env bash
# Period questions on ICEWS18 (docs/icews18.md), timed as users run them: `factgraph run --timing
# --format jsonl` of a script that asks each question REPS times in turn, its per-query
# `elapsed_us` (parse, resolve, evaluate, answer with evidence). The first ask of each question is
# reported apart: it builds the time index. With BASE_BIN (a factgraph built from another
# revision, e.g. main) both binaries run, alternating, ROUNDS processes each, and the table gives
# their ratio; with DUCKDB=1 a DuckDB process (benches/periods_duckdb.py, in its own virtualenv)
# answers the same questions on the same TSV, and its answers are checked against factgraph's.
#
#   benches/periods.sh
#   BASE_BIN=/tmp/factgraph-main DUCKDB=1 ROUNDS=5 benches/periods.sh
#
# Slow (a release build, and pip for DuckDB): not part of `cargo test` or .ci/run.
set -euo pipefail
cd "$(dirname "$0")/.."

ROUNDS=${ROUNDS:-5}
REPS=${REPS:-15}
DATA=${DATA:-../shared/data}
TARGET=${CARGO_TARGET_DIR:-target}
OUT=$TARGET/periods
mkdir -p "$OUT"

cargo build --release --quiet --bin factgraph
FG=$TARGET/release/factgraph
"$FG" import --from tsv "$DATA/icews18-news.tsv" -o "$OUT/icews.ron" --published 2018-11-01 --force >/dev/null
rm -f "$OUT/icews.ron.fgcache"

QUERIES=(
    'match ?a ?r ?b count during 2018-09-01..2018-09-07'
    'match ?a "Use conventional military force" ?b count during 2018-09'
    'timeline "North Korea" during 2018-10'
    'match ?a ?r ?b count'
)
: > "$OUT/periods.kgq"
for _ in $(seq "$REPS"); do
    printf '%s\n' "${QUERIES[@]}" >> "$OUT/periods.kgq"
done

: > "$OUT/results.jsonl"
run() {
    local tool=$1 bin=$2 round=$3
    "$bin" -g "$OUT/icews.ron" run --timing --format jsonl "$OUT/periods.kgq" > "$OUT/$tool.jsonl" 2> "$OUT/$tool.stderr"
    python3 - "$tool" "$round" "$OUT/$tool.jsonl" >> "$OUT/results.jsonl" <<'PY'
import json, sys
tool, round_, path = sys.argv[1], sys.argv[2], sys.argv[3]
for line in open(path):
    a = json.loads(line)
    answer = a.get("count", len(a.get("events", [])))
    print(json.dumps({"tool": tool, "round": int(round_), "query": a["query"],
                      "answer": answer, "us": a["elapsed_us"]}))
PY
}

# A first process writes the binary cache, so every timed one loads warm.
"$FG" -g "$OUT/icews.ron" query stats > /dev/null
for round in $(seq "$ROUNDS"); do
    echo "round $round of $ROUNDS" >&2
    run branch "$FG" "$round"
    if [ -n "${BASE_BIN:-}" ]; then
        run base "$BASE_BIN" "$round"
    fi
done

if [ "${DUCKDB:-0}" = 1 ]; then
    [ -x "$OUT/venv/bin/python" ] || python3 -m venv "$OUT/venv"
    "$OUT/venv/bin/pip" install --quiet duckdb
    for round in $(seq "$ROUNDS"); do
        "$OUT/venv/bin/python" benches/periods_duckdb.py "$DATA/icews18-news.tsv" "$REPS" \
            | sed "s/^{/{\"tool\": \"duckdb\", \"round\": $round, /" >> "$OUT/results.jsonl"
    done
fi

python3 - "$OUT/results.jsonl" <<'PY'
import json, statistics, sys
from collections import defaultdict

rows = [json.loads(l) for l in open(sys.argv[1])]
names = {
    "match ?a ?r ?b count during 2018-09-01..2018-09-07": "week",
    'match ?a "Use conventional military force" ?b count during 2018-09': "relation-month",
    'timeline "North Korea" during 2018-10': "timeline-month",
    "match ?a ?r ?b count": "whole",
}
first, rest, answers = defaultdict(list), defaultdict(list), defaultdict(set)
seen = set()
for r in rows:
    if r["query"] == "load":
        continue
    if r["tool"] == "duckdb":
        key = ("duckdb", r["query"])
        first[key].append(r["first_us"])
        rest[key].append(r["median_us"])
        answers[r["query"]].add(r["answer"])
        continue
    key = (r["tool"], names[r["query"]])
    answers[key[1]].add(r["answer"])
    if key + (r["round"],) in seen:
        rest[key].append(r["us"])
    else:
        seen.add(key + (r["round"],))
        first[key].append(r["us"])
for q, a in answers.items():
    if len(a) != 1:
        sys.exit(f"answers differ for {q}: {sorted(a)}")
tools = sorted({k[0] for k in rest}, key=["branch", "base", "duckdb"].index)
med = lambda xs: statistics.median(xs) if xs else float("nan")
extra = [t for t in ("base", "duckdb") if t in tools]
print("| query | answer | " + " | ".join(f"{t} µs" for t in tools)
      + "".join(f" | branch/{t}" for t in extra) + " | first ask, " + ", ".join(tools) + " µs |")
print("|---|--:|" + "--:|" * (len(tools) + len(extra) + 1))
for q in names.values():
    m = {t: med(rest[(t, q)]) for t in tools}
    cells = [f"{m[t]:.0f}" for t in tools]
    cells += [f"{m['branch'] / m[t]:.3f}x" for t in extra]
    cells.append(", ".join(f"{med(first[(t, q)]):.0f}" for t in tools))
    print(f"| {q} | {next(iter(answers[q]))} | " + " | ".join(cells) + " |")
PY
