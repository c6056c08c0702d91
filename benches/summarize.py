"""Turns compare.sh's results into tables of medians and the ratios against peers of the same run.

Each results line: DATASET TOOL key=value ... with load_s, KIND_us and KIND_mean_us per query kind
(neighbor, path, join), wall_s and peak_kb; a cell with no value prints as `–`.

Tools: factgraph-cold and factgraph-warm (one `factgraph run --timing` of the sample, parsing the RON
file or reading the binary cache), and the peers, each one process answering the same sample once.
Every figure is a median over the rounds; per-query figures are, in each round, the median (or mean)
over that round's queries of a kind.
"""

import statistics
import sys
from collections import defaultdict

KINDS = [("neighbor", "neighbour"), ("path", "path"), ("join", "join")]

# The peer each figure is held against (the performance issue's choice: igraph for out-edges and
# memory, networkx's bidirectional search for paths, Kuzu for the join, a networkx process for the
# whole run); when another peer of the same run did better, the ratio to it is printed too.
RATIOS = [
    ("neighbor_us", "neighbours per query (median)", "igraph"),
    ("neighbor_mean_us", "neighbours per query (mean)", "igraph"),
    ("path_us", "path per query (median)", "networkx"),
    ("path_mean_us", "path per query (mean)", "networkx"),
    ("join_us", "join", "kuzu"),
    ("wall_s", "whole process", "networkx"),
    ("peak_mb", "peak memory", "igraph"),
]


def read(path):
    runs = defaultdict(lambda: defaultdict(list))
    order = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            dataset, tool, *pairs = line.split()
            values = dict(p.split("=", 1) for p in pairs)
            values.pop("answers", None)
            values.pop("queries", None)
            values["peak_mb"] = float(values.pop("peak_kb")) / 1024
            for k, v in values.items():
                runs[(dataset, tool)][k].append(float(v))
            if (dataset, tool) not in order:
                order.append((dataset, tool))
    return runs, order


def columns(tools, med):
    cols = [("load_s", "load s", 3), ("peak_mb", "peak MB", 0)]
    for kind, label in KINDS:
        if any(f"{kind}_us" in med[t] for t in tools):
            cols.append((f"{kind}_us", f"{label} µs median", 1))
            cols.append((f"{kind}_mean_us", f"{label} µs mean", 1))
    cols.append(("wall_s", "process s", 2))
    return cols


def main(path):
    runs, order = read(path)
    med = {key: {k: statistics.median(v) for k, v in cols.items()} for key, cols in runs.items()}
    for dataset in dict.fromkeys(d for d, _ in order):
        tools = [t for d, t in order if d == dataset]
        own = {t: med[(dataset, t)] for t in tools}
        n = len(runs[(dataset, tools[0])]["wall_s"])
        cols = columns(tools, own)
        print(f"\n{dataset} (medians of {n} rounds; every answer checked against the sample)\n")
        print("| tool | " + " | ".join(c[1] for c in cols) + " |")
        print("|---|" + "--:|" * len(cols))
        for t in tools:
            cells = [f"{own[t][k]:.{p}f}" if k in own[t] else "–" for k, _, p in cols]
            print(f"| {t} | " + " | ".join(cells) + " |")
        print()
        for mode in ("factgraph-warm", "factgraph-cold"):
            if mode not in own:
                continue
            peers = [t for t in tools if not t.startswith("factgraph")]
            ratios = []
            for col, label, peer in RATIOS:
                if col not in own[mode] or col not in own.get(peer, {}):
                    continue
                text = f"{label} {own[mode][col] / own[peer][col]:.3f}x {peer}"
                best = min((t for t in peers if col in own[t]), key=lambda t: own[t][col])
                if own[best][col] < own[peer][col]:
                    text += f" ({own[mode][col] / own[best][col]:.3f}x {best})"
                ratios.append(text)
            print(f"- {mode}: " + "; ".join(ratios))
        cold, warm = own.get("factgraph-cold", {}), own.get("factgraph-warm", {})
        if "load_s" in cold and "load_s" in warm:
            print(f"- reload from the cache: {warm['load_s'] / cold['load_s']:.3f}x the parse")


if __name__ == "__main__":
    main(sys.argv[1])
