"""Engines and sessions for SQLite (WAL, one writer) and PostgreSQL, and schema upgrades.

>>> db = Database("sqlite://")
>>> db.dialect
'sqlite'
"""

from __future__ import annotations

import contextlib
import logging
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, inspect, text
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import StaticPool

from pantau.store.symbols import register_sqlite

__all__ = ["Database", "StoreError"]

logger = logging.getLogger(__name__)

MIGRATIONS = Path(__file__).with_name("migrations")

# Seconds a SQLite connection waits for the writer lock before failing; long enough for a
# batch import on a slow disk, short enough that a stuck writer shows up as an error.
SQLITE_BUSY_TIMEOUT_MS = 15_000


#: Arbitrary constant naming pantau's schema-upgrade advisory lock on PostgreSQL.
MIGRATION_LOCK_KEY = 7_261_746_175


class StoreError(RuntimeError):
    """The store cannot be opened or upgraded; the message says what to do."""


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cur.close()
    # the mention_symbols triggers call it on every insert (pantau.store.symbols)
    register_sqlite(dbapi_conn)


def _create_private(path: Path) -> None:
    """Create the SQLite file 0600 before SQLite does (it would follow the umask, often 0644).

    The store holds password hashes and citizens' data; SQLite gives its ``-wal`` and ``-shm``
    files the database file's mode, so they follow.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    if "?" in path.name or path.exists():
        return
    with contextlib.suppress(FileExistsError):  # another process created it first
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))


def _normalize_url(url: str) -> str:
    if url.startswith("postgresql://"):
        return "postgresql+psycopg://" + url.removeprefix("postgresql://")
    if url.startswith("postgres://"):
        return "postgresql+psycopg://" + url.removeprefix("postgres://")
    return url


#: PostgreSQL session settings. JIT off: at 10M mentions the planner costs a query over every
#: month's partition above ``jit_above_cost`` even when its LIMIT stops in the first one, and
#: compiling the plan took 2.1-3.4 s of the 52 ms "search, one kab/kota + negative" count
#: (p95 4,312 ms with JIT; benchmarks/results/scale_pg_10m.md). Pantau's queries are short and
#: index-bound, the kind JIT slows down. Custom plans always: psycopg prepares a statement run
#: five times and PostgreSQL then may keep a generic plan, blind to the parameters; for the
#: overview's matching issues (a union of rollup spans for one kab/kota's week) that plan ran
#: the union once per issue: ~21 s from the 11th run on, 60-100 ms each with a plan per run
#: (1,000,000 mentions, benchmarks/results/reports.md, session 6).
POSTGRESQL_OPTIONS = "-c jit=off -c plan_cache_mode=force_custom_plan"


class Database:
    """One store: an engine, a session factory and, on SQLite, the single-writer lock."""

    def __init__(self, url: str) -> None:
        self.url = _normalize_url(url)
        kwargs: dict[str, Any] = {"future": True}
        if self.url.startswith("sqlite"):
            kwargs["connect_args"] = {"check_same_thread": False, "timeout": 15}
            if self.url in ("sqlite://", "sqlite:///:memory:"):
                kwargs["poolclass"] = StaticPool
            else:
                path = self.url.split("///", 1)[-1]
                if path and path != ":memory:":
                    _create_private(Path(path).expanduser().resolve())
        else:
            kwargs["pool_pre_ping"] = True
            kwargs["connect_args"] = {"options": POSTGRESQL_OPTIONS}
        try:
            self.engine: Engine = create_engine(self.url, **kwargs)
        except Exception as exc:  # bad URL, missing driver
            raise StoreError(f"cannot open database {url!r}: {exc}") from exc
        if self.dialect == "sqlite":
            event.listen(self.engine, "connect", _sqlite_pragmas)
        # copied into every session's ``info``: what stages attach for all of a store's sessions
        # (the personal-data vault, see pantau.privacy)
        self.session_info: dict[str, Any] = {}
        self.sessions = sessionmaker(self.engine, expire_on_commit=False, info=self.session_info)
        # SQLite allows one writer at a time; serializing writers in-process avoids busy errors.
        self._write_lock = threading.RLock()

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A read session (also fine for small writes); commits on success."""
        with self.sessions() as session:
            try:
                yield session
                session.commit()
            except BaseException:
                session.rollback()
                raise

    @contextmanager
    def writer(self) -> Iterator[Session]:
        """A write session: on SQLite only one at a time per process (WAL has one writer)."""
        with self._write_lock, self.session() as session:
            yield session

    def limit_idle_transactions(self, seconds: float) -> None:
        """PostgreSQL: end this process's sessions left idle inside a transaction ``seconds``.

        A process paused mid-transaction (SIGSTOP, a frozen VM) otherwise keeps its row locks,
        and every other worker that touches those rows waits until it wakes up. Its transaction
        is rolled back instead; when it resumes, its next statement fails and is retried.
        """
        if self.dialect != "postgresql":
            return
        ms = max(1, int(seconds * 1000))

        def _limit(dbapi_conn: Any, _record: Any) -> None:
            with dbapi_conn.cursor() as cur:
                cur.execute(f"SET idle_in_transaction_session_timeout = {ms}")
            dbapi_conn.commit()

        event.listen(self.engine, "connect", _limit)
        self.engine.dispose()  # connections pooled before this get the limit too

    # --- schema ----------------------------------------------------------------------------
    def alembic_config(self) -> Any:
        from alembic.config import Config

        cfg = Config()
        cfg.set_main_option("script_location", str(MIGRATIONS))
        cfg.set_main_option("sqlalchemy.url", self.url.replace("%", "%%"))
        cfg.attributes["engine"] = self.engine
        return cfg

    def upgrade(self) -> str:
        """Create or upgrade the schema to the newest migrations; returns the revision(s).

        Stages add migrations as branches off the core chain, so there may be several heads;
        all of them are applied.
        """
        from alembic import command

        try:
            with self._migration_lock():
                command.upgrade(self.alembic_config(), "heads")
        except Exception as exc:
            raise StoreError(f"cannot upgrade the database {self.safe_url}: {exc}") from exc
        return self.current_revision() or ""

    @contextmanager
    def _migration_lock(self) -> Iterator[None]:
        """Serialize schema upgrades across processes (two `pantau` commands starting at once).

        SQLite DDL is not transactional under pysqlite, so a lock file beside the database
        guards it; PostgreSQL takes a session advisory lock.
        """
        if self.dialect == "sqlite":
            path = self.engine.url.database
            if not path or path == ":memory:":
                yield
                return
            import fcntl

            fd = os.open(f"{path}.migrate-lock", os.O_RDWR | os.O_CREAT, 0o600)
            with os.fdopen(fd, "a+") as fh:
                fcntl.flock(fh, fcntl.LOCK_EX)
                try:
                    yield
                finally:
                    fcntl.flock(fh, fcntl.LOCK_UN)
            return
        with self.engine.connect() as conn:
            conn.execute(text("SELECT pg_advisory_lock(:k)"), {"k": MIGRATION_LOCK_KEY})
            conn.commit()
            try:
                yield
            finally:
                conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": MIGRATION_LOCK_KEY})
                conn.commit()

    def current_revision(self) -> str | None:
        """The applied revision(s), comma-separated and sorted when there are several heads."""
        from alembic.runtime.migration import MigrationContext

        with self.engine.connect() as conn:
            heads = MigrationContext.configure(conn).get_current_heads()
        return ",".join(sorted(heads)) or None

    def table_names(self) -> list[str]:
        return sorted(inspect(self.engine).get_table_names())

    @property
    def safe_url(self) -> str:
        """The URL without its password, for messages."""
        return self.engine.url.render_as_string(hide_password=True)

    def dispose(self) -> None:
        self.engine.dispose()
