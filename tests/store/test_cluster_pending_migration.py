"""Migration 0013_owner4_cluster_pending on both backends (PostgreSQL's mentions partitioned by
month): the marker and its partial index come and go with the stored mentions kept, the marker
is NULL on every stored row, and a query for a province's waiting mentions uses the index."""

from __future__ import annotations

from datetime import UTC, datetime

from alembic import command
from sqlalchemy import func, insert, inspect, select, text, update

from pantau.store import Database, Mention, Source

BEFORE = "0010_daily3_mention_symbols"
INDEX = "ix_mentions_cluster_pending"
T0 = datetime(2026, 11, 20, 3, 0, tzinfo=UTC)


def _shape(db: Database) -> tuple[bool, bool]:
    """Whether ``mentions`` has the marker column and its index now."""
    db.engine.dispose()
    found = inspect(db.engine)
    columns = {c["name"] for c in found.get_columns("mentions")}
    indexes = {i["name"] for i in found.get_indexes("mentions")}
    return "cluster_pending" in columns, INDEX in indexes


def _add(db: Database, n: int) -> None:
    with db.writer() as s:
        src = s.scalar(select(Source)) or Source(name="uji", kind="rss", channel="news")
        s.add(src)
        s.flush()
        # Core, naming its columns: the model's marker may not exist in the store yet
        rows = [
            {
                "source_id": src.id,
                "external_id": f"m{i}",
                "channel": "news",
                "text": f"banjir {i}",
                "published_at": T0,
                "tenant": "64" if i % 2 else "63",
            }
            for i in range(n)
        ]
        s.execute(insert(Mention.__table__), rows)


def test_the_marker_comes_and_goes_and_stored_rows_wait_for_nothing(store_url: str) -> None:
    db = Database(store_url)
    command.upgrade(db.alembic_config(), BEFORE)
    _add(db, 4)  # stored before the marker existed
    db.upgrade()
    assert _shape(db) == (True, True)
    with db.writer() as s:
        assert s.scalar(select(func.count()).where(Mention.cluster_pending.is_not(None))) == 0
        s.execute(update(Mention).where(Mention.tenant == "63").values(cluster_pending=True))
    with db.session() as s:
        waiting = select(Mention.id).where(
            Mention.tenant == "63", Mention.cluster_pending.is_not(None)
        )
        assert len(s.scalars(waiting).all()) == 2
        if db.dialect == "postgresql":  # each month's partition carries the partial index
            s.execute(text("SET LOCAL enable_seqscan = off"))
            plan = "\n".join(
                s.scalars(
                    text(
                        "EXPLAIN SELECT id FROM mentions "
                        "WHERE tenant = '63' AND cluster_pending IS NOT NULL"
                    )
                )
            )
            # a partition's copy of the index is named by the server after its columns
            assert "tenant_id_idx" in plan and "Seq Scan" not in plan
    command.downgrade(db.alembic_config(), BEFORE)
    assert _shape(db) == (False, False)
    with db.session() as s:
        assert s.execute(text("SELECT count(*) FROM mentions")).scalar() == 4
    db.upgrade()
    assert _shape(db) == (True, True)
    with db.session() as s:  # the marker comes back empty: nothing waits after an upgrade
        assert s.scalar(select(func.count()).where(Mention.cluster_pending.is_not(None))) == 0
    db.dispose()
