"""A person's walk in headless Chromium: the administrator asks to see personal data in clear,
the coordinator is never offered it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from pantau.settings import Settings
from tests.conftest import LiveServer, browser_login
from tests.privacy.conftest import NIK, SECRET, PiiApp

pytestmark = pytest.mark.browser


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[PiiApp, LiveServer]]:
    settings = Settings.from_env(
        {},
        database_url=f"sqlite:///{tmp_path / 'p.db'}",
        data_dir=str(tmp_path),
        secret_key=SECRET,
    )
    env = PiiApp(settings)
    with LiveServer(env.app) as server:
        yield env, server
    env.db.dispose()


def test_only_the_administrator_can_unmask_and_it_is_said(
    served: tuple[PiiApp, LiveServer], browser
) -> None:
    _env, server = served
    for username, offered in (("koord", False), ("admin", True)):
        context = browser.new_context()
        page = context.new_page()
        browser_login(page, server.url, username)
        page.goto(f"{server.url}/search?q=bansos")
        assert page.locator(".snippet", has_text="6472********0001").count() >= 1
        assert page.get_by_text(NIK).count() == 0
        assert page.locator("#pii-switch a").count() == (1 if offered else 0)
        if offered:
            page.click("#pii-switch a")
            page.wait_for_url("**unmask=1**")
            assert page.locator(".snippet", has_text=NIK).count() >= 1
            assert page.get_by_text("tercatat di log audit").count() == 1
            page.click("#pii-switch a")
            page.wait_for_url(f"{server.url}/search?q=bansos")
            assert page.get_by_text(NIK).count() == 0
        context.close()
