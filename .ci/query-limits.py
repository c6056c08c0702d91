#!/usr/bin/env python3
"""The red team's query cases, each under a memory ceiling: every one must end in an answer or
an error (exit 0 or 1, never a crash or an out-of-memory kill) and hold at most its memory limit
beyond the loaded graph.

    .ci/query-limits.py BINARY [FACTS]     # FACTS of the generated graph, 1000000 unless given

Each case runs with `--memory-limit 64MB` under an address-space ceiling (`ulimit -v`) of the
graph's own peak, the limit and 256 MB for the allocator's and threads' reservations; then its
peak resident memory, from the kernel, must exceed the graph's by at most the limit.

Errors that repeat a whole long line (a name of 50 MB) are left to the diagnostics' own checks.
"""

import os
import resource
import shutil
import subprocess
import sys
import tempfile

LIMIT_MB = 64
HEADROOM_MB = 256


def run(args, ceiling_kb=None):
    """(exit code, peak resident KB, stdout + stderr) of one process."""
    def limit():
        if ceiling_kb:
            resource.setrlimit(resource.RLIMIT_AS, (ceiling_kb * 1024, ceiling_kb * 1024))

    with tempfile.TemporaryFile() as out:
        proc = subprocess.Popen(args, stdout=out, stderr=subprocess.STDOUT, preexec_fn=limit)
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        return proc.returncode, usage.ru_maxrss, out.read().decode("utf-8", "replace")


def unbound(n, count=True):
    body = ", ".join(f"?a{i} ?r{i} ?b{i}" for i in range(n))
    return f"match {body}" + (" count" if count else "")


def main():
    binary = sys.argv[1]
    facts = sys.argv[2] if len(sys.argv) > 2 else "1000000"
    work = tempfile.mkdtemp()
    generated = os.path.join(work, "generated.ron")
    subprocess.run([binary, "generate", "--facts", facts, "-o", generated], check=True,
                   stdout=subprocess.DEVNULL)
    star = "match " + ", ".join(f"?a ?r{i} ?b{i}" for i in range(6)) + " count"
    cases = [
        # (graph, what, query line, extra arguments, exit code, text the output must hold)
        ([], "20 unbound patterns, count", unbound(20), [], 0, "more than a count can hold"),
        ([], "50 unbound patterns, count", unbound(50), [], 0, "more than a count can hold"),
        ([], "a star of six patterns, count", star, [], 0, "memory limit of 64MB"),
        ([], "40,000 patterns", unbound(40_000), [], 1, "at most 1000 patterns"),
        ([], "'ISIS ' * 1000", "neighbors " + "ISIS " * 1000, [], 1, "unknown entity"),
        ([], "1000 unbound patterns, listed as text", unbound(1000, count=False), [], 0,
         "memory limit of 64MB"),
        ([], "1000 unbound patterns, listed as JSON", unbound(1000, count=False),
         ["--format", "json"], 0, "memory limit of 64MB"),
        (["-g", generated], "two unbound patterns, count", unbound(2), [], 0, " distinct "),
        (["-g", generated], "two hops, count", "match ?a ?r ?b, ?b ?s ?c select ?a, ?c count",
         [], 0, "memory limit of 64MB"),
        (["-g", generated], "100 words of 'Actor '", "neighbors " + "Actor " * 100, [], 1,
         "unknown entity"),
    ]
    base = {}
    failed = 0
    for graph, what, line, extra, want, text in cases:
        key = tuple(graph)
        if key not in base:
            # The first load of a large file writes its cache; the second is the one cases match.
            run([binary, *graph, "query", "stats"])
            base[key] = run([binary, *graph, "query", "stats"])[1]
        script = os.path.join(work, "case.kgq")
        with open(script, "w") as f:
            f.write(line + "\n")
        ceiling = base[key] + (LIMIT_MB + HEADROOM_MB) * 1024
        code, peak, output = run(
            [binary, *graph, "run", "--memory-limit", f"{LIMIT_MB}MB", *extra, script], ceiling)
        used_mb = (peak - base[key]) / 1024
        ok = code == want and text in output and used_mb <= LIMIT_MB
        print(f"{'ok' if ok else 'FAILED'} {what}: exit {code}, {used_mb:.1f} MB beyond the "
              f"graph ({base[key] // 1024} MB), limit {LIMIT_MB} MB")
        if not ok:
            print(output[-800:], file=sys.stderr)
            failed += 1
    shutil.rmtree(work, ignore_errors=True)
    print(f"query-limits: {len(cases) - failed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
