"""The hourly rollup counted per statement on PostgreSQL: after every kind of write it equals a
recount of the mentions, and an UPDATE of no counted column writes no rollup row."""

from __future__ import annotations

import importlib.util
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from sqlalchemy import Connection, insert, text, update

from pantau.store import Database, Issue, Mention, Source

pytestmark = pytest.mark.postgres

VERSIONS = Path(__file__).parents[2] / "src/pantau/store/migrations/versions"
T0 = datetime(2026, 11, 20, 3, 0, tzinfo=UTC)
Counts = dict[tuple[Any, ...], int]


def backfill(dialect: str = "postgresql") -> list[str]:
    """The rollup's own recount (what ``0010_tenants_rollup`` runs on stored mentions)."""
    spec = importlib.util.spec_from_file_location("rollup", VERSIONS / "0010_tenants_rollup.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return list(module.backfill(dialect))


def _counts(conn: Connection) -> Counts:
    rows = conn.execute(text("SELECT * FROM mention_rollup WHERE n <> 0")).mappings()
    return {tuple(v for k, v in r.items() if k != "n"): r["n"] for r in rows}


def _recount(db: Database) -> Counts:
    """The rollup as the backfill counts the mentions now (in a transaction rolled back)."""
    with db.engine.connect() as conn:
        conn.execute(text("DELETE FROM mention_rollup"))
        for sql in backfill():
            conn.execute(text(sql))
        counted = _counts(conn)
        conn.rollback()
    return counted


def _rollup(db: Database) -> Counts:
    with db.engine.connect() as conn:
        return _counts(conn)


@pytest.fixture
def db(pg_db: Database) -> Database:
    return pg_db


def fill(db: Database, n: int) -> None:
    """``n`` mentions in ONE statement, over two months, places, issues and no date."""
    with db.writer() as s:
        s.add(Source(id=1, name="impor", kind="import", channel="social"))
        s.add_all(Issue(id=k, key=f"isu-{k}", label=f"isu {k}") for k in (1, 2, 3))
        s.flush()
        s.execute(
            insert(Mention),
            [
                {
                    "source_id": 1,
                    "external_id": f"m{k}",
                    "text": f"banjir rob {k}",
                    "channel": ("social", "news")[k % 2],
                    "published_at": None if k % 17 == 0 else T0 - timedelta(hours=k * 7),
                    "sentiment": ("negative", "neutral", None)[k % 3],
                    # two places in one kab/kota count it once there
                    "regions": [["64.72.01", "64.72.05"], [{"code": "64.71"}], []][k % 3],
                    "issue_id": k % 4 or None,
                    "tenant": "64" if k % 5 else None,
                }
                for k in range(n)
            ],
        )


def test_the_rollup_equals_a_recount_after_each_kind_of_write(db: Database) -> None:
    fill(db, 120)
    assert _rollup(db) == _recount(db) and _rollup(db)

    with db.writer() as s:  # what a reanalyze batch or a re-clustering does: many rows at once
        s.execute(
            update(Mention)
            .where(Mention.id % 3 == 0)
            .values(sentiment="positive", regions=[{"code": "64.74"}], issue_id=None, lang="id")
        )
    assert _rollup(db) == _recount(db)

    with db.writer() as s:  # moves rows across month partitions
        s.execute(
            text(
                "UPDATE mentions SET published_at = published_at - interval '40 days' "
                "WHERE id % 5 = 1"
            )
        )
        s.execute(text("DELETE FROM mentions WHERE id % 7 = 2"))
    assert _rollup(db) == _recount(db)


def test_an_update_of_no_counted_column_writes_no_rollup_row(db: Database) -> None:
    fill(db, 30)
    with db.engine.connect() as conn:
        before = conn.execute(text("SELECT xmin::text, * FROM mention_rollup ORDER BY 2, 3")).all()
    with db.writer() as s:
        s.execute(update(Mention).values(analyzed_at=T0, notes=["dibaca ulang"]))
    with db.engine.connect() as conn:
        after = conn.execute(text("SELECT xmin::text, * FROM mention_rollup ORDER BY 2, 3")).all()
    assert after == before  # the same row versions: nothing was rewritten


def test_the_migration_goes_down_to_row_triggers_and_back(db: Database) -> None:
    cfg = db.alembic_config()
    fill(db, 40)
    command.downgrade(cfg, "0009_scalepg_mention_partitions")
    with db.engine.connect() as conn:
        names = set(
            conn.scalars(
                text(
                    "SELECT tgname FROM pg_trigger WHERE tgrelid = 'mentions'::regclass "
                    "AND tgname LIKE 'mentions_rollup%'"
                )
            )
        )
    assert names == {"mentions_rollup"}
    with db.writer() as s:
        s.execute(update(Mention).where(Mention.id % 2 == 0).values(sentiment="positive"))
    assert _rollup(db) == _recount(db)  # the row trigger counts again
    command.upgrade(cfg, "head")
    with db.writer() as s:
        s.execute(update(Mention).where(Mention.id % 3 == 0).values(sentiment="negative"))
    assert _rollup(db) == _recount(db)
