"""Turns compare.sh's results into tables of medians and the ratios against peers of the same run,
and one table of the performance issue's targets, each met or not.

    python summarize.py RESULTS.txt SIZES.txt

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
            if "peak_kb" in values:
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


def main(path, sizes_path):
    runs, order = read(path)
    med = {key: {k: statistics.median(v) for k, v in cols.items()} for key, cols in runs.items()}
    sizes = {}
    for line in open(sizes_path, encoding="utf-8"):
        name, value = line.split()
        sizes[name] = float(value.split("=", 1)[1])
    check_answers(runs)
    for dataset in dict.fromkeys(d for d, _ in order):
        if dataset not in ("wn18rr", "fb15k237"):
            continue
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


    scale_table(med, sizes)
    periods_table(med)
    targets_table(med, sizes)


def check_answers(runs):
    """Every tool gave the same answer to each generated graph's first query and each period
    question, in every round; otherwise no time is worth reporting."""
    answers = defaultdict(set)
    for (dataset, _), cols in runs.items():
        for k, values in cols.items():
            if k == "answer" or k.endswith("_answer"):
                answers[(dataset, k)].update(values)
    wrong = {k: sorted(v) for k, v in answers.items() if len(v) != 1}
    if wrong:
        sys.exit(f"answers differ between tools: {wrong}")


def scale_table(med, sizes):
    gens = sorted({d for d, _ in med if d.startswith("gen")}, key=lambda d: int(d[3:]))
    if not gens:
        return
    print("\ngenerated graphs (medians; COPY once per size; the first query `neighbors \"a1\" out`)\n")
    print("| facts | file MB | tool | load or COPY s | first answer, in-process ms | process s | peak MB |")
    print("|--:|--:|---|--:|--:|--:|--:|")
    for d in gens:
        for tool in ("kuzu-copy", "factgraph-cold", "kuzu-open", "factgraph-warm"):
            m = med.get((d, tool))
            if not m:
                continue
            load = m.get("copy_s", m.get("load_s"))
            cells = [f"{int(d[3:]):,}", f"{sizes.get(d, 0) / 1e6:,.0f}", tool,
                     f"{load:.3f}" if load is not None else "–",
                     f"{m['first_ms']:.1f}" if "first_ms" in m else "–",
                     f"{m['wall_s']:.2f}", f"{m['peak_mb']:.0f}"]
            print("| " + " | ".join(cells) + " |")


def periods_table(med):
    fg, duck = med.get(("icews18", "factgraph-warm")), med.get(("icews18", "duckdb"))
    if not fg or not duck:
        return
    print("\nICEWS18 period questions (µs per query, median over the asks after the first)\n")
    print("| question | answer | factgraph µs | DuckDB µs | ratio | first ask, factgraph / DuckDB µs |")
    print("|---|--:|--:|--:|--:|--:|")
    for name in PERIODS:
        print(f"| {name} | {fg[name + '_answer']:.0f} | {fg[name + '_us']:.0f} | {duck[name + '_us']:.0f} "
              f"| {fg[name + '_us'] / duck[name + '_us']:.3f}x "
              f"| {fg[name + '_first_us']:.0f} / {duck[name + '_first_us']:.0f} |")


PERIODS = ["week", "relation-month", "timeline-month"]


def targets_table(med, sizes):
    """The issue's targets: (measure, factgraph's figure, the peer's, ratio, target, met)."""
    rows = []

    def add(measure, ours, theirs, unit, limit, at_least=False):
        if ours is None or theirs is None:
            return
        ratio = ours / theirs
        met = ratio >= limit if at_least else ratio <= limit
        bound = ">=" if at_least else "<="
        rows.append((measure, f"{ours:.{3 if unit == 's' else 1}f} {unit}",
                     f"{theirs:.{3 if unit == 's' else 1}f} {unit}", f"{ratio:.3f}x",
                     f"{bound} {limit}x", "met" if met else "not met"))

    def get(dataset, tool, col):
        return med.get((dataset, tool), {}).get(col)

    add("neighbors X out, FB15k-237, per query (median) vs igraph",
        get("fb15k237", "factgraph-warm", "neighbor_us"), get("fb15k237", "igraph", "neighbor_us"), "µs", 0.1)
    for d, label in (("fb15k237", "FB15k-237"), ("wn18rr", "WN18RR")):
        add(f"path, {label}, per query (median) vs networkx",
            get(d, "factgraph-warm", "path_us"), get(d, "networkx", "path_us"), "µs", 0.1)
    for d, label in (("fb15k237", "FB15k-237"), ("wn18rr", "WN18RR")):
        add(f"whole run of the 400-query sample, {label}, warm, vs a networkx process",
            get(d, "factgraph-warm", "wall_s"), get(d, "networkx", "wall_s"), "s", 0.08)
    for d in sorted({d for d, _ in med if d.startswith("gen")}, key=lambda d: int(d[3:])):
        n = f"{int(d[3:]):,} facts"
        add(f"time to first answer, {n}, warm, whole process vs Kuzu reopening",
            get(d, "factgraph-warm", "wall_s"), get(d, "kuzu-open", "wall_s"), "s", 1.0)
        add(f"time to first answer, {n}, warm, in-process (load + query) vs Kuzu's open + query",
            ms_to_s(get(d, "factgraph-warm", "load_s"), get(d, "factgraph-warm", "first_ms")),
            ms_to_s(0, get(d, "kuzu-open", "first_ms")), "s", 1.0)
        add(f"peak memory, {n}, warm first answer vs Kuzu reopening",
            get(d, "factgraph-warm", "peak_mb"), get(d, "kuzu-open", "peak_mb"), "MB", 1.0)
        add(f"cold load (parse, validate, index), {n}, vs Kuzu COPY",
            get(d, "factgraph-cold", "load_s"), get(d, "kuzu-copy", "copy_s"), "s", 0.1)
        load, read = get(d, "factgraph-cold", "load_s"), get(d, "read-file", "read_mb_s")
        if load and read and d in sizes:
            add(f"parse throughput, {n}, vs reading the file from the page cache",
                sizes[d] / load / 1e6, read, "MB/s", 0.2, at_least=True)
    for name in PERIODS:
        add(f"ICEWS18 `{name}` period question, per query, vs DuckDB",
            get("icews18", "factgraph-warm", f"{name}_us"), get("icews18", "duckdb", f"{name}_us"), "µs", 0.5)
    print("\ntargets (ratios of figures from this run)\n")
    print("| measure | factgraph | peer | ratio | target | |")
    print("|---|--:|--:|--:|--:|---|")
    for row in rows:
        print("| " + " | ".join(row) + " |")
    met = sum(1 for r in rows if r[-1] == "met")
    print(f"\n{met} of {len(rows)} targets met.")


def ms_to_s(seconds, ms):
    if seconds is None or ms is None:
        return None
    return seconds + ms / 1000


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
