"""The JSON API under /api/v1/documents: shapes, errors naming the field, permissions, flow."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select

from pantau.store.models import AuditEntry
from pantau.writing import KINDS
from tests.conftest import AppEnv
from tests.writing_web.desk_fixtures import add_issue, complete_facts, logged_in

API = "/api/v1/documents"


def _post(client: Any, token: str, path: str, body: dict[str, Any]) -> Any:
    return client.post(path, json=body, headers={"X-CSRF-Token": token})


@pytest.mark.slow
def test_create_get_list_lint_version_and_export(app_env: AppEnv) -> None:
    issue_id = add_issue(app_env)
    client, token = logged_in(app_env, "rina")
    resp = _post(
        client,
        token,
        API,
        {"kind": "siaran_pers", "fields": complete_facts(), "issue_id": issue_id},
    )
    assert resp.status_code == 201, resp.text
    doc = resp.json()
    assert doc["version"] == 1 and doc["status"] == "draf" and doc["issue_id"] == issue_id
    assert doc["text"].startswith("UNTUK DISIARKAN SEGERA\n")
    assert doc["agency"] == "Dinas Komunikasi dan Informatika Kota Samarinda"
    listed = client.get(API, params={"issue_id": issue_id}).json()
    assert [d["id"] for d in listed] == [doc["id"]] and "text" not in listed[0]
    assert client.get(API, params={"issue_id": issue_id + 1}).json() == []
    clean = _post(client, token, f"{API}/{doc['id']}/lint", {}).json()
    assert not [f for f in clean if f["severity"] == "error"]
    found = _post(client, token, f"{API}/{doc['id']}/lint", {"text": "Silahkan datang."}).json()
    assert found[0] == {
        "rule": "ejaan.baku",
        "severity": "error",
        "start": 0,
        "end": 8,
        "message": found[0]["message"],
        "suggestion": "Silakan",
    }
    new_text = doc["text"] + "\nPosko buka setiap hari.\n"
    resp = _post(client, token, f"{API}/{doc['id']}/versions", {"text": new_text, "note": "tambah"})
    assert resp.status_code == 201 and resp.json()["version"] == 2
    same = _post(client, token, f"{API}/{doc['id']}/versions", {"text": new_text})
    assert same.json()["version"] == 2  # unchanged text is no new version
    got = client.get(f"{API}/{doc['id']}").json()
    assert [v["note"] for v in got["versions"]] == ["", "tambah"]
    pdf = client.get(f"{API}/{doc['id']}/export/pdf")
    assert pdf.headers["content-type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    bad = client.get(f"{API}/{doc['id']}/export/odt")
    assert bad.status_code == 422 and bad.json()["detail"]["field"] == "format"


def test_errors_name_the_field(app_env: AppEnv) -> None:
    client, token = logged_in(app_env, "rina")
    facts = complete_facts()

    def field_of(body: dict[str, Any]) -> tuple[int, Any]:
        resp = _post(client, token, API, body)
        detail = resp.json()["detail"]
        return resp.status_code, detail["field"] if isinstance(detail, dict) else detail

    assert field_of({"kind": "memo", "fields": facts}) == (422, "kind")
    assert field_of({"kind": "siaran_pers", "fields": {**facts, "headline": ""}}) == (
        422,
        "headline",
    )
    assert field_of({"kind": "siaran_pers", "fields": {**facts, "contact": None}}) == (
        422,
        "contact",
    )
    quote = {"text": "Kami siap", "speaker": "", "position": "Kepala Dinas"}
    assert field_of({"kind": "siaran_pers", "fields": {**facts, "quotes": [quote]}}) == (
        422,
        "quotes.0.speaker",
    )
    assert field_of({"kind": "siaran_pers", "fields": {**facts, "when": "besok"}}) == (
        422,
        "when",
    )
    assert field_of({"kind": "siaran_pers", "fields": facts, "issue_id": 999}) == (422, "issue_id")
    resp = _post(client, token, API, {"kind": "siaran_pers"})
    assert resp.status_code == 422
    assert resp.json()["problems"][0]["field"] == "body.fields"
    doc_id = _post(client, token, API, {"kind": "siaran_pers", "fields": facts}).json()["id"]
    resp = _post(client, token, f"{API}/{doc_id}/versions", {"text": " "})
    assert resp.status_code == 422 and resp.json()["detail"]["field"] == "text"
    resp = _post(client, token, f"{API}/{doc_id}/transition", {"to": "selesai"})
    assert resp.status_code == 422 and resp.json()["detail"]["field"] == "to"
    assert client.get(f"{API}/{doc_id + 100}").status_code == 404


@pytest.mark.slow
def test_review_flow_permissions_and_audit(app_env: AppEnv) -> None:
    client, token = logged_in(app_env, "rina")
    facts = complete_facts()
    doc = _post(client, token, API, {"kind": "siaran_pers", "fields": facts}).json()
    url = f"{API}/{doc['id']}"
    budi, btoken = logged_in(app_env, "budi")
    assert _post(budi, btoken, f"{url}/versions", {"text": "Teks lain"}).status_code == 403
    assert _post(budi, btoken, f"{url}/transition", {"to": "ditinjau"}).status_code == 403
    boss, ptoken = logged_in(app_env, "pimpinan")
    assert boss.get(url).status_code == 200
    assert _post(boss, ptoken, API, {"kind": "siaran_pers", "fields": facts}).status_code == 403
    assert _post(boss, ptoken, f"{url}/transition", {"to": "disetujui"}).status_code == 403
    # an error-level finding blocks approval
    bad = doc["text"] + "\nSilahkan datang ke posko.\n"
    _post(client, token, f"{url}/versions", {"text": bad})
    assert _post(client, token, f"{url}/transition", {"to": "ditinjau"}).status_code == 200
    koord, ktoken = logged_in(app_env, "koord")
    refused = _post(koord, ktoken, f"{url}/transition", {"to": "disetujui"})
    assert (
        refused.status_code == 422 and "galat (ejaan.baku)" in refused.json()["detail"]["message"]
    )
    # the coordinator's fix makes them the last author: the four-eyes rule refuses them
    fixed = _post(koord, ktoken, f"{url}/fix", {}).json()
    assert fixed["status"] == "draf" and "Silakan datang" in fixed["text"]
    _post(koord, ktoken, f"{url}/transition", {"to": "ditinjau"})
    own = _post(koord, ktoken, f"{url}/transition", {"to": "disetujui"})
    assert own.status_code == 422 and "orang lain" in own.json()["detail"]["message"]
    admin, atoken = logged_in(app_env, "admin")
    assert _post(admin, atoken, f"{url}/transition", {"to": "disetujui"}).json()["status"] == (
        "disetujui"
    )
    assert _post(admin, atoken, f"{url}/transition", {"to": "diterbitkan"}).status_code == 200
    final = _post(client, token, f"{url}/versions", {"text": "Judul\nSAMARINDA - Ubah."})
    assert final.status_code == 422 and "diterbitkan" in final.json()["detail"]["message"]
    with app_env.db.session() as s:
        n = s.scalar(
            select(func.count()).where(
                AuditEntry.object_type == "document", AuditEntry.object_id == str(doc["id"])
            )
        )
    assert n == 7  # create, 2 versions, 4 moves


def test_api_needs_a_session_and_is_documented(app_env: AppEnv) -> None:
    client = app_env.client()
    assert client.get(API).status_code == 401
    paths = client.get("/api/openapi.json").json()["paths"]
    assert {API, f"{API}/{{doc_id}}/lint", f"{API}/{{doc_id}}/transition"} <= set(paths)


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.slow
def test_every_kind_composes_from_complete_facts_and_can_be_approved(
    app_env: AppEnv, kind: str
) -> None:
    client, token = logged_in(app_env, "rina")
    doc = _post(client, token, API, {"kind": kind, "fields": complete_facts(kind)}).json()
    assert doc["kind"] == kind and doc["version"] == 1
    found = _post(client, token, f"{API}/{doc['id']}/lint", {}).json()
    assert [f["rule"] for f in found if f["severity"] == "error"] == []
    sent = _post(client, token, f"{API}/{doc['id']}/transition", {"to": "ditinjau"})
    assert sent.status_code == 200
    koord, ktoken = logged_in(app_env, "koord")
    moved = _post(koord, ktoken, f"{API}/{doc['id']}/transition", {"to": "disetujui"})
    assert moved.status_code == 200 and moved.json()["status"] == "disetujui"


def test_analyst_cannot_write_on_another_agencys_issue(app_env: AppEnv) -> None:
    issue_id = add_issue(app_env)  # Diskominfo Samarinda's
    budi, token = logged_in(app_env, "budi")  # Diskominfo Balikpapan
    body = {"kind": "siaran_pers", "fields": complete_facts(), "issue_id": issue_id}
    assert _post(budi, token, API, body).status_code == 403
    unowned = add_issue(app_env, agency=None)
    made = _post(budi, token, API, {**body, "issue_id": unowned})
    assert made.status_code == 201
    assert made.json()["agency"] == "Dinas Komunikasi dan Informatika Kota Balikpapan"
