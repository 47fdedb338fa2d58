"""Operations: /metrics, /readyz, backup and restore on both backends, private store files."""

from __future__ import annotations

import re
import stat
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from pantau.cli import _load, app
from pantau.ingest.sources import add_source
from pantau.store import Database, Mention
from pantau.store.backup import BackupError, backup, restore
from pantau.store.types import utcnow
from tests.access.helpers import bearer, logged_in, new_token
from tests.conftest import USERS, AppEnv, LiveServer

_load()


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _add_mentions(db: Database, n: int, *, start: int = 0, age: timedelta | None = None) -> None:
    from pantau.ingest.sources import find_source

    with db.writer() as s:
        source = find_source(s, "dorong") or add_source(s, name="dorong", kind="push")
        s.flush()
        for i in range(start, start + n):
            s.add(
                Mention(
                    source_id=source.id,
                    external_id=f"m-{i}",
                    channel="social",
                    text=f"Jalan rusak di Samarinda nomor {i}",
                    fetched_at=utcnow() - (age or timedelta()),
                )
            )


def _count(db: Database) -> int:
    with db.session() as s:
        return int(s.scalar(select(func.count(Mention.id))) or 0)


def _token(env: AppEnv, username: str, scopes: list[str]) -> dict[str, str]:
    return bearer(new_token(logged_in(env, username), scopes, "op"))


# --- /metrics ---------------------------------------------------------------------------------
def test_metrics_for_loopback_in_prometheus_format(app_env: AppEnv) -> None:
    _add_mentions(app_env.db, 3, age=timedelta(minutes=5))
    with LiveServer(app_env.app) as server:
        resp = httpx.get(f"{server.url}/metrics")
        assert resp.status_code == 200
        assert resp.headers["content-type"].startswith("text/plain; version=0.0.4")
        text = resp.text
        assert "# TYPE pantau_mentions_stored_total counter" in text
        assert "\npantau_mentions_stored_total 3\n" in text
        assert "\npantau_analysis_queue_depth 3\n" in text
        lag = float(re.search(r"\npantau_pipeline_lag_seconds (\S+)", text).group(1))  # type: ignore[union-attr]
        assert 290 < lag < 3600
        assert 'pantau_quarantine_records{state="open"} 0' in text
        # through a proxy on the same host the client is not loopback
        proxied = httpx.get(f"{server.url}/metrics", headers={"X-Forwarded-For": "203.0.113.9"})
        assert proxied.status_code == 401
        ready = httpx.get(f"{server.url}/readyz")  # no login: load balancers ask it
        assert ready.status_code == 200 and ready.json()["queue"] == 3


def test_metrics_elsewhere_need_a_metrics_token_or_an_admin(app_env: AppEnv) -> None:
    client = app_env.client()  # not loopback: the test client's address is "testclient"
    assert client.get("/metrics").status_code == 401
    assert client.get("/metrics", headers=_token(app_env, "admin", ["metrics"])).status_code == 200
    assert client.get("/metrics", headers=_token(app_env, "admin", ["read"])).status_code == 403
    assert client.get("/metrics", headers={"Authorization": "Bearer pat_palsu"}).status_code == 401


@pytest.mark.parametrize("username", list(USERS))
def test_metrics_by_role(app_env: AppEnv, username: str) -> None:
    c = app_env.client()
    app_env.login(c, username)
    assert c.get("/metrics").status_code == (200 if username == "admin" else 403)


def test_metrics_loopback_can_be_turned_off(tmp_path: Path, seeded_db_file: Path) -> None:
    env = AppEnv(tmp_path, seeded_db_file, metrics_loopback=False)
    with LiveServer(env.app) as server:
        assert httpx.get(f"{server.url}/metrics").status_code == 401
    env.db.dispose()


