"""Crisis playbooks: shipped data that parses, a checklist ticked by the action log, advice per
category in the weekly brief."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from pantau.reports.documents import recommended_action
from pantau.reports.overview import IssueRow
from pantau.workflow.categories import CATEGORIES
from pantau.workflow.playbooks import (
    PlaybookError,
    checklist,
    load_playbooks,
    parse_playbook,
    playbook_for,
)
from tests.conftest import AppEnv
from tests.workflow.test_cases import _issue, env
from tests.workflow.test_workflow import Actor

__all__ = ["env"]

T0 = datetime(2026, 1, 5, 8, 0, tzinfo=UTC)


def test_every_category_has_a_playbook_with_a_golden_hour_statement() -> None:
    books = load_playbooks()
    assert set(books) == {c.key for c in CATEGORIES}
    for book in books.values():
        first = book.checklist[0]
        assert first.done_by == ("holding_statement",) and first.within_hours <= 1
        assert book.key_messages and "{lokasi}" in book.holding_statement
    assert books["jalan_rusak"].crisis_type == "preventable"
    assert "maaf" in books["jalan_rusak"].strategy  # rebuild, not deny
    assert books["banjir"].crisis_type == "victim"


def test_a_broken_playbook_names_the_field() -> None:
    with pytest.raises(PlaybookError, match="crisis_type 'blame'"):
        parse_playbook("key: x\ntitle: X\ncrisis_type: blame\n", "x.yaml")
    with pytest.raises(PlaybookError, match=r"x\.yaml: field 'advice' is missing"):
        parse_playbook(
            "key: x\ntitle: X\ncrisis_type: victim\nkey_messages: [a]\nholding_statement: b\n",
            "x.yaml",
        )
    with pytest.raises(PlaybookError, match="checklist item 1: field 'done_by'"):
        parse_playbook(
            "key: x\ntitle: X\ncrisis_type: victim\nkey_messages: [a]\nholding_statement: b\n"
            "advice: c\nchecklist: [{id: a, task: b, role: humas, within_hours: 1}]\n",
            "x.yaml",
        )


def test_the_checklist_ticks_by_logged_actions_and_flags_late_ones() -> None:
    flood = load_playbooks()["banjir"]
    log = [
        ("holding_statement", T0 + timedelta(minutes=40)),
        ("siaran_pers", T0 + timedelta(hours=30)),
    ]
    ticks = {t.item.id: t for t in checklist(flood, log, T0, T0 + timedelta(hours=31))}
    assert ticks["holding"].done_at == T0 + timedelta(minutes=40) and not ticks["holding"].late
    assert ticks["rilis"].done_at is not None and ticks["rilis"].late  # 30 h against 12 h
    assert ticks["lapangan"].done_at is None and ticks["lapangan"].late
    assert ticks["pembaruan"].done_at is None  # needs two updates


def _row(label: str, stage: str = "current") -> IssueRow:
    return IssueRow(
        1,
        label,
        stage,
        "baru",
        50,
        10,
        True,
        None,
        None,
        None,
        None,
        None,
        {},
        [],
        [],
        "",
        {"negative": 9, "neutral": 1},
    )


def test_five_issues_get_five_pieces_of_advice() -> None:
    labels = [
        "Banjir rendam Sempaja, warga mengungsi",
        "Jalan rusak berlubang di poros Samarinda-Bontang",
        "Hoaks beras plastik beredar di grup WhatsApp",
        "Listrik padam 8 jam di Balikpapan",
        "Kabut asap karhutla ganggu penerbangan",
    ]
    advice = [recommended_action(_row(label)) for label in labels]
    assert len(set(advice)) == 5
    assert not any("hak jawab" in a for a in advice[:1])
    assert advice[0] == playbook_for([labels[0]]).advice  # type: ignore[union-attr]
    assert recommended_action(_row(labels[0], "crisis")).startswith("Terbitkan holding statement")


def test_issue_page_panel_and_api_tick_as_actions_are_logged(env: AppEnv) -> None:
    rina = Actor(env, "rina")
    flood = _issue(env, "Banjir rendam Sempaja, warga mengungsi", ["banjir", "sempaja"])
    before = rina.get(f"/issues/{flood}/playbook")
    assert before["playbook"]["key"] == "banjir"
    assert not any(item["done"] for item in before["checklist"])
    rina.post(
        f"/issues/{flood}/actions", {"step": "aksi", "kind": "holding_statement", "note": "-"}
    )
    after = {i["id"]: i for i in rina.get(f"/issues/{flood}/playbook")["checklist"]}
    assert after["holding"]["done"] and not after["lapangan"]["done"]
    panel = rina.client.get(f"/issues/{flood}/playbook").text
    assert 'data-playbook="banjir"' in panel and 'data-item="holding" class="done' in panel
    assert 'hx-get="/issues/' in rina.client.get(f"/issues/{flood}").text
    books = rina.get("/playbooks")
    assert (
        len(books) == 13 and {"key": "banjir", "title": "Banjir", "crisis_type": "victim"} in books
    )
    assert rina.get("/playbooks/hoaks")["crisis_type"] == "victim"
    exported = rina.client.get("/api/v1/playbooks/banjir.yaml")
    assert exported.status_code == 200 and "crisis_type: victim" in exported.text
    assert rina.client.get("/api/v1/playbooks/tidak-ada").status_code == 404
    cabai = _issue(env, "Festival budaya Erau", ["festival"])
    assert rina.get(f"/issues/{cabai}/playbook") == {"playbook": None, "checklist": []}


def test_a_province_edits_its_playbook_as_versions(env: AppEnv) -> None:
    koord, rina = Actor(env, "koord"), Actor(env, "rina")
    shipped = rina.client.get("/api/v1/playbooks/banjir.yaml").text
    own = shipped.replace('advice: "', 'advice: "SOP Kaltim, buka posko di kelurahan. ', 1)
    saved = koord.client.put(
        "/api/v1/playbooks/banjir",
        json={"text": own, "note": "SOP provinsi 2026"},
        headers={"X-CSRF-Token": koord.token},
    )
    assert saved.status_code == 200, saved.text
    assert saved.json() == {"version": 1}
    assert rina.get("/playbooks/banjir")["advice"].startswith("SOP Kaltim")
    assert rina.client.get("/api/v1/playbooks/banjir.yaml").text == own
    history = rina.get("/playbooks/banjir/versions")
    assert [(v["number"], v["author"]) for v in history] == [(1, "koord"), (0, "pantau")]
    flood = _issue(env, "Banjir rendam Sempaja", ["banjir"])
    assert rina.get(f"/issues/{flood}/playbook")["playbook"]["advice"].startswith("SOP Kaltim")
    # an analyst may not change the SOP; a broken text is refused with the field named
    refused = rina.client.put(
        "/api/v1/playbooks/banjir", json={"text": own}, headers={"X-CSRF-Token": rina.token}
    )
    assert refused.status_code == 403
    broken = koord.client.put(
        "/api/v1/playbooks/banjir",
        json={"text": own.replace("crisis_type: victim", "crisis_type: salah")},
        headers={"X-CSRF-Token": koord.token},
    )
    assert broken.status_code == 422 and "crisis_type" in broken.text
    assert len(rina.get("/playbooks/banjir/versions")) == 2
