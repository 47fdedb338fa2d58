"""The clustering lock on both stores: one owner at a time, kept while held, free on release,
and a Flow that does not own it analyzes nothing (the mentions wait for the owner)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import func, select
from tests.scale.streams import START, store

from pantau.flow import ClusteringOwner, Flow
from pantau.settings import Settings
from pantau.store import Database, Mention


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
    assert waiting.analyze_pending() is None
    with db.session() as s:
        assert s.scalar(select(func.count()).where(Mention.analyzed_at.is_(None))) == 6
    owner.release()  # the owner stops: the next round of the other takes over
    result = waiting.analyze_pending()
    assert result is not None and result.processed == 6
    waiting.owner.release()