# --- /readyz and /healthz ---------------------------------------------------------------------
def test_readyz_is_ready_then_reports_pipeline_lag(app_env: AppEnv) -> None:
    c = app_env.client()
    ready = c.get("/readyz")
    assert ready.status_code == 200 and ready.json()["status"] == "ready"
    _add_mentions(app_env.db, 2, age=timedelta(hours=2))
    late = c.get("/readyz")
    assert late.status_code == 503
    body = late.json()
    assert body["queue"] == 2 and "pipeline lag" in body["reasons"][0]
    assert c.get("/healthz").status_code == 200  # alive, only not ready


def test_readyz_reports_a_store_that_does_not_answer(tmp_path: Path, seeded_db_file: Path) -> None:
    env = AppEnv(tmp_path, seeded_db_file)
    env.db.dispose()
    (tmp_path / "pantau.db").unlink()  # SQLite opens an empty file in its place: no tables
    resp = env.client().get("/readyz")
    assert resp.status_code == 503
    assert resp.json()["reasons"][0].startswith("database:")
    env.db.dispose()


# --- backup and restore -----------------------------------------------------------------------
def test_backup_and_restore_round_trip(store_url: str, tmp_path: Path) -> None:
    db = Database(store_url)
    db.upgrade()
    _add_mentions(db, 5)
    target = tmp_path / "cadangan.bak"
    result = backup(db, target)
    assert result.bytes > 0 and _mode(target) == 0o600
    with pytest.raises(BackupError, match="sudah ada"):
        backup(db, target)
    _add_mentions(db, 3, start=5)
    with db.writer() as s:
        s.delete(s.scalars(select(Mention).where(Mention.external_id == "m-0")).one())
    assert _count(db) == 7
    revision = restore(db, target)
    assert revision == db.current_revision()
    with db.session() as s:
        ids = sorted(s.scalars(select(Mention.external_id)))
    assert ids == [f"m-{i}" for i in range(5)]
    _add_mentions(db, 1, start=100)  # the restored store takes writes
    assert _count(db) == 6
    db.dispose()


def test_restore_refuses_what_is_no_backup(store_url: str, tmp_path: Path) -> None:
    db = Database(store_url)
    db.upgrade()
    _add_mentions(db, 2)
    junk = tmp_path / "bukan.bak"
    junk.write_bytes(b"ini bukan cadangan")
    with pytest.raises(BackupError, match="bukan"):
        restore(db, junk)
    with pytest.raises(BackupError, match="tidak ada"):
        restore(db, tmp_path / "hilang.bak")
    assert _count(db) == 2  # untouched
    db.dispose()


def test_backup_and_restore_commands(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    url = f"sqlite:///{tmp_path / 'p.db'}"
    monkeypatch.setenv("PANTAU_DATABASE_URL", url)
    monkeypatch.setenv("PANTAU_DATA_DIR", str(tmp_path))
    runner = CliRunner()
    assert runner.invoke(app, ["init"]).exit_code == 0
    db = Database(url)
    _add_mentions(db, 4)
    saved = runner.invoke(app, ["backup", str(tmp_path / "b.db")])
    assert saved.exit_code == 0, saved.output
    _add_mentions(db, 2, start=4)
    db.dispose()
    back = runner.invoke(app, ["restore", str(tmp_path / "b.db"), "--yes"])
    assert back.exit_code == 0, back.output
    db = Database(url)
    assert _count(db) == 4
    db.dispose()
    wrong = runner.invoke(app, ["restore", str(tmp_path / "x.db"), "--yes"])
    assert wrong.exit_code == 2 and "tidak ada" in wrong.output


# --- private files ----------------------------------------------------------------------------
def test_store_files_are_private(tmp_path: Path) -> None:
    path = tmp_path / "baru" / "pantau.db"
    db = Database(f"sqlite:///{path}")
    db.upgrade()
    _add_mentions(db, 1)
    assert _mode(path) == 0o600
    wal = path.with_name("pantau.db-wal")
    assert not wal.exists() or _mode(wal) == 0o600
    db.dispose()
