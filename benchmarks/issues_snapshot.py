"""Issues: the tracker's snapshot, its size and what saving it with every batch costs.

The live pipeline saves each province's tracker with every batch of 500 mentions (one JSON value
in the store, :meth:`pantau.flow.trackers.ProvinceTrackers.save`), so the snapshot's size and
the CPU to build and encode it are paid once a batch, and they grow with the issues and the
documents the clusters keep for splitting. This replays the stream of
``benchmarks/issues_throughput.py`` (tweet-length Indonesian mentions, a new issue every five
minutes) in batches of 500 and after each one takes the snapshot and encodes it as the store
does. Reported: the last snapshot's size and its kept documents' part, the CPU per batch over
the run and over its last tenth (``time.process_time``, so the box's load does not enter), and
whether restoring the last snapshot gives the same bytes back. ``--tree LABEL=SRC`` runs the
same on another source tree (an older checkout's ``src``) in a fresh interpreter, alternately.

Usage: ``.venv/bin/python benchmarks/issues_snapshot.py [--mentions N] [--rounds R]
[--tree before=/tmp/old/src]``; writes ``benchmarks/results/issues_snapshot.md``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from pathlib import Path
from statistics import mean, median
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "benchmarks" / "results" / "issues_snapshot.md"
#: Mentions a batch, as the pipeline's micro-batch (``pantau.flow.pipeline.BATCH_SIZE``).
BATCH = 500


def child(mentions: int) -> dict[str, Any]:
    """The replay in this interpreter, on the ``pantau`` its ``PYTHONPATH`` names."""
    sys.path.append(str(ROOT))  # after the tree measured: only ``benchmarks`` comes from here
    from benchmarks.issues_throughput import stream

    from pantau.issues import IssueTracker
    from pantau.settings import Settings

    tracker = IssueTracker(Settings.from_env({}))
    batch: list[Any] = []
    costs: list[float] = []
    written = ""
    for m in stream(mentions):
        batch.append(m)
        if len(batch) == BATCH:
            tracker.process(batch)
            batch = []
            start = time.process_time()
            written = json.dumps(tracker.snapshot())
            costs.append(time.process_time() - start)
    clusters = json.loads(written)["clusterer"]["clusters"]
    kept = sum(len(json.dumps(c[-1])) for c in clusters if c[-1])
    again = json.dumps(IssueTracker.restore(json.loads(written), Settings.from_env({})).snapshot())
    return {
        "bytes": len(written),
        "kept": kept,
        "ms": 1000 * mean(costs),
        "ms_last": 1000 * mean(costs[-max(1, len(costs) // 10) :]),
        "exact": again == written,
    }


def measure(tree: str, mentions: int) -> dict[str, Any]:
    from benchmarks.alternating import in_tree

    return in_tree(tree, [__file__, "--child", str(mentions)])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--mentions", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--tree", action="append", default=[], help="LABEL=SRC, repeatable")
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child)))
        return
    sys.path.insert(0, str(ROOT))  # only here: a child imports nothing but the tree it measures
    from benchmarks.alternating import alternate

    trees = {"this tree": str(ROOT / "src")}
    trees.update(dict(t.split("=", 1) for t in args.tree))
    runs = alternate(
        {
            label: lambda _r, tree=tree: measure(tree, args.mentions)
            for label, tree in trees.items()
        },
        args.rounds,
    )
    lines = [
        "# Issues: the tracker's snapshot, saved with every batch",
        "",
        f"Machine: {platform.machine()}, {os.cpu_count()} CPU cores (shared with other work while "
        f"measured); the stream of issues_throughput.py, {args.mentions:,} mentions in batches of "
        f"{BATCH}, a snapshot taken and encoded as JSON after each; CPU time, medians of "
        f"{args.rounds} runs, a fresh interpreter each.",
        f"Command: `python benchmarks/issues_snapshot.py {' '.join(sys.argv[1:])}`",
        "",
        "| tree | snapshot (MB) | kept documents (MB) | ms a batch | ms a batch, last tenth "
        "| restore exact |",
        "|---|---:|---:|---:|---:|---|",
    ]
    for label, found in runs.items():
        cells = [median(r[k] for r in found) for k in ("bytes", "kept", "ms", "ms_last")]
        exact = "yes" if all(r["exact"] for r in found) else "NO"
        lines.append(
            f"| {label} | {cells[0] / 1e6:.2f} | {cells[1] / 1e6:.2f} | {cells[2]:.0f} | "
            f"{cells[3]:.0f} | {exact} |"
        )
    lines.append("")
    OUT.write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
