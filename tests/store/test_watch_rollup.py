"""The watchlists' rollups on both backends: after every kind of write the hourly one is a
recount of the watched mentions and the segment one its sum per segment; the migration counts
the stored mentions and goes down and back."""

from __future__ import annotations

import importlib.util
from datetime import timedelta

import sqlalchemy as sa
from alembic import command
from sqlalchemy import text, update
from tests.store.test_rollup_statement import T0, fill
from tests.store.test_segment_rollup import _by_segment, _table

from pantau.store import Database, Mention
from pantau.store.search import WATCHED

VERSIONS = "src/pantau/store/migrations/versions/0014_agg4_watch_rollup.py"
BEFORE = "0013_agg4_mention_segments"
TABLES = ("mention_watch_rollup", "mention_watch_segments")


def _backfill(dialect: str) -> list[str]:
    spec = importlib.util.spec_from_file_location("watch_rollup", VERSIONS)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return list(module.backfill(dialect))


def _watch(db: Database) -> None:
    """Watch lists on most mentions: hits as the text stage writes them (one, two, one twice)
    or bare names, and none."""
    jalan = {"name": "jalan rusak", "terms": ["jalan", "rusak"]}
    lists = [[{"name": "banjir", "terms": ["banjir"]}], ["banjir", jalan], [jalan, jalan], []]
    with db.writer() as s:
        for k, names in enumerate(lists):
            s.execute(update(Mention).where(Mention.id % 4 == k).values(watch=names))


def _check(db: Database) -> None:
    with db.engine.connect() as conn:
        hourly, segments = (_table(conn, t) for t in TABLES)
        for t in TABLES:
            conn.execute(text(f"DELETE FROM {t}"))
        for sql in _backfill(db.engine.dialect.name):
            conn.execute(text(sql))
        recounted = _table(conn, TABLES[0]), _table(conn, TABLES[1])
        watched = conn.scalar(sa.select(sa.func.count()).select_from(Mention).where(WATCHED))
        conn.rollback()
    assert (hourly, segments) == recounted and hourly and watched
    assert segments == _by_segment(hourly)


def test_the_watch_rollups_follow_every_kind_of_write(store_url: str) -> None:
    db = Database(store_url)
    db.upgrade()
    fill(db, 120)
    _watch(db)
    _check(db)
    with db.writer() as s:
        s.execute(
            update(Mention)
            .where(Mention.id % 3 == 0)
            .values(sentiment="positive", regions=[{"code": "64.74"}], issue_id=None)
        )
        s.execute(update(Mention).where(Mention.id % 5 == 0).values(watch=["banjir"]))
        s.execute(update(Mention).where(Mention.id % 7 == 0).values(watch=[]))
    _check(db)
    with db.writer() as s:
        s.execute(
            update(Mention)
            .where(Mention.id % 5 == 1)
            .values(published_at=T0 - timedelta(days=40, hours=8, minutes=30))
        )
        s.execute(text("DELETE FROM mentions WHERE id % 7 = 2"))
    _check(db)
    db.dispose()


def test_the_migration_counts_the_watched_mentions_and_goes_down_and_back(
    store_url: str,
) -> None:
    db = Database(store_url)
    cfg = db.alembic_config()
    command.upgrade(cfg, BEFORE)
    fill(db, 80)
    _watch(db)
    command.upgrade(cfg, "head")
    _check(db)
    command.downgrade(cfg, BEFORE)
    assert not set(TABLES) & set(sa.inspect(db.engine).get_table_names())
    with db.writer() as s:  # no trigger is left behind to write into a missing table
        s.execute(update(Mention).where(Mention.id % 2 == 0).values(watch=["banjir"]))
    command.upgrade(cfg, "head")
    _check(db)
    db.dispose()
