"""Shared fixtures: a real PostgreSQL server for the session, fresh stores on both backends."""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from sqlalchemy import create_engine, text

from tests.support.pgserver import PostgresServer

# CI explores the same examples on every run (a red build must be reproducible); locally the
# search stays random so new cases keep being found. No per-example deadline under CI: the
# machine is shared and slow examples there are noise, not failures.
hypothesis_settings.register_profile("ci", derandomize=True, print_blob=True, deadline=None)
# The import fuzzer (tests/ingest/test_fuzz.py): in CI a fixed, derandomized budget, so the lane
# takes the same time and finds the same things on every run; `make fuzz` searches afresh. Its
# examples write files and databases, so generation is never the slow part worth a warning.
_FUZZ_CHECKS = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example]
hypothesis_settings.register_profile(
    "fuzz-ci",
    derandomize=True,
    deadline=None,
    database=None,
    print_blob=True,
    suppress_health_check=_FUZZ_CHECKS,
)
hypothesis_settings.register_profile(
    "fuzz", deadline=None, print_blob=True, suppress_health_check=_FUZZ_CHECKS
)
if os.environ.get("CI"):
    hypothesis_settings.load_profile("ci")

ROOT = Path(__file__).resolve().parents[1]
_counter = itertools.count()


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


# --- a seeded store and the web app ---------------------------------------------------------
PASSWORD = "rahasia-kaltim-2026"
USERS = {  # username: (role, agency short name)
    "admin": ("admin", None),
    "koord": ("koordinator", "Diskominfo Prov. Kalimantan Timur"),
    "rina": ("analis", "Diskominfo Samarinda"),
    "budi": ("analis", "Diskominfo Balikpapan"),
    "pimpinan": ("pimpinan", "Diskominfo Prov. Kalimantan Timur"),
}


@pytest.fixture(scope="session")
def seeded_db_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite store with regions, Kaltim's agencies and one user per role, built once."""
    from sqlalchemy import select

    from pantau.store import Agency, Database
    from pantau.store.regions import load_regions
    from pantau.store.seed import seed_province
    from pantau.workflow.users import create_user

    path = tmp_path_factory.mktemp("seed") / "seeded.db"
    db = Database(f"sqlite:///{path}")
    db.upgrade()
    with db.writer() as s:
        load_regions(s)
        seed_province(s, "64")
        for username, (role, agency) in USERS.items():
            agency_id = s.scalar(select(Agency.id).where(Agency.short_name == agency))
            create_user(
                s,
                username=username,
                password=PASSWORD,
                role=role,
                full_name=username.title(),
                agency_id=agency_id,
            )
    with db.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    db.dispose()
    return path


class AppEnv:
    """A fresh copy of the seeded store with its settings, database and FastAPI app."""

    def __init__(self, tmp: Path, seeded: Path, **overrides: object) -> None:
        import shutil

        from pantau.settings import Settings
        from pantau.store import Database
        from pantau.web.app import create_app

        db_path = tmp / "pantau.db"
        shutil.copy(seeded, db_path)
        self.settings = Settings.from_env(
            {},
            database_url=f"sqlite:///{db_path}",
            data_dir=str(tmp),
            secret_key="test-secret-key-" + "x" * 32,
            **overrides,
        )
        self.db = Database(self.settings.database_url)
        self.app = create_app(self.settings, self.db)

    def client(self):  # type: ignore[no-untyped-def]
        from fastapi.testclient import TestClient

        return TestClient(self.app, base_url="http://127.0.0.1")

    def login(self, client, username: str, password: str = PASSWORD):  # type: ignore[no-untyped-def]
        """Log ``client`` in through the real form (CSRF token and all)."""
        return client.post(
            "/login",
            data={
                "username": username,
                "password": password,
                "csrf_token": self.csrf(client),
                "next": "/",
            },
            follow_redirects=False,
        )

    def csrf(self, client) -> str:  # type: ignore[no-untyped-def]
        import re

        page = client.get("/login")
        return re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)


@pytest.fixture
def app_env(tmp_path: Path, seeded_db_file: Path) -> Iterator[AppEnv]:
    env = AppEnv(tmp_path, seeded_db_file)
    yield env
    env.db.dispose()


