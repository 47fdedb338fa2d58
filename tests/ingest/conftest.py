"""Ingest fixtures: a live news server on 127.0.0.1 and settings that may reach only it."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from pantau.ingest.fetch import SafeFetcher
from pantau.ingest.sources import add_source, issue_token
from pantau.settings import Settings
from pantau.store import Database
from tests.ingest.httpserver import NewsServer
from tests.ingest.newsfixtures import install


@pytest.fixture
def news() -> Iterator[NewsServer]:
    server = NewsServer()
    server.feeds = install(server)  # type: ignore[attr-defined]
    server.start()
    yield server
    server.stop()


@pytest.fixture
def settings() -> Settings:
    """Loopback allowed by network (not fetch_allow_private), so other private nets stay refused."""
    return Settings.from_env(
        {},
        fetch_allow_private=False,
        fetch_allow_hosts="127.0.0.0/8",
        fetch_host_interval=0.0,
        fetch_timeout=10.0,
    )


@pytest.fixture
def fetcher(settings: Settings) -> Iterator[SafeFetcher]:
    with SafeFetcher(settings) as f:
        yield f


@dataclass
class PushEnv:
    """The web app with the push API mounted, its store and one push source's token."""

    app: Any
    db: Database
    token: str


@pytest.fixture
def push_env(store_url: str, tmp_path: Path) -> Iterator[PushEnv]:
    from pantau.web.app import ROUTERS, create_app

    db = Database(store_url)
    db.upgrade()
    settings = Settings.from_env(
        {}, database_url=store_url, data_dir=str(tmp_path), secret_key="k" * 40, api_max_batch=50
    )
    with db.writer() as s:
        token = issue_token(add_source(s, name="dorong", kind="push", channel="social"))
    app = create_app(settings, db)
    if "pantau.web.api_ingest" not in ROUTERS:  # until the lead mounts it
        from pantau.web.api_ingest import router

        app.include_router(router)
    yield PushEnv(app, db, token)
    db.dispose()
