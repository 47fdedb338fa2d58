"""Structured lessons: an issue closes with what worked, what did not and what to do next time;
the case shows them by kind, the library finds them, the next holding statement quotes the
"next time" items first, and the notes written before they were structured are kept."""

from __future__ import annotations

from datetime import UTC, datetime

from alembic import command
from alembic.script import ScriptDirectory

from pantau.store.db import Database
from pantau.store.learning_models import IssueLesson
from pantau.store.models import Issue
from pantau.store.workflow_models import IssueAction
from pantau.workflow.case_import import import_cases
from pantau.workflow.lessons import lessons_of
from tests.conftest import AppEnv
from tests.workflow.test_cases import _issue, env
from tests.workflow.test_workflow import Actor

__all__ = ["env"]

WORKED = ["Holding statement dalam 2 jam meredam keluhan", "Posko di kelurahan"]
FAILED = ["Nomor darurat di rilis pertama salah ketik"]
NEXT_TIME = ["Siapkan templat pernyataan banjir sebelum musim hujan"]


def _close_structured(officer: Actor, issue: int) -> dict[str, object]:
    for status in ("ditelaah", "ditangani", "dipantau"):
        officer.post(f"/issues/{issue}/status", {"status": status})
    return _close_now(officer, issue)


def _close_now(officer: Actor, issue: int) -> dict[str, object]:
    body = {"status": "selesai", "worked": WORKED, "failed": FAILED, "next_time": NEXT_TIME}
    return dict(officer.post(f"/issues/{issue}/status", body))


