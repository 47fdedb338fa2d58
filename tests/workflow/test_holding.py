"""A holding statement in minutes: composed from the flood playbook, linted clean, with the old
flood's lessons beside it."""

from __future__ import annotations

from pantau.writing.linter import lint
from tests.conftest import AppEnv
from tests.workflow.test_cases import _close, _issue, env
from tests.workflow.test_workflow import Actor

__all__ = ["env"]

LESSON = "Holding statement dalam 2 jam dan posko di kelurahan meredam keluhan warga."


def test_one_action_prefills_a_clean_holding_statement_with_past_lessons(env: AppEnv) -> None:
    rina = Actor(env, "rina")
    old = _issue(env, "Banjir rendam Sempaja, warga mengungsi", ["banjir", "sempaja"])
    _close(rina, old, LESSON, ["holding_statement"])
    new = _issue(env, "Sempaja kembali banjir setinggi lutut", ["banjir", "sempaja"])
    created = rina.post(f"/issues/{new}/holding-statement", expect=201)
    doc = rina.get(f"/documents/{created['document_id']}")
    assert doc["kind"] == "holding_statement" and doc["issue_id"] == new
    text = doc["text"]
    assert "PERNYATAAN AWAL" in text and "pengungsian" in text  # the flood's key message
    assert "Informasi terbaru akan disampaikan" in text
    assert lint(text, kind="holding_statement") == []
    assert LESSON in doc["versions"][-1]["note"]
    # the issue page's form opens the draft in the writing desk
    page = rina.client.post(
        f"/issues/{new}/holding-statement", data={"csrf_token": rina.token}, follow_redirects=False
    )
    assert page.status_code == 303 and page.headers["location"].startswith("/tulis/")
    editor = rina.client.get(page.headers["location"])
    assert editor.status_code == 200 and "meredam keluhan warga" in editor.text


def test_no_playbook_no_draft(env: AppEnv) -> None:
    rina = Actor(env, "rina")
    festival = _issue(env, "Festival budaya Erau", ["festival"])
    rina.post(f"/issues/{festival}/holding-statement", expect=422)
    assert (
        rina.client.post(
            "/api/v1/issues/999999/holding-statement", headers={"X-CSRF-Token": rina.token}
        ).status_code
        == 404
    )
