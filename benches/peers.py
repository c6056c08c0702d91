"""Answers a query sample (shared/data/README.md) with one peer: networkx, igraph or kuzu.

    python peers.py TOOL TRIPLES.tsv QUERIES.tsv

Loads the triples (timed: TSV -> the tool's graph), then answers every query once, in the sample's
order, as one `factgraph run` of the same sample does, and exits 1 on any answer that differs from
the agreed one. Each query does the work factgraph's answer does, in the peer's fastest idiom:

    neighbor X     the list of X's out-edges as (relation, tail)         -> its length
    path A B       one shortest undirected path, with a relation per hop -> its hop count, or -1
    join R1 R2     the distinct (x, y) with x -R1-> z -R2-> y            -> their number

Prints one line: load_s=.. then, per query kind in the sample, KIND_us=.. (median time per query)
and KIND_mean_us=.., then answers=ok. Times start from the names as the sample writes them.
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
        return [(r, y) for _, y, r in self.g.out_edges(a, keys=True)]

    def path(self, a, b):
        try:
            nodes = self.nx.shortest_path(self.u, a, b)
        except self.nx.NetworkXNoPath:
            return None
        g = self.g
        # One fact per hop, in whichever direction it was stated.
        return [
            (x, next(iter(g.get_edge_data(x, y) or g.get_edge_data(y, x))), y)
            for x, y in zip(nodes, nodes[1:])
        ]

    def join(self, r1, r2):
        g = self.g
        pairs = set()
        for x, z, r in g.edges(keys=True):
            if r == r1:
                for _, y, k in g.out_edges(z, keys=True):
                    if k == r2:
                        pairs.add((x, y))
        return pairs


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
        # Plain lists read faster per edge than the edge sequence's attributes.
        self.g, self.ids, self.rels = g, ids, rels
        self.heads = [h for h, _ in edges]
        self.tails = [t for _, t in edges]

    def neighbor(self, a):
        rels, tails = self.rels, self.tails
        return [(rels[e], tails[e]) for e in self.g.incident(self.ids[a], mode="out")]

    def path(self, a, b):
        if a == b:
            return []
        # get_shortest_path stops at the target; distances() would search the whole graph.
        hops = self.g.get_shortest_path(self.ids[a], self.ids[b], mode="all", output="epath")
        if not hops:
            return None
        return [(self.heads[e], self.rels[e], self.tails[e]) for e in hops]

    def join(self, r1, r2):
        g, rels, tails = self.g, self.rels, self.tails
        pairs = set()
        for e in g.es.select(rel_eq=r1):
            x, z = e.tuple
            for e2 in g.incident(z, mode="out"):
                if rels[e2] == r2:
                    pairs.add((x, tails[e2]))
        return pairs


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

    def rows(self, query, params):
        r = self.c.execute(query, params)
        out = []
        while r.has_next():
            out.append(r.get_next())
        return out

    def neighbor(self, a):
        return self.rows("MATCH (a:E {name: $a})-[r:R]->(b:E) RETURN r.rel, b.name", {"a": a})

    def path(self, a, b):
        if a == b:
            return []
        rows = self.rows(
            "MATCH p = (a:E {name: $a})-[:R* SHORTEST 1..30]-(b:E {name: $b}) "
            "RETURN properties(nodes(p), 'name'), properties(rels(p), 'rel') LIMIT 1",
            {"a": a, "b": b},
        )
        if not rows:
            return None
        nodes, rels = rows[0]
        return list(zip(nodes, rels, nodes[1:]))

    def join(self, r1, r2):
        return self.rows(
            "MATCH (x:E)-[:R {rel: $r1}]->(:E)-[:R {rel: $r2}]->(y:E) RETURN DISTINCT x.name, y.name",
            {"r1": r1, "r2": r2},
        )


TOOLS = {"networkx": NetworkX, "igraph": IGraph, "kuzu": Kuzu}


def number(kind, answer):
    """The agreed number an answer stands for: a path's hops (-1 for none), else how many."""
    if kind == "path" and answer is None:
        return -1
    return len(answer)


def main():
    if len(sys.argv) != 4 or sys.argv[1] not in TOOLS:
        sys.exit(__doc__)
    tool, triples, queries = sys.argv[1:4]
    sample = read_queries(queries)
    started = time.perf_counter()
    peer = TOOLS[tool](triples)
    load_s = time.perf_counter() - started
    times = {}
    for kind, a, b, expected in sample:
        t = time.perf_counter()
        answer = peer.neighbor(a) if kind == "neighbor" else getattr(peer, kind)(a, b)
        times.setdefault(kind, []).append(time.perf_counter() - t)
        got = number(kind, answer)
        if got != expected:
            sys.exit(f"{tool}: wrong answer to {kind} {a} {b}: {got}, expected {expected}")
    figures = " ".join(
        f"{kind}_us={statistics.median(v) * 1e6:.3f} {kind}_mean_us={statistics.fmean(v) * 1e6:.3f}"
        for kind, v in times.items()
    )
    print(f"load_s={load_s:.4f} {figures} answers=ok")


if __name__ == "__main__":
    main()
