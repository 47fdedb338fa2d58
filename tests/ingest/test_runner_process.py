"""``pantau run`` as a real process: SIGKILL mid-ingest then restart, and graceful SIGTERM."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from pantau.ingest.sources import add_source
from pantau.store import Database, Mention
from tests.ingest.httpserver import NewsServer, Route
from tests.ingest.newsfixtures import P_BANJIR, Story, kompas_page, rss

ARTICLES = 20
OPEN_ARTICLES = 5  # the rest wait behind a gate, so a kill always lands mid-ingest
ROOT = Path(__file__).resolve().parents[2]


def _serve_many(news: NewsServer, gate: threading.Event) -> str:
    items = []
    for i in range(ARTICLES):
        story = Story(f"read/2024/09/24/{i:04d}/berita-{i}", f"Berita nomor {i}", P_BANJIR,
                      "Sel, 24 Sep 2024 14:05:00 +0800", "24/09/2024", "")  # fmt: skip
        path = f"/kompas/{story.slug}"
        news.routes[path] = Route(
            kompas_page(story, news.url(path)).encode(), gate=None if i < OPEN_ARTICLES else gate
        )
        items.append((story, news.url(path)))
    news.routes["/banyak/feed"] = Route(rss("Banyak", news.base, items).encode())
    return "/banyak/feed"


def _env(db_url: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        PANTAU_DATABASE_URL=db_url,
        PANTAU_FETCH_ALLOW_HOSTS="127.0.0.0/8",
        PANTAU_FETCH_HOST_INTERVAL="0",
        PANTAU_IMPORT_BATCH_SIZE="3",
        PANTAU_RUN_TICK="0.2",
        # the tree under test, not whichever checkout pantau was installed from
        PYTHONPATH=os.pathsep.join([str(ROOT / "src"), str(ROOT)]),
    )
    return env


_STARTED: list[subprocess.Popen[bytes]] = []


@pytest.fixture(autouse=True)
def _no_stray_runners() -> Iterator[None]:
    """A failing test must not leave its runner polling in the background."""
    yield
    while _STARTED:
        proc = _STARTED.pop()
        if proc.poll() is None:
            proc.kill()
            proc.wait(10)


def _start(db_url: str, *args: str) -> subprocess.Popen[bytes]:
    code = "from pantau.cli import main; main()"
    proc = subprocess.Popen(
        [sys.executable, "-c", code, "run", "--no-pipeline", *args], env=_env(db_url), cwd=ROOT,
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip
    _STARTED.append(proc)
    return proc


def _count(db: Database) -> int:
    with db.session() as s:
        return int(s.scalar(select(func.count()).select_from(Mention)) or 0)


def _wait_for(db: Database, at_least: int, proc: subprocess.Popen[bytes], limit: float = 60) -> int:
    end = time.monotonic() + limit
    while time.monotonic() < end:
        n = _count(db)
        if n >= at_least:
            return n
        assert proc.poll() is None, proc.stderr.read().decode() if proc.stderr else ""
        time.sleep(0.05)
    raise AssertionError(f"runner stored fewer than {at_least} mentions in {limit}s")


def _setup(tmp_path: Path, news: NewsServer, gate: threading.Event) -> tuple[str, Database]:
    feed = _serve_many(news, gate)
    url = f"sqlite:///{tmp_path / 'run.db'}"
    db = Database(url)
    db.upgrade()
    with db.writer() as s:
        add_source(s, name="banyak", kind="rss", url=news.url(feed), interval=60)
    return url, db


@pytest.mark.slow
def test_sigkill_mid_ingest_then_restart_stores_every_mention_once(tmp_path, news):
    gate = threading.Event()
    url, db = _setup(tmp_path, news, gate)
    proc = _start(url)
    stored = _wait_for(db, 3, proc)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=10)
    gate.set()
    assert 0 < _count(db) <= OPEN_ARTICLES, stored  # killed in the middle
    again = _start(url, "--once")
    assert again.wait(timeout=120) == 0, again.stderr.read().decode() if again.stderr else ""
    with db.session() as s:
        ids = list(s.scalars(select(Mention.external_id)))
    assert len(ids) == ARTICLES and len(set(ids)) == ARTICLES
    db.dispose()


@pytest.mark.slow
def test_sigterm_stops_gracefully(tmp_path, news):
    gate = threading.Event()
    gate.set()
    url, db = _setup(tmp_path, news, gate)
    proc = _start(url)
    _wait_for(db, 1, proc)
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(timeout=60) == 0
    stderr = proc.stderr.read().decode() if proc.stderr else ""
    assert "Selesai" in stderr
    db.dispose()
