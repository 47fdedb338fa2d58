"""``pantau reanalyze`` on a real store (SQLite and PostgreSQL): the per-mention analysis is
rewritten, links and issues stay, an interrupted job resumes from its checkpoint, and the live
pipeline keeps working between the job's batches."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select, update

from pantau.flow import Pipeline
from pantau.scale import connect
from pantau.scale.reanalyze import CHECKPOINT, Reanalyzer
from pantau.settings import Settings
from pantau.store import Database, Mention
from pantau.store.models import StageState
from tests.scale.streams import store

T0 = datetime(2026, 11, 2, tzinfo=UTC)
TEXTS = [
    "banjir rob merendam rumah warga di samarinda, bantuan belum datang {i}",
    "program makan bergizi gratis di sekolah balikpapan bagus bgt, anak2 senang {i}",
    "jalan poros sangatta bontang rusak parah, kecelakaan lagi, pemerintah lamban {i}",
]
ANALYSIS = ("lang", "sentiment", "sentiment_score", "regions", "watch")


@pytest.fixture
def db(store_url: str) -> Iterator[Database]:
    database = Database(store_url)
    database.upgrade()
    yield database
    database.dispose()


def add(db: Database, start: int, count: int) -> None:
    """Mentions of three topics, each text repeated (copies: dup_of links to keep)."""
    rows = range(start, start + count)
    store(
        db,
        "uji",
        (
            (f"m{i}", TEXTS[i % 3].format(i=i % 7), T0 + timedelta(hours=i), f"akun{i}")
            for i in rows
        ),
    )


def snapshot(db: Database) -> dict[int, tuple[object, ...]]:
    with db.session() as s:
        rows = s.scalars(select(Mention).order_by(Mention.id)).all()
        return {
            m.id: (*(getattr(m, k) for k in ANALYSIS), m.dup_of_id, m.issue_id, m.analyzed_at)
            for m in rows
        }


def old_model(db: Database, since_id: int = 0) -> None:
    """What a previous model wrote: other labels, no regions."""
    with db.writer() as s:
        s.execute(
            update(Mention)
            .where(Mention.id > since_id)
            .values(lang="ms", sentiment="neutral", sentiment_score=0.5, regions=[])
        )


@pytest.fixture
def analyzed(db: Database) -> dict[int, tuple[object, ...]]:
    add(db, 0, 90)
    Pipeline(db, Settings.from_env({})).run_pending()
    truth = snapshot(db)
    assert sum(v[5] is not None for v in truth.values()) > 30  # dup_of links exist
    old_model(db)
    return truth


def test_interrupted_job_resumes_and_restores_the_analysis(
    db: Database, analyzed: dict[int, tuple[object, ...]]
) -> None:
    settings = Settings.from_env({})
    stop = threading.Event()
    live = Pipeline(db, settings)

    def first_batch_then_stop(done: int, total: int) -> None:
        assert (done, total) == (20, 90)
        # the live pipeline stores and analyzes new mentions between the job's batches
        add(db, 90, 5)
        assert live.run_pending().processed == 5
        stop.set()

    first = Reanalyzer(db, settings).run(batch_size=20, progress=first_batch_then_stop, stop=stop)
    assert (first.rewritten, first.changed, first.finished) == (20, 20, False)
    with db.session() as s:
        checkpoint = s.get(StageState, CHECKPOINT)
        assert checkpoint is not None and checkpoint.position == sorted(analyzed)[19]

    seen: list[tuple[int, int]] = []
    second = Reanalyzer(db, settings).run(batch_size=20, progress=lambda d, t: seen.append((d, t)))
    assert second.resumed_after == sorted(analyzed)[19]
    assert (second.rewritten, second.changed, second.finished) == (70, 70, True)
    assert seen[0] == (40, 90) and seen[-1] == (90, 90)
    after = snapshot(db)
    assert {k: after[k] for k in analyzed} == analyzed  # analysis back, links and issues kept
    assert len(after) == 95

    again = Reanalyzer(db, settings).run(batch_size=20)  # a finished job starts afresh
    assert (again.resumed_after, again.rewritten, again.changed) == (0, 95, 0)


def test_since_limits_the_job_to_recent_mentions(
    db: Database, analyzed: dict[int, tuple[object, ...]]
) -> None:
    result = Reanalyzer(db, Settings.from_env({})).run(since=T0 + timedelta(hours=60))
    assert (result.total, result.changed) == (30, 30)
    after = snapshot(db)
    first = sorted(analyzed)
    assert after[first[59]][0] == "ms" and after[first[60]] == analyzed[first[60]]


def test_a_reading_by_an_officer_or_the_precise_tier_is_kept(
    db: Database, analyzed: dict[int, tuple[object, ...]]
) -> None:
    """A model update re-reads language, places and watchlists of every mention, but the fast
    model's sentiment does not overwrite one an officer corrected or the precise tier read: the
    new fast reading goes beside it, as the precise tier puts it."""
    first, second, third = sorted(analyzed)[:3]
    with db.writer() as s:
        for mention_id, tier in ((first, "officer"), (second, "precise")):
            s.execute(
                update(Mention)
                .where(Mention.id == mention_id)
                .values(
                    sentiment="positive",
                    sentiment_score=0.99,
                    sentiment_tier=tier,
                    sentiment_fast="neutral",  # what the previous model read
                    sentiment_fast_score=0.5,
                )
            )
    Reanalyzer(db, Settings.from_env({})).run()
    after = snapshot(db)
    with db.session() as s:
        rows = s.execute(
            select(Mention.id, Mention.sentiment_fast, Mention.sentiment_fast_score)
        ).all()
    fast = {r.id: (r.sentiment_fast, r.sentiment_fast_score) for r in rows}
    for mention_id in (first, second):
        assert after[mention_id][1:3] == ("positive", 0.99)
        assert after[mention_id][0] == analyzed[mention_id][0]  # language re-read all the same
        assert fast[mention_id] == analyzed[mention_id][1:3]  # the new fast reading
    assert after[third] == analyzed[third]
    assert fast[third] == (None, None)


@pytest.mark.slow
def test_on_a_local_cluster_the_result_is_the_same(
    db: Database, analyzed: dict[int, tuple[object, ...]]
) -> None:
    with connect(workers=2) as client:
        result = Reanalyzer(db, Settings.from_env({}), client=client).run(batch_size=16)
    assert (result.rewritten, result.changed, result.finished) == (90, 90, True)
    assert snapshot(db) == analyzed


@pytest.mark.slow
def test_command_line(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'p.db'}"
    database = Database(url)
    database.upgrade()
    add(database, 0, 12)
    Pipeline(database, Settings.from_env({})).run_pending()
    old_model(database)
    database.dispose()
    env = {k: v for k, v in os.environ.items() if not k.startswith("PANTAU_")}
    env.update(PANTAU_DATABASE_URL=url, PANTAU_DATA_DIR=str(tmp_path))
    cmd = [sys.executable, "-c", "from pantau.cli import main; main()", "reanalyze"]
    proc = subprocess.run(
        [*cmd, "--since", "2026-11-02"], capture_output=True, env=env, timeout=120, check=False
    )
    assert proc.returncode == 0, proc.stderr.decode()
    assert "12 sebutan dianalisis ulang dalam 1 kelompok, 12 berubah." in proc.stderr.decode()
    bad = subprocess.run(
        [*cmd, "--since", "kemarin"], capture_output=True, env=env, timeout=60, check=False
    )
    assert bad.returncode == 2 and "YYYY-MM-DD" in bad.stderr.decode()
