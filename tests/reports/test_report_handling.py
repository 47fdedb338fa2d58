"""Reports tell leadership who handles each issue and what the closed ones taught."""

from __future__ import annotations

import subprocess
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from pantau.reports.documents import daily_report, weekly_report
from pantau.reports.render import render_report
from pantau.store import Agency, User
from pantau.store.workflow_models import IssueAction
from pantau.workflow import assign, claim, set_status
from pantau.workflow.users import principal_of
from tests.conftest import AppEnv
from tests.reports.sample import DAY

TZ = "Asia/Makassar"
LESSONS = "Harga cabai mereda setelah operasi pasar diumumkan bersama jadwal dan lokasinya."


def _handle(env: AppEnv) -> tuple[int, int]:
    ids = env.issue_ids  # type: ignore[attr-defined]
    flood, chili = ids["banjir"], ids["cabai"]
    with env.db.writer() as s:
        koord = principal_of(s.scalars(select(User).where(User.username == "koord")).one())
        rina_user = s.scalars(select(User).where(User.username == "rina")).one()
        rina = principal_of(rina_user)
        smd = s.scalars(select(Agency).where(Agency.short_name == "Diskominfo Samarinda")).one()
        for issue in (flood, chili):
            assign(s, koord, issue, agency_id=smd.id)
        claim(s, rina, flood)
        set_status(s, rina, flood, "ditangani")
        for status in ("ditelaah", "ditangani", "dipantau"):
            set_status(s, rina, chili, status)
        set_status(s, rina, chili, "selesai", lessons=LESSONS)
        # closed on the report day (20 November, WITA), as the officer did then
        for action in s.scalars(select(IssueAction).where(IssueAction.issue_id == chili)):
            action.at = datetime(2026, 11, 20, 6, 30, tzinfo=UTC)
        return flood, chili


@pytest.mark.slow
def test_daily_and_weekly_reports_show_handling_and_lessons(
    sample_env: AppEnv, tmp_path: Path
) -> None:
    flood, chili = _handle(sample_env)
    with sample_env.db.session() as s:
        daily = daily_report(s, DAY, TZ)
        weekly = weekly_report(s, DAY, TZ)
    assert daily.handling[flood] == "Ditangani · Diskominfo Samarinda · ditangani Rina"
    assert [c.id for c in daily.closed] == [chili] and daily.closed[0].lessons == LESSONS
    assert [c.id for c in weekly.closed] == [chili]
    path = tmp_path / "w.pdf"
    path.write_bytes(render_report(weekly, "pdf"))
    text = subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    flat = " ".join(text.split())
    assert "Isu selesai dan pelajarannya" in flat
    assert LESSONS in flat
    assert "Penanganan: Ditangani · Diskominfo Samarinda" in flat
    html = render_report(daily, "html").decode()
    assert "Isu selesai dan pelajarannya" in html and "operasi pasar" in html
    # the day before nothing was closed: no empty section
    with sample_env.db.session() as s:
        before = daily_report(s, DAY.replace(day=19), TZ)
    assert before.closed == []
    assert "Isu selesai" not in render_report(before, "html").decode()
