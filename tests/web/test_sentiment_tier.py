"""Which tier read a mention's sentiment is shown: on the issue page (in Chromium too), in the
JSON API and in the export."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from tests.conftest import AppEnv, LiveServer, browser_login

from pantau.store import Issue, Mention, Source

T0 = datetime(2026, 11, 20, 1, tzinfo=UTC)
#: (external id, stored sentiment, tier, fast reading kept beside)
READINGS = [
    ("p1", "negative", "precise", "neutral"),
    ("f1", "neutral", "fast", None),
    ("o1", "positive", "officer", None),
]


def _add(env: AppEnv) -> int:
    with env.db.writer() as s:
        src = Source(name="uji", kind="import", channel="social")
        s.add(src)
        s.flush()
        issue = Issue(label="Banjir di Sempaja", size=3, stage="emerging", risk=40.0)
        issue.first_seen, issue.last_seen = T0, T0 + timedelta(hours=1)
        s.add(issue)
        s.flush()
        for k, (ext, sentiment, tier, fast) in enumerate(READINGS):
            s.add(
                Mention(
                    source_id=src.id,
                    external_id=ext,
                    text=f"banjir di sempaja {ext}",
                    channel="social",
                    published_at=T0 + timedelta(minutes=k),
                    issue_id=issue.id,
                    sentiment=sentiment,
                    sentiment_tier=tier,
                    sentiment_fast=fast,
                )
            )
        return int(issue.id)


def test_the_issue_page_the_api_and_the_export_name_the_tier(app_env: AppEnv) -> None:
    issue_id = _add(app_env)
    c = app_env.client()
    app_env.login(c, "koord")
    html = c.get(f"/issues/{issue_id}").text
    for word in ("bacaan presisi", "bacaan cepat", "koreksi petugas"):
        assert word in html
    api = c.get("/api/v1/mentions", params={"issue_id": issue_id}).json()
    by_id = {i["snippet"].split()[-1]: i["sentiment_tier"] for i in api["items"]}
    assert by_id == {"p1": "precise", "f1": "fast", "o1": "officer"}
    lines = c.get("/search/export.jsonl", params={"issue": issue_id}).text.splitlines()
    exported = {json.loads(x)["text"].split()[-1]: json.loads(x) for x in lines}
    assert exported["p1"]["sentiment_tier"] == "precise"
    assert exported["p1"]["sentiment_fast"] == "neutral"
    assert exported["f1"]["sentiment_fast"] is None


@pytest.mark.browser
def test_the_precise_badge_is_shown_in_the_browser(
    app_env: AppEnv, live_server: LiveServer, browser
) -> None:
    issue_id = _add(app_env)
    page = browser.new_page()
    browser_login(page, live_server.url, "rina")
    page.goto(f"{live_server.url}/issues/{issue_id}")
    badge = page.locator("ol.mentions .tier-precise").first
    assert badge.inner_text() == "bacaan presisi"
    assert "model presisi" in (badge.get_attribute("title") or "")
    assert page.locator("ol.mentions .tier-officer").count() >= 1  # top mentions and the list
    page.close()
