"""Analysis: what the range-count triggers cost the live writer, with and without them.

Migration ``0015_anal5_range_counts`` adds triggers on ``mentions`` that count each author's
and each place's mentions per range of the analysis page. This times the two writes of the
live flow on the same store in the same run, with those triggers and without them,
alternately (with, without, with, without, so the load of a shared box falls on both): the
insert of a batch of new mentions, as
an import or a push request stores them, and the pipeline's write of the analyzed batch
(:func:`pantau.flow.writes.write_mentions`), which changes no counted column. Every range
counts every mention (their starts are moved before the oldest one), the triggers' worst case.
The counts are checked against a recount after each run with the triggers.

Usage: ``.venv/bin/python benchmarks/analysis_range_writes.py [--mentions N] [--rounds R]``;
writes ``benchmarks/results/analysis_range_writes.md``.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import platform
import sys
import tempfile
from datetime import datetime, timedelta
from pathlib import Path
from types import ModuleType

from sqlalchemy import delete, func, select, text

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.alternating import Run, alternate, timed  # noqa: E402
from benchmarks.flow_write_path import write_per_batch  # noqa: E402
from tests.scale.streams import generate, store  # noqa: E402

from pantau.flow.pipeline import BATCH_SIZE  # noqa: E402
from pantau.store import Database, Mention  # noqa: E402
from pantau.store.range_counts import slide  # noqa: E402
from pantau.store.reports_models import AuthorCount, RangeStart  # noqa: E402

OUT = ROOT / "benchmarks" / "results" / "analysis_range_writes.md"
MIGRATION = ROOT / "src/pantau/store/migrations/versions/0015_anal5_range_counts.py"


def _migration() -> ModuleType:
    spec = importlib.util.spec_from_file_location("anal5_ranges", MIGRATION)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def set_triggers(db: Database, on: bool) -> None:
    """Drop the author triggers, or create them again as the migration does."""
    m = _migration()
    with db.engine.begin() as conn:
        if db.dialect == "sqlite":
            for name, (event, body) in m._SQLITE_TRIGGERS.items():
                conn.execute(text(f"DROP TRIGGER IF EXISTS {name}"))
                if on:
                    conn.execute(
                        text(f"CREATE TRIGGER {name} {event} ON mentions BEGIN {body} END")
                    )
            return
        for name, event in m._PG_TRIGGERS.items():
            conn.execute(text(f"DROP TRIGGER IF EXISTS {name} ON mentions"))
            if on:
                conn.execute(
                    text(
                        f"CREATE TRIGGER {name} AFTER {event} "
                        "FOR EACH STATEMENT EXECUTE FUNCTION mention_ranges_statement()"
                    )
                )


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


def measure(db: Database, count: int, rounds: int) -> dict[bool, list[tuple[float, float]]]:
    """``(insert, analyzed write)`` seconds of each run, with the triggers (``True``) and
    without; the counts checked against a recount after each run with them."""
    with db.writer() as s:  # every range counts every mention
        oldest = s.scalar(select(func.min(Mention.published_at)))
        slide(s, oldest + timedelta(hours=24))

    def writes(on: bool, run: Run) -> tuple[float, float]:
        set_triggers(db, on)
        tag = f"r{run.round}{on}"
        rows = _rows(count, tag)
        inserted = timed(lambda: store(db, "bangkit", rows))
        with db.session() as s:
            ids = list(s.scalars(select(Mention.id).where(Mention.external_id.like(f"{tag}-%"))))
        batches = [ids[k : k + BATCH_SIZE] for k in range(0, len(ids), BATCH_SIZE)]
        analyzed = timed(lambda: write_per_batch(db, batches, run.round + 1))
        if not on:  # uncounted mentions out again, the counts stay the mentions'
            with db.writer() as s:
                s.execute(delete(Mention).where(Mention.id.in_(ids)))
        return inserted, analyzed

    def check(on: bool) -> None:
        if on and not _exact(db):
            raise RuntimeError("the author counts are not the mentions' after a write")

    runs = alternate(
        {True: lambda r: writes(True, r), False: lambda r: writes(False, r)}, rounds, check=check
    )
    set_triggers(db, True)
    return runs


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
            for name, url in (("SQLite", f"sqlite:///{tmp}/w.db"), ("PostgreSQL", server.start())):
                db = Database(url)
                db.upgrade()
                store(db, "bangkit", _rows(args.mentions, "base"))
                results[name] = measure(db, args.mentions, args.rounds)
                db.dispose()
    finally:
        server.stop()
    lines = [
        "# Analysis: the range-count triggers' cost to the live writer",
        "",
        f"Machine: {platform.machine()}, {os.cpu_count()} CPU cores (shared with other work while "
        f"measured); {args.mentions:,} mentions inserted in one transaction, then their analyzed "
        f"write in batches of {BATCH_SIZE}; with and without the triggers alternating, every "
        "range counting every mention.",
        f"Command: `python benchmarks/analysis_range_writes.py {' '.join(sys.argv[1:])}`",
        "",
        "| store | triggers | insert s per run | analyzed write s per run |",
        "|---|---|---|---|",
    ]
    for name, runs in results.items():
        for on, found in runs.items():
            ins = ", ".join(f"{i:.2f}" for i, _ in found)
            ana = ", ".join(f"{a:.2f}" for _, a in found)
            lines.append(f"| {name} | {'with' if on else 'without'} | {ins} | {ana} |")
    lines.append("")
    for name, runs in results.items():
        with_, without = (sum(i + a for i, a in runs[on]) for on in (True, False))
        lines.append(f"- {name}: with / without the triggers **{with_ / without:.2f}x** the time")
    lines.append("")
    OUT.write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
