"""Kuzu at scale, the peer of benches/compare.sh's generated graphs: the same facts, given to Kuzu
through factgraph's CSV export (docs/exports.md), loaded with `COPY` into an on-disk database, and
that database reopened by a new process to answer a first query.

    python kuzu_scale.py copy DBDIR NODES.csv EDGES.csv   -> copy_s=..      (both COPYs, in-process)
    python kuzu_scale.py first DBDIR ENTITY-ID            -> first_ms=.. answer=N

`first` opens the database and lists ENTITY-ID's out-edges with each fact's relation, date, source
and quote, fetching every row: what `neighbors "ID" out` answers. first_ms runs from before the
open to the last row; the whole process (Python's start and exit included) is GNU time's.
"""

import sys
import time

import kuzu

SCHEMA = [
    "CREATE NODE TABLE Entity(id STRING, name STRING, kind STRING, aliases STRING, tags STRING, "
    "label STRING, PRIMARY KEY(id))",
    "CREATE REL TABLE Fact(FROM Entity TO Entity, relation STRING, fact INT64, date STRING, "
    "date_first STRING, date_last STRING, source STRING, quote STRING, reported_by STRING, "
    "note STRING)",
]


def copy(db_dir, nodes, edges):
    c = kuzu.Connection(kuzu.Database(db_dir))
    for statement in SCHEMA:
        c.execute(statement)
    started = time.perf_counter()
    # The generated files hold no line break inside a field, so Kuzu's parallel reader may read
    # them (docs/exports.md turns it off for curated graphs, whose quotes may hold one).
    c.execute(f"COPY Entity FROM '{nodes}' (header=true)")
    c.execute(f"COPY Fact FROM '{edges}' (header=true)")
    print(f"copy_s={time.perf_counter() - started:.4f}")


def first(db_dir, entity):
    started = time.perf_counter()
    c = kuzu.Connection(kuzu.Database(db_dir))
    r = c.execute(
        "MATCH (a:Entity {id: $id})-[f:Fact]->(b:Entity) "
        "RETURN f.relation, b.id, b.name, f.date, f.source, f.quote",
        {"id": entity},
    )
    rows = []
    while r.has_next():
        rows.append(r.get_next())
    print(f"first_ms={(time.perf_counter() - started) * 1000:.3f} answer={len(rows)}")


def main():
    args = sys.argv[1:]
    if args[:1] == ["copy"] and len(args) == 4:
        copy(*args[1:])
    elif args[:1] == ["first"] and len(args) == 3:
        first(*args[1:])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
