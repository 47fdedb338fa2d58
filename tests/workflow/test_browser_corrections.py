"""A coordinator corrects the machine in the browser, and new mentions respect the corrections.

The flood issue holds water-utility complaints: split them off by the key phrase "pdam"; a second
copy of the flood is merged into the first; an entertainment video going round is dismissed.
Then more mentions of all four kinds arrive through the real pipeline, each where people said.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from pantau.store import Issue
from tests.conftest import AppEnv, LiveServer, browser_login
from tests.workflow.test_corrections import FLOOD, PDAM, SAME_FLOOD, VIRAL, Stream

pytestmark = pytest.mark.browser
COPY = SAME_FLOOD


def _correct(page, base: str, issue: int, summary: str, fields: dict[str, str]) -> str:  # type: ignore[no-untyped-def]
    page.goto(f"{base}/issues/{issue}")
    box = page.locator("#corrections details", has=page.locator("summary", has_text=summary))
    box.locator("summary").click()
    for name, value in fields.items():
        box.locator(f"input[name={name}]").fill(value)
    box.locator("button").click()
    page.wait_for_load_state("networkidle")
    return str(page.url)


def test_split_merge_dismiss_in_the_browser_hold_for_new_mentions(
    app_env: AppEnv, live_server: LiveServer, browser
) -> None:  # type: ignore[no-untyped-def]
    stream = Stream(app_env)
    flood = stream.add(FLOOD, 10)
    pdam = stream.add(PDAM, 6)
    spam = stream.add(VIRAL, 10, step=1)
    copy = stream.add(COPY, 8, step=400)
    [mixed] = stream.issue_of(flood + pdam)
    [viral] = stream.issue_of(spam)
    [second] = stream.issue_of(copy)
    assert len({mixed, viral, second}) == 3

    base = live_server.url
    errors: list[str] = []
    page = browser.new_context().new_page()
    page.on("pageerror", lambda e: errors.append(str(e)))
    browser_login(page, base, "koord")
    url = _correct(
        page, base, mixed, "Pisahkan sebutan", {"phrase": "pdam", "label": "Air PDAM keruh"}
    )
    water = int(url.rsplit("/", 1)[1])
    assert water != mixed and page.locator("h1").inner_text() == "Air PDAM keruh"
    url = _correct(page, base, second, "Gabungkan ke isu lain", {"into_id": str(mixed)})
    assert url.endswith(f"/issues/{mixed}")
    reason = {"reason": "video hiburan, bukan isu publik"}
    _correct(page, base, viral, "Abaikan sebagai derau", reason)
    assert "Diabaikan sebagai derau" in page.locator("#corrections").inner_text()
    page.goto(f"{base}/issues")
    listed = page.locator("table").inner_text()
    assert "Air PDAM keruh" in listed and "kucing" not in listed.lower()

    for _ in range(2):  # the news keeps coming, mixed
        assert stream.issue_of(stream.add(PDAM, 3)) == {water}
        assert stream.issue_of(stream.add(FLOOD, 3)) == {mixed}
        assert stream.issue_of(stream.add(COPY, 2)) == {mixed}
        stream.add(VIRAL, 4, step=1)
    page.goto(f"{base}/issues")
    listed = page.locator("table").inner_text()
    assert "kucing" not in listed.lower()
    with app_env.db.session() as s:
        assert s.get(Issue, water).merged_into_id is None
        assert s.get(Issue, second).merged_into_id == mixed
        shown = s.scalars(select(Issue.label).where(Issue.listed())).all()
    assert not any("kucing" in label.lower() for label in shown)
    assert errors == []
