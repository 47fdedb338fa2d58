"""Ingest fixtures: a live news server on 127.0.0.1 and settings that may reach only it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from pantau.ingest.fetch import SafeFetcher
from pantau.settings import Settings
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
