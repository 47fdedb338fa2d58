"""The live pipeline on a real store: enrichment, issues, alerts, and resuming after a restart."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from pantau.flow import Pipeline, PipelineResult
from pantau.settings import Settings
from pantau.store import Agency, Alert, Database, Issue, Mention, Source, Watchlist
from pantau.store.models import StageState

T0 = datetime(2026, 11, 20, 0, 0, tzinfo=UTC)
FLOOD = "banjir parah di sempaja samarinda air masuk rumah warga {i}"
ROAD = "jalan poros sangatta bontang rusak berlubang kecelakaan lagi {i}"


@pytest.fixture
def db(store_url: str) -> Iterator[Database]:
    database = Database(store_url)
    database.upgrade()
    yield database
    database.dispose()


def _add(db: Database, rows: list[tuple[str, str, str, datetime]]) -> None:
    with db.writer() as s:
        src = s.scalar(select(Source).where(Source.name == "uji"))
        if src is None:
            src = Source(name="uji", kind="mapping", channel="social")
            s.add(src)
            s.flush()
        for ext, text, channel, at in rows:
            s.add(
                Mention(
                    source_id=src.id,
                    external_id=ext,
                    text=text,
                    channel=channel,
                    published_at=at,
                    author=f"akun{ext}",
                    title=None,
                )
            )


def _stream(n: int, offset: int = 0) -> list[tuple[str, str, str, datetime]]:
    rows = []
    for i in range(offset, offset + n):
        template = FLOOD if i % 2 == 0 else ROAD
        rows.append((f"m{i}", template.format(i=i), "social", T0 + timedelta(minutes=7 * i)))
    return rows


def test_pipeline_enriches_and_clusters_pending_mentions(db: Database) -> None:
    settings = Settings.from_env({})
    _add(db, _stream(60))
    result = Pipeline(db, settings).run_pending(batch_size=25)
    assert isinstance(result, PipelineResult)
    assert (result.processed, result.batches) == (60, 3)
    with db.session() as s:
        assert s.scalar(select(func.count()).where(Mention.analyzed_at.is_(None))) == 0
        flood = s.scalars(select(Mention).where(Mention.text.like("banjir%"))).all()
        assert {m.issue_id for m in flood} and len({m.issue_id for m in flood}) == 1
        road = s.scalars(select(Mention).where(Mention.text.like("jalan%"))).all()
        assert flood[0].issue_id != road[0].issue_id
        assert "64.72" in flood[0].regions  # Samarinda
        assert flood[0].sentiment in {"negative", "neutral", "positive"}
        issue = s.get(Issue, flood[0].issue_id)
        assert issue.size == 30 and issue.first_seen == T0
        assert s.get(StageState, "issue_tracker").position == max(m.id for m in road + flood)


def test_restart_resumes_without_redoing_or_losing_work(db: Database) -> None:
    settings = Settings.from_env({})
    _add(db, _stream(40))
    Pipeline(db, settings).run_pending(batch_size=20)
    with db.session() as s:
        issues_before = s.scalar(select(func.count(Issue.id)))
        alerts_before = s.scalar(select(func.count(Alert.id)))
    again = Pipeline(db, settings).run_pending()  # nothing pending: nothing changes
    assert again.processed == 0
    _add(db, _stream(40, offset=40))
    Pipeline(db, settings).run_pending(batch_size=20)  # a new process continues the stream
    with db.session() as s:
        assert s.scalar(select(func.count(Issue.id))) == issues_before  # same two issues grow
        assert s.scalar(select(func.count(Alert.id))) >= alerts_before
        flood_ids = set(s.scalars(select(Mention.issue_id).where(Mention.text.like("banjir%"))))
        assert len(flood_ids) == 1


def test_duplicates_link_across_a_restart(db: Database) -> None:
    settings = Settings.from_env({})
    text = "Tolong viralkan! Warga Sepaku belum dapat ganti rugi lahan IKN sampai hari ini"
    _add(db, [("a1", text, "social", T0)])
    Pipeline(db, settings).run_pending()
    _add(db, [("a2", text + "!!", "social", T0 + timedelta(minutes=3))])
    Pipeline(db, settings).run_pending()  # a new pipeline: the index is warmed from the store
    with db.session() as s:
        first = s.scalar(select(Mention).where(Mention.external_id == "a1"))
        copy = s.scalar(select(Mention).where(Mention.external_id == "a2"))
        assert copy.dup_of_id == first.id


def test_an_issue_born_and_retired_in_one_batch_keeps_its_figures(db: Database) -> None:
    """An old backlog replays in stream time: a flood of early November retires from the
    tracker's memory (idle past ``issues_retire_hours``) in the same batch that created it."""
    settings = Settings.from_env({})
    old = [
        (f"o{i}", FLOOD.format(i=i), "social", T0 - timedelta(days=18, minutes=-9 * i))
        for i in range(12)
    ]
    new = [(f"r{i}", ROAD.format(i=i), "social", T0 + timedelta(minutes=7 * i)) for i in range(12)]
    _add(db, old + new)
    Pipeline(db, settings).run_pending(batch_size=100)
    with db.session() as s:
        flood_ids = set(s.scalars(select(Mention.issue_id).where(Mention.external_id.like("o%"))))
        assert len(flood_ids) == 1
        issue = s.get(Issue, flood_ids.pop())
        assert issue is not None
        assert issue.size == 12 and issue.first_seen == T0 - timedelta(days=18)
        assert "banjir" in issue.label.lower() and issue.stage == "dormant"  # its title
        assert all(i.label for i in s.scalars(select(Issue)))  # no empty shells


