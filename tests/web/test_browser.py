"""Flows a person clicks, in headless Chromium: login, and hostile text that must stay text."""

from __future__ import annotations

import pytest
from tests.conftest import AppEnv, LiveServer, browser_login
from tests.web.test_shell import HOSTILE, _add_hostile

pytestmark = pytest.mark.browser


def test_hostile_mention_never_runs_script(
    app_env: AppEnv, live_server: LiveServer, browser
) -> None:
    _add_hostile(app_env)
    context = browser.new_context()
    page = context.new_page()
    dialogs: list[str] = []
    errors: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.on("pageerror", lambda e: errors.append(str(e)))
    browser_login(page, live_server.url, "koord")
    for path in ["/", "/issues", "/issues/1", "/search?q=sempaja", "/search"]:
        page.goto(live_server.url + path)
        page.wait_for_load_state("load")
        assert page.get_by_text("<script>alert(1)</script>", exact=False).count() >= 1, path
    page.goto(live_server.url + "/search?q=sempaja")
    shown = page.locator("ol.mentions .snippet").first.inner_text()
    assert "<img src=x onerror=alert(1)>" in shown
    assert page.locator("ol.mentions .snippet mark").first.inner_text().lower() == "sempaja"
    assert dialogs == []
    assert errors == []
    assert HOSTILE.split()[0] in page.content().replace("&lt;", "<").replace("&gt;", ">")
    context.close()


def test_login_form_in_browser_shows_error_then_dashboard(
    app_env: AppEnv, live_server: LiveServer, browser
) -> None:
    page = browser.new_page()
    page.goto(live_server.url + "/issues")
    assert "/login" in page.url
    page.fill("#username", "rina")
    page.fill("#password", "bukan-sandinya")
    page.click("button[type=submit]")
    assert page.locator("#login-error").inner_text() == "Nama pengguna atau kata sandi salah."
    page.fill("#password", "rahasia-kaltim-2026")
    page.click("button[type=submit]")
    page.wait_for_url(live_server.url + "/issues")
    assert page.locator("h1").first.inner_text().startswith("Isu")
    page.close()


def test_api_docs_render_from_local_assets_under_the_csp(
    app_env: AppEnv, live_server: LiveServer, browser
) -> None:
    page = browser.new_page()
    console: list[str] = []
    requested: list[str] = []
    page.on("console", lambda m: console.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: console.append(str(e)))
    page.on("request", lambda r: requested.append(r.url))
    page.goto(live_server.url + "/api/docs")
    title = page.locator(".swagger-ui .info .title")
    title.wait_for(timeout=15000)
    assert title.inner_text().startswith("pantau API")
    assert page.locator(".opblock-summary-path", has_text="/api/v1/mentions").count() >= 1
    assert console == []  # a CSP refusal shows up here
    assert all(url.startswith(live_server.url) for url in requested), requested
    page.close()


def test_keyboard_shortcuts_search_go_to_and_help(
    app_env: AppEnv, live_server: LiveServer, browser
) -> None:
    page = browser.new_page()
    browser_login(page, live_server.url, "rina")
    page.keyboard.press("g")
    page.keyboard.press("i")
    page.wait_for_url(live_server.url + "/issues")
    page.keyboard.press("/")  # no search box here: the search page
    page.wait_for_url(live_server.url + "/search")
    page.keyboard.press("/")
    assert page.evaluate("document.activeElement.name") == "q"
    page.keyboard.type("g")  # typing in the box is typing, not a shortcut
    page.keyboard.press("i")
    assert page.url == live_server.url + "/search"
    page.locator("body").click()
    page.keyboard.press("?")
    assert page.locator("#shortcut-help").is_visible()
    assert "Pintasan papan ketik" in page.locator("#shortcut-help").inner_text()
    page.keyboard.press("Escape")
    assert not page.locator("#shortcut-help").is_visible()
    page.close()
