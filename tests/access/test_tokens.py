"""Personal API tokens: scoped, hashed, revocable, listed, over the JSON API and the CLI."""

from __future__ import annotations

import re
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from pantau.cli import _load, app
from pantau.store.access_models import ApiToken
from pantau.store.models import Issue
from pantau.workflow.users import deactivate_user, find_user
from tests.access.helpers import logged_in, new_token
from tests.conftest import USERS, AppEnv, LiveServer

_load()


@pytest.mark.parametrize("username", list(USERS))
def test_every_role_manages_its_own_tokens(app_env: AppEnv, username: str) -> None:
    c = logged_in(app_env, username)
    made = new_token(c, ["read"])
    assert made["token"].startswith("pat_") and made["state"] == "active"
    listed = c.get("/api/v1/tokens").json()
    assert [t["id"] for t in listed] == [made["id"]]
    assert "token" not in listed[0] and listed[0]["hint"].endswith("…")
    bearer = {"Authorization": f"Bearer {made['token']}"}
    assert app_env.client().get("/api/v1/me", headers=bearer).json()["username"] == username
    assert c.delete(f"/api/v1/tokens/{made['id']}").json()["state"] == "revoked"
    assert app_env.client().get("/api/v1/me", headers=bearer).status_code == 401
    with app_env.db.session() as s:  # stored hashed only
        row = s.scalar(select(ApiToken).where(ApiToken.id == made["id"]))
        assert row is not None and made["token"] not in row.token_hash


@pytest.mark.parametrize(("username", "allowed"), [(u, u == "admin") for u in USERS])
def test_only_a_user_manager_lists_and_revokes_others_tokens(
    app_env: AppEnv, username: str, allowed: bool
) -> None:
    victim = new_token(logged_in(app_env, "budi" if username != "budi" else "rina"), ["read"])
    c = logged_in(app_env, username)
    assert c.get("/api/v1/tokens?all=true").status_code == (200 if allowed else 403)
    assert c.delete(f"/api/v1/tokens/{victim['id']}").status_code == (200 if allowed else 403)


@pytest.mark.parametrize(("username", "allowed"), [(u, u == "admin") for u in USERS])
def test_only_admins_get_metrics_tokens(app_env: AppEnv, username: str, allowed: bool) -> None:
    c = logged_in(app_env, username)
    resp = c.post("/api/v1/tokens", json={"name": "prometheus", "scopes": ["metrics"]})
    assert resp.status_code == (201 if allowed else 403)


def test_scopes_limit_what_a_token_does(app_env: AppEnv) -> None:
    c = logged_in(app_env, "koord")
    read = {"Authorization": f"Bearer {new_token(c, ['read'])['token']}"}
    write = {"Authorization": f"Bearer {new_token(c, ['write'], 'tulis')['token']}"}
    api = app_env.client()
    assert api.get("/api/v1/issues", headers=read).status_code == 200
    # a change needs the write scope; the token needs no CSRF token (no cookie authority)
    with app_env.db.writer() as s:
        issue = Issue(label="Banjir di Samarinda")
        s.add(issue)
        s.flush()
        url = f"/api/v1/issues/{issue.id}/status"
    body = {"status": "ditelaah"}
    denied = api.post(url, json=body, headers=read)
    assert denied.status_code == 403 and "cakupan" in denied.json()["detail"]
    assert api.post(url, json=body, headers=write).status_code == 200
    # tokens cannot mint tokens, whatever their scope
    ask = {"name": "x", "scopes": ["write"]}
    for headers in (read, write):
        minted = api.post("/api/v1/tokens", json=ask, headers=headers)
        assert minted.status_code == 403


def test_bad_token_requests_name_the_problem(app_env: AppEnv) -> None:
    c = logged_in(app_env, "rina")
    bad = c.post("/api/v1/tokens", json={"name": "x", "scopes": ["root"]})
    assert bad.status_code == 422 and "root" in bad.text
    assert (
        c.post("/api/v1/tokens", json={"name": "x", "scopes": ["read"], "days": 9999}).status_code
        == 422
    )
    assert c.delete("/api/v1/tokens/99999").status_code == 404


