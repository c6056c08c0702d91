"""DuckDB peer of benches/periods.sh: the same period questions on the ICEWS18 TSV, through
DuckDB's Python API, in one process. Loads the TSV into an in-memory table (not timed per query),
then runs each query ROUNDS times and prints one JSON line per query: its answer (to be checked
against factgraph's) and the median time of a run in microseconds, fetching every row.

    python3 periods_duckdb.py icews18-news.tsv [ROUNDS]
"""

import json
import statistics
import sys
import time

import duckdb

QUERIES = {
    "week": (
        "SELECT count(*) FROM (SELECT DISTINCT h, r, t FROM ev "
        "WHERE d BETWEEN DATE '2018-09-01' AND DATE '2018-09-07')"
    ),
    "relation-month": (
        "SELECT count(*) FROM (SELECT DISTINCT h, t FROM ev "
        "WHERE r = 'Use conventional military force' "
        "AND d BETWEEN DATE '2018-09-01' AND DATE '2018-09-30')"
    ),
    "timeline-month": (
        "SELECT h, r, t, d FROM ev WHERE (h = 'North Korea' OR t = 'North Korea') "
        "AND d BETWEEN DATE '2018-10-01' AND DATE '2018-10-31' ORDER BY d"
    ),
    "whole": "SELECT count(*) FROM (SELECT DISTINCT h, r, t FROM ev)",
}


def main():
    tsv = sys.argv[1]
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 15
    con = duckdb.connect()
    start = time.perf_counter()
    con.execute(
        "CREATE TABLE ev AS SELECT * FROM read_csv(?, delim='\t', header=false, "
        "columns={'h': 'VARCHAR', 'r': 'VARCHAR', 't': 'VARCHAR', 'd': 'DATE'}, quote='')",
        [tsv],
    )
    load_ms = (time.perf_counter() - start) * 1000
    print(json.dumps({"query": "load", "ms": round(load_ms, 1)}))
    for name, sql in QUERIES.items():
        times = []
        answer = None
        for _ in range(rounds):
            t0 = time.perf_counter()
            rows = con.execute(sql).fetchall()
            times.append((time.perf_counter() - t0) * 1e6)
            answer = rows[0][0] if name != "timeline-month" else len(rows)
        print(json.dumps({
            "query": name,
            "answer": answer,
            "first_us": round(times[0], 1),
            "median_us": round(statistics.median(times[1:] or times), 1),
        }))


if __name__ == "__main__":
    main()
