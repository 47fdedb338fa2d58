"""Provinces clustered by different workers: the text stage's worker clusters its own province at
once and marks the other's mentions waiting; that province's owner clusters them from the
stored rows, once, into the same issues one process would have made, and a stale owner of it is
refused."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, select, text

from pantau.flow import Flow, Pipeline
from pantau.flow.ownership import FencedOut
from pantau.flow.share import ProvinceLocks
from pantau.flow.trackers import TRACKER
from pantau.settings import Settings
from pantau.store import Database, Issue, Mention, Source
from pantau.store.models import StageState

T0 = datetime(2026, 11, 2, 6, 0, tzinfo=UTC)
TOPICS = [
    "banjir merendam rumah warga sejak subuh, air setinggi lutut masuk dapur",
    "jalan poros rusak berlubang, truk batu bara terguling lagi pagi ini",
    "harga cabai di pasar naik lagi, emak emak pusing belanja",
    "slot gacor maxwin hari ini daftar sekarang link di bio",
]
LEASE_S = 60.0


def _fill(db: Database, n: int, start: int = 0) -> None:
    """``n`` mentions from each of two provinces' sources, some of them copies."""
    with db.writer() as s:
        for name, province in (("kaltim", "64"), ("kalsel", "63")):
            src = s.scalar(select(Source).where(Source.name == name))
            if src is None:
                src = Source(name=name, kind="mapping", channel="social", province=province)
                s.add(src)
                s.flush()
            for i in range(start, start + n):
                body = TOPICS[i % len(TOPICS)] if i % 5 else TOPICS[0]
                s.add(
                    Mention(
                        source_id=src.id,
                        external_id=f"{name}-{i}",
                        channel="social",
                        author=f"akun{i % 7}",
                        text=f"{body} nomor {i // 3}",
                        published_at=T0 + timedelta(minutes=i),
                    )
                )


def _copy(db: Database, external_id: str, minutes: int) -> int:
    """Store a copy of mention ``external_id``'s text, by another account, from its source
    (``<source>-copy``), ``minutes`` into the stream; returns the copied mention's id."""
    with db.writer() as s:
        seen = s.scalar(select(Mention).where(Mention.external_id == external_id))
        assert seen is not None
        s.add(
            Mention(
                source_id=seen.source_id,
                external_id=f"{external_id.partition('-')[0]}-copy",
                channel="social",
                author="akun-lain",
                text=seen.text,
                published_at=T0 + timedelta(minutes=minutes),
            )
        )
        return seen.id


def _clusters(db: Database, tenant: str) -> set[frozenset[str]]:
    """The province's issues, each as the set of its mentions' external ids."""
    with db.session() as s:
        rows = s.execute(
            select(Mention.issue_id, Mention.external_id).where(
                Mention.tenant == tenant, Mention.issue_id.is_not(None)
            )
        ).all()
    groups: dict[int, set[str]] = {}
    for issue_id, external_id in rows:
        groups.setdefault(issue_id, set()).add(external_id)
    return {frozenset(g) for g in groups.values()}


def _counts(db: Database, tenant: str) -> tuple[int, int, int, int]:
    """Mentions of ``tenant``: stored, waiting, placed in an issue, counted by issue sizes."""
    with db.session() as s:
        of = Mention.tenant == tenant
        stored = s.scalar(select(func.count()).where(of))
        waiting = s.scalar(select(func.count()).where(of, Mention.cluster_pending.is_not(None)))
        placed = s.scalar(select(func.count()).where(of, Mention.issue_id.is_not(None)))
        live = Issue.tenant == tenant, Issue.merged_into_id.is_(None)
        sized = s.scalar(select(func.sum(Issue.size)).where(*live))
    return int(stored or 0), int(waiting or 0), int(placed or 0), int(sized or 0)


