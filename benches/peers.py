"""Runs a query sample (shared/data/README.md) through one peer: networkx, igraph or kuzu.

    python peers.py TOOL TRIPLES.tsv QUERIES.tsv [ROUNDS]

Loads the triples (timed: TSV -> the tool's graph), answers every neighbour, path and join query,
exits 1 on any answer that differs from the agreed one, and prints one line in the format of
factgraph's examples/sample.rs:  load_s=.. neighbor_us=.. path_ms=.. join_ms=.. answers=ok
Per-kind times are medians over ROUNDS passes (default 3).
"""

import statistics
import sys
import tempfile
import time


def read_queries(path):
    out = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            kind, a, b, expected = line.rstrip("\n").split("\t")
            out.append((kind, a, b, int(expected)))
    return out


def read_triples(path):
    with open(path, encoding="utf-8") as f:
        return [line.rstrip("\n").split("\t") for line in f if line.strip()]


class NetworkX:
    def __init__(self, path):
        import networkx as nx

        self.nx = nx
        g = nx.MultiDiGraph()
        triples = read_triples(path)
        g.add_edges_from((h, t, r) for h, r, t in triples)
        self.g = g
        # A simple undirected graph for paths: networkx's bidirectional BFS is fastest on it.
        self.u = nx.Graph()
        self.u.add_edges_from((h, t) for h, _, t in triples)

    def neighbor(self, a):
        return self.g.out_degree(a)

    def path(self, a, b):
        try:
            return self.nx.shortest_path_length(self.u, a, b)
        except self.nx.NetworkXNoPath:
            return -1

    def join(self, r1, r2):
        g = self.g
        pairs = set()
        for x, z, r in g.edges(keys=True):
            if r == r1:
                for _, y, k in g.out_edges(z, keys=True):
                    if k == r2:
                        pairs.add((x, y))
        return len(pairs)


class IGraph:
    def __init__(self, path):
        import igraph as ig

        triples = read_triples(path)
        ids = {}
        edges, rels = [], []
        for h, r, t in triples:
            edges.append((ids.setdefault(h, len(ids)), ids.setdefault(t, len(ids))))
            rels.append(r)
        g = ig.Graph(n=len(ids), edges=edges, directed=True)
        g.es["rel"] = rels
        self.g, self.ids, self.rels = g, ids, rels

    def neighbor(self, a):
        return self.g.degree(self.ids[a], mode="out")

    def path(self, a, b):
        # get_shortest_path stops at the target; distances() would search the whole graph.
        p = self.g.get_shortest_path(self.ids[a], self.ids[b], mode="all")
        return len(p) - 1 if p else -1

    def join(self, r1, r2):
        g, rels = self.g, self.rels
        pairs = set()
        for e in g.es.select(rel_eq=r1):
            x, z = e.tuple
            for e2 in g.incident(z, mode="out"):
                if rels[e2] == r2:
                    pairs.add((x, g.es[e2].target))
        return len(pairs)


class Kuzu:
    def __init__(self, path):
        import kuzu

        triples = read_triples(path)
        names = {}
        for h, _, t in triples:
            names.setdefault(h, None)
            names.setdefault(t, None)
        self.dir = tempfile.TemporaryDirectory()
        nodes, rels = f"{self.dir.name}/nodes.csv", f"{self.dir.name}/rels.csv"
        with open(nodes, "w", encoding="utf-8") as f:
            f.writelines(f"{n}\n" for n in names)
        with open(rels, "w", encoding="utf-8") as f:
            f.writelines(f"{h}\t{t}\t{r}\n" for h, r, t in triples)
        self.db = kuzu.Database(":memory:")
        c = kuzu.Connection(self.db)
        c.execute("CREATE NODE TABLE E(name STRING, PRIMARY KEY(name))")
        c.execute("CREATE REL TABLE R(FROM E TO E, rel STRING)")
        # Types given explicitly: WN18RR's names are digit strings with leading zeros.
        c.execute(f"COPY E FROM '{nodes}' (HEADER=false, DELIM='\t')")
        c.execute(f"COPY R FROM '{rels}' (HEADER=false, DELIM='\t')")
        self.c = c

    def one(self, query, params):
        r = self.c.execute(query, params)
        return r.get_next()[0] if r.has_next() else None

    def neighbor(self, a):
        return self.one("MATCH (a:E {name: $a})-[:R]->(b:E) RETURN count(*)", {"a": a})

    def path(self, a, b):
        if a == b:
            return 0
        d = self.one(
            "MATCH p = (a:E {name: $a})-[:R* SHORTEST 1..30]-(b:E {name: $b}) RETURN length(p)",
            {"a": a, "b": b},
        )
        return -1 if d is None else d

    def join(self, r1, r2):
        return self.one(
            "MATCH (x:E)-[:R {rel: $r1}]->(:E)-[:R {rel: $r2}]->(y:E) "
            "WITH DISTINCT x, y RETURN count(*)",
            {"r1": r1, "r2": r2},
        )


TOOLS = {"networkx": NetworkX, "igraph": IGraph, "kuzu": Kuzu}


def main():
    tool, triples, queries = sys.argv[1:4]
    rounds = int(sys.argv[4]) if len(sys.argv) > 4 else 3
    sample = read_queries(queries)
    started = time.perf_counter()
    peer = TOOLS[tool](triples)
    load_s = time.perf_counter() - started
    times = {"neighbor": [], "path": [], "join": []}
    counts = {k: sum(1 for q in sample if q[0] == k) or 1 for k in times}
    for _ in range(rounds):
        spent = dict.fromkeys(times, 0.0)
        for kind, a, b, expected in sample:
            t = time.perf_counter()
            got = peer.neighbor(a) if kind == "neighbor" else getattr(peer, kind)(a, b)
            spent[kind] += time.perf_counter() - t
            if got != expected:
                sys.exit(f"{tool}: wrong answer to {kind} {a} {b}: {got}, expected {expected}")
        for k in times:
            times[k].append(spent[k] / counts[k])
    med = {k: statistics.median(v) for k, v in times.items()}
    print(
        f"load_s={load_s:.4f} neighbor_us={med['neighbor'] * 1e6:.3f} "
        f"path_ms={med['path'] * 1e3:.4f} join_ms={med['join'] * 1e3:.3f} answers=ok"
    )


if __name__ == "__main__":
    main()
