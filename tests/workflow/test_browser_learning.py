"""An officer's walk in headless Chromium: an alert on a flood opens the flood playbook and the
old flood (and how it ended), one click pre-fills a holding statement with its lessons
(lint-clean), the checklist ticks as actions are logged, and the ledger shows the response
times and the outlets that carried the release. Closing an issue with structured lessons puts
them, by kind, in the library and the case; the lead agency's key messages reach another office."""

from __future__ import annotations

import pytest

from pantau.newsroom.pickup import link_pickups, news_part
from pantau.writing.linter import lint
from tests.alerts.support import add_alert
from tests.conftest import AppEnv, LiveServer, browser_login
from tests.newsroom.fixtures import news_article, published_release
from tests.workflow.test_cases import _close, _issue
from tests.workflow.test_outcome import conversation
from tests.workflow.test_workflow import Actor

pytestmark = pytest.mark.browser

LESSON = "Holding statement dalam 2 jam dan posko di kelurahan meredam keluhan warga."


def test_flood_alert_to_playbook_holding_statement_checklist_and_ledger(
    app_env: AppEnv, live_server: LiveServer, browser
) -> None:  # type: ignore[no-untyped-def]
    rina = Actor(app_env, "rina")
    old = _issue(app_env, "Banjir rendam Sempaja, warga mengungsi", ["banjir", "sempaja"])
    _close(rina, old, LESSON, ["holding_statement", "cek_lapangan"])
    conversation(app_env, old, ["negative"] * 6, ["neutral"] * 6)
    flood = _issue(app_env, "Sempaja kembali banjir setinggi lutut", ["banjir", "sempaja"])
    add_alert(app_env, flood)

    page = browser.new_context().new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    browser_login(page, live_server.url, "rina")
    page.goto(f"{live_server.url}/issues/{flood}")
    page.locator("#playbook-panel [data-playbook='banjir']").wait_for()
    holding = page.locator("#playbook-checklist li[data-item='holding']")
    assert "open" in (holding.get_attribute("class") or "")
    page.locator(f"#cases-panel li[data-issue='{old}']").wait_for()
    reason = page.locator("#cases-panel .case-reason").first.inner_text()
    assert reason.startswith("sama-sama banjir") and "sentimen membaik dalam 24 jam" in reason

    page.locator("#prepare-holding").click()
    page.wait_for_url("**/tulis/*")
    assert "meredam keluhan warga" in page.content()  # the old flood's lesson beside the draft
    doc_id = int(page.url.rstrip("/").rsplit("/", 1)[1])
    text = rina.get(f"/documents/{doc_id}")["text"]
    assert "pengungsian" in text and lint(text, kind="holding_statement") == []

    rina.post(f"/issues/{flood}/claim", {})
    rina.post(
        f"/issues/{flood}/actions", {"step": "aksi", "kind": "holding_statement", "note": "-"}
    )
    page.goto(f"{live_server.url}/issues/{flood}")
    page.locator("#playbook-panel [data-playbook='banjir']").wait_for()
    assert "done" in (holding.get_attribute("class") or "")
    lapangan = page.locator("#playbook-checklist li[data-item='lapangan']")
    assert "open" in (lapangan.get_attribute("class") or "")

    release = published_release(app_env, issue_id=flood)
    news_article(app_env, "Posko Banjir Dibuka", news_part(release.text), 45, "Kaltim Post")
    with app_env.db.writer() as s:
        link_pickups(s)
    page.goto(f"{live_server.url}/kinerja?since=2026-11-01")
    row = page.locator("#ledger tr[data-kind='instansi']").first
    cells = row.locator("td").all_inner_texts()
    assert "Samarinda" in cells[1] and cells[2] == "1"  # the old flood had no alert: not counted
    assert cells[3] != "-" and cells[4] != "-"  # hours to claim and to the first statement
    assert cells[8].startswith("1") and "Kaltim Post" in cells[8]  # the outlet that carried it
    assert cells[9] == "0.8 jam"  # 45 minutes to the first pick-up
    assert errors == []
    page.context.close()


