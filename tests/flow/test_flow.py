"""The flow on a real store: every stored mention is analyzed, whatever brought it.

A deployment without feeds (mentions only imported or pushed) must see them analyzed by
``pantau run --once``, and by a running ``pantau run`` within ``flow_max_lag_seconds``.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import func, select
from tests.alerts.receivers import SMTPServer
from tests.alerts.support import add_alert, add_issue, mail_env
from tests.conftest import LiveServer
from typer.testing import CliRunner

from pantau.cli import _load, app
from pantau.flow import Flow
from pantau.ingest.sources import add_source, issue_token
from pantau.reports.analysis_ranges import slide_to_newest
from pantau.settings import Settings
from pantau.store import Database, Mention, Source
from pantau.store.workflow_models import AlertDispatch
from pantau.web.app import ROUTERS, create_app

ROOT = Path(__file__).resolve().parents[2]
LAPOR = ROOT / "tests" / "ingest" / "fixtures" / "lapor_export.csv"
#: How long the running flow may take beyond its lag setting on a shared, loaded test machine
#: (a batch's analysis and commit); generous, since this is a bound, not a timing measurement.
SLACK_S = 30.0
LAG_S = 0.5


def _pending(db: Database) -> tuple[int, int]:
    """(stored, not yet analyzed) mentions."""
    with db.session() as s:
        total = s.scalar(select(func.count()).select_from(Mention)) or 0
        waiting = s.scalar(
            select(func.count()).select_from(Mention).where(Mention.analyzed_at.is_(None))
        )
    return int(total), int(waiting or 0)


@pytest.fixture
def db_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    url = f"sqlite:///{tmp_path / 'flow.db'}"
    monkeypatch.setenv("PANTAU_DATABASE_URL", url)
    monkeypatch.setenv("PANTAU_DATA_DIR", str(tmp_path))
    _load()
    yield url


def test_import_then_run_once_without_feeds_analyzes_every_mention(db_url: str) -> None:
    runner = CliRunner()
    imported = runner.invoke(app, ["import", str(LAPOR), "--format", "lapor"])
    assert imported.exit_code == 0, imported.stderr
    db = Database(db_url)
    assert _pending(db) == (3, 3)
    ran = runner.invoke(app, ["run", "--once"])
    assert ran.exit_code == 0, ran.stderr
    assert "0 poll" in ran.stderr and "Analisis: 3 sebutan," in ran.stderr
    assert _pending(db) == (3, 0)
    with db.session() as s:
        assert all(m.issue_id and m.lang for m in s.scalars(select(Mention)))
    db.dispose()


def test_run_once_analyzes_what_its_feed_poll_brought(feed_db, news, settings) -> None:
    stats = Flow(feed_db, settings).run_once()
    stored, waiting = _pending(feed_db)
    assert stats.ingest.summary.imported == stored > 0 and waiting == 0
    assert stats.analysis.processed == stored
    with feed_db.writer() as s:  # the analysis page's author counts slid to the newest mention
        assert slide_to_newest(s) == 0


def test_flow_keeps_its_pipeline_warm_and_rebuilds_it_after_a_failure(
    feed_db, news, settings
) -> None:
    flow = Flow(feed_db, settings)
    flow.run_once()
    warm = flow._pipeline
    assert warm is not None and flow.analyze_pending() is not None and flow._pipeline is warm
    with feed_db.writer() as s:
        source = s.scalar(select(Source.id).limit(1))
        s.add(Mention(source_id=source, external_id="baru", text="banjir lagi", channel="news"))
    with feed_db.engine.begin() as conn:  # the tracker's table gone: the batch cannot commit
        conn.exec_driver_sql("ALTER TABLE stage_state RENAME TO stage_state_away")
    assert flow.analyze_pending() is None and flow._pipeline is None
    with feed_db.engine.begin() as conn:
        conn.exec_driver_sql("ALTER TABLE stage_state_away RENAME TO stage_state")
    assert flow.analyze_pending().processed == 1 and flow._pipeline is not None


def test_run_once_routes_and_with_flow_deliver_alerts_delivers(
    tmp_path: Path, seeded_db_file: Path
) -> None:
    with SMTPServer(tmp_path) as smtp:
        env = mail_env(tmp_path, seeded_db_file, smtp)
        alert = add_alert(env, add_issue(env))
        Flow(env.db, env.settings).run_once()
        with env.db.session() as s:  # nothing raised this round, delivery left to its process
            assert s.get(AlertDispatch, alert) is None
        Flow(env.db, env.settings.replace(flow_deliver_alerts=True)).run_once()
        with env.db.session() as s:
            assert s.get(AlertDispatch, alert) is not None
        assert smtp.box.messages  # e-mail went out from the flow itself
        env.db.dispose()


# --- `pantau run` as a real process, fed through the real push API ---------------------------
def start_run(db_url: str, tmp_path: Path, **extra: str) -> subprocess.Popen[bytes]:
    """``pantau run`` as its own process on ``db_url`` (``extra``: more environment)."""
    env = dict(os.environ)
    env.update(
        PANTAU_DATABASE_URL=db_url,
        PANTAU_DATA_DIR=str(tmp_path),
        PANTAU_FLOW_MAX_LAG_SECONDS=str(LAG_S),
        PYTHONPATH=os.pathsep.join([str(ROOT / "src"), str(ROOT)]),
        **extra,
    )
    code = "from pantau.cli import main; main()"
    return subprocess.Popen(
        [sys.executable, "-c", code, "run"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def _wait_analyzed(db: Database, proc: subprocess.Popen[bytes], limit: float) -> None:
    end = time.monotonic() + limit
    while time.monotonic() < end:
        if _pending(db)[1] == 0:
            return
        assert proc.poll() is None, proc.stderr.read().decode() if proc.stderr else ""
        time.sleep(0.05)
    raise AssertionError(f"a stored mention was not analyzed within {limit:.1f}s")


@pytest.mark.slow
def test_running_flow_analyzes_a_pushed_mention_within_the_lag(db_url: str, tmp_path: Path) -> None:
    db = Database(db_url)
    db.upgrade()
    with db.writer() as s:
        source = add_source(s, name="dorong", kind="push", channel="social")
        token = issue_token(source)
        s.add(Mention(source_id=source.id, external_id="awal", text="banjir", channel="social"))
    settings = Settings.from_env(
        {}, database_url=db_url, data_dir=str(tmp_path), secret_key="k" * 40
    )
    web = create_app(settings, db)
    if "pantau.web.api_ingest" not in ROUTERS:
        from pantau.web.api_ingest import router

        web.include_router(router)
    proc = start_run(db_url, tmp_path)
    try:
        # the first mention proves the process is up and its pipeline warm; only then the clock
        _wait_analyzed(db, proc, limit=120)
        with LiveServer(web) as server:
            answer = httpx.post(
                f"{server.url}/api/v1/mentions",
                headers={"Authorization": f"Bearer {token}"},
                json={"mentions": [{"external_id": "wa-1", "text": "jalan sangatta rusak"}]},
                timeout=30,
            )
        assert answer.status_code == 200 and answer.json()["created"] == 1
        assert _pending(db)[0] == 2  # stored; the flow may have analyzed it already
        _wait_analyzed(db, proc, limit=LAG_S + SLACK_S)
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=60) == 0
        assert proc.stderr is not None and "Analisis: 2 sebutan," in proc.stderr.read().decode()
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(10)
        db.dispose()


def test_pantau_run_in_process_gives_the_signal_handlers_back(db_url: str) -> None:
    before = signal.getsignal(signal.SIGTERM), signal.getsignal(signal.SIGINT)
    assert CliRunner().invoke(app, ["run", "--once"]).exit_code == 0
    assert (signal.getsignal(signal.SIGTERM), signal.getsignal(signal.SIGINT)) == before
