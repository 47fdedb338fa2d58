"""Scale: the PostgreSQL write path of ``pantau reanalyze`` alone, old against new, 1 and 2 writers.

``benchmarks/scale_reanalyze.py`` times whole jobs, where the text stage's CPU dominates on a
shared 2-core box. This one times only what a job writes: batches of 500 mentions whose
language, sentiment and places change, written

- the old way: one ``UPDATE ... WHERE id = ?`` per mention, the rollup kept by the row trigger
  of ``0010_tenants_rollup`` (the store downgraded to ``0009_scalepg_mention_partitions``);
- the new way: :func:`pantau.scale.reanalyze.write_postgresql`, one statement per batch, the
  rollup kept by the statement trigger of ``0010_scale3_rollup_per_statement``;

each by one writer and by two writers on disjoint halves of the batches at once (threads, each
its own connection: what several reanalyze writers would do). After every run the rollup is
checked against a recount, so a fast wrong path cannot win.

Usage: ``.venv/bin/python benchmarks/scale_write_path.py [--mentions N]``; writes
``benchmarks/results/scale_write_path.md``.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from alembic import command
from sqlalchemy import select, text, update

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.scale_reanalyze import make_store  # noqa: E402
from tests.store.test_rollup_statement import _recount, _rollup  # noqa: E402

from pantau.scale.reanalyze import write_postgresql  # noqa: E402
from pantau.store import Database, Mention  # noqa: E402

OUT = ROOT / "benchmarks" / "results" / "scale_write_path.md"
BATCH = 500
#: What a new model might say instead, cycled per run so every write changes every row.
SENTIMENTS = ("negative", "neutral", "positive")
PLACES = (["64.72.01"], [{"code": "64.71"}], ["64.74", "64.72"])


def batches(db: Database, run: int) -> list[tuple[list[dict[str, Any]], dict[int, Any]]]:
    """The store's mentions as batches of changed rows (and their dates), new values per run."""
    with db.session() as s:
        rows = s.execute(select(Mention.id, Mention.published_at).order_by(Mention.id)).all()
    out = []
    for k in range(0, len(rows), BATCH):
        part = rows[k : k + BATCH]
        changed = [
            {
                "id": r.id,
                "lang": "id",
                "sentiment": SENTIMENTS[(r.id + run) % 3],
                "sentiment_score": 0.5,
                "regions": PLACES[(r.id + run) % 3],
                "watch": [],
            }
            for r in part
        ]
        out.append((changed, {r.id: r.published_at for r in part}))
    return out


def write_old(db: Database, work: list[tuple[list[dict[str, Any]], dict[int, Any]]]) -> None:
    for rows, _published in work:
        with db.writer() as s:
            s.execute(update(Mention), rows)


def write_new(db: Database, work: list[tuple[list[dict[str, Any]], dict[int, Any]]]) -> None:
    for rows, published in work:
        with db.writer() as s:
            write_postgresql(s, rows, published)


def timed(db: Database, writer: Any, work: list[Any], writers: int) -> float:
    """Seconds for ``writers`` threads to write ``work`` split in ``writers`` disjoint parts."""
    failures: list[BaseException] = []

    def one(part: list[Any]) -> None:
        try:
            writer(db, part)
        except Exception as exc:  # a deadlock, say: the run does not count
            failures.append(exc)

    threads = [threading.Thread(target=one, args=(work[n::writers],)) for n in range(writers)]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    seconds = time.perf_counter() - start
    if failures:
        raise RuntimeError(f"{writer.__name__} with {writers} writer(s) failed: {failures[0]}")
    if _rollup(db) != _recount(db):
        raise RuntimeError(f"{writer.__name__} with {writers} writer(s) left a wrong rollup")
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--mentions", type=int, default=20_000)
    args = parser.parse_args()
    from tests.support.pgserver import PostgresServer

    server = PostgresServer()
    results: list[tuple[str, int, float]] = []
    try:
        with tempfile.TemporaryDirectory() as tmp:
            db = make_store(Path(tmp), args.mentions, server.start())
            with db.engine.connect() as conn:
                total = int(conn.scalar(text("SELECT count(*) FROM mentions")) or 0)
            cfg = db.alembic_config()
            run = 0
            for name, writer, revision in (
                ("per row (row trigger)", write_old, "0009_scalepg_mention_partitions"),
                ("per batch (statement trigger)", write_new, "head"),
            ):
                if revision == "head":
                    command.upgrade(cfg, "head")
                else:
                    command.downgrade(cfg, revision)
                for writers in (1, 2):
                    run += 1
                    work = batches(db, run)
                    results.append((name, writers, timed(db, writer, work, writers)))
            db.dispose()
    finally:
        server.stop()
    rate = {(name, w): total / s for name, w, s in results}
    lines = [
        "# Scale: reanalyze's PostgreSQL write path",
        "",
        f"Machine: {platform.machine()}, {os.cpu_count()} CPU cores (shared with other work while "
        f"measured); {total:,} mentions in batches of {BATCH}, every row changed by every run; "
        "the rollup checked against a recount after each run.",
        f"Command: `python benchmarks/scale_write_path.py {' '.join(sys.argv[1:])}`",
        "",
        "| write path | writers | seconds | mentions/s |",
        "|---|---:|---:|---:|",
        *(f"| {n} | {w} | {s:.1f} | {total / s:,.0f} |" for n, w, s in results),
        "",
        *(
            f"- {n}: 2 writers / 1 writer **{rate[(n, 2)] / rate[(n, 1)]:.2f}x**"
            for n in dict.fromkeys(n for n, _, _ in results)
        ),
        "",
    ]
    OUT.write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
