"""Flow: the live pipeline's write of an analyzed batch, per mention against per batch.

The pipeline changes about fifteen columns of every mention of a batch (language, sentiment,
places, duplicate link, noise, tenant, watchlist hits, issue, ...). It wrote them through the
ORM: one ``UPDATE`` per mention, each firing the hourly rollup's statement trigger on
PostgreSQL and probing every month's partition for its id. It now writes a batch in one
statement (:func:`pantau.flow.writes.write_mentions`). This times only that write, both ways,
on the same store in the same run, alternately (per mention, per batch, per mention, per batch,
so the load of a shared box falls on both): batches of 500 mentions loaded as the pipeline loads
them, every row changed by every run. On PostgreSQL the rollup is checked against a recount
after each run, so a fast wrong path cannot win.

Usage: ``.venv/bin/python benchmarks/flow_write_path.py [--mentions N] [--rounds R]``; writes
``benchmarks/results/flow_write_path.md``.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import tempfile
from pathlib import Path
from typing import Any

from sqlalchemy import select

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.alternating import alternate, timed  # noqa: E402
from benchmarks.scale_reanalyze import make_store  # noqa: E402
from tests.store.test_rollup_statement import _recount, _rollup  # noqa: E402

from pantau.flow.pipeline import BATCH_SIZE  # noqa: E402
from pantau.flow.writes import analyzed_columns, write_mentions  # noqa: E402
from pantau.records import Enrichment  # noqa: E402
from pantau.store import Database, Mention  # noqa: E402
from pantau.store.types import utcnow  # noqa: E402

OUT = ROOT / "benchmarks" / "results" / "flow_write_path.md"
#: What an analysis might say, cycled per run so every write changes every row.
SENTIMENTS = ("negative", "neutral", "positive")
PLACES = (["64.72.01"], ["64.71"], ["64.74", "64.72"])
TENANTS = ("64", "63", None)


def values(m: Mention, run: int) -> dict[str, Any]:
    """The columns the pipeline writes for ``m``: :func:`analyzed_columns` of an analysis that
    differs from the last run's, so the benchmark writes exactly what ``Pipeline.run_batch``
    writes (its id included)."""
    k = (m.id + run) % 3
    analysis = Enrichment(
        m.id,
        "id",
        SENTIMENTS[k],
        0.5 + k / 10,
        regions=[{"code": code, "name": code} for code in PLACES[k]],
        coordinated="g1" if k == 1 else None,
        noise="judi" if k == 2 else None,
    )
    return analyzed_columns(m, analysis, TENANTS[k], [], waits=k == 0, now=utcnow())


def write_per_mention(db: Database, ids: list[list[int]], run: int) -> None:
    """The way the pipeline wrote: attributes set on the loaded rows, flushed by the ORM."""
    for batch in ids:
        with db.writer() as s:
            for m in s.scalars(select(Mention).where(Mention.id.in_(batch))):
                for name, value in values(m, run).items():
                    if name != "id":
                        setattr(m, name, value)


def write_per_batch(db: Database, ids: list[list[int]], run: int) -> None:
    """The way it writes now: the same rows loaded, their new columns in one statement."""
    for batch in ids:
        with db.writer() as s:
            rows = s.scalars(select(Mention).where(Mention.id.in_(batch))).all()
            write_mentions(s, [values(m, run) for m in rows], {m.id: m.published_at for m in rows})


def measure(db: Database, rounds: int) -> dict[str, list[float]]:
    """Seconds of each run of each way; every run changes every row (``values`` of its number)."""
    with db.session() as s:
        every = list(s.scalars(select(Mention.id).order_by(Mention.id)))
    ids = [every[k : k + BATCH_SIZE] for k in range(0, len(every), BATCH_SIZE)]

    def check(name: str) -> None:
        if db.dialect == "postgresql" and _rollup(db) != _recount(db):
            raise RuntimeError(f"{name} left a wrong rollup")

    return alternate(
        {
            "per mention": lambda r: timed(lambda: write_per_mention(db, ids, r.number)),
            "per batch": lambda r: timed(lambda: write_per_batch(db, ids, r.number)),
        },
        rounds,
        check=check,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--mentions", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    from tests.support.pgserver import PostgresServer

    server = PostgresServer()
    results: dict[str, dict[str, list[float]]] = {}
    totals: dict[str, int] = {}
    try:
        with tempfile.TemporaryDirectory() as tmp:
            for store, url in (("SQLite", None), ("PostgreSQL", server.start())):
                folder = Path(tmp) / store
                folder.mkdir()
                db = make_store(folder, args.mentions, url)
                with db.session() as s:
                    totals[store] = len(s.scalars(select(Mention.id)).all())
                results[store] = measure(db, args.rounds)
                db.dispose()
    finally:
        server.stop()
    lines = [
        "# Flow: the live pipeline's write of an analyzed batch",
        "",
        f"Machine: {platform.machine()}, {os.cpu_count()} CPU cores (shared with other work while "
        f"measured); batches of {BATCH_SIZE}, every row changed by every run, the two ways "
        "alternating; on PostgreSQL (mentions partitioned by month) the rollup checked against a "
        "recount after each run.",
        f"Command: `python benchmarks/flow_write_path.py {' '.join(sys.argv[1:])}`",
        "",
        "| store | mentions | write | seconds per run | mentions/s |",
        "|---|---:|---|---|---:|",
    ]
    for store, runs in results.items():
        for name, seconds in runs.items():
            rate = totals[store] * len(seconds) / sum(seconds)
            shown = ", ".join(f"{sec:.1f}" for sec in seconds)
            lines.append(f"| {store} | {totals[store]:,} | {name} | {shown} | {rate:,.0f} |")
    lines.append("")
    for store, runs in results.items():
        old, new = sum(runs["per mention"]), sum(runs["per batch"])
        lines.append(f"- {store}: per batch / per mention **{old / new:.2f}x** the rate")
    lines.append("")
    OUT.write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
