"""The performance ledger: response times and media pick-up per agency and officer, as API, CSV,
page and the weekly brief."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

from docx import Document
from sqlalchemy import select

from pantau.newsroom.pickup import link_pickups, news_part
from pantau.reports.documents import weekly_report
from pantau.reports.render import render_report
from pantau.store.workflow_models import IssueAction
from tests.alerts.support import START, add_alert
from tests.conftest import AppEnv
from tests.newsroom.fixtures import news_article, published_release
from tests.workflow.test_cases import _issue, env
from tests.workflow.test_workflow import Actor

__all__ = ["env"]

#: When each logged kind is moved to, in hours after the first alert (the log is written now;
#: the ledger is about stream time, so the test sets it).
AFTER_HOURS = {"klaim": 0.5, "holding_statement": 1.5, "siaran_pers": 5.0, "pelajaran": 24.0}
PERIOD = f"since={START.date().isoformat()}&until={(START + timedelta(days=2)).date().isoformat()}"


def _backdate(env: AppEnv, issue: int) -> None:
    with env.db.writer() as s:
        for act in s.scalars(select(IssueAction).where(IssueAction.issue_id == issue)):
            hours = AFTER_HOURS.get(act.kind)
            if act.kind == "status" and (act.data or {}).get("to") == "selesai":
                hours = 24.0
            act.at = START + timedelta(hours=hours if hours is not None else 0.2)


def test_ledger_reports_response_times_per_agency_and_officer(env: AppEnv) -> None:
    rina = Actor(env, "rina")
    flood = _issue(env, "Banjir rendam Sempaja", ["banjir"])
    quiet = _issue(env, "Jalan rusak di Sungai Kunjang", ["jalan"])
    for issue in (flood, quiet):
        add_alert(env, issue)
    rina.post(f"/issues/{flood}/claim", {})
    for kind in ("holding_statement", "siaran_pers"):
        rina.post(f"/issues/{flood}/actions", {"step": "aksi", "kind": kind, "note": "-"})
    rina.post(f"/issues/{flood}/status", {"status": "dipantau"})
    lesson = "Holding statement cepat meredam keluhan warga di Sempaja."
    rina.post(f"/issues/{flood}/status", {"status": "selesai", "lessons": lesson})
    _backdate(env, flood)

    rows = rina.get(f"/ledger?{PERIOD}")
    agency = next(r for r in rows if r["kind"] == "instansi")
    assert (
        agency["name"] == "Dinas Komunikasi dan Informatika Kota Samarinda"
        and agency["issues"] == 2
    )
    assert agency["hours_to_claim"] == 0.5  # only the flood was claimed
    assert agency["hours_to_statement"] == 1.5
    assert agency["hours_to_close"] == 24.0
    assert agency["statements_per_issue"] == 1.0  # two statements over two issues
    assert agency["closed_with_lessons"] == 1.0
    officer = next(r for r in rows if r["kind"] == "petugas")
    assert officer["issue_ids"] == [flood]

    exported = rina.client.get(f"/api/v1/ledger.csv?{PERIOD}")
    table = list(csv.DictReader(io.StringIO(exported.text)))
    assert table[0]["median_jam_ke_pernyataan"] == "1.5" and table[0]["isu"] == "2"
    page = rina.client.get(f"/kinerja?{PERIOD}")
    assert page.status_code == 200 and "Informatika Kota Samarinda" in page.text
    assert rina.get("/ledger?since=2020-01-01&until=2020-01-31") == []
    assert rina.client.get("/api/v1/ledger?since=kemarin").status_code == 422


def test_weekly_brief_has_a_response_times_section(env: AppEnv) -> None:
    rina = Actor(env, "rina")
    flood = _issue(env, "Banjir rendam Sempaja", ["banjir"])
    add_alert(env, flood)
    rina.post(f"/issues/{flood}/claim", {})
    rina.post(
        f"/issues/{flood}/actions", {"step": "aksi", "kind": "holding_statement", "note": "-"}
    )
    _backdate(env, flood)
    with env.db.session() as s:
        report = weekly_report(s, START.date() + timedelta(days=1), "Asia/Makassar")
    (row,) = report.response_times
    assert row.hours_to_claim == 0.5 and row.hours_to_statement == 1.5
    html = render_report(report, "html").decode()
    assert "Waktu tanggap" in html and "1.5 jam" in html
    docx = Document(io.BytesIO(render_report(report, "docx")))
    assert any(p.text == "Waktu tanggap" for p in docx.paragraphs)


def test_ledger_counts_the_outlets_that_picked_up_the_releases(env: AppEnv) -> None:
    rina = Actor(env, "rina")
    flood = _issue(env, "Banjir rendam Sempaja", ["banjir"])
    add_alert(env, flood)
    rina.post(f"/issues/{flood}/claim", {})
    release = published_release(env, issue_id=flood)
    story = "\n".join(p for p in news_part(release.text).split("\n") if p.strip())
    news_article(env, "Pemkot Buka Posko Banjir", "Warga kini punya posko.\n" + story, 40,
                 "Kaltim Post")  # fmt: skip
    news_article(env, "Posko Banjir Sempaja Dibuka", story, 95, "Tribun Kaltim")
    news_article(env, "Posko Dibuka", story, 30, "Antara Kaltim")
    with env.db.writer() as s:
        assert link_pickups(s) == 3
    rows = rina.get(f"/ledger?{PERIOD}")
    agency, officer = (next(r for r in rows if r["kind"] == k) for k in ("instansi", "petugas"))
    for row in (agency, officer):
        assert row["outlets"] == 3
        assert row["outlet_names"] == ["Antara Kaltim", "Kaltim Post", "Tribun Kaltim"]
        assert row["hours_to_pickup"] == 0.5  # the first outlet carried it in 30 minutes
    table = list(csv.DictReader(io.StringIO(rina.client.get(f"/api/v1/ledger.csv?{PERIOD}").text)))
    assert table[0]["media_memuat_rilis"] == "3" and table[0]["median_jam_ke_dimuat"] == "0.5"
    assert table[0]["nama_media"] == "Antara Kaltim; Kaltim Post; Tribun Kaltim"
    page = rina.client.get(f"/kinerja?{PERIOD}").text
    assert "Tribun Kaltim" in page and "0.5 j" in page
    with env.db.session() as s:
        report = weekly_report(s, START.date() + timedelta(days=1), "Asia/Makassar")
    html = render_report(report, "html").decode()
    assert "Media memuat rilis" in html and "Antara Kaltim, Kaltim Post, Tribun Kaltim" in html
    docx = Document(io.BytesIO(render_report(report, "docx")))
    cells = [c.text for table in docx.tables for row in table.rows for c in row.cells]
    assert any("rilis dimuat 3 media" in c for c in cells)
