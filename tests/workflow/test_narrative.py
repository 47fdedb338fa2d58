"""The single narrative: an issue's key messages start as its playbook's, the lead agency edits
them into versions, every office involved is told, and every draft about the issue carries them."""

from __future__ import annotations

from typing import Any

from pantau.writing import example_fields
from pantau.writing.linter import lint
from tests.conftest import AppEnv
from tests.workflow.test_cases import _issue, env
from tests.workflow.test_workflow import Actor

__all__ = ["env"]

MESSAGES = [
    "Posko pengungsian di Kelurahan Sempaja dibuka 24 jam bagi warga terdampak.",
    "Warga dapat menghubungi nomor darurat BPBD 112 untuk evakuasi.",
]


def _put(actor: Actor, issue: int, messages: list[str], note: str = "", expect: int = 200) -> Any:
    resp = actor.client.put(
        f"/api/v1/issues/{issue}/key-messages",
        json={"messages": messages, "note": note},
        headers={"X-CSRF-Token": actor.token},
    )
    assert resp.status_code == expect, resp.text
    return resp.json()


def _titles(actor: Actor) -> list[str]:
    return [n["title"] for n in actor.get("/notifications")]


def test_key_messages_start_from_the_playbook_and_the_lead_agency_versions_them(
    env: AppEnv,
) -> None:
    rina, budi, koord = Actor(env, "rina"), Actor(env, "budi"), Actor(env, "koord")
    flood = _issue(env, "Banjir rendam Sempaja, warga mengungsi", ["banjir", "sempaja"])
    first = rina.get(f"/issues/{flood}/key-messages")
    assert first["number"] == 0 and first["playbook"] == "banjir" and first["messages"]
    assert all("{" not in m for m in first["messages"])
    assert any("Kota Samarinda" in m for m in first["messages"])  # the place filled in

    budi.post(f"/issues/{flood}/comments", {"body": "BPBD Balikpapan siap bantu perahu."})
    assert _put(budi, flood, MESSAGES, expect=403)  # not the lead agency
    assert _put(rina, flood, ["  "], expect=422)["detail"]["field"] == "messages"
    saved = _put(rina, flood, MESSAGES, "nomor darurat ditambahkan")
    assert (saved["number"], saved["messages"], saved["agency"]) == (
        1,
        MESSAGES,
        "Diskominfo Samarinda",
    )
    assert _put(rina, flood, MESSAGES)["number"] == 1  # the same messages: no new version
    versions = rina.get(f"/issues/{flood}/key-messages/versions")
    assert [v["number"] for v in versions] == [1, 0]
    # every office involved is told (budi commented), the author is not
    told = f"Pesan kunci isu #{flood} diperbarui (versi 1)"
    assert told in _titles(budi) and told not in _titles(rina)
    assert told not in _titles(koord)  # the province did not take part and does not follow
    koord.post("/subscriptions", {"issue_id": flood})
    assert _put(koord, flood, [*MESSAGES, "Pembaruan tiap 3 jam."])["number"] == 2
    assert f"Pesan kunci isu #{flood} diperbarui (versi 2)" in _titles(rina)


def test_every_draft_about_the_issue_carries_the_key_messages(env: AppEnv) -> None:
    rina, koord = Actor(env, "rina"), Actor(env, "koord")
    flood = _issue(env, "Banjir rendam Sempaja, warga mengungsi", ["banjir", "sempaja"])
    _put(rina, flood, MESSAGES)
    release = rina.post(
        "/documents",
        {"kind": "siaran_pers", "fields": example_fields("siaran_pers"), "issue_id": flood},
        201,
    )
    assert all(m in release["text"] for m in MESSAGES)
    # the province's draft, another office's: a clarification carries them as its facts
    fields = example_fields("klarifikasi")
    clarification = koord.post(
        "/documents", {"kind": "klarifikasi", "fields": fields, "issue_id": flood}, 201
    )
    assert all(m in clarification["text"] for m in MESSAGES)
    assert clarification["text"].index(MESSAGES[0]) < clarification["text"].index(
        fields["facts"][0]
    )
    unrelated = rina.post(
        "/documents", {"kind": "siaran_pers", "fields": example_fields("siaran_pers")}, 201
    )
    assert MESSAGES[0] not in unrelated["text"]
    # the holding statement speaks the edited messages, once each, and lints clean
    created = rina.post(f"/issues/{flood}/holding-statement", expect=201)
    text = rina.get(f"/documents/{created['document_id']}")["text"]
    assert all(text.count(m) == 1 for m in MESSAGES)
    assert lint(text, kind="holding_statement") == []


def test_the_panel_shows_every_agency_the_messages_and_only_the_lead_edits(env: AppEnv) -> None:
    rina, budi = Actor(env, "rina"), Actor(env, "budi")
    flood = _issue(env, "Banjir rendam Sempaja, warga mengungsi", ["banjir", "sempaja"])
    _put(rina, flood, ['<script>alert("x")</script> Posko dibuka di Sempaja.', MESSAGES[1]])
    for actor, editable in ((rina, True), (budi, False)):
        page = actor.client.get(f"/issues/{flood}/narasi").text
        assert 'data-version="1"' in page and "nomor darurat BPBD 112" in page
        assert "<script>alert" not in page and "&lt;script&gt;" in page
        assert ('id="save-key-messages"' in page) is editable
    resp = rina.client.post(
        f"/issues/{flood}/narasi",
        data={"csrf_token": rina.token, "messages": "\n".join(MESSAGES), "note": "tanpa skrip"},
        headers={"HX-Request": "true"},
    )
    assert resp.status_code == 200 and 'data-version="2"' in resp.text
    refused = budi.client.post(
        f"/issues/{flood}/narasi",
        data={"csrf_token": budi.token, "messages": "Pesan lain."},
        headers={"HX-Request": "true"},
    )
    assert 'id="narrative-error"' in refused.text and 'data-version="2"' in refused.text
    plain = budi.client.post(
        f"/issues/{flood}/narasi", data={"csrf_token": budi.token, "messages": "Pesan lain."}
    )
    assert plain.status_code == 403  # a plain form gets the refusal as a page
    festival = _issue(env, "Festival budaya Erau", ["festival"])
    assert 'id="narrative-none"' in rina.client.get(f"/issues/{festival}/narasi").text
