"""Fixtures of the reports tests: the web app with the known sample, and a bare sample store."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from pantau.store import Database
from tests.conftest import AppEnv
from tests.reports.sample import fill


@pytest.fixture
def sample_env(app_env: AppEnv) -> AppEnv:
    """The seeded web app (regions, agencies, users) with the sample's issues and mentions."""
    app_env.issue_ids = fill(app_env.db)  # type: ignore[attr-defined]
    return app_env


@pytest.fixture
def sample_db(store_url: str) -> Iterator[Database]:
    """A fresh store on SQLite, then PostgreSQL, holding only the sample (no region names)."""
    db = Database(store_url)
    db.upgrade()
    fill(db)
    yield db
    db.dispose()
