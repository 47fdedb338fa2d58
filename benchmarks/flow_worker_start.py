"""Flow: what a ``pantau run`` worker costs when another worker owns the text stage.

With several workers on PostgreSQL one of them runs the text stage and each clusters the
provinces it owns from the stored rows (``Pipeline.cluster_waiting``). Such a worker needs the
stored text normalized again, not the text stage's models (language, sentiment, regions, noise)
nor a near-duplicate index warmed with the store's newest mentions. This starts a fresh
interpreter per measurement, as a worker starts, on one SQLite store of generated mentions
(``tests/scale/streams.py``, all analyzed, the newest ``--waiting`` of them waiting for province
64's owner), and reports for two roles:

- ``cluster``: build the pipeline, then cluster one batch of the waiting mentions;
- ``text``: build the pipeline, then run the text stage on one batch (the takeover).

Seconds from the start of the interpreter to the pipeline built (imports included) and to the
batch done; RSS after the build and the peak (``VmHWM``). ``--tree LABEL=SRC`` runs the same
roles on another source tree (an older checkout's ``src``) in the same run, alternately.

Usage: ``.venv/bin/python benchmarks/flow_worker_start.py [--mentions N] [--rounds R]
[--tree before=/tmp/old/src]``; writes ``benchmarks/results/flow_worker_start.md``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import tempfile
import time
from pathlib import Path
from statistics import median
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "benchmarks" / "results" / "flow_worker_start.md"
ROLES = ("cluster", "text")
#: Mentions per measured batch: the pipeline's own micro-batch.
BATCH = 500


def _memory() -> dict[str, float]:
    """This process's resident set now and at its peak, in MiB (Linux ``/proc``)."""
    fields = {}
    for line in Path("/proc/self/status").read_text().splitlines():
        name, _, value = line.partition(":")
        if name in ("VmRSS", "VmHWM"):
            fields[name] = int(value.split()[0]) / 1024
    return fields


def child(url: str, role: str, started: float) -> dict[str, Any]:
    """One worker's start and first batch in this fresh interpreter."""
    from pantau.flow.pipeline import Pipeline, PipelineResult
    from pantau.settings import get_settings
    from pantau.store import Database

    settings = get_settings().replace(database_url=url, province="64")
    db = Database(url)
    pipeline = Pipeline(db, settings)
    built = time.time() - started
    rss_built = _memory()["VmRSS"]
    result = PipelineResult()
    if role == "cluster":
        done = pipeline.cluster_waiting("64", BATCH, result)
    else:
        done = pipeline.run_batch(BATCH, result)
    return {
        "built_s": built,
        "batch_s": time.time() - started - built,
        "rss_built": rss_built,
        "peak": _memory()["VmHWM"],
        "done": done,
    }


def make_store(folder: Path, mentions: int, waiting: int) -> str:
    """Every mention analyzed; the newest ``waiting`` placed in province 64 and waiting for its
    owner; ``BATCH`` more not analyzed yet, for the text stage."""
    sys.path.insert(0, str(ROOT))
    from benchmarks.scale_reanalyze import make_store as analyzed_store
    from sqlalchemy import select, update

    from pantau.store import Mention

    db = analyzed_store(folder, mentions + BATCH)
    with db.writer() as s:
        ids = list(s.scalars(select(Mention.id).order_by(Mention.id.desc())))
        fresh, queued = ids[:BATCH], ids[BATCH : BATCH + waiting]
        s.execute(update(Mention).where(Mention.id.in_(fresh)).values(analyzed_at=None))
        s.execute(
            update(Mention).where(Mention.id.in_(queued)).values(tenant="64", cluster_pending=True)
        )
    db.dispose()
    return f"sqlite:///{folder / 'scale.db'}"


def measure(url: str, tree: str, role: str, folder: Path) -> dict[str, Any]:
    """Run one role in a fresh interpreter on a copy of the store (each starts from the same)."""
    copy = folder / f"run-{role}.db"
    copy.write_bytes(Path(url.removeprefix("sqlite:///")).read_bytes())
    from benchmarks.alternating import in_tree

    child = [__file__, "--child", f"sqlite:///{copy}", role, repr(time.time())]
    return in_tree(tree, child, {"PANTAU_DATA_DIR": str(folder)})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--mentions", type=int, default=20_000)
    parser.add_argument("--waiting", type=int, default=BATCH)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--tree", action="append", default=[], help="LABEL=SRC, repeatable")
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        url, role, started = args.child
        print(json.dumps(child(url, role, float(started))))
        return
    sys.path.insert(0, str(ROOT))  # only here: a child imports nothing but the tree it measures
    from benchmarks.alternating import alternate

    trees = {"this tree": str(ROOT / "src")}
    trees.update(dict(t.split("=", 1) for t in args.tree))
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        url = make_store(folder, args.mentions, args.waiting)
        runs = alternate(
            {
                (label, role): lambda _r, tree=tree, role=role: measure(url, tree, role, folder)
                for label, tree in trees.items()
                for role in ROLES
            },
            args.rounds,
        )
    lines = [
        "# Flow: a worker's start when another worker owns the text stage",
        "",
        f"Machine: {platform.machine()}, {os.cpu_count()} CPU cores (shared with other work while "
        f"measured); SQLite store of {args.mentions:,} analyzed mentions, {args.waiting} waiting "
        f"for province 64's owner, {BATCH} not analyzed; a fresh interpreter per run, medians of "
        f"{args.rounds} runs.",
        f"Command: `python benchmarks/flow_worker_start.py {' '.join(sys.argv[1:])}`",
        "",
        "| tree | role | pipeline built (s) | first batch (s) | RSS built (MiB) | peak RSS (MiB) |",
        "|---|---|---:|---:|---:|---:|",
    ]
    for (label, role), found in runs.items():
        cells = [median(r[k] for r in found) for k in ("built_s", "batch_s", "rss_built", "peak")]
        lines.append(
            f"| {label} | {role} | {cells[0]:.2f} | {cells[1]:.2f} | {cells[2]:.0f} | "
            f"{cells[3]:.0f} |"
        )
    lines.append("")
    OUT.write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
