"""Analysis: what the range-count triggers cost the live writer, before and after a migration.

Migration ``0015_anal5_range_counts`` added triggers on ``mentions`` that count each author's
and each place's mentions per range of the analysis page; ``0016_pg7_range_tenants`` makes
them count the places per province and the authors per kab/kota and per province too. This
times the two writes of the live flow on two stores in the same run, one at each revision,
alternately (before, after, before, after, so the load of a shared box falls on both): the
insert of a batch of new mentions, as an import or a push request stores them, and the
pipeline's write of the analyzed batch (:func:`pantau.flow.writes.write_mentions`), which sets
each mention's places and province (counted columns). Every range counts every mention (their
starts are moved before the oldest one), the triggers' worst case. The author counts are
checked against a recount after each run (``tests/reports/test_analysis_ranges.py`` checks
every count).

Usage: ``.venv/bin/python benchmarks/analysis_range_writes.py [--mentions N] [--rounds R]``;
writes ``benchmarks/results/analysis_range_writes.md``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import tempfile
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from alembic import command
from sqlalchemy import func, select, update

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.alternating import Run, alternate, timed  # noqa: E402
from benchmarks.flow_write_path import write_per_batch  # noqa: E402
from tests.conftest import new_pg_database  # noqa: E402
from tests.scale.streams import generate, store  # noqa: E402

from pantau.flow.pipeline import BATCH_SIZE  # noqa: E402
from pantau.store import Database, Mention  # noqa: E402
from pantau.store.reports_models import AuthorCount, RangeStart  # noqa: E402

OUT = ROOT / "benchmarks" / "results" / "analysis_range_writes.md"
#: The revisions compared: the national range counts only, then per province and kab/kota.
BEFORE, AFTER = "0015_anal5_range_counts", "0016_pg7_range_tenants"
#: Every range's start, set while the store is empty: before any mention the streams write.
EPOCH = datetime(2000, 1, 1, tzinfo=UTC)


def _rows(count: int, tag: str) -> list[tuple[str, str, datetime, str]]:
    out = []
    for n, line in enumerate(generate(count, seed=len(tag))):
        try:
            record = json.loads(line)
        except json.JSONDecodeError:
            continue
        if "text" in record:
            when = datetime.fromisoformat(record["published_at"])
            out.append((f"{tag}-{n}", record["text"], when, record.get("author", "")))
    return out


def _exact(db: Database) -> bool:
    with db.session() as s:
        kept = {(h, a, n) for h, a, n in s.execute(select(AuthorCount.__table__)) if n}
        again = set()
        for hours, start in s.execute(select(RangeStart.hours, RangeStart.start)):
            rows = s.execute(
                select(Mention.author, func.count())
                .where(Mention.published_at >= start, Mention.author.is_not(None))
                .group_by(Mention.author)
            )
            again |= {(hours, a, n) for a, n in rows}
    return kept == again


def measure(
    dbs: dict[str, Database], count: int, rounds: int
) -> dict[str, list[tuple[float, float]]]:
    """``(insert, analyzed write)`` seconds of each run, by revision, the revisions alternating;
    the author counts checked against a recount after each run."""

    def writes(db: Database) -> Callable[[Run], tuple[float, float]]:
        def run(r: Run) -> tuple[float, float]:
            tag = f"r{r.round}"
            rows = _rows(count, tag)
            inserted = timed(lambda: store(db, "bangkit", rows))
            with db.session() as s:
                mine = select(Mention.id).where(Mention.external_id.like(f"{tag}-%"))
                ids = list(s.scalars(mine))
            batches = [ids[k : k + BATCH_SIZE] for k in range(0, len(ids), BATCH_SIZE)]
            analyzed = timed(lambda: write_per_batch(db, batches, r.round + 1))
            return inserted, analyzed

        return run

    def check(revision: str) -> None:
        if not _exact(dbs[revision]):
            raise RuntimeError(f"{revision}: the author counts are not the mentions'")

    return alternate({rev: writes(db) for rev, db in dbs.items()}, rounds, check=check)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--mentions", type=int, default=5_000)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    from tests.support.pgserver import PostgresServer

    server = PostgresServer()
    results = {}
    try:
        with tempfile.TemporaryDirectory() as tmp:
            pg = server.start()
            for name, urls in (
                ("SQLite", [f"sqlite:///{tmp}/{r}.db" for r in (BEFORE, AFTER)]),
                ("PostgreSQL", [new_pg_database(pg) for _ in (BEFORE, AFTER)]),
            ):
                dbs = {r: Database(url) for r, url in zip((BEFORE, AFTER), urls, strict=True)}
                for revision, db in dbs.items():
                    command.upgrade(db.alembic_config(), revision)
                    with db.engine.begin() as conn:  # every range counts every mention
                        conn.execute(update(RangeStart.__table__).values(start=EPOCH))
                    store(db, "bangkit", _rows(args.mentions, "base"))
                results[name] = measure(dbs, args.mentions, args.rounds)
                for db in dbs.values():
                    db.dispose()
    finally:
        server.stop()
    lines = [
        "# Analysis: the range-count triggers' cost to the live writer",
        "",
        f"Machine: {platform.machine()}, {os.cpu_count()} CPU cores (shared with other work while "
        f"measured); {args.mentions:,} mentions inserted in one transaction, then their analyzed "
        f"write in batches of {BATCH_SIZE}; a store at {BEFORE} and one at {AFTER} "
        "alternating, every range counting every mention.",
        f"Command: `python benchmarks/analysis_range_writes.py {' '.join(sys.argv[1:])}`",
        "",
        "| store | revision | insert s per run | analyzed write s per run |",
        "|---|---|---|---|",
    ]
    for name, runs in results.items():
        for revision in (BEFORE, AFTER):
            ins = ", ".join(f"{i:.2f}" for i, _ in runs[revision])
            ana = ", ".join(f"{a:.2f}" for _, a in runs[revision])
            lines.append(f"| {name} | {revision} | {ins} | {ana} |")
    lines.append("")
    for name, runs in results.items():
        after, before = (sum(i + a for i, a in runs[r]) for r in (AFTER, BEFORE))
        lines.append(f"- {name}: {AFTER} / {BEFORE} **{after / before:.2f}x** the time")
    lines.append("")
    OUT.write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