def test_deactivating_a_user_revokes_their_tokens(app_env: AppEnv) -> None:
    made = new_token(logged_in(app_env, "rina"), ["read"])
    with app_env.db.writer() as s:
        deactivate_user(s, find_user(s, "rina"))
    bearer = {"Authorization": f"Bearer {made['token']}"}
    assert app_env.client().get("/api/v1/me", headers=bearer).status_code == 401
    listed = logged_in(app_env, "admin").get("/api/v1/tokens?all=true").json()
    assert {t["id"]: t["state"] for t in listed}[made["id"]] == "revoked"


def test_tokens_need_a_session_or_token_and_csrf_for_cookies(app_env: AppEnv) -> None:
    assert app_env.client().get("/api/v1/tokens").status_code == 401
    c = app_env.client()
    app_env.login(c, "rina")
    forged = c.post("/api/v1/tokens", json={"name": "x", "scopes": ["read"]})
    assert forged.status_code == 403 and "CSRF" in forged.text


def test_tokens_over_real_http(app_env: AppEnv) -> None:
    with LiveServer(app_env.app) as server:
        c = logged_in(app_env, "admin")
        made = new_token(c, ["read", "metrics"])
        bearer = {"Authorization": f"Bearer {made['token']}"}
        assert httpx.get(f"{server.url}/api/v1/issues", headers=bearer).status_code == 200
        assert httpx.get(f"{server.url}/api/v1/tokens", headers=bearer).status_code == 403
        c.delete(f"/api/v1/tokens/{made['id']}")
        assert httpx.get(f"{server.url}/api/v1/issues", headers=bearer).status_code == 401


def test_cli_adds_lists_and_revokes_tokens(
    app_env: AppEnv, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PANTAU_DATABASE_URL", app_env.settings.database_url)
    monkeypatch.setenv("PANTAU_DATA_DIR", str(tmp_path))
    runner = CliRunner()
    added = runner.invoke(app, ["token", "add", "pimpinan", "--name", "laporan", "--scope", "read"])
    assert added.exit_code == 0, added.output
    secret = re.search(r"pat_\S+", added.stdout).group(0)  # type: ignore[union-attr]
    bearer = {"Authorization": f"Bearer {secret}"}
    assert app_env.client().get("/api/v1/me", headers=bearer).json()["username"] == "pimpinan"
    listed = runner.invoke(app, ["token", "list", "--user", "pimpinan", "--json"])
    assert listed.exit_code == 0 and secret not in listed.stdout and '"laporan"' in listed.stdout
    token_id = re.search(r'"id": (\d+)', listed.stdout).group(1)  # type: ignore[union-attr]
    assert runner.invoke(app, ["token", "revoke", token_id]).exit_code == 0
    assert app_env.client().get("/api/v1/me", headers=bearer).status_code == 401
    refused = runner.invoke(app, ["token", "add", "rina", "--name", "m", "--scope", "metrics"])
    assert refused.exit_code == 2 and "metrics.view" in refused.output
    unknown = runner.invoke(app, ["token", "add", "siapa", "--name", "m", "--scope", "read"])
    assert unknown.exit_code == 2 and "siapa" in unknown.output


def test_cli_password_change_and_deactivation_end_sessions(
    app_env: AppEnv, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PANTAU_DATABASE_URL", app_env.settings.database_url)
    monkeypatch.setenv("PANTAU_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("PANTAU_NEW_PASSWORD", "sandi-baru-kaltim-2027")
    c = logged_in(app_env, "budi")
    result = CliRunner().invoke(app, ["user", "passwd", "budi"])
    assert result.exit_code == 0 and "1 sesi diakhiri" in result.output
    assert c.get("/api/v1/me").status_code == 401
    c = logged_in(app_env, "rina")
    result = CliRunner().invoke(app, ["user", "deactivate", "rina"])
    assert result.exit_code == 0, result.output
    assert c.get("/api/v1/me").status_code == 401