def test_a_warm_pipeline_recompiles_watchlists_only_when_they_change(db: Database) -> None:
    pipeline = Pipeline(db, Settings.from_env({}))
    analyzer = pipeline.analyzer
    assert pipeline.refresh_watchlists() is False
    with db.writer() as s:
        agency = Agency(name="Diskominfo Uji", short_name="Uji", level="provinsi")
        s.add(agency)
        s.flush()
        s.add(Watchlist(agency_id=agency.id, name="banjir", query="banjir AND samarinda"))
        s.add(Watchlist(agency_id=agency.id, name="rusak", query="jalan AND ("))  # a typo
    _add(db, _stream(2))
    pipeline.run_pending()
    assert pipeline.analyzer is analyzer  # kept warm: the same analyzer, new queries
    assert pipeline.refresh_watchlists() is False
    with db.session() as s:
        flood = s.scalar(select(Mention).where(Mention.text.like("banjir%")))
        road = s.scalar(select(Mention).where(Mention.text.like("jalan%")))
        assert flood.watch == [{"name": "Uji/banjir", "terms": ["banjir", "samarinda"]}]
        assert road.watch == []  # the broken query was skipped, not fatal


def test_a_stop_request_ends_the_round_after_the_current_batch(db: Database) -> None:
    _add(db, _stream(30))
    stop = threading.Event()
    pipeline = Pipeline(db, Settings.from_env({}))

    def stop_after_first_batch(done: int, total: int) -> None:
        stop.set()

    result = pipeline.run_pending(batch_size=10, progress=stop_after_first_batch, stop=stop)
    assert (result.processed, result.batches) == (10, 1)
    stop.clear()
    assert pipeline.run_pending(batch_size=10, stop=stop).processed == 20


def test_a_far_future_date_in_the_store_does_not_move_the_tracker_clock(db: Database) -> None:
    # written before the writers checked the date window, or straight into the database
    _add(
        db,
        [*_stream(10), ("y2999", FLOOD.format(i="x"), "social", datetime(2999, 1, 1, tzinfo=UTC))],
    )
    pipeline = Pipeline(db, Settings.from_env({}))
    result = pipeline.run_pending(batch_size=50)
    assert result.processed == 11  # the mention itself is analyzed and clustered all the same
    assert pipeline.tracker.now == (T0 + timedelta(minutes=7 * 9)).timestamp()
    with db.session() as s:
        far = s.scalar(select(Mention).where(Mention.external_id == "y2999"))
        assert far.issue_id is not None


def test_the_noise_kind_is_stored_and_counted_for_the_dashboard(db: Database) -> None:
    from pantau.store.reports_models import MentionRollup as R

    spam = [("s1", "Slot gacor hari ini maxwin, daftar sekarang", "social", T0)]
    _add(db, _stream(4) + spam)
    Pipeline(db, Settings.from_env({})).run_pending(batch_size=25)
    with db.session() as s:
        kinds = {e: k for e, k in s.execute(select(Mention.external_id, Mention.noise))}
        totals = select(R.noise, func.sum(R.n)).where(R.region == "*", R.issue_id == 0)
        rolled = {k: int(n) for k, n in s.execute(totals.group_by(R.noise))}
    assert kinds == {"m0": None, "m1": None, "m2": None, "m3": None, "s1": "judi"}
    assert rolled == {"": 4, "judi": 1}
