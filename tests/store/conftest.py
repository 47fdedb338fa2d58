"""The store tests' fresh, upgraded store on each backend."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from pantau.store import Database


@pytest.fixture
def db(store_url: str) -> Iterator[Database]:
    database = Database(store_url)
    database.upgrade()
    yield database
    database.dispose()
