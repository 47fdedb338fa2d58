"""The newsroom as people click it, in headless Chromium: publish from the writing desk, read it
on the public page (on a phone) and in the feed; comment, moderate, see it shown."""

from __future__ import annotations

import feedparser
import httpx
import pytest

from pantau.newsroom.pickup import news_part
from tests.conftest import AppEnv, LiveServer, browser_login
from tests.newsroom.fixtures import HEADLINE, approved_document, news_article, published_release
from tests.writing_web.desk_fixtures import add_issue

pytestmark = pytest.mark.browser

#: An iPhone 12-15 viewport, the narrowest common phone in the brief.
PHONE = {"width": 390, "height": 844}


def test_publish_from_the_writing_desk_then_read_it_on_the_public_page_and_feed(
    app_env: AppEnv, live_server: LiveServer, browser
) -> None:
    issue_id = add_issue(app_env)
    with app_env.db.writer() as s:
        doc_id = approved_document(s, app_env.settings, issue_id=issue_id)
    errors: list[str] = []
    staff = browser.new_context()
    page = staff.new_page()
    page.on("pageerror", lambda e: errors.append(str(e)))
    browser_login(page, live_server.url, "koord")
    page.goto(f"{live_server.url}/tulis/{doc_id}")
    page.click("#move-diterbitkan")
    page.wait_for_url(f"**/kelola-rilis/terbitkan/{doc_id}")
    page.click("#publish")
    page.wait_for_url("**/kelola-rilis/*")
    assert page.locator("#release-state").inner_text() == "terbit"
    page.click("#public-link")
    page.wait_for_selector("#release-title")
    slug_url = page.url

    reader = browser.new_context(viewport=PHONE)  # no login: a citizen on a phone
    public = reader.new_page()
    public.on("pageerror", lambda e: errors.append(str(e)))
    public.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    public.goto(f"{live_server.url}/rilis")
    public.click(f"text={HEADLINE}")
    public.wait_for_url(slug_url)
    assert public.locator("#release-title").inner_text() == HEADLINE
    assert public.locator("meta[property='og:title']").get_attribute("content") == HEADLINE
    assert public.locator("#share-whatsapp").get_attribute("href").startswith("https://wa.me/")
    overflow = public.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{overflow}px of horizontal overflow at 390px"
    assert public.locator("main").count() == 1 and public.locator("nav").count() >= 1
    unlabeled = public.evaluate(
        "[...document.querySelectorAll('input:not([type=hidden]), select, textarea')]"
        ".filter(e => !e.labels || !e.labels.length).map(e => e.name)"
    )
    assert unlabeled == []
    assert errors == []  # the JSON-LD block and the copy-link script pass the CSP

    feed = feedparser.parse(httpx.get(f"{live_server.url}/rilis/feed.xml").content)
    assert [e.title for e in feed.entries] == [HEADLINE]


def test_comment_is_moderated_before_it_shows_and_spam_is_held(
    app_env: AppEnv, live_server: LiveServer, browser
) -> None:
    release = published_release(app_env)
    errors: list[str] = []
    citizen = browser.new_context(viewport=PHONE).new_page()
    citizen.on("pageerror", lambda e: errors.append(str(e)))
    url = f"{live_server.url}/rilis/{release.slug}"
    citizen.goto(url)
    citizen.fill("#comment-name", "Sari")
    citizen.fill("#comment-text", "Apakah posko menerima warga dari Bengkuring?")
    citizen.click("#comment-send")
    citizen.wait_for_selector("#comment-sent")
    assert citizen.locator("#comment-list").count() == 0  # not shown before moderation
    citizen.fill("#comment-name", "Admin Gacor")
    citizen.fill("#comment-text", "Slot gacor maxwin hari ini di www.contoh.xyz")
    citizen.click("#comment-send")
    citizen.wait_for_selector("#comment-sent")

    staff = browser.new_context().new_page()
    staff.on("pageerror", lambda e: errors.append(str(e)))
    browser_login(staff, live_server.url, "rina")
    staff.goto(f"{live_server.url}/kelola-rilis/{release.id}")
    held = staff.locator("#comment-queue li[data-status=ditahan]")
    assert held.count() == 1 and "maxwin" in held.inner_text()
    pending = staff.locator("#comment-queue li[data-status=menunggu]")
    assert pending.count() == 1
    pending.locator("button[id^=approve-]").click()
    staff.wait_for_selector("#comment-queue li[data-status=menunggu]", state="detached")

    citizen.goto(url)
    citizen.reload()  # the page may be kept newsroom_cache_seconds; a reload revalidates it
    assert "Bengkuring" in citizen.locator("#comment-list").inner_text()
    assert "maxwin" not in citizen.content()
    assert errors == []


def test_copied_news_article_shows_as_pickup_on_the_release_and_its_issue(
    app_env: AppEnv, live_server: LiveServer, browser
) -> None:
    issue_id = add_issue(app_env)
    release = published_release(app_env, issue_id=issue_id)
    story = "\n".join(p for p in news_part(release.text).split("\n")[:8] if p.strip())
    news_article(app_env, "Pemkot Buka Posko Banjir", story, 25, "Kaltim Post")
    page = browser.new_context().new_page()
    browser_login(page, live_server.url, "koord")
    page.goto(f"{live_server.url}/kelola-rilis/{release.id}")
    assert page.locator("#no-pickups").count() == 1
    page.click("#find-pickups")
    page.wait_for_selector("#pickup-table")
    assert "Kaltim Post" in page.locator("#pickup-table").inner_text()
    page.goto(f"{live_server.url}/issues/{issue_id}")
    panel = page.locator("#releases-panel #pickup-table")  # loaded by htmx
    panel.wait_for()
    assert "Kaltim Post" in panel.inner_text() and "25 menit" in panel.inner_text()
