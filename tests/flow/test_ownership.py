"""The clustering lock on both stores: one owner at a time, kept while held, free on release,
and a Flow that does not own it analyzes nothing (the mentions wait for the owner)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import func, select
from tests.conftest import new_pg_database
from tests.scale.streams import START, store

from pantau.flow import ClusteringOwner, FencedOut, Flow, Pipeline
from pantau.flow.trackers import TRACKER
from pantau.settings import Settings
from pantau.store import Database, Mention
from pantau.store.models import StageState


@pytest.fixture
def db(store_url: str) -> Iterator[Database]:
    database = Database(store_url)
    database.upgrade()
    yield database
    database.dispose()


def test_one_owner_at_a_time(db: Database) -> None:
    first, second = ClusteringOwner(db), ClusteringOwner(db)
    assert first.claim() and first.claim()  # kept while held
    assert not second.claim()
    assert ClusteringOwner(db, partition="64").claim()  # partitions are independent
    first.release()
    assert second.claim() and not first.claim()
    second.release()


def test_a_flow_that_does_not_own_the_clustering_leaves_mentions_to_the_owner(
    db: Database,
) -> None:
    owner = ClusteringOwner(db)
    assert owner.claim()
    store(
        db, "uji", [(f"m{i}", f"banjir di samarinda hari ke {i}", START, "akun") for i in range(6)]
    )
    settings = Settings.from_env({})
    waiting = Flow(db, settings)
    idle = waiting.analyze_pending()  # on PostgreSQL it owns provinces, with nothing waiting
    assert idle is None or idle.processed == 0
    with db.session() as s:
        assert s.scalar(select(func.count()).where(Mention.analyzed_at.is_(None))) == 6
    owner.release()  # the owner stops: the next round of the other takes over
    result = waiting.analyze_pending()
    assert result is not None and result.processed == 6
    waiting.release()


def _pending(db: Database) -> int:
    with db.session() as s:
        return int(s.scalar(select(func.count()).where(Mention.analyzed_at.is_(None))) or 0)


def _tracker_state(db: Database) -> tuple[int, object]:
    with db.session() as s:
        row = s.get(StageState, TRACKER)
        assert row is not None
        return row.position, row.state


@pytest.mark.postgres
def test_an_owner_that_lost_its_lock_cannot_write_stale_clustering_state(
    pg_server_url: str,
) -> None:
    """The first owner's lock session ends while it is away (a pause, a cut connection); the
    second takes over. When the first comes back mid-loop, its batches are refused: neither a
    dead lock nor a lock taken again after the hand-over lets its old tracker write."""
    from sqlalchemy import create_engine, text

    db = Database(new_pg_database(pg_server_url))
    db.upgrade()
    settings = Settings.from_env({})
    rows = [(f"m{i}", f"banjir di samarinda hari ke {i}", START, "akun") for i in range(12)]
    store(db, "uji", rows[:6])
    first = ClusteringOwner(db)
    assert first.claim() and first.epoch == 1
    stale = Pipeline(db, settings, fence=first.fence)
    assert first._conn is not None
    pid = first._conn.connection.dbapi_connection.info.backend_pid  # type: ignore[union-attr]
    admin = create_engine(pg_server_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:  # what a lease running out does to a paused owner
        # with a timeout it waits until the backend is gone (and its locks with it); without one it
        # only signals, and the next claim can race the dying session
        conn.execute(text("SELECT pg_terminate_backend(:p, 10000)"), {"p": pid})
    admin.dispose()

    second = ClusteringOwner(db)
    assert second.claim() and second.epoch == 2
    assert Pipeline(db, settings, fence=second.fence).run_pending().processed == 6
    store(db, "uji", rows[6:])
    before = _tracker_state(db)
    with pytest.raises(FencedOut):  # its lock is gone
        stale.run_pending()
    assert not first.owned
    second.release()
    first.owned, first.epoch = True, 1  # as if its old lock had been taken again unnoticed
    with pytest.raises(FencedOut, match="epoch 1, terbaru 2"):
        stale.run_pending()
    assert (_pending(db), _tracker_state(db)) == (6, before)  # nothing of it was written
    first.release()
    db.dispose()
