"""Shared fixtures: a real PostgreSQL server for the session, fresh stores on both backends."""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from tests.support.pgserver import PostgresServer

ROOT = Path(__file__).resolve().parents[1]
SHARED_DATA = ROOT.parent / "shared" / "data"
_counter = itertools.count()


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The shared datasets beside the clone; missing data is a failure, never a skip."""
    if not SHARED_DATA.is_dir():
        pytest.fail(f"shared datasets not found at {SHARED_DATA}: clone beside ../shared")
    return SHARED_DATA


@pytest.fixture(scope="session")
def pg_server_url() -> Iterator[str]:
    """URL of the session's PostgreSQL server (started here unless one is given)."""
    given = os.environ.get("PANTAU_TEST_POSTGRES_URL")
    if given:
        yield given
        return
    server = PostgresServer()
    url = server.start()
    try:
        yield url
    finally:
        server.stop()


def new_pg_database(server_url: str) -> str:
    """Create an empty database on the test server and return its URL."""
    name = f"pantau_t{os.getpid()}_{next(_counter)}"
    admin = create_engine(server_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return server_url.rsplit("/", 1)[0] + "/" + name


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh, empty database URL: a real SQLite file, then a real PostgreSQL database."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'pantau.db'}"
    return new_pg_database(request.getfixturevalue("pg_server_url"))