def test_a_province_owner_clusters_what_the_text_stage_left_it_once(
    store_url: str, tmp_path: Path
) -> None:
    settings = Settings.from_env({})
    db = Database(store_url)
    db.upgrade()
    _fill(db, 30)
    kaltim, kalsel = ProvinceLocks(db, LEASE_S), ProvinceLocks(db, LEASE_S)
    assert kaltim.claim("64") and not kalsel.claim("64") and kalsel.claim("63")

    first = Pipeline(db, settings, provinces=kaltim).run_pending(batch_size=7)
    assert first.processed == 60
    stored, waiting, placed, _ = _counts(db, "63")
    assert (stored, waiting, placed) == (30, 30, 0)  # analyzed, waiting for Kalsel's owner
    assert _counts(db, "64")[1:3] == (0, 30 - _noise(db, "64"))  # Kaltim's clustered at once
    with db.session() as s:  # the text stage saved no tracker of a province it does not own
        assert s.get(StageState, f"{TRACKER}:63") is None

    second = Pipeline(db, settings, provinces=kalsel).run_pending(batch_size=4, text_stage=False)
    assert second.processed == 30 and second.batches == 8
    genuine = 30 - _noise(db, "63")  # a noise post joins no issue
    assert genuine > 0
    assert _counts(db, "63") == (30, 0, genuine, genuine)  # each once, none lost
    assert Pipeline(db, settings, provinces=kalsel).run_pending(text_stage=False).processed == 0
    with db.session() as s:
        saved = s.get(StageState, f"{TRACKER}:63")
        assert saved is not None and saved.state

    # one process clustering everything makes the same issues of Kalsel's mentions
    alone = Database(f"sqlite:///{tmp_path / 'alone.db'}")
    alone.upgrade()
    _fill(alone, 30)
    Pipeline(alone, settings).run_pending(batch_size=7)
    assert _clusters(db, "63") == _clusters(alone, "63")
    assert _clusters(db, "64") == _clusters(alone, "64")
    kaltim.release_all()
    kalsel.release_all()
    alone.dispose()
    db.dispose()


def test_a_worker_that_only_clusters_loads_no_text_models_until_it_takes_the_stage(
    store_url: str,
) -> None:
    """Kalsel's owner clusters from the stored rows without the text stage's models; when it
    takes the stage over they are loaded, with the near-duplicate index warmed from the store."""
    settings = Settings.from_env({})
    db = Database(store_url)
    db.upgrade()
    _fill(db, 30)
    kaltim, kalsel = ProvinceLocks(db, LEASE_S), ProvinceLocks(db, LEASE_S)
    assert kaltim.claim("64") and kalsel.claim("63")
    Pipeline(db, settings, provinces=kaltim).run_pending(batch_size=7)

    worker = Pipeline(db, settings, provinces=kalsel)
    assert worker.run_pending(text_stage=False).processed == 30
    # the precise tier may read its provinces' hot issues again; the text stage's models wait
    assert "analyzer" not in worker.loaded_models()
    assert _counts(db, "63")[1] == 0  # every waiting mention clustered all the same

    _copy(db, "kalsel-1", minutes=45)  # a copy of a text analyzed before the takeover
    taken = worker.run_pending()  # the text stage's owner is gone: this worker runs it
    assert taken.processed == 1 and "analyzer" in worker.loaded_models()
    with db.session() as s:
        copy = s.scalar(select(Mention).where(Mention.external_id == "kalsel-copy"))
        assert copy is not None and copy.analyzed_at is not None and copy.issue_id is not None
        assert copy.dup_of_id is not None  # linked to a mention analyzed by the other worker
    kaltim.release_all()
    kalsel.release_all()
    db.dispose()


def test_a_pipeline_that_takes_the_text_stage_again_links_what_another_analyzed_meanwhile(
    store_url: str,
) -> None:
    """A worker ran the text stage, another ran it while this one was away: on taking it back
    this one keeps its models, and its near-duplicate index learns the other's mentions."""
    settings = Settings.from_env({})
    db = Database(store_url)
    db.upgrade()
    _fill(db, 5)
    back = Pipeline(db, settings)
    assert back.run_pending().processed == 10
    analyzer = back.analyzer
    _fill(db, 5, start=5)
    assert Pipeline(db, settings).run_pending().processed == 10  # the other worker's turn
    seen = _copy(db, "kaltim-8", minutes=20)  # a text only the other worker analyzed
    back.take_text_stage()
    assert back.run_pending().processed == 1
    assert back.analyzer is analyzer  # the models were not loaded again
    with db.session() as s:
        copy = s.scalar(select(Mention).where(Mention.external_id == "kaltim-copy"))
        assert copy is not None and copy.dup_of_id == seen
    db.dispose()


