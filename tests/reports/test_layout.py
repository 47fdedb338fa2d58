"""Layout in headless Chromium at an office screen (1440 px) and a phone (390 px): no page
scrolls sideways, the navigation stays compact, and the issue page's first screen carries what
an officer acts on."""

from __future__ import annotations

import pytest

from tests.conftest import AppEnv, LiveServer, browser_login

pytestmark = pytest.mark.browser

WIDTHS = {"desktop": (1440, 900), "phone": (390, 844)}
LONG_URL = "https://berita.example/" + "banjir-sempaja-" * 30 + "?utm_source=" + "x" * 120


def _pages(env: AppEnv) -> list[str]:
    banjir = env.issue_ids["banjir"]  # type: ignore[attr-defined]
    return [
        "/",
        "/analisis",
        "/issues",
        f"/issues/{banjir}",
        "/search?q=banjir",
        "/reports",
        "/notifications",
        "/tulis",
        "/sumber",
        "/api/docs",
    ]


@pytest.mark.parametrize("device", list(WIDTHS))
def test_no_page_scrolls_sideways_and_the_issue_page_opens_on_the_next_action(
    sample_env: AppEnv, live_server: LiveServer, browser, device: str
) -> None:
    width, height = WIDTHS[device]
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    browser_login(page, live_server.url, "koord")
    banjir = sample_env.issue_ids["banjir"]  # type: ignore[attr-defined]
    # a comment holding one long unbroken URL, as people paste them
    page.goto(f"{live_server.url}/issues/{banjir}")
    page.fill("form.wf-comment textarea[name=body]", f"Sumber: {LONG_URL}")
    page.locator("form.wf-comment button").click()
    page.locator(".wf-comments li", has_text="banjir-sempaja-").wait_for()
    wide: dict[str, int] = {}
    for path in _pages(sample_env):
        page.goto(live_server.url + path)
        page.wait_for_load_state("load")
        scroll = page.evaluate("document.documentElement.scrollWidth")
        if scroll > width:
            wide[path] = scroll
    assert wide == {}, f"pages wider than {width} px: {wide}"
    # the navigation: one row on a desktop, a compact menu (at most two rows) on a phone
    page.goto(live_server.url + "/")
    nav_height = page.evaluate("document.querySelector('header.topbar').offsetHeight")
    assert nav_height <= (64 if device == "desktop" else 110), nav_height
    # the issue page's first screen: title, stage, risk and the next action
    page.goto(f"{live_server.url}/issues/{banjir}")
    for selector in ("h1", "#issue-stage", "#issue-risk", "#next-action"):
        box = page.locator(selector).first.bounding_box()
        assert box is not None and box["y"] + box["height"] <= height, (selector, box)
    assert page.locator("#next-action a, #next-action button").count() >= 1
    # the analysis map draws one circle per kab/kota with mentions (Samarinda, Balikpapan)
    page.goto(f"{live_server.url}/analisis?range=30d")
    page.locator('[data-chart="map"][data-drawn="1"]').wait_for()
    labels = page.locator('[data-chart="map"] svg text').all_text_contents()
    assert {"Kota Samarinda", "Kota Balikpapan"} <= set(labels), labels
    context.close()
