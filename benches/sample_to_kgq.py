"""The peer-benchmark query sample (shared/data/README.md) as a `factgraph run` script, and a check
of the script's answers against the agreed ones.

    python sample_to_kgq.py script QUERIES.tsv [--neighbors] > SAMPLE.kgq
    factgraph -g DATA.ron run --format jsonl SAMPLE.kgq > ANSWERS.jsonl
    python sample_to_kgq.py check QUERIES.tsv ANSWERS.jsonl

`script` writes one statement per query, in the sample's order:
    neighbor X     match "X" ?r ?y count                             -> count
    path A B       path "A" to "B" max 20                            -> paths[0].length, or -1
    join R1 R2     match ?x R1 ?z, ?z R2 ?y select ?x, ?y count      -> count
A neighbour query is the number of out-edges (relation, tail) of X, self-loops included; imported
triples are distinct, so that is the number of distinct (?r, ?y). With `--neighbors` it is written
`neighbors "X" out` instead (-> len(results) at depth 1), which lists a self-loop once, so it gives
the same answers.
`check` reads the jsonl output (one object per statement, in order) and exits 1, naming the first
few, if any answer differs from the agreed one, if an answer is missing or extra, or if an answer
was cut short by a limit (`truncated`). It prints `answers=ok N` otherwise.
"""

import json
import sys

# WN18RR has shortest paths of up to 11 hops and the default `max` is 12: say it explicitly.
PATH_MAX = 20


def read_queries(path):
    out = []
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if line.startswith("#") or not line.strip():
                continue
            kind, a, b, expected = line.rstrip("\n").split("\t")
            if expected == "?":
                sys.exit(f"{path}:{n}: no agreed answer for {kind} {a} {b}")
            out.append((kind, a, b, int(expected)))
    return out


def quote(name):
    return '"' + name.replace("\\", "\\\\").replace('"', '\\"') + '"'


def relation(name):
    # A relation is one bare word of the query language: no blanks, `,`, `"` or `#`, and not a
    # `?var` or a `^inverse`. Refuse anything else rather than write a query that means another.
    if not name or name[0] in "?^" or any(c.isspace() or c in ',"#' for c in name):
        sys.exit(f"relation `{name}` is not a bare word of the query language")
    return name


def statement(kind, a, b, neighbors_form=False):
    if kind == "neighbor":
        if neighbors_form:
            return f"neighbors {quote(a)} out"
        return f"match {quote(a)} ?r ?y count"
    if kind == "path":
        return f"path {quote(a)} to {quote(b)} max {PATH_MAX}"
    if kind == "join":
        return f"match ?x {relation(a)} ?z, ?z {relation(b)} ?y select ?x, ?y count"
    sys.exit(f"unknown query kind `{kind}`")


def answer(kind, obj):
    """The number an answer object gives for a query of `kind`."""
    if obj.get("truncated"):
        raise ValueError("truncated: " + str(obj.get("note", "a limit cut the answer")))
    if kind == "neighbor" and obj["command"] == "neighbors":
        return sum(1 for r in obj["results"] if r["depth"] == 1 and r["direction"] == "out")
    if kind == "path":
        return obj["paths"][0]["length"] if obj["paths"] else -1
    return obj["count"]


def check(queries_path, answers_path):
    queries = read_queries(queries_path)
    with open(answers_path, encoding="utf-8") as f:
        answers = [line for line in f if line.strip()]
    wrong = []
    if len(answers) != len(queries):
        wrong.append(f"{len(answers)} answers for {len(queries)} queries")
    for i, ((kind, a, b, expected), line) in enumerate(zip(queries, answers), 1):
        want = {"neighbor": ("match", "neighbors"), "path": ("path",), "join": ("match",)}[kind]
        try:
            obj = json.loads(line)
            if obj.get("command") not in want:
                raise ValueError(f"a `{obj.get('command')}` answer")
            got = answer(kind, obj)
        except (ValueError, KeyError, IndexError, TypeError) as e:
            wrong.append(f"query {i} ({kind} {a} {b}): unreadable answer: {e}")
            continue
        if got != expected:
            wrong.append(f"query {i} ({kind} {a} {b}): {got}, expected {expected}")
    if wrong:
        for w in wrong[:10]:
            print(f"factgraph run: wrong answer: {w}", file=sys.stderr)
        if len(wrong) > 10:
            print(f"... and {len(wrong) - 10} more", file=sys.stderr)
        sys.exit(1)
    print(f"answers=ok {len(queries)}")


def main():
    args = sys.argv[1:]
    if args[:1] == ["script"] and len(args) in (2, 3) and args[2:] in ([], ["--neighbors"]):
        for kind, a, b, _ in read_queries(args[1]):
            print(statement(kind, a, b, neighbors_form=len(args) == 3))
    elif args[:1] == ["check"] and len(args) == 3:
        check(args[1], args[2])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
