"""Two people in two headless Chromium sessions claim the same issue at the same moment:
exactly one holds it, and the other sees who does."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from pantau.store import AuditEntry
from pantau.store.workflow_models import IssueClaim
from tests.alerts.support import add_issue, agency_id
from tests.conftest import AppEnv, LiveServer, browser_login

pytestmark = pytest.mark.browser


def test_two_sessions_claim_at_once_one_wins_the_other_sees_who(
    app_env: AppEnv, live_server: LiveServer, browser
) -> None:  # type: ignore[no-untyped-def]
    issue = add_issue(
        app_env,
        "Antrean BBM mengular di Samarinda",
        agency=agency_id(app_env, "Diskominfo Samarinda"),
    )
    names = {
        "rina": "Rina (Diskominfo Samarinda)",
        "koord": "Koord (Diskominfo Prov. Kalimantan Timur)",
    }
    pages = {}
    errors: list[str] = []
    for username in names:
        context = browser.new_context()
        page = context.new_page()
        page.on("pageerror", lambda e: errors.append(str(e)))
        browser_login(page, live_server.url, username)
        page.goto(f"{live_server.url}/issues/{issue}")
        page.locator("#wf-claim").wait_for()  # the panel loaded through htmx
        pages[username] = page
    # both click before either answer is back
    for page in pages.values():
        page.locator("#wf-claim").dispatch_event("click")
    for page in pages.values():
        page.locator("#wf-holder b").wait_for()
        page.wait_for_load_state("networkidle")
    texts = {u: p.locator("#wf-holder").inner_text() for u, p in pages.items()}
    winners = [u for u, t in texts.items() if "Anda sedang menangani isu ini" in t]
    assert len(winners) == 1, texts
    [loser] = [u for u in names if u not in winners]
    winner = winners[0]
    shown = texts[loser]
    assert "Sedang ditangani oleh" in shown
    assert f"{winner.title()} ({names[winner].split('(')[1]}" in shown
    assert "sedang ditangani oleh" in pages[loser].locator("#wf-error").inner_text()
    assert pages[loser].locator("#wf-claim").count() == 0  # no claim button while held
    # a fresh load still shows the holder to the loser
    pages[loser].reload()
    pages[loser].locator("#wf-holder b").wait_for()
    assert winner.title() in pages[loser].locator("#wf-holder").inner_text()
    with app_env.db.session() as s:
        assert s.scalar(select(func.count()).select_from(IssueClaim)) == 1
        claims = s.scalar(select(func.count()).where(AuditEntry.action == "issue.claim"))
    assert claims == 1
    assert errors == []
    for page in pages.values():
        page.context.close()
