"""Flow fixtures: a real store with the ingest tests' live news server as its feeds."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from tests.ingest.conftest import news, settings  # noqa: F401  (fixtures shared with ingest)
from tests.ingest.httpserver import NewsServer

from pantau.ingest.sources import add_source
from pantau.store import Database


@pytest.fixture
def feed_db(store_url: str, news: NewsServer) -> Iterator[Database]:  # noqa: F811
    """A fresh store (SQLite file, then PostgreSQL) with one RSS source per outlet."""
    db = Database(store_url)
    db.upgrade()
    with db.writer() as s:
        for outlet, path in news.feeds.items():  # type: ignore[attr-defined]
            add_source(s, name=outlet, kind="rss", url=news.url(path), tier="local", interval=60)
    yield db
    db.dispose()
