"""compare.sh's figures for the ICEWS18 period questions, from one process's answers.

    python periods_figures.py factgraph ANSWERS.jsonl    # `factgraph run --timing --format jsonl`
    python periods_figures.py duckdb DUCKDB.jsonl        # benches/periods_duckdb.py's output

Prints, per question, NAME_us=.. (median over the asks after the first), NAME_first_us=.. and
NAME_answer=.. (a count, or a timeline's number of facts), for summarize.py to check and compare.
"""

import json
import statistics
import sys

NAMES = {
    "match ?a ?r ?b count during 2018-09-01..2018-09-07": "week",
    'match ?a "Use conventional military force" ?b count during 2018-09': "relation-month",
    'timeline "North Korea" during 2018-10': "timeline-month",
}


def factgraph(path):
    asks = {}
    for line in open(path, encoding="utf-8"):
        a = json.loads(line)
        answer = a["count"] if "count" in a else len(a["events"])
        asks.setdefault(NAMES[a["query"]], []).append((a["elapsed_us"], answer))
    for name, runs in asks.items():
        yield name, statistics.median(us for us, _ in runs[1:]), runs[0][0], runs[0][1]


def duckdb(path):
    for line in open(path, encoding="utf-8"):
        r = json.loads(line)
        if r["query"] in NAMES.values():
            yield r["query"], r["median_us"], r["first_us"], r["answer"]


def main():
    if len(sys.argv) != 3 or sys.argv[1] not in ("factgraph", "duckdb"):
        sys.exit(__doc__)
    figures = (factgraph if sys.argv[1] == "factgraph" else duckdb)(sys.argv[2])
    print(" ".join(f"{n}_us={us:.1f} {n}_first_us={first:.1f} {n}_answer={answer}"
                   for n, us, first, answer in figures))


if __name__ == "__main__":
    main()
