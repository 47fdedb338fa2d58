"""The admin pages: who may open each, forms refused with the field named, the audit log
searchable and hostile text shown as text, every string in Indonesian."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sqlalchemy import select

from pantau.i18n import translations
from pantau.store import Agency, AuditEntry
from tests.alerts.support import agency_id, make_env
from tests.conftest import AppEnv

PAGES = {  # path: roles that may open it
    "/admin/instansi": {"admin"},
    "/admin/pengguna": {"admin"},
    "/admin/kata-kunci": {"admin", "koordinator", "analis"},
    "/admin/audit": {"admin", "koordinator"},
}
USERS = {"admin": "admin", "koord": "koordinator", "rina": "analis", "pimpinan": "pimpinan"}
TEMPLATES = Path(__file__).resolve().parents[2] / "src/pantau/web/templates/admin"


@pytest.fixture
def env(tmp_path: Path, seeded_db_file: Path):  # type: ignore[no-untyped-def]
    e = make_env(tmp_path, seeded_db_file)
    yield e
    e.db.dispose()


def _client(env: AppEnv, username: str):  # type: ignore[no-untyped-def]
    client = env.client()
    assert env.login(client, username).status_code == 303
    return client, env.csrf(client)


@pytest.mark.parametrize("username", sorted(USERS))
def test_each_page_for_each_role(env, username: str) -> None:  # type: ignore[no-untyped-def]
    client, _ = _client(env, username)
    for path, roles in PAGES.items():
        status = client.get(path).status_code
        assert status == (200 if USERS[username] in roles else 403), (path, username, status)
    home = client.get("/admin", follow_redirects=False)
    assert home.status_code == (403 if username == "pimpinan" else 303)


def test_forms_refuse_with_the_field_named_and_keep_what_was_typed(env) -> None:  # type: ignore[no-untyped-def]
    client, token = _client(env, "admin")
    resp = client.post(
        "/admin/instansi",
        data={"csrf_token": token, "name": "Dinas Kesehatan Kaltim", "level": "opd",
              "mandate_regions": "64 99.99"},
    )  # fmt: skip
    assert resp.status_code == 422
    assert 'data-field="mandate_regions"' in resp.text and "99.99" in resp.text
    assert 'value="Dinas Kesehatan Kaltim"' in resp.text
    resp = client.post(
        "/admin/instansi",
        data={"csrf_token": token, "name": "Dinas Kesehatan Kaltim", "level": "opd",
              "mandate_regions": "64", "short_name": "Dinkes Kaltim"},
        follow_redirects=False,
    )  # fmt: skip
    assert resp.status_code == 303
    with env.db.session() as s:
        dinkes = s.scalar(select(Agency).where(Agency.short_name == "Dinkes Kaltim"))
        assert dinkes is not None and [r.region_code for r in dinkes.regions] == ["64"]
    # a koordinator may not add agencies, even by posting the form directly
    koord, ktoken = _client(env, "koord")
    assert (
        koord.post(
            "/admin/instansi", data={"csrf_token": ktoken, "name": "X", "level": "opd"}
        ).status_code
        == 403
    )


def test_agency_form_sets_the_province_or_national(env) -> None:  # type: ignore[no-untyped-def]
    """An agency of no one province (a ministry's national desk) can be added in the page, not
    only through the API; an unknown province is refused in its field."""
    client, token = _client(env, "admin")
    form = client.get("/admin/instansi").text
    assert '<option value="64"' in form and '<option value="nasional"' in form
    base = {"csrf_token": token, "level": "opd"}
    resp = client.post("/admin/instansi", data={**base, "name": "Desk X", "province": "99"})
    assert resp.status_code == 422 and 'data-field="province"' in resp.text
    resp = client.post(
        "/admin/instansi",
        data={**base, "name": "Desk Nasional", "province": "nasional"},
        follow_redirects=False,
    )
    assert resp.status_code == 303
    with env.db.session() as s:
        desk = s.scalar(select(Agency).where(Agency.name == "Desk Nasional"))
        assert desk is not None and desk.province is None
    edit = client.get(f"/admin/instansi?ubah={desk.id}").text
    assert '<option value="nasional" selected>' in edit


def test_user_page_deactivates_and_the_user_is_out(env) -> None:  # type: ignore[no-untyped-def]
    client, token = _client(env, "admin")
    budi, _ = _client(env, "budi")
    assert budi.get("/issues").status_code == 200
    with env.db.session() as s:
        from pantau.store import User

        budi_id = s.scalar(select(User.id).where(User.username == "budi"))
    resp = client.post(
        f"/admin/pengguna/{budi_id}",
        data={"csrf_token": token, "op": "nonaktifkan"},
        follow_redirects=False,
    )
    assert resp.status_code == 303
    assert budi.get("/issues", follow_redirects=False).status_code in (303, 401)
    page = client.get("/admin/pengguna").text
    assert "Aktifkan" in page


def test_audit_log_is_searchable_and_escapes_hostile_text(env) -> None:  # type: ignore[no-untyped-def]
    client, token = _client(env, "admin")
    samarinda = agency_id(env, "Diskominfo Samarinda")
    resp = client.post(
        "/admin/kata-kunci",
        data={"csrf_token": token, "agency_id": str(samarinda), "name": "<script>x</script>",
              "query": "banjir", "active": "1"},
        follow_redirects=False,
    )  # fmt: skip
    assert resp.status_code == 303
    page = client.get("/admin/audit?q=watchlist").text
    assert "watchlist.create" in page and "<script>x</script>" not in page
    assert "user.create" not in page  # filtered to what was asked
    with env.db.session() as s:
        entry = s.scalars(select(AuditEntry).where(AuditEntry.action == "watchlist.create")).one()
    page = client.get(f"/admin/audit?objek=watchlist%23{entry.object_id}").text
    assert page.count("watchlist.create") == 1
    bad = client.get("/admin/audit?dari=kemarin")
    assert bad.status_code == 422 and "YYYY-MM-DD" in bad.text


def test_every_admin_string_has_an_indonesian_translation() -> None:
    ids = {"Admin"}
    for template in [*TEMPLATES.glob("*.html"), TEMPLATES.parent / "workflow/_corrections.html"]:
        text = template.read_text(encoding="utf-8")
        ids |= set(re.findall(r'_\("([^"]+)"\)', text)) | set(re.findall(r"_\('([^']+)'\)", text))
    assert len(ids) > 50
    indonesian = translations("id")
    same = {"Admin", "Status", "kabupaten", "kota", "provinsi"}
    assert sorted(i for i in ids - same if indonesian.gettext(i) == i) == []


def test_sources_page_adds_pauses_and_shows_a_push_token_once(env) -> None:  # type: ignore[no-untyped-def]
    client, token = _client(env, "admin")
    resp = client.post(
        "/admin/sumber",
        data={"csrf_token": token, "name": "WA Center <b>", "kind": "push", "channel": "complaint"},
    )
    assert resp.status_code == 200 and 'id="new-token"' in resp.text
    shown = re.search(r'id="new-token">[^<]*<code>(pnt_[^<]+)</code>', resp.text)
    assert shown is not None
    page = client.get("/admin/sumber").text
    assert shown.group(1) not in page and "WA Center &lt;b&gt;" in page  # once, and escaped
    with env.db.session() as s:
        from pantau.store import Source

        src_id = s.scalar(select(Source.id).where(Source.name == "WA Center <b>"))
    paused = client.post(
        f"/admin/sumber/{src_id}/jeda", data={"csrf_token": token}, follow_redirects=False
    )
    assert paused.status_code == 303
    assert "Lanjutkan" in client.get("/admin/sumber").text
    bad = client.post("/admin/sumber", data={"csrf_token": token, "name": "X", "kind": "rss"})
    assert bad.status_code == 422 and 'data-field="source"' in bad.text
    koord, _ = _client(env, "koord")
    assert koord.get("/admin/sumber").status_code == 403
