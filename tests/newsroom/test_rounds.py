"""The newsroom's timed work inside ``pantau run``: no ``pantau newsroom sync`` needed.

A release scheduled under embargo enters monitoring once its time has passed, and a news
article that copies it is linked as pick-up as soon as the run has analyzed it.
"""

from __future__ import annotations

import signal
import time
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from pantau.cli import _load, app
from pantau.newsroom.pickup import news_part, release_pickups
from pantau.newsroom.rounds import run_round
from pantau.store import Mention
from pantau.store.newsroom_models import Release
from pantau.store.types import utcnow
from tests.conftest import AppEnv
from tests.flow.test_flow import start_run
from tests.newsroom.fixtures import news_article, published_release
from tests.newsroom.test_pickup import INDEPENDENT


def _run_once(env: AppEnv) -> str:
    _load()
    result = CliRunner().invoke(
        app, ["run", "--once"], env={"PANTAU_DATABASE_URL": env.settings.database_url}
    )
    assert result.exit_code == 0, result.output
    return str(result.stderr)


def test_run_once_lifts_the_embargo_and_links_the_news_it_analyzed(app_env: AppEnv) -> None:
    release = published_release(app_env, at=utcnow() + timedelta(hours=1))
    first = _run_once(app_env)
    assert "Ruang berita: 0 rilis masuk pemantauan" in first  # still under embargo
    with app_env.db.writer() as s:  # an hour later: the embargo has passed
        s.get(Release, release.id).published_at = utcnow() - timedelta(minutes=1)
    second = _run_once(app_env)
    assert "Ruang berita: 1 rilis masuk pemantauan" in second
    with app_env.db.session() as s:
        entered = s.get(Release, release.id)
        assert entered is not None and entered.mention_id is not None
        assert s.get(Mention, entered.mention_id).channel == "official"
    # News that arrives afterwards is analyzed by the next run and linked in the same run.
    copy_id = news_article(app_env, "Salinan", news_part(release.text), 30, "Kaltim Post")
    news_article(app_env, "Karang Mumus Meluap", INDEPENDENT, 45, "Tribun Kaltim")
    third = _run_once(app_env)
    assert "Analisis: 2 sebutan" in third and "1 pemberitaan baru" in third
    with app_env.db.session() as s:
        assert s.get(Mention, copy_id).analyzed_at is not None
        assert [p.mention_id for p in release_pickups(s, release.id)] == [copy_id]
    assert "0 pemberitaan baru" in _run_once(app_env)  # nothing twice


def test_incremental_round_compares_only_newly_analyzed_news(app_env: AppEnv) -> None:
    release = published_release(app_env)
    assert run_round(app_env.db, app_env.settings).linked == 0  # the first round: a full pass
    copy_id = news_article(app_env, "Salinan", news_part(release.text), 30, "Kaltim Post")
    assert run_round(app_env.db, app_env.settings).linked == 0  # stored, not analyzed yet
    with app_env.db.writer() as s:
        mention = s.scalar(select(Mention).where(Mention.id == copy_id))
        mention.analyzed_at = utcnow()
    report = run_round(app_env.db, app_env.settings)
    assert (report.entered, report.linked) == (0, 1)
    assert run_round(app_env.db, app_env.settings).linked == 0
    assert run_round(app_env.db, app_env.settings, full=True).linked == 0


def _wait(check, proc, limit: float, what: str) -> None:  # type: ignore[no-untyped-def]
    end = time.monotonic() + limit
    while time.monotonic() < end:
        if check():
            return
        assert proc.poll() is None, proc.stderr.read().decode() if proc.stderr else ""
        time.sleep(0.1)
    raise AssertionError(f"{what} within {limit:.0f}s")


@pytest.mark.slow
def test_running_loop_lifts_an_embargo_that_ends_while_it_runs(
    app_env: AppEnv, tmp_path: Path
) -> None:
    release = published_release(app_env, at=utcnow() + timedelta(seconds=4))

    def entered() -> bool:
        with app_env.db.session() as s:
            return s.get(Release, release.id).mention_id is not None

    def linked() -> bool:
        with app_env.db.session() as s:
            return bool(release_pickups(s, release.id))

    proc = start_run(app_env.settings.database_url, tmp_path, PANTAU_NEWSROOM_ROUND_SECONDS="0.5")
    try:
        _wait(entered, proc, 120, "the release did not enter monitoring")
        news_article(app_env, "Salinan", news_part(release.text), 30, "Kaltim Post")
        _wait(linked, proc, 60, "the copying article was not linked")
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=60) == 0
        stderr = proc.stderr.read().decode() if proc.stderr else ""
        assert "Ruang berita: 1 rilis masuk pemantauan, 1 pemberitaan baru" in stderr
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(10)
