"""A person's walk in headless Chromium: overview -> issue -> search -> export -> report download.

Runs at an office screen (1366 px) and a phone (390 px); screenshots go to ``test-artifacts/``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import ROOT, AppEnv, LiveServer, browser_login
from tests.reports.sample import DAY

pytestmark = pytest.mark.browser

ARTIFACTS = ROOT / "test-artifacts"
WIDTHS = {"desktop": (1366, 900), "phone": (390, 844)}


@pytest.mark.parametrize("device", list(WIDTHS))
def test_walk_from_overview_to_report_download(
    sample_env: AppEnv, live_server: LiveServer, browser, device: str, tmp_path: Path
) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    width, height = WIDTHS[device]
    context = browser.new_context(
        viewport={"width": width, "height": height}, accept_downloads=True
    )
    page = context.new_page()
    problems: list[str] = []
    page.on("pageerror", lambda e: problems.append(f"pageerror: {e}"))
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on(
        "response", lambda r: problems.append(f"{r.status} {r.url}") if r.status >= 400 else None
    )
    base = live_server.url

    def shot(name: str) -> None:
        page.screenshot(path=str(ARTIFACTS / f"reports-{name}-{width}.png"), full_page=True)

    browser_login(page, base, "pimpinan")
    page.goto(f"{base}/?range=30d")
    page.wait_for_selector("[data-chart='volume'][data-drawn='1']")
    for selector in ("#top-issues", "#regions", "#source-health", "#dash-filters", "#kpi-total"):
        assert page.locator(selector).first.is_visible(), selector
    assert page.locator("#kpi-total").inner_text() == "34"
    # no horizontal scrolling of the page itself at phone width
    assert page.evaluate("document.documentElement.scrollWidth") <= width + 1
    shot("overview")

    # the filter form works from the keyboard
    page.focus("#dash-filters select[name=channel]")
    page.keyboard.press("ArrowDown")  # news
    page.locator("#dash-filters button").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**channel=news**")
    assert page.locator("#kpi-total").inner_text() == "9"

    page.get_by_role("link", name="Banjir di Sempaja Samarinda").first.click()
    page.wait_for_selector("[data-chart='timeline'][data-drawn='1']")
    for selector in ("#issue-timeline", "#top-outlets", "#related-issues", "#top-mentions"):
        assert page.locator(selector).is_visible(), selector
    assert page.locator("#issue-timeline svg").count() >= 1
    shot("issue")

    page.goto(f"{base}/search")
    page.fill("input[name=q]", "banjir")
    page.keyboard.press("Enter")
    page.wait_for_url("**q=banjir**")
    assert page.locator("#result-count").inner_text().startswith("22")
    assert page.locator("#search-export").is_visible()
    shot("search")
    with page.expect_download() as dl:
        page.locator("#search-export a", has_text="CSV").click()
    csv_path = tmp_path / "ekspor.csv"
    dl.value.save_as(csv_path)
    assert len(csv_path.read_text(encoding="utf-8").strip().splitlines()) == 23

    page.goto(f"{base}/reports")
    page.fill("#report-daily input[name=date]", DAY.isoformat())
    assert page.locator("#download-daily-pdf").is_visible()
    shot("reports")
    with page.expect_download() as dl:
        page.click("#download-daily-pdf")
    assert dl.value.suggested_filename == "laporan-harian-2026-11-20.pdf"
    pdf_path = tmp_path / "laporan.pdf"
    dl.value.save_as(pdf_path)
    assert pdf_path.read_bytes().startswith(b"%PDF")
    assert problems == []
    context.close()
