"""The peer-benchmark query sample (shared/data/README.md) as a `factgraph run` script, and a check
of the script's answers against the agreed ones.

    python sample_to_kgq.py take QUERIES.tsv neighbor=200 path=200 > SAMPLE.tsv
    python sample_to_kgq.py script SAMPLE.tsv > SAMPLE.kgq
    factgraph -g DATA.ron run --timing --format jsonl SAMPLE.kgq > ANSWERS.jsonl
    python sample_to_kgq.py check SAMPLE.tsv ANSWERS.jsonl

`take` keeps the first N queries of each kind named, in the sample's order, and drops the kinds
not named: the sample is random already, so its first queries are a random subset.
`script` writes one statement per query, in the sample's order, as a user would type it:
    neighbor X     neighbors "X" out                                 -> depth-1 out results
    path A B       path "A" to "B" max 20                            -> paths[0].length, or -1
    join R1 R2     match ?x R1 ?z, ?z R2 ?y select ?x, ?y count      -> count
A neighbour query is the number of out-edges (relation, tail) of X; imported triples are distinct,
so that is the number of depth-1 results (a self-loop is listed once, as one out-edge).
`check` reads the jsonl output (one object per statement, in order) and exits 1, naming the first
few, if any answer differs from the agreed one, if an answer is missing or extra, or if an answer
was cut short by a limit (`truncated`). Otherwise it prints queries=N, then, if the answers carry
`elapsed_us` (`--timing`), KIND_us=.. (median per query) and KIND_mean_us=.. for each kind, in the
format of benches/peers.py, then answers=ok.
"""

import json
import statistics
import sys

# WN18RR has shortest paths of up to 11 hops and the default `max` is 12: say it explicitly.
PATH_MAX = 20


def read_lines(path):
    """The sample's query lines as (line, kind, a, b, expected)."""
    out = []
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if line.startswith("#") or not line.strip():
                continue
            kind, a, b, expected = line.rstrip("\n").split("\t")
            if expected == "?":
                sys.exit(f"{path}:{n}: no agreed answer for {kind} {a} {b}")
            out.append((line, kind, a, b, int(expected)))
    return out


def read_queries(path):
    return [q[1:] for q in read_lines(path)]


def take(path, counts):
    left = {}
    for c in counts:
        kind, _, n = c.partition("=")
        if not n.isdigit():
            sys.exit(f"expected KIND=N, found `{c}`")
        left[kind] = int(n)
    for line, kind, *_ in read_lines(path):
        if left.get(kind, 0) > 0:
            left[kind] -= 1
            sys.stdout.write(line)
    short = {k: n for k, n in left.items() if n > 0}
    if short:
        sys.exit(f"{path}: too few queries: {short} more wanted")


def quote(name):
    return '"' + name.replace("\\", "\\\\").replace('"', '\\"') + '"'


def relation(name):
    # A relation is one bare word of the query language: no blanks, `,`, `"` or `#`, and not a
    # `?var` or a `^inverse`. Refuse anything else rather than write a query that means another.
    if not name or name[0] in "?^" or any(c.isspace() or c in ',"#' for c in name):
        sys.exit(f"relation `{name}` is not a bare word of the query language")
    return name


def statement(kind, a, b):
    if kind == "neighbor":
        return f"neighbors {quote(a)} out"
    if kind == "path":
        return f"path {quote(a)} to {quote(b)} max {PATH_MAX}"
    if kind == "join":
        return f"match ?x {relation(a)} ?z, ?z {relation(b)} ?y select ?x, ?y count"
    sys.exit(f"unknown query kind `{kind}`")


def answer(kind, obj):
    """The number an answer object gives for a query of `kind`."""
    if obj.get("truncated"):
        raise ValueError("truncated: " + str(obj.get("note", "a limit cut the answer")))
    if kind == "neighbor":
        return sum(1 for r in obj["results"] if r["depth"] == 1 and r["direction"] == "out")
    if kind == "path":
        return obj["paths"][0]["length"] if obj["paths"] else -1
    return obj["count"]


def check(queries_path, answers_path):
    queries = read_queries(queries_path)
    with open(answers_path, encoding="utf-8") as f:
        answers = [line for line in f if line.strip()]
    wrong = []
    times = {}
    if len(answers) != len(queries):
        wrong.append(f"{len(answers)} answers for {len(queries)} queries")
    for i, ((kind, a, b, expected), line) in enumerate(zip(queries, answers), 1):
        want = {"neighbor": "neighbors", "path": "path", "join": "match"}[kind]
        try:
            obj = json.loads(line)
            if obj.get("command") != want:
                raise ValueError(f"a `{obj.get('command')}` answer")
            got = answer(kind, obj)
        except (ValueError, KeyError, IndexError, TypeError) as e:
            wrong.append(f"query {i} ({kind} {a} {b}): unreadable answer: {e}")
            continue
        if got != expected:
            wrong.append(f"query {i} ({kind} {a} {b}): {got}, expected {expected}")
        if "elapsed_us" in obj:
            times.setdefault(kind, []).append(float(obj["elapsed_us"]))
    if wrong:
        for w in wrong[:10]:
            print(f"factgraph run: wrong answer: {w}", file=sys.stderr)
        if len(wrong) > 10:
            print(f"... and {len(wrong) - 10} more", file=sys.stderr)
        sys.exit(1)
    figures = "".join(
        f" {kind}_us={statistics.median(v):.3f} {kind}_mean_us={statistics.fmean(v):.3f}"
        for kind, v in times.items()
    )
    print(f"queries={len(queries)}{figures} answers=ok")


def main():
    args = sys.argv[1:]
    if args[:1] == ["take"] and len(args) >= 3:
        take(args[1], args[2:])
    elif args[:1] == ["script"] and len(args) == 2:
        for kind, a, b, _ in read_queries(args[1]):
            print(statement(kind, a, b))
    elif args[:1] == ["check"] and len(args) == 3:
        check(args[1], args[2])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
