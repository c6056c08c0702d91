"""How long `factgraph run` takes to stop after SIGINT, measured from outside the process.

    python3 benches/interrupt_latency.py FACTGRAPH GRAPH.ron SCRIPT.kgq [RUNS] [DELAY_S]

Starts `FACTGRAPH -g GRAPH.ron run SCRIPT.kgq`, sends SIGINT after DELAY_S seconds (default 1.5:
after the load, during the script's long query), and prints, per run, when the cancellation
appeared on stderr and when the process exited, in milliseconds after the signal; then the median
and the maximum. The script must still be running at DELAY_S, or the run is reported as too short.
"""

import os
import select
import signal
import statistics
import subprocess
import sys
import time


def one_run(binary, graph, script, delay):
    proc = subprocess.Popen(
        [binary, "-g", graph, "run", script],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    time.sleep(delay)
    if proc.poll() is not None:
        sys.exit(f"the script finished before {delay} s; give it a longer query")
    sent = time.monotonic()
    proc.send_signal(signal.SIGINT)
    cancelled = None
    fd = proc.stderr.fileno()
    while True:
        ready, _, _ = select.select([fd], [], [], 10)
        if not ready:
            break
        chunk = os.read(fd, 4096)
        if not chunk:
            break
        if cancelled is None and b"query cancelled" in chunk:
            cancelled = (time.monotonic() - sent) * 1000
    code = proc.wait()
    exited = (time.monotonic() - sent) * 1000
    return cancelled, exited, code


def main():
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    binary, graph, script = sys.argv[1:4]
    runs = int(sys.argv[4]) if len(sys.argv) > 4 else 5
    delay = float(sys.argv[5]) if len(sys.argv) > 5 else 1.5
    exits = []
    for i in range(runs):
        cancelled, exited, code = one_run(binary, graph, script, delay)
        shown = "never" if cancelled is None else f"{cancelled:.1f} ms"
        print(f"run {i + 1}: cancelled after {shown}, exit {code} after {exited:.1f} ms")
        exits.append(exited)
    print(f"exit after SIGINT: median {statistics.median(exits):.1f} ms, max {max(exits):.1f} ms")


if __name__ == "__main__":
    main()