# --- a real server and a real browser -------------------------------------------------------
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    "--disable-dev-shm-usage",
]


class LiveServer:
    """uvicorn serving an app on 127.0.0.1 in a background thread."""

    def __init__(self, app: object) -> None:
        import socket
        import threading

        import uvicorn

        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            self.port = sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        config = uvicorn.Config(
            app, host="127.0.0.1", port=self.port, log_level="warning", lifespan="off"
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> LiveServer:
        import time

        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if time.monotonic() > deadline:
                raise RuntimeError("uvicorn did not start")
            time.sleep(0.02)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(10)


@pytest.fixture
def live_server(app_env: AppEnv) -> Iterator[LiveServer]:
    with LiveServer(app_env.app) as server:
        yield server


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """Debian's Chromium, headless, driven by Playwright (never a downloaded browser)."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} missing: `make test` installs Debian's chromium when run as root")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()


def browser_login(page: object, base_url: str, username: str, password: str = PASSWORD) -> None:
    """Log in through the form as a person would."""
    page.goto(f"{base_url}/login")  # type: ignore[attr-defined]
    page.fill("#username", username)  # type: ignore[attr-defined]
    page.fill("#password", password)  # type: ignore[attr-defined]
    page.click("button[type=submit]")  # type: ignore[attr-defined]
    page.wait_for_url(f"{base_url}/")  # type: ignore[attr-defined]


# --- the fast lane ---------------------------------------------------------------------------
#: Fixtures that make a test slow by nature (a browser, a PostgreSQL database to migrate);
#: their tests join the ``slow`` marker without each saying so. ``make test-fast`` skips them.
SLOW_FIXTURES = frozenset({"browser", "pg_server_url"})


# --- parallel runs (pytest-xdist, ``make test`` runs ``-n 2 --dist loadgroup``) ---------------
#: Tests that start pantau processes of their own (runner loops, Dask workers, a served demo)
#: and wait for them against a deadline, or kill them: they share one worker, one after the
#: other, so that two of them never compete for the same cores and a deadline measures pantau,
#: not its neighbour. Everything else is independent: each worker has its own temp folders
#: (``popen-gwN``), its own PostgreSQL server (the session fixture above) and free ports.
PROCESS_LANE = "processes"
PROCESS_TESTS = (
    "tests/alerts/test_outbox.py",  # a delivery loop restarted while its receiver is down
    "tests/cli/test_demo.py",  # the demo built, then served
    "tests/flow/test_flow.py",  # `pantau run` analyzes a pushed mention within its lag
    "tests/ingest/test_runner_process.py",  # runners killed mid-ingest, then restarted
    "tests/newsroom/test_rounds.py",  # the running loop lifts an embargo on time
    "tests/scale/",  # Dask clusters, a killed worker, two runners, a paused owner, provinces
    "tests/store/test_store.py::test_concurrent_upgrades_from_two_processes",
    "tests/text/test_analyze_cli.py",  # `pantau analyze` on ten megabytes in a process
)
#: Fixture scopes built once per module (or class): their tests stay on one worker, or each
#: worker would build the fixture again.
_SHARED_SCOPES = frozenset({"module", "class"})


def _xdist_group(item: pytest.Item) -> str | None:
    """The worker group of ``item``: the process lane, its module, or None (any worker)."""
    if item.nodeid.startswith(PROCESS_TESTS):
        return PROCESS_LANE
    info = getattr(item, "_fixtureinfo", None)
    defs = info.name2fixturedefs.values() if info is not None else ()
    if any(d[-1].scope in _SHARED_SCOPES for d in defs if d):
        return item.nodeid.split("::", 1)[0]
    return None


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        uses = set(getattr(item, "fixturenames", ()))
        if uses & SLOW_FIXTURES or item.get_closest_marker("postgres"):
            item.add_marker(pytest.mark.slow)
        group = _xdist_group(item)
        if group and not item.get_closest_marker("xdist_group"):
            item.add_marker(pytest.mark.xdist_group(group))