def test_closing_records_lessons_by_kind_shown_in_the_case_and_its_brief(env: AppEnv) -> None:
    rina = Actor(env, "rina")
    flood = _issue(env, "Banjir rendam Sempaja, warga mengungsi", ["banjir", "sempaja"])
    for status in ("ditelaah", "ditangani", "dipantau"):
        rina.post(f"/issues/{flood}/status", {"status": status})
    refused = rina.post(
        f"/issues/{flood}/status", {"status": "selesai", "worked": ["ok"], "next_time": [" "]}, 422
    )
    assert refused["detail"]["field"] == "lessons"
    done = _close_now(rina, flood)
    note = next(a["note"] for a in done["actions"] if a["kind"] == "pelajaran")  # type: ignore[union-attr]
    assert note.startswith("Berhasil: Holding statement dalam 2 jam meredam keluhan; Posko")
    assert "Lain kali: Siapkan templat" in note

    case = rina.get(f"/cases/{flood}")["case"]
    assert case["learned"] == {
        "worked": WORKED,
        "failed": FAILED,
        "next_time": NEXT_TIME,
        "note": [],
    }
    assert case["lessons"][0] == "Lain kali: " + NEXT_TIME[0]  # the advice first
    page = rina.client.get(f"/kasus/{flood}").text
    assert page.index("Lain kali") < page.index("Yang berhasil") < page.index("Yang tidak berhasil")
    assert "salah ketik" in page
    pdf = rina.client.get(f"/api/v1/cases/{flood}/brief.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    library = rina.client.get("/kasus?q=templat").text
    assert f'data-case="{flood}"' in library and 'data-lesson="next_time"' in library


def test_the_library_searches_every_kind_and_lessons_can_be_added_after_closing(
    env: AppEnv,
) -> None:
    rina, budi = Actor(env, "rina"), Actor(env, "budi")
    flood = _issue(env, "Banjir rendam Sempaja, warga mengungsi", ["banjir", "sempaja"])
    _close_structured(rina, flood)
    assert [c["id"] for c in rina.get("/cases?q=salah+ketik")] == [flood]  # a "did not" item
    assert rina.get("/cases?q=tambang") == []
    budi.post(f"/cases/{flood}/lessons", {"next_time": ["Libatkan RT sejak awal"]}, 403)
    open_issue = _issue(env, "Banjir lagi di Sempaja", ["banjir"])
    refused = rina.post(f"/cases/{open_issue}/lessons", {"worked": ["Posko cepat dibuka"]}, 422)
    assert refused["detail"]["field"] == "status"
    learned = rina.post(f"/cases/{flood}/lessons", {"next_time": ["Libatkan RT sejak awal"]})
    assert learned["next_time"] == [*NEXT_TIME, "Libatkan RT sejak awal"]
    assert [c["id"] for c in rina.get("/cases?q=libatkan+rt")] == [flood]


def test_the_holding_statement_quotes_next_time_first(env: AppEnv) -> None:
    rina = Actor(env, "rina")
    old = _issue(env, "Banjir rendam Sempaja, warga mengungsi", ["banjir", "sempaja"])
    _close_structured(rina, old)
    new = _issue(env, "Sempaja kembali banjir setinggi lutut", ["banjir", "sempaja"])
    created = rina.post(f"/issues/{new}/holding-statement", expect=201)
    note = rina.get(f"/documents/{created['document_id']}")["versions"][-1]["note"]
    assert note.index("Lain kali: Siapkan templat") < note.index("Berhasil: Holding statement")
    assert "Tidak berhasil: Nomor darurat" in note


def test_the_close_form_takes_one_lesson_a_line(env: AppEnv) -> None:
    rina = Actor(env, "rina")
    issue = _issue(env, "Banjir rendam Sempaja", ["banjir"])
    for status in ("ditelaah", "ditangani", "dipantau"):
        rina.post(f"/issues/{issue}/status", {"status": status})
    panel = rina.client.get(f"/issues/{issue}/workflow").text
    assert 'name="worked"' in panel and 'name="next_time"' in panel
    resp = rina.client.post(
        f"/issues/{issue}/workflow/status",
        data={
            "csrf_token": rina.token,
            "status": "selesai",
            "worked": "- Posko dibuka dalam satu jam\n\n- Info rutin tiap 3 jam",
            "next_time": "1. Siapkan perahu karet lebih awal",
        },
        headers={"HX-Request": "true"},
    )
    assert resp.status_code == 200, resp.text
    with env.db.session() as s:
        learned = lessons_of(s, [issue])[issue]
    assert learned.worked == ["Posko dibuka dalam satu jam", "Info rutin tiap 3 jam"]
    assert learned.next_time == ["Siapkan perahu karet lebih awal"] and learned.failed == []


def test_the_migration_keeps_free_text_lessons(store_url: str) -> None:
    db = Database(store_url)
    cfg = db.alembic_config()
    # every migration but the lessons' and those after it (downgrading from the head would pass
    # through migrations that only a backup undoes)
    script = ScriptDirectory.from_config(cfg)
    lessons = "0009_learning2_lessons"
    later = {lessons, *(r.revision for r in script.iterate_revisions("heads", lessons))}
    for revision in script.walk_revisions():
        if revision.revision not in later:
            command.upgrade(cfg, revision.revision)
    at = datetime(2026, 3, 1, 2, 0, tzinfo=UTC)
    with db.writer() as s:
        issue = Issue(label="Banjir Sempaja", status="selesai", key_phrases=[], regions=[])
        s.add(issue)
        s.flush()
        for kind, note in (("pelajaran", "Posko."), ("catatan", "bukan pelajaran")):
            s.add(IssueAction(issue_id=issue.id, step="evaluasi", kind=kind, note=note, at=at))
        issue_id = issue.id
    db.upgrade()
    with db.session() as s:
        (row,) = s.query(IssueLesson).all()
        assert (row.issue_id, row.kind, row.text) == (issue_id, "note", "Posko.")
        assert row.created_at == at
        assert lessons_of(s, [issue_id])[issue_id].quoted() == ["Posko."]
    db.dispose()


def test_a_spreadsheet_brings_lessons_by_kind(env: AppEnv) -> None:
    sheet = (
        "judul,mulai,selesai,berhasil,gagal,lain_kali\n"
        "Banjir Sempaja 2023,2023-01-10,2023-01-12,Posko cepat;Info tiap 3 jam,,Perahu karet siap\n"
        "Longsor Loa Janan,2023-02-01,2023-02-02,,,\n"
    )
    with env.db.writer() as s:
        result = import_cases(s, sheet, "admin")
        (case,) = result.imported
        assert result.quarantined == [
            (3, "kolom 'berhasil', 'gagal', 'lain_kali' atau 'pelajaran': menutup isu memerlukan "
                "pelajaran (yang berhasil, yang tidak, lain kali) minimal 15 karakter")
        ]  # fmt: skip
        learned = lessons_of(s, [case])[case]
    assert learned.worked == ["Posko cepat", "Info tiap 3 jam"] and learned.failed == []
    assert learned.next_time == ["Perahu karet siap"]
