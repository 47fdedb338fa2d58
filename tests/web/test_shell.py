"""The web shell through an in-process HTTP client: sessions, CSRF, throttling, escaping, API."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from tests.conftest import PASSWORD, AppEnv

from pantau.store import Issue, Mention, Source

PAGES = ["/", "/issues", "/search", "/search?q=banjir", "/issues/1"]
HOSTILE = "<script>alert(1)</script> dan <img src=x onerror=alert(1)> banjir sempaja"


def _add_hostile(env: AppEnv) -> None:
    with env.db.writer() as s:
        src = Source(name="uji <b>feed</b>", kind="import", channel="social")
        s.add(src)
        s.flush()
        issue = Issue(
            label=HOSTILE,
            size=1,
            stage="emerging",
            risk=42.0,
            first_seen=datetime(2026, 11, 20, 1, tzinfo=UTC),
            last_seen=datetime(2026, 11, 20, 2, tzinfo=UTC),
        )
        s.add(issue)
        s.flush()
        s.add(
            Mention(
                source_id=src.id,
                external_id="h1",
                text=HOSTILE,
                title=HOSTILE,
                channel="social",
                author="<b>troll</b>",
                url="javascript:alert(1)",
                published_at=datetime(2026, 11, 20, 1, tzinfo=UTC),
                issue_id=issue.id,
            )
        )


def test_healthz_and_login_need_no_session(app_env: AppEnv) -> None:
    c = app_env.client()
    assert c.get("/healthz").json()["status"] == "ok"
    assert c.get("/login").status_code == 200


@pytest.mark.parametrize("path", PAGES)
def test_every_page_needs_a_session(app_env: AppEnv, path: str) -> None:
    resp = app_env.client().get(path, follow_redirects=False)
    assert resp.status_code == 303
    assert resp.headers["location"].startswith("/login?next=")


@pytest.mark.parametrize("path", ["/api/v1/issues", "/api/v1/mentions", "/api/v1/me"])
def test_api_needs_a_session(app_env: AppEnv, path: str) -> None:
    resp = app_env.client().get(path)
    assert resp.status_code == 401


def test_login_then_pages_render_in_indonesian(app_env: AppEnv) -> None:
    c = app_env.client()
    resp = app_env.login(c, "rina")
    assert resp.status_code == 303
    page = c.get("/")
    assert page.status_code == 200
    assert "Ikhtisar" in page.text and "Keluar" in page.text
    cookie = resp.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie
    assert "default-src 'self'" in page.headers["content-security-policy"]


def test_post_without_valid_csrf_is_refused(app_env: AppEnv) -> None:
    c = app_env.client()
    c.get("/login")
    resp = c.post("/login", data={"username": "rina", "password": PASSWORD})
    assert resp.status_code == 403
    resp = c.post("/login", data={"username": "rina", "password": PASSWORD, "csrf_token": "forged"})
    assert resp.status_code == 403
    assert "CSRF" in resp.text
    # a logged-in session cannot be made to log out (or anything else) by another site
    app_env.login(c, "rina")
    assert c.post("/logout", data={}).status_code == 403
    assert c.get("/").status_code == 200


@pytest.mark.slow
def test_sixth_wrong_password_within_a_minute_is_throttled(app_env: AppEnv) -> None:
    c = app_env.client()
    for _ in range(5):
        assert app_env.login(c, "budi", "salah-sandi-123").status_code == 401
    sixth = app_env.login(c, "budi", PASSWORD)  # even the right password waits now
    assert sixth.status_code == 429
    assert "Tunggu satu menit" in sixth.text
    # other users are unaffected
    assert app_env.login(app_env.client(), "rina").status_code == 303


def test_bad_login_input_names_the_problem(app_env: AppEnv) -> None:
    c = app_env.client()
    token = app_env.csrf(c)
    resp = c.post("/login", data={"username": "", "password": "x", "csrf_token": token})
    assert resp.status_code == 422 and "Nama pengguna wajib diisi" in resp.text
    resp = c.post("/login", data={"username": "rina", "password": "", "csrf_token": token})
    assert resp.status_code == 422 and "Kata sandi wajib diisi" in resp.text
    resp = app_env.login(c, "rina", "keliru-sekali")
    assert resp.status_code == 401 and "Nama pengguna atau kata sandi salah" in resp.text


def test_login_redirect_stays_on_site(app_env: AppEnv) -> None:
    c = app_env.client()
    token = app_env.csrf(c)
    resp = c.post(
        "/login",
        data={
            "username": "rina",
            "password": PASSWORD,
            "csrf_token": token,
            "next": "//evil.example/x",
        },
        follow_redirects=False,
    )
    assert resp.headers["location"] == "/"


def test_language_switch_to_english(app_env: AppEnv) -> None:
    c = app_env.client()
    app_env.login(c, "rina")
    token = app_env.csrf(c)
    c.post("/lang", data={"lang": "en", "next": "/", "csrf_token": token})
    page = c.get("/")
    assert "Overview" in page.text and "Log out" in page.text
    assert c.post("/lang", data={"lang": "xx", "csrf_token": token}).status_code == 422


def test_hostile_text_is_escaped_everywhere(app_env: AppEnv) -> None:
    _add_hostile(app_env)
    c = app_env.client()
    app_env.login(c, "koord")
    for path in ["/", "/issues", "/issues/1", "/search?q=sempaja", "/search"]:
        html = c.get(path).text
        assert "<script>alert(1)" not in html, path
        assert "<img src=x" not in html, path
        assert "&lt;script&gt;" in html, path
        assert 'href="javascript:' not in html, path


def test_search_page_highlights_and_reports_bad_dates(app_env: AppEnv) -> None:
    _add_hostile(app_env)
    c = app_env.client()
    app_env.login(c, "rina")
    page = c.get("/search", params={"q": "sempaja", "since": "24/9"})
    assert "<mark>sempaja</mark>" in page.text
    assert "since: tanggal &#39;24/9&#39; tidak sesuai format YYYY-MM-DD" in page.text


def test_api_lists_issues_and_mentions(app_env: AppEnv) -> None:
    _add_hostile(app_env)
    c = app_env.client()
    app_env.login(c, "pimpinan")
    issues = c.get("/api/v1/issues").json()
    assert issues["total"] == 1 and issues["items"][0]["label"] == HOSTILE
    found = c.get("/api/v1/mentions", params={"q": "sempaja"}).json()
    assert found["total"] == 1 and found["items"][0]["source"] == "uji <b>feed</b>"
    bad = c.get("/api/v1/mentions", params={"channel": "tv"})
    assert bad.status_code == 422 and "channel" in bad.json()["detail"]
    bad = c.get("/api/v1/mentions", params={"limit": 0})
    assert bad.status_code == 422 and bad.json()["problems"][0]["field"] == "query.limit"
    assert c.get("/api/v1/issues/999").status_code == 404
    assert c.get("/api/v1/me").json()["role"] == "pimpinan"


def test_openapi_document(app_env: AppEnv) -> None:
    doc = app_env.client().get("/api/openapi.json").json()
    assert "/api/v1/issues" in doc["paths"]


def test_unknown_urls_get_the_404_page_and_bad_query_values_are_explained(
    app_env: AppEnv,
) -> None:
    c = app_env.client()
    app_env.login(c, "rina")
    missing = c.get("/tidak-ada/sama-sekali")
    assert missing.status_code == 404
    assert missing.headers["content-type"].startswith("text/html")
    assert "Halaman ini tidak ada" in missing.text and 'href="/"' in missing.text
    api = c.get("/api/v1/tidak-ada")
    assert api.status_code == 404 and api.json() == {"detail": "Not Found"}
    bad = c.get("/search", params={"q": "banjir", "page": "abc"})
    assert bad.status_code == 422 and bad.headers["content-type"].startswith("text/html")
    assert "page = &#39;abc&#39;: harus bilangan bulat, misalnya 2" in bad.text
    c.post("/lang", data={"lang": "en", "next": "/", "csrf_token": app_env.csrf(c)})
    assert "page = &#39;abc&#39;: a whole number is expected" in c.get("/search?page=abc").text


def test_api_docs_page_loads_only_local_assets(app_env: AppEnv) -> None:
    c = app_env.client()
    page = c.get("/api/docs")
    assert page.status_code == 200
    assets = re.findall(r'(?:src|href)="([^"]+)"', page.text)
    assert "/static/vendor/swagger-ui/swagger-ui-bundle.js" in assets
    assert all(a.startswith("/") for a in assets), assets
    assert "<script>" not in page.text  # the CSP forbids inline scripts
    for asset in assets:
        assert c.get(asset).status_code == 200, asset