def test_close_with_structured_lessons_then_read_them_in_the_case(
    app_env: AppEnv, live_server: LiveServer, browser
) -> None:  # type: ignore[no-untyped-def]
    rina = Actor(app_env, "rina")
    flood = _issue(app_env, "Banjir rendam Sempaja, warga mengungsi", ["banjir", "sempaja"])
    for status in ("ditelaah", "ditangani", "dipantau"):
        rina.post(f"/issues/{flood}/status", {"status": status})

    page = browser.new_context().new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    browser_login(page, live_server.url, "rina")
    page.goto(f"{live_server.url}/issues/{flood}")
    status = page.locator("#wf-panel details", has=page.locator("select[name=status]"))
    status.locator("summary").click()
    status.locator("select[name=status]").select_option("selesai")
    status.locator("textarea[name=worked]").fill("Posko dibuka dalam satu jam\nInfo tiap 3 jam")
    status.locator("textarea[name=failed]").fill("Nomor darurat salah ketik")
    status.locator("textarea[name=next_time]").fill("Siapkan perahu karet sebelum hujan")
    status.locator("button").click()
    page.locator("#wf-panel[data-status='selesai']").wait_for()

    page.goto(f"{live_server.url}/kasus?q=perahu")
    case = page.locator(f"#library li[data-case='{flood}']")
    assert case.locator("dt[data-lesson='next_time']").inner_text() == "Lain kali"
    assert case.locator("dd[data-lesson='worked']").all_inner_texts() == [
        "Posko dibuka dalam satu jam",
        "Info tiap 3 jam",
    ]
    case.locator("a", has_text="Banjir").click()
    page.locator("h3[data-lesson='failed']").wait_for()
    assert "Nomor darurat salah ketik" in page.content()
    assert errors == []
    page.context.close()


def test_the_lead_agency_edits_the_key_messages_and_another_office_sees_them(
    app_env: AppEnv, live_server: LiveServer, browser
) -> None:  # type: ignore[no-untyped-def]
    flood = _issue(app_env, "Banjir rendam Sempaja, warga mengungsi", ["banjir", "sempaja"])
    Actor(app_env, "budi").post(f"/issues/{flood}/comments", {"body": "Perahu BPBD siap."})
    errors: list[str] = []
    rina = browser.new_context().new_page()
    rina.on("pageerror", lambda e: errors.append(str(e)))
    browser_login(rina, live_server.url, "rina")
    rina.goto(f"{live_server.url}/issues/{flood}")
    rina.locator("#narrative-panel[data-version='0'] #key-messages li").first.wait_for()
    rina.locator("#narrative-panel summary", has_text="Ubah pesan kunci").click()
    rina.locator("#narrative-panel textarea[name=messages]").fill(
        "Posko Sempaja dibuka 24 jam.\nHubungi BPBD di 112 untuk evakuasi."
    )
    rina.locator("#save-key-messages").click()
    rina.locator("#narrative-panel[data-version='1']").wait_for()
    assert rina.locator("#key-messages li").all_inner_texts() == [
        "Posko Sempaja dibuka 24 jam.",
        "Hubungi BPBD di 112 untuk evakuasi.",
    ]

    budi = browser.new_context().new_page()
    budi.on("pageerror", lambda e: errors.append(str(e)))
    browser_login(budi, live_server.url, "budi")
    budi.goto(f"{live_server.url}/notifications")
    budi.locator("a", has_text=f"Pesan kunci isu #{flood} diperbarui").first.click()
    budi.locator("#narrative-panel[data-version='1']").wait_for()
    assert "Hubungi BPBD di 112" in budi.locator("#key-messages").inner_text()
    assert budi.locator("#save-key-messages").count() == 0  # another office reads, the lead edits
    assert errors == []
    rina.context.close()
    budi.context.close()
