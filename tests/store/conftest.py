"""The store tests' fresh, upgraded store: on each backend (``db``), or on PostgreSQL alone
(``pg_db``) for what only PostgreSQL has (partitions, statement triggers, statistics)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from tests.conftest import new_pg_database

from pantau.store import Database


@pytest.fixture
def db(store_url: str) -> Iterator[Database]:
    database = Database(store_url)
    database.upgrade()
    yield database
    database.dispose()


@pytest.fixture
def pg_db(pg_server_url: str) -> Iterator[Database]:
    database = Database(new_pg_database(pg_server_url))
    database.upgrade()
    yield database
    database.dispose()
