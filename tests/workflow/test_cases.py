"""Past cases: an issue closed with lessons learned is offered to the next similar issue."""

from __future__ import annotations

from pathlib import Path

import pytest

from pantau.store.models import Issue
from tests.alerts.support import add_issue, agency_id, make_env
from tests.conftest import AppEnv
from tests.workflow.test_workflow import Actor

BALIKPAPAN = "64.71"


@pytest.fixture
def env(tmp_path: Path, seeded_db_file: Path):  # type: ignore[no-untyped-def]
    e = make_env(tmp_path, seeded_db_file)
    yield e
    e.db.dispose()


def _close(officer: Actor, issue: int, lessons: str, actions: list[str]) -> None:
    for kind in actions:
        officer.post(f"/issues/{issue}/actions", {"step": "aksi", "kind": kind, "note": "-"})
    for status in ("ditelaah", "ditangani", "dipantau"):
        officer.post(f"/issues/{issue}/status", {"status": status})
    officer.post(f"/issues/{issue}/status", {"status": "selesai", "lessons": lessons})


def _issue(env: AppEnv, label: str, phrases: list[str], region: str = "64.72") -> int:
    issue = add_issue(env, label, region=region, agency=agency_id(env, "Diskominfo Samarinda"))
    with env.db.writer() as s:
        row = s.get(Issue, issue)
        assert row is not None
        row.key_phrases = phrases
    return issue


def test_a_closed_flood_is_the_first_case_for_the_next_flood(env: AppEnv) -> None:
    rina = Actor(env, "rina")
    old_flood = _issue(env, "Banjir rendam Sempaja, warga mengungsi", ["banjir", "sempaja"])
    fire = _issue(env, "Kebakaran pasar Segiri", ["kebakaran", "pasar segiri"])
    other_flood = _issue(
        env, "Banjir rob di Balikpapan Barat", ["banjir", "rob"], region=BALIKPAPAN + ".01"
    )
    lessons = "Holding statement dalam 2 jam dan posko di kelurahan meredam keluhan warga."
    _close(rina, old_flood, lessons, ["holding_statement", "cek_lapangan", "cek_lapangan"])
    _close(rina, fire, "Klarifikasi penyebab api dari Damkar menghentikan hoaks.", ["klarifikasi"])
    _close(rina, other_flood, "Rob surut sendiri; cukup informasi pasang dari BMKG.", [])
    new = _issue(env, "Sempaja kembali banjir setinggi lutut", ["banjir", "sempaja", "lutut"])

    cases = rina.get(f"/issues/{new}/cases")
    ids = [c["issue_id"] for c in cases]
    assert ids[0] == old_flood  # same words and the same city
    assert fire not in ids  # nothing in common but the stopwords
    assert other_flood in ids and ids.index(other_flood) > 0
    first = cases[0]
    assert first["lessons"] == [lessons]
    assert {(a["action"], a["count"]) for a in first["actions"]} == {
        ("Holding statement diterbitkan", 1),
        ("Pengecekan lapangan", 2),
    }
    assert "sempaja" in first["shared_words"] and "banjir" in first["shared_words"]
    # alike, then how it ended: the holding statement came days after the fixture's first sighting
    alike, ended = first["reason"].split(", respons setelah ")
    assert alike == "sama-sama banjir di Kota Samarinda" and ended.endswith(" hari")
    assert first["closed_at"] is not None
    # an open issue is not a case yet
    assert new not in [c["issue_id"] for c in rina.get(f"/issues/{old_flood}/cases")]


def test_cases_panel_escapes_text_and_says_when_there_is_none(env: AppEnv) -> None:
    rina = Actor(env, "rina")
    hostile = '<script>alert("x")</script> banjir Sempaja'
    old = _issue(env, hostile, ["banjir", "sempaja"])
    _close(rina, old, "<img src=x onerror=alert(1)> posko lebih awal membantu warga.", [])
    new = _issue(env, "Banjir lagi di Sempaja", ["banjir", "sempaja"])
    page = rina.client.get(f"/issues/{new}/cases")
    assert page.status_code == 200
    assert "<script>alert" not in page.text and "<img src=x" not in page.text
    assert "&lt;script&gt;" in page.text and "posko lebih awal" in page.text
    lonely = _issue(env, "Harga cabai naik", ["cabai"])
    empty = rina.client.get(f"/issues/{lonely}/cases")
    assert 'id="cases-none"' in empty.text
    assert rina.client.get("/issues/999999/cases").status_code == 404
    assert rina.client.get("/api/v1/issues/999999/cases").status_code == 404
    issue_page = rina.client.get(f"/issues/{new}")
    assert f'hx-get="/issues/{new}/cases"' in issue_page.text
