"""Ingest into a real store (SQLite file and PostgreSQL): exactly once, quarantine, health."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from pantau.ingest.health import record_poll
from pantau.ingest.imports import import_file
from pantau.ingest.quarantine import list_quarantine, retry_quarantine
from pantau.ingest.runner import Runner
from pantau.ingest.sources import add_source
from pantau.settings import Settings
from pantau.store import AuditEntry, Database, Mention, Source, User
from pantau.store.workflow_models import Notification
from tests.ingest.httpserver import NewsServer, Route
from tests.ingest.newsfixtures import STORIES, rss

FIX = Path(__file__).resolve().parent / "fixtures"
FORMATS = [
    ("x_v2_search.jsonl", "x-v2", 4, 2),
    ("meta_page_posts.json", "meta", 2, 1),
    ("meta_instagram_media.jsonl", "meta", 2, 1),
    ("youtube_commentthreads.json", "youtube", 2, 1),
    ("tiktok_video_query.jsonl", "tiktok", 1, 2),
    ("lapor_export.csv", "lapor", 3, 1),
    ("brand24_export.csv", f"mapping:{FIX / 'brand24_mapping.toml'}", 2, 2),
]


@pytest.fixture
def db(store_url: str) -> Iterator[Database]:
    database = Database(store_url)
    database.upgrade()
    yield database
    database.dispose()


def _count(db: Database) -> int:
    with db.session() as s:
        return int(s.scalar(select(func.count()).select_from(Mention)) or 0)


@pytest.mark.parametrize(("name", "fmt", "good", "bad"), FORMATS)
def test_import_then_reimport_adds_nothing(db, settings, name, fmt, good, bad):
    first = import_file(db, FIX / name, fmt, settings, source_name=f"imp-{name}")
    assert (first.imported, first.quarantined) == (good, bad)
    again = import_file(db, FIX / name, fmt, settings, source_name=f"imp-{name}")
    assert (again.imported, again.duplicates, again.quarantined) == (0, good, 0)
    assert _count(db) == good
    with db.session() as s:
        assert len(list_quarantine(s)) == bad
        assert all(q.line for q in list_quarantine(s))


def test_quarantine_retry_after_fixing_payload(db, settings):
    import_file(db, FIX / "x_v2_search.jsonl", "x-v2", settings, source_name="x")
    with db.writer() as s:
        waiting = {q.field: q for q in list_quarantine(s)}
        item = waiting["data[1].id"]
        outcome = retry_quarantine(s, item)
        assert not outcome.resolved and "wajib" in (outcome.reason or "")
        item.payload = item.payload.replace('{"text"', '{"id":"99","text"')
        outcome = retry_quarantine(s, item)
        assert outcome.resolved and outcome.imported == 1
    with db.session() as s:
        assert len(list_quarantine(s)) == 1
    assert _count(db) == 5


def test_same_post_from_two_tools_is_one_mention(db, settings, tmp_path):
    import_file(db, FIX / "x_v2_search.jsonl", "x-v2", settings, source_name="x")
    same = tmp_path / "same.csv"
    same.write_text(
        "ID,Date,Author,Content,URL,Likes,Shares,Comments,Reach\n"
        "other-1,2024-09-24 14:12,infosamarinda,Banjir lagi di Samarinda,"
        "https://x.com/infosamarinda/status/1838512345678901234?s=20,1,1,1,10\n"
    )
    summary = import_file(
        db, same, f"mapping:{FIX / 'brand24_mapping.toml'}", settings, source_name="b24"
    )
    assert (summary.imported, summary.duplicates) == (0, 1)


@pytest.fixture
def feed_db(db: Database, news: NewsServer) -> Database:
    with db.writer() as s:
        for outlet, path in news.feeds.items():
            add_source(s, name=outlet, kind="rss", url=news.url(path), tier="local", interval=60)
    return db


def test_runner_polls_all_feeds_once_and_304_adds_nothing(feed_db, news, settings):
    stats = Runner(feed_db, settings).run(once=True)
    assert stats.polls == len(news.feeds) and stats.failures == 0
    assert _count(feed_db) == len(STORIES)
    with feed_db.writer() as s:  # make them due again
        for src in s.scalars(select(Source)):
            src.last_polled_at = src.last_polled_at - timedelta(minutes=5)
    stats2 = Runner(feed_db, settings).run(once=True)
    assert stats2.summary.imported == 0 and _count(feed_db) == len(STORIES)
    assert all(news.served[p] == 1 for p in news.feeds.values())  # second poll: 304
    with feed_db.session() as s:
        assert {src.health for src in s.scalars(select(Source))} == {"ok"}


def test_one_article_in_two_feeds_is_one_mention(feed_db, news, settings):
    story = STORIES["detik"][0]
    url = news.url("/detik/" + story.slug) + "?utm_source=agregator"
    news.routes["/agregator/feed"] = Route(rss("Agregator", news.base, [(story, url)]).encode())
    with feed_db.writer() as s:
        add_source(s, name="agregator", kind="rss", url=news.url("/agregator/feed"), interval=60)
    Runner(feed_db, settings).run(once=True)
    assert _count(feed_db) == len(STORIES)
    with feed_db.session() as s:
        urls = list(s.scalars(select(Mention.canonical_url)))
    assert len(urls) == len(set(urls))


def test_malformed_feed_is_quarantined_and_source_turns_failing(db, news, settings):
    news.routes["/rusak/feed"] = Route(b"<rss><channel><item><title>x</channel>", "text/xml")
    with db.writer() as s:
        add_source(s, name="rusak", kind="rss", url=news.url("/rusak/feed"), interval=60)
    for _ in range(settings.health_error_streak):
        with db.writer() as s:
            for src in s.scalars(select(Source)):
                src.last_polled_at = None
        Runner(db, settings).run(once=True)
    with db.session() as s:
        src = s.scalars(select(Source)).one()
        assert src.health == "failing" and src.error_streak == settings.health_error_streak
        assert "XML feed rusak" in (src.last_error or "")
        (q,) = list_quarantine(s)
        assert q.source_id == src.id and "<title>x" in q.payload
        alarms = s.scalars(select(AuditEntry).where(AuditEntry.action == "source.alarm")).all()
        assert [a.after["health"] for a in alarms] == ["failing"]


def test_silent_source_alarms_within_one_interval_after_cadence_missed(db):
    settings = Settings.from_env({}, health_silent_intervals=3.0)
    t0 = datetime(2024, 9, 24, 0, 0, tzinfo=UTC)
    hourly = [t0 + timedelta(hours=h) for h in range(8)]  # publishes every hour
    poll_every = timedelta(minutes=15)
    with db.writer() as s:
        s.add(
            User(username="koord", full_name="Koordinator", password_hash="x", role="koordinator")
        )
        s.add(User(username="rina", full_name="Analis", password_hash="x", role="analis"))
        src = add_source(s, name="harian", kind="rss", url="https://example.org/feed", interval=900)
        record_poll(s, src, now=hourly[-1], settings=settings, item_times=hourly)
        assert src.health == "ok"
        deadline = hourly[-1] + timedelta(hours=3)  # 3 usual gaps
        now = hourly[-1]
        while src.health != "silent":
            now += poll_every
            record_poll(s, src, now=now, settings=settings, item_times=[])
            assert now <= deadline + poll_every, "alarm came later than one polling interval"
        assert now > deadline
        assert s.scalars(select(AuditEntry).where(AuditEntry.action == "source.alarm")).one()
        # the system alert reaches the coordinator's notification centre, not the analyst's
        (note,) = s.scalars(select(Notification)).all()
        assert note.title == "Sumber harian: senyap" and note.link == "/sumber"
        assert s.get(User, note.user_id).role == "koordinator"


def test_volume_far_below_baseline_is_low(db):
    settings = Settings.from_env({}, health_volume_ratio=0.2)
    now = datetime(2024, 9, 30, 12, 0, tzinfo=UTC)
    days = [now - timedelta(days=d) for d in range(2, 8)]
    busy = [d.replace(hour=h) for d in days for h in range(0, 24, 2)]  # 12 a day
    with db.writer() as s:
        src = add_source(s, name="ramai", kind="rss", url="https://example.org/rss", interval=900)
        record_poll(s, src, now=days[0], settings=settings, item_times=busy)
        quiet = [now - timedelta(hours=1)]
        verdict = record_poll(s, src, now=now, settings=settings, item_times=quiet)
        assert verdict.status == "low", verdict
        assert "biasanya 12 per hari" in verdict.reasons[0]


def test_overlong_fields_are_fitted_not_fatal(db):
    from pantau.ingest.sink import write_mentions
    from pantau.records import MentionIn

    long = MentionIn(
        external_id="panjang",
        text="isi",
        url="https://contoh.id/" + "a" * 3000,
        platform="p" * 100,
        outlet="o" * 300,
        lang="indonesia",
        author="@" + "x" * 400,
    )
    with db.writer() as s:
        src = add_source(s, name="p", kind="push", channel="social")
        summary, rejected = write_mentions(s, src, [long])
    assert summary.imported == 1 and rejected == []


def test_control_characters_and_broken_surrogates_are_dropped_not_fatal(db, settings, tmp_path):
    """Text from the internet carries NUL bytes (PostgreSQL refuses them), terminal escapes and
    halves of emoji: the text is stored without them, with a note; the batch goes on."""
    tweets = [
        {
            "id": "c1",
            "text": "banjir\x00 di Sempaja\x0b\x1b[31m parah",
            "created_at": "2024-09-24T06:12:33Z",
        },
        {"id": "c2", "text": "air naik \ud83d lagi", "created_at": "2024-09-24T06:13:33Z"},
        {"id": "c3", "text": "teks biasa", "created_at": "2024-09-24T06:14:33Z"},
    ]
    path = tmp_path / "kotor.jsonl"
    path.write_text(json.dumps({"data": tweets}) + "\n", encoding="utf-8")
    summary = import_file(db, path, "x-v2", settings, source_name="kotor")
    assert (summary.imported, summary.quarantined) == (3, 0)
    with db.session() as s:
        stored = {m.external_id: m for m in s.scalars(select(Mention))}
    assert stored["c1"].text == "banjir di Sempaja [31m parah"
    assert stored["c2"].text == "air naik  lagi"
    assert stored["c3"].text == "teks biasa"
    assert any("kendali" in note for note in stored["c1"].notes or [])
    assert not stored["c3"].notes


def test_a_quarantined_line_with_a_nul_byte_is_kept_whole(db, settings, tmp_path):
    path = tmp_path / "lapor.csv"
    header = (FIX / "lapor_export.csv").read_text(encoding="utf-8").splitlines()[0]
    path.write_text(
        header
        + "\n4809999;31/02/2024 09:15;Jalan\x00 rusak;Isi\x00 laporan;Lain;Pemkot;Baru;Bontang\n",
        encoding="utf-8",
    )
    summary = import_file(db, path, "lapor", settings, source_name="lapor-kotor")
    assert (summary.imported, summary.quarantined) == (0, 1)
    with db.session() as s:
        (item,) = list_quarantine(s)
    # kept exactly, escaped as JSON, for an officer to fix and retry
    assert json.loads(item.payload)["Judul Laporan"] == "Jalan\x00 rusak" and item.line == 2
    again = import_file(db, path, "lapor", settings, source_name="lapor-kotor")
    assert again.quarantined == 0  # already waiting
    with db.session() as s:
        assert len(list_quarantine(s)) == 1  # the same line is not kept twice