@pytest.mark.postgres
def test_a_worker_that_takes_the_text_stage_over_keeps_its_trackers(pg_server_url: str) -> None:
    """Two ``pantau run`` workers share the provinces; the text stage's owner stops. The other
    takes the stage and the stopped one's province over without restoring the trackers it
    holds, and analyzes and clusters every mention that waits."""
    from tests.conftest import new_pg_database

    settings = Settings.from_env({})
    url = new_pg_database(pg_server_url)
    first_db, second_db = Database(url), Database(url)
    first_db.upgrade()
    _fill(first_db, 20)
    first, second = Flow(first_db, settings), Flow(second_db, settings)
    first.analyze_pending()  # alone: the text stage and every province
    assert second.analyze_pending() is None  # present now, but every province is taken
    first.analyze_pending()  # two workers: it gives one province up ...
    second.analyze_pending()  # ... which this one takes
    pipeline = second._pipeline
    assert pipeline is not None
    held = dict(pipeline.trackers)
    assert len(held) == 1 and "analyzer" not in pipeline.loaded_models()

    _fill(first_db, 20, start=20)
    first.release()  # a clean stop
    result = second.analyze_pending()
    assert result is not None and result.processed == 40
    assert second._pipeline is pipeline
    assert all(pipeline.trackers[p] is tracker for p, tracker in held.items())
    assert set(pipeline.trackers) == {"63", "64"}
    for tenant in ("63", "64"):
        assert _counts(first_db, tenant)[:3] == (40, 0, 40 - _noise(first_db, tenant))
    second.release()
    first_db.dispose()
    second_db.dispose()


def _noise(db: Database, tenant: str) -> int:
    with db.session() as s:
        return int(
            s.scalar(
                select(func.count()).where(Mention.tenant == tenant, Mention.noise.is_not(None))
            )
            or 0
        )


@pytest.mark.postgres
def test_a_province_owner_that_lost_its_lock_writes_nothing(pg_server_url: str) -> None:
    """Kalsel's owner loses its lock session (a lease run out while paused); a new owner takes
    the province with a newer epoch. The old one's next batch is refused, its mentions stay
    waiting for the new owner, who clusters them once."""
    from tests.conftest import new_pg_database

    settings = Settings.from_env({})
    db = Database(new_pg_database(pg_server_url))
    db.upgrade()
    _fill(db, 10)
    kaltim, stale_locks = ProvinceLocks(db, LEASE_S), ProvinceLocks(db, LEASE_S)
    assert kaltim.claim("64") and stale_locks.claim("63")
    text_stage = Pipeline(db, settings, provinces=kaltim)
    stale = Pipeline(db, settings, provinces=stale_locks)
    text_stage.run_pending()
    assert stale.run_pending(text_stage=False).processed == 10

    owner = stale_locks._owners["63"]
    assert owner._conn is not None
    pid = owner._conn.connection.dbapi_connection.info.backend_pid  # type: ignore[union-attr]
    admin = create_engine(pg_server_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        # with a timeout it waits until the backend is gone (and its locks with it); without one it
        # only signals, and the next claim can race the dying session
        conn.execute(text("SELECT pg_terminate_backend(:p, 10000)"), {"p": pid})
    admin.dispose()
    fresh = ProvinceLocks(db, LEASE_S)
    assert fresh.claim("63") and fresh._owners["63"].epoch == 2

    _fill(db, 10, start=10)
    text_stage.run_pending()
    assert _counts(db, "63")[1] == 10
    with pytest.raises(FencedOut):
        stale.run_pending(text_stage=False)
    placed = _counts(db, "63")[2]
    assert _counts(db, "63")[1:3] == (10, placed)  # nothing of the stale batch was written
    assert Pipeline(db, settings, provinces=fresh).run_pending(text_stage=False).processed == 10
    assert _counts(db, "63")[:3] == (20, 0, 20 - _noise(db, "63"))
    for locks in (kaltim, stale_locks, fresh):
        locks.release_all()
    db.dispose()
