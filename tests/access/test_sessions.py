"""Sessions end on the server; one cookie reading for session and CSRF; bearer only if real."""

from __future__ import annotations

import re

import httpx
import pytest

from pantau.ingest.sources import add_source, issue_token
from pantau.web.security import COOKIE
from pantau.workflow.users import deactivate_user, find_user, set_password
from tests.access.helpers import page_csrf
from tests.conftest import PASSWORD, AppEnv, LiveServer


def _logged_in(env: AppEnv, username: str = "rina"):  # type: ignore[no-untyped-def]
    c = env.client()
    assert env.login(c, username).status_code == 303
    return c


def test_logout_ends_the_session_on_the_server(app_env: AppEnv) -> None:
    c = _logged_in(app_env)
    stolen = c.cookies.get(COOKIE)
    assert c.post("/logout", data={"csrf_token": page_csrf(c)}).status_code in (200, 303)
    replay = app_env.client()
    replay.cookies.set(COOKIE, stolen)
    assert replay.get("/api/v1/me").status_code == 401
    assert replay.get("/", follow_redirects=False).status_code == 303


@pytest.mark.parametrize("change", ["password", "deactivate"])
def test_password_change_and_deactivation_end_every_session(app_env: AppEnv, change: str) -> None:
    first, second = _logged_in(app_env), _logged_in(app_env)
    other = _logged_in(app_env, "budi")
    with app_env.db.writer() as s:
        user = find_user(s, "rina")
        if change == "password":
            ended = set_password(s, user, "sandi-baru-kaltim-2027", actor="test")
        else:
            ended = deactivate_user(s, user, actor="test")
    assert ended == 2
    assert first.get("/api/v1/me").status_code == 401
    assert second.get("/api/v1/me").status_code == 401
    assert other.get("/api/v1/me").status_code == 200
    again = app_env.login(app_env.client(), "rina", "sandi-baru-kaltim-2027")
    assert again.status_code == (303 if change == "password" else 401)


def test_a_new_login_ends_the_browsers_previous_session(app_env: AppEnv) -> None:
    c = _logged_in(app_env)
    before = c.cookies.get(COOKIE)
    assert app_env.login(c, "rina").status_code == 303
    old = app_env.client()
    old.cookies.set(COOKIE, before)
    assert old.get("/api/v1/me").status_code == 401


def test_duplicate_session_cookies_are_refused(app_env: AppEnv) -> None:
    victim = _logged_in(app_env)
    token = page_csrf(victim)
    real = victim.cookies.get(COOKIE)
    attacker = app_env.client()
    attacker.get("/login")
    planted = attacker.cookies.get(COOKIE)
    fresh = app_env.client()
    for header in (f"{COOKIE}={planted}; {COOKIE}={real}", f"{COOKIE}={real}; {COOKIE}={planted}"):
        resp = fresh.post(
            "/lang",
            data={"lang": "en", "csrf_token": token},
            headers={"Cookie": header},
            follow_redirects=False,
        )
        assert resp.status_code == 400
        assert f"{COOKIE}=;" in resp.headers["set-cookie"]
        assert fresh.get("/api/v1/me", headers={"Cookie": header}).status_code == 400
    # split over two Cookie headers, as HTTP/2 clients may: still two session cookies
    split = [("Cookie", f"{COOKIE}={planted}"), ("Cookie", f"{COOKIE}={real}")]
    assert fresh.get("/api/v1/me", headers=split).status_code == 400


def test_a_fake_bearer_header_does_not_skippage_csrf(app_env: AppEnv) -> None:
    c = _logged_in(app_env)
    resp = c.post("/logout", headers={"Authorization": "Bearer apa-saja"}, data={})
    assert resp.status_code == 401
    assert c.get("/api/v1/me").status_code == 200  # still logged in


def test_a_real_push_token_carries_no_cookie_authority(app_env: AppEnv) -> None:
    with app_env.db.writer() as s:
        push = issue_token(add_source(s, name="dorong", kind="push", channel="social"))
    c = _logged_in(app_env)
    headers = {"Authorization": f"Bearer {push}"}
    # the cookie is ignored: the push token is no user, and nothing cookie-borne happens
    assert c.get("/api/v1/me", headers=headers).status_code == 401
    assert c.post("/logout", headers=headers, follow_redirects=False).status_code == 303
    assert c.get("/api/v1/me").status_code == 200  # that logout ended nothing


def test_real_http_duplicate_cookie_and_session_revocation(app_env: AppEnv) -> None:
    with LiveServer(app_env.app) as server, httpx.Client(base_url=server.url) as c:
        page = c.get("/login")
        token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)  # type: ignore[union-attr]
        resp = c.post(
            "/login",
            data={"username": "rina", "password": PASSWORD, "csrf_token": token, "next": "/"},
        )
        assert resp.status_code == 303 and "pantau_device=" in str(resp.headers)
        session = c.cookies.get(COOKIE)
        assert c.get("/api/v1/me").json()["username"] == "rina"
        raw = httpx.get(
            f"{server.url}/api/v1/me", headers={"Cookie": f"{COOKIE}={session}; {COOKIE}=x"}
        )
        assert raw.status_code == 400
        token = page_csrf(c)
        assert c.post("/logout", data={"csrf_token": token}).status_code == 303
        replay = httpx.get(f"{server.url}/api/v1/me", headers={"Cookie": f"{COOKIE}={session}"})
        assert replay.status_code == 401
