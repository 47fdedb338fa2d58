"""A province sets up its network in the browser, and the network then works as one.

An admin adds the provincial public-works office (an OPD) with a mandate, its watchlist and an
analyst, all through the admin pages; complaints about a broken road then reach that analyst
through the ordinary pipeline and routing; the analyst claims the issue and escalates it, and
the issue page, the issue list, the overview counter and the daily report all say crisis.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from pantau.alerts.runner import route_and_notify
from pantau.store import Issue
from tests.conftest import AppEnv, LiveServer, browser_login
from tests.workflow.test_network import _complaints

pytestmark = pytest.mark.browser

ROAD = "jalan poros sangatta rusak parah berlubang, truk terguling di kutai timur {i}"
T0 = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=2)


def _road_complaints(env: AppEnv, n: int) -> None:
    _complaints(env, n, ROAD)
    route_and_notify(env.db, env.settings)


def test_admin_builds_an_opd_whose_analyst_claims_and_escalates(
    app_env: AppEnv, live_server: LiveServer, browser
) -> None:  # type: ignore[no-untyped-def]
    base = live_server.url
    errors: list[str] = []
    admin = browser.new_context().new_page()
    admin.on("pageerror", lambda e: errors.append(str(e)))
    browser_login(admin, base, "admin")
    admin.click("nav >> text=Admin")
    admin.wait_for_url(f"{base}/admin/instansi")
    admin.fill("input[name=name]", "Dinas Pekerjaan Umum dan Penataan Ruang Provinsi Kaltim")
    admin.fill("input[name=short_name]", "PUPR Kaltim")
    admin.select_option("select[name=level]", "opd")
    admin.fill("input[name=mandate_regions]", "64")
    admin.click("#form button[type=submit]")
    admin.wait_for_url(f"{base}/admin/instansi?tersimpan=1")
    assert "PUPR Kaltim" in admin.locator("table").inner_text()

    admin.goto(f"{base}/admin/kata-kunci")
    admin.select_option("select[name=agency_id]", label="PUPR Kaltim")
    admin.fill("input[name=name]", "jalan rusak")
    admin.fill("textarea[name=query]", "jalan AND (rusak OR berlubang OR longsor")
    admin.click("#form button[type=submit]")
    assert "kolom" in admin.locator("#form-error").inner_text()  # the syntax error, located
    admin.fill("textarea[name=query]", "jalan AND (rusak OR berlubang OR longsor)")
    admin.locator("#preview-count").wait_for()  # the live preview answered
    admin.click("#form button[type=submit]")
    admin.wait_for_url(f"{base}/admin/kata-kunci?tersimpan=1")

    admin.goto(f"{base}/admin/pengguna")
    admin.fill("#form input[name=username]", "dani.pupr")
    admin.fill("#form input[name=full_name]", "Dani Pratama")
    admin.select_option("#form select[name=role]", "analis")
    admin.select_option("#form select[name=agency_id]", label="PUPR Kaltim")
    admin.fill("#form input[name=password]", "jalan-mulus-2026")
    admin.click("#form button[type=submit]")
    admin.wait_for_url(f"{base}/admin/pengguna?tersimpan=1")
    assert "Dani Pratama" in admin.locator("#user-dani\\.pupr").inner_text()

    _road_complaints(app_env, 14)
    dani = browser.new_context().new_page()
    dani.on("pageerror", lambda e: errors.append(str(e)))
    browser_login(dani, base, "dani.pupr", "jalan-mulus-2026")
    dani.goto(f"{base}/notifications")
    dani.locator("a[href^='/issues/']").first.click()
    dani.locator("#wf-claim").click()
    dani.locator("#wf-holder b").wait_for()
    escalation = dani.locator(
        "#wf-panel details", has=dani.locator("summary", has_text="Eskalasi ke krisis")
    )
    escalation.locator("summary").click()
    escalation.locator("input[name=reason]").fill("truk terguling, jalan putus total")
    escalation.locator("button").click()
    dani.wait_for_load_state("networkidle")
    issue_id = int(dani.url.rstrip("/").rsplit("/", 1)[1])
    dani.reload()
    assert dani.locator("main .badge").first.inner_text() == "krisis"
    assert dani.locator("#wf-status").inner_text() == "ditangani"
    dani.goto(f"{base}/issues")
    row = dani.locator("tr", has=dani.locator(f"a[href='/issues/{issue_id}']"))
    assert "krisis" in row.inner_text()
    dani.goto(f"{base}/")
    dani.locator(".kpi.alert").wait_for()
    assert dani.locator(".kpi.alert").inner_text().split()[0] == "1"
    with app_env.db.session() as s:
        issue = s.get(Issue, issue_id)
        assert issue is not None and issue.stage == "crisis"
        # the report's day is local (WITA): between 16.00 and 24.00 UTC it is the next UTC date
        local = ZoneInfo(app_env.settings.timezone)
        day = (issue.first_seen or T0).astimezone(local).date()
        handled = s.scalar(select(Issue.status).where(Issue.id == issue_id))
    assert handled == "ditangani"
    report = dani.request.get(f"{base}/reports/daily.html?date={day.isoformat()}").text()
    assert "krisis" in report
    assert errors == []
