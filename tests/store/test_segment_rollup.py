"""The day-segment rollup on both backends: after every kind of write it holds the hourly
rollup's counts added up per segment (and the hourly rollup a recount of the mentions); the
migration builds it from the stored hours, and goes down to the hourly triggers and back."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from alembic import command
from sqlalchemy import Connection, text, update
from tests.store.test_rollup_statement import T0, backfill, fill

from pantau.store import Database, Mention
from pantau.store.segments import segment_floor

BEFORE = "0010_daily3_mention_symbols"
Counts = dict[tuple[Any, ...], int]


def _naive(value: Any) -> datetime:
    if isinstance(value, str):  # SQLite's raw text
        value = datetime.fromisoformat(value)
    assert isinstance(value, datetime)
    return value.replace(tzinfo=None)


def _table(conn: Connection, table: str) -> Counts:
    rows = conn.execute(text(f"SELECT * FROM {table} WHERE n <> 0")).mappings()
    return {
        (_naive(r["bucket"]), *(v for k, v in r.items() if k not in ("bucket", "n"))): r["n"]
        for r in rows
    }


def _by_segment(hourly: Counts) -> Counts:
    """The hourly counts added up per segment, in Python."""
    out: Counter[tuple[Any, ...]] = Counter()
    for (bucket, *rest), n in hourly.items():
        out[(segment_floor(bucket), *rest)] += n
    return {k: n for k, n in out.items() if n}


def _check(db: Database) -> None:
    """Both rollups are exact: the hours are a recount of the mentions, the segments their sum
    (the fill's hours, 7 apart, fall in all three segments of a day)."""
    with db.engine.connect() as conn:
        hourly, segments = _table(conn, "mention_rollup"), _table(conn, "mention_segments")
        conn.execute(text("DELETE FROM mention_rollup"))
        for sql in backfill(db.engine.dialect.name):
            conn.execute(text(sql))
        recounted = _table(conn, "mention_rollup")
        conn.rollback()
    assert hourly == recounted and hourly
    assert segments == _by_segment(hourly)


def test_the_segments_follow_every_kind_of_write(store_url: str) -> None:
    db = Database(store_url)
    db.upgrade()
    fill(db, 150)
    _check(db)
    with db.writer() as s:  # a reanalyze batch or a re-clustering: many rows at once
        s.execute(
            update(Mention)
            .where(Mention.id % 3 == 0)
            .values(sentiment="positive", regions=[{"code": "64.74"}], issue_id=None, lang="id")
        )
        s.execute(update(Mention).where(Mention.id % 4 == 1).values(issue_id=2, noise="promo"))
    _check(db)
    with db.writer() as s:  # moves rows into other segments (and partitions), then deletes
        s.execute(
            update(Mention)
            .where(Mention.id % 5 == 1)
            .values(published_at=T0 - timedelta(days=40, hours=8, minutes=30))
        )
        s.execute(text("DELETE FROM mentions WHERE id % 7 = 2"))
    _check(db)
    with db.writer() as s:  # one at a time, as the live pipeline writes
        for k in range(8):
            s.add(
                Mention(
                    source_id=1,
                    external_id=f"baru{k}",
                    text="jalan rusak",
                    channel="news",
                    published_at=T0 + timedelta(hours=k * 3, minutes=59),
                    regions=["64.72"],
                    issue_id=3,
                )
            )
    _check(db)
    db.dispose()


def test_the_migration_counts_the_stored_hours_and_goes_down_and_back(store_url: str) -> None:
    db = Database(store_url)
    cfg = db.alembic_config()
    command.upgrade(cfg, BEFORE)
    fill(db, 90)
    command.upgrade(cfg, "head")
    _check(db)  # built from the hours counted before it existed

    command.downgrade(cfg, BEFORE)
    assert "mention_segments" not in sa.inspect(db.engine).get_table_names()
    with db.writer() as s:  # the hourly triggers alone count again
        s.execute(update(Mention).where(Mention.id % 2 == 0).values(sentiment="negative"))
    with db.engine.connect() as conn:
        hourly = _table(conn, "mention_rollup")
        conn.execute(text("DELETE FROM mention_rollup"))
        for sql in backfill(db.engine.dialect.name):
            conn.execute(text(sql))
        assert _table(conn, "mention_rollup") == hourly
        conn.rollback()

    command.upgrade(cfg, "head")
    with db.writer() as s:
        s.execute(update(Mention).where(Mention.id % 3 == 0).values(sentiment="neutral"))
    _check(db)
    db.dispose()
