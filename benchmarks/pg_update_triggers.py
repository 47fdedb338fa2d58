"""PostgreSQL: what the pre-aggregates' statement triggers cost an UPDATE of mentions, with and
without the guard that returns when no counted column changed (migration 0015_debt5).

One store of ``--mentions`` mentions (two months, places, issues, watchlist hits, written with
the triggers on), then ``UPDATE``s of ``--rows`` of them spread over the store, each its own
transaction: an uncounted column (``cluster_pending``, as the clustering clears it; ``notes``)
and a counted one (``sentiment``, as the precise tier rewrites it). The two function sets, as
their migrations define them and guarded, are installed in turn in the same run, alternately,
so the load of a shared box falls on both; after every run the hourly rollup is checked against
a recount, so a fast wrong path cannot win.

Usage: ``.venv/bin/python benchmarks/pg_update_triggers.py [--mentions N] [--rows R]
[--rounds K]``; writes ``benchmarks/results/pg_update_triggers.md``.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import platform
import sys
from datetime import date
from pathlib import Path
from statistics import median
from types import ModuleType

from sqlalchemy import text

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.alternating import alternate, timed  # noqa: E402
from tests.store.test_rollup_statement import _recount, _rollup  # noqa: E402
from tests.support.pgserver import PostgresServer  # noqa: E402

from pantau.store import Database, Issue, Source  # noqa: E402
from pantau.store.partitions import create_month  # noqa: E402

OUT = ROOT / "benchmarks" / "results" / "pg_update_triggers.md"
VERSIONS = ROOT / "src" / "pantau" / "store" / "migrations" / "versions"
#: Rows per INSERT statement of the fill (each fires the triggers once).
FILL_CHUNK = 20_000
#: The UPDATEs timed: what each sets on the chosen rows, and whether a trigger counts it.
UPDATES = {
    "cluster_pending": ("cluster_pending = CASE WHEN cluster_pending THEN NULL ELSE true END", 0),
    "notes": ("notes = json_build_array('dibaca ulang ' || id)", 0),
    "sentiment (counted)": (
        "sentiment = CASE sentiment WHEN 'negative' THEN 'neutral' ELSE 'negative' END",
        1,
    ),
}


def _guard_migration() -> ModuleType:
    path = VERSIONS / "0015_debt5_trigger_guard.py"
    spec = importlib.util.spec_from_file_location("guard", path)
    if spec is None or spec.loader is None:
        raise RuntimeError(f"{path} not found")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def fill(db: Database, mentions: int) -> None:
    """``mentions`` mentions over two months through the triggers, in chunks."""
    with db.writer() as s:
        s.add(Source(id=1, name="impor", kind="import", channel="social"))
        s.add_all(Issue(id=k, key=f"isu-{k}", label=f"isu {k}") for k in range(1, 51))
    with db.engine.begin() as conn:
        for month in (date(2026, 9, 1), date(2026, 10, 1), date(2026, 11, 1)):
            create_month(conn, month)
    for start in range(0, mentions, FILL_CHUNK):
        with db.engine.begin() as conn:
            conn.execute(
                text(
                    """INSERT INTO mentions (source_id, external_id, channel, text, published_at,
                        fetched_at, sentiment, lang, noise, regions, watch, extra, notes, likes,
                        shares, comments, views, coordinated, issue_id, tenant)
                    SELECT 1, 'b' || k, (ARRAY['social', 'news', 'complaint'])[1 + k % 3],
                        'banjir rob ' || k, TIMESTAMP '2026-11-30' - k * interval '51 seconds',
                        now(), (ARRAY['negative', 'neutral', 'positive'])[1 + k % 3], 'id', NULL,
                        json_build_array('64.' || (71 + k % 9) || '.0' || (1 + k % 5)),
                        CASE WHEN k % 4 = 0 THEN '["Uji/banjir"]'::json ELSE '[]'::json END,
                        '{}'::json, '[]'::json, 0, 0, 0, 0, false,
                        CASE WHEN k % 10 < 7 THEN 1 + k % 50 END, '64'
                    FROM generate_series(:start, :stop - 1) AS k"""
                ),
                {"start": start, "stop": min(mentions, start + FILL_CHUNK)},
            )


def install(db: Database, sql: list[str]) -> None:
    with db.engine.begin() as conn:
        for statement in sql:
            conn.execute(text(statement))


def timed_update(db: Database, assignment: str, every: int) -> float:
    """Seconds for one UPDATE of every ``every``-th mention, committed."""

    def update() -> None:
        with db.engine.begin() as conn:
            conn.execute(
                text(f"UPDATE mentions SET {assignment} WHERE id % :every = 0"), {"every": every}
            )

    return timed(update)


def updates(db: Database, sql: list[str], every: int) -> dict[str, float]:
    """Install one function set, then time each of :data:`UPDATES` under it."""
    install(db, sql)
    return {name: timed_update(db, assignment, every) for name, (assignment, _) in UPDATES.items()}


def check_rollup(db: Database, variant: str) -> None:
    if _rollup(db) != _recount(db):
        raise RuntimeError(f"{variant}: the hourly rollup differs from a recount")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--mentions", type=int, default=100_000)
    parser.add_argument("--rows", type=int, default=5_000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    guard = _guard_migration()
    variants = {"unguarded": guard.statements(guard=False), "guarded": guard.statements(guard=True)}
    every = max(1, args.mentions // args.rows)
    server = PostgresServer()
    try:
        db = Database(f"{server.start()}")
        db.upgrade()
        fill(db, args.mentions)
        with db.engine.begin() as conn:
            conn.execute(text("ANALYZE"))
            stored = int(conn.scalar(text("SELECT count(*) FROM mentions")) or 0)
            rows = int(
                conn.scalar(text(f"SELECT count(*) FROM mentions WHERE id % {every} = 0")) or 0
            )
        runs = alternate(
            {
                variant: lambda _r, sql=sql: updates(db, sql, every)
                for variant, sql in variants.items()
            },
            args.rounds,
            check=lambda variant: check_rollup(db, variant),
        )
        db.dispose()
    finally:
        server.stop()
    lines = [
        "# PostgreSQL: the pre-aggregates' triggers on an UPDATE of mentions",
        "",
        f"Machine: {platform.machine()}, {os.cpu_count()} CPU cores (shared with other work while "
        f"measured); {stored:,} mentions (partitioned by month), one UPDATE of {rows:,} of them "
        f"per run, medians of {args.rounds} runs, the two function sets alternating; the hourly "
        "rollup checked against a recount after each round.",
        f"Command: `python benchmarks/pg_update_triggers.py {' '.join(sys.argv[1:])}`",
        "",
        "| UPDATE of | unguarded (ms) | guarded (ms) | guarded / unguarded |",
        "|---|---:|---:|---:|",
    ]
    for name in UPDATES:
        old = median(run[name] for run in runs["unguarded"]) * 1000
        new = median(run[name] for run in runs["guarded"]) * 1000
        lines.append(f"| {name} | {old:.0f} | {new:.0f} | {new / old:.2f} |")
    lines.append("")
    OUT.write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
