"""Backing up and restoring the store: SQLite's online backup API, PostgreSQL's pg_dump/pg_restore.

A backup is consistent while pantau keeps running: SQLite copies a snapshot page by page
(writers wait only for each step), ``pg_dump`` reads one snapshot. The file is written beside its
target, created 0600 (it holds users' password hashes and citizens' data) and renamed into place
when complete, so a crash never leaves a half file under the final name.

A restore replaces the whole store with the backup and then upgrades the schema, so a backup made
by an older pantau can be restored into a newer one. Stop ``pantau serve`` and ``pantau run``
first: they would otherwise keep serving from their cached state.
"""

from __future__ import annotations

import logging
import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import URL

from pantau.store.db import Database, StoreError

__all__ = ["BackupError", "BackupResult", "backup", "restore"]

logger = logging.getLogger(__name__)

#: Pages copied per step of SQLite's online backup; between steps other writers get the store,
#: so a long backup never blocks the push API for more than one step (~4 MB at 4 KiB pages).
SQLITE_STEP_PAGES = 1024
PG_BIN_DIRS = (
    "/usr/lib/postgresql/17/bin",
    "/usr/lib/postgresql/16/bin",
    "/usr/lib/postgresql/15/bin",
)
#: The first bytes of every SQLite database file and of every pg_dump custom-format archive.
SQLITE_MAGIC = b"SQLite format 3\x00"
PGDMP_MAGIC = b"PGDMP"


class BackupError(StoreError):
    """A backup or restore failed; the message says why and what to do."""


@dataclass(frozen=True)
class BackupResult:
    path: Path
    bytes: int
    dialect: str


def _private_file(path: Path) -> None:
    """Create ``path`` empty with mode 0600, whatever the umask."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.close(fd)
    os.chmod(path, 0o600)


def backup(db: Database, target: Path, *, overwrite: bool = False) -> BackupResult:
    """Write a consistent copy of ``db`` to ``target`` (0600); see the module docstring."""
    target = Path(target)
    if target.exists() and not overwrite:
        raise BackupError(f"{target} sudah ada; pilih nama lain atau pakai --overwrite")
    if not target.parent.is_dir():
        raise BackupError(f"folder {target.parent} tidak ada")
    partial = target.with_name(target.name + ".partial")
    _private_file(partial)
    try:
        if db.dialect == "sqlite":
            _sqlite_backup(db, partial)
        else:
            _pg_run(
                "pg_dump",
                db,
                ["--format=custom", "--no-owner", "--no-privileges", f"--file={partial}"],
            )
        os.replace(partial, target)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    size = target.stat().st_size
    logger.info("backed up %s to %s (%d bytes)", db.safe_url, target, size)
    return BackupResult(target, size, db.dialect)


def restore(db: Database, source: Path) -> str:
    """Replace the store's contents with the backup ``source``; returns the schema revision."""
    source = Path(source)
    if not source.is_file():
        raise BackupError(f"berkas cadangan {source} tidak ada")
    with source.open("rb") as fh:
        head = fh.read(16)
    if db.dialect == "sqlite":
        if not head.startswith(SQLITE_MAGIC):
            raise BackupError(f"{source} bukan cadangan SQLite (basis data ini SQLite)")
        _sqlite_restore(db, source)
    else:
        if not head.startswith(PGDMP_MAGIC):
            raise BackupError(f"{source} bukan arsip pg_dump (basis data ini PostgreSQL)")
        _pg_restore(db, source)
    db.engine.dispose()  # pooled connections may hold pages of the old store
    revision = db.upgrade()
    logger.info("restored %s from %s (revision %s)", db.safe_url, source, revision)
    return revision


# --- SQLite -----------------------------------------------------------------------------------
def _sqlite_backup(db: Database, partial: Path) -> None:
    dest = sqlite3.connect(partial)
    try:
        raw = db.engine.raw_connection()
        try:
            raw.driver_connection.backup(dest, pages=SQLITE_STEP_PAGES)  # type: ignore[union-attr]
        finally:
            raw.close()
        dest.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal beside it
    finally:
        dest.close()


def _sqlite_restore(db: Database, source: Path) -> None:
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    try:
        check = src.execute("PRAGMA quick_check").fetchone()
        if not check or check[0] != "ok":
            raise BackupError(f"{source} rusak: {check[0] if check else 'tidak terbaca'}")
        has_schema = src.execute(
            "SELECT 1 FROM sqlite_master WHERE type='table' AND name='alembic_version'"
        ).fetchone()
        if not has_schema:
            raise BackupError(f"{source} bukan basis data pantau (tidak ada alembic_version)")
        with db.writer():  # no writer of this process runs during the copy
            raw = db.engine.raw_connection()
            try:
                src.backup(raw.driver_connection, pages=SQLITE_STEP_PAGES)  # type: ignore[arg-type]
            finally:
                raw.close()
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"{source} tidak bisa dipulihkan: {exc}") from exc
    finally:
        src.close()


# --- PostgreSQL -------------------------------------------------------------------------------
def _pg_tool(name: str) -> str:
    for folder in PG_BIN_DIRS:
        candidate = Path(folder) / name
        if candidate.exists():
            return str(candidate)
    found = shutil.which(name)
    if not found:
        raise BackupError(f"{name} tidak ditemukan: pasang paket Debian 'postgresql-client'")
    return found


def _pg_env(url: URL) -> tuple[list[str], dict[str, str]]:
    """libpq arguments for ``url``, the password passed in the environment (not in ``ps``)."""
    env = {**os.environ}
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    args = [f"--dbname={url.database}"]
    if url.host:
        args.append(f"--host={url.host}")
    if url.port:
        args.append(f"--port={url.port}")
    if url.username:
        args.append(f"--username={url.username}")
    return args, env


def _pg_run(tool: str, db: Database, extra: list[str], stdin: bytes | None = None) -> None:
    conn, env = _pg_env(db.engine.url)
    cmd = [_pg_tool(tool), *conn, *extra]
    done = subprocess.run(cmd, env=env, input=stdin, capture_output=True, check=False)
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip()[-2000:]
        raise BackupError(f"{tool} gagal ({done.returncode}): {message}")


def _pg_restore(db: Database, source: Path) -> None:
    """Drop the schema and load the archive in one transaction: all of it or none of it."""
    script = subprocess.run(
        [_pg_tool("pg_restore"), "--no-owner", "--no-privileges", "--file=-", str(source)],
        capture_output=True,
        check=False,
    )
    if script.returncode != 0:
        message = script.stderr.decode("utf-8", "replace").strip()[-2000:]
        raise BackupError(f"pg_restore tidak bisa membaca {source}: {message}")
    db.engine.dispose()
    _pg_run(
        "psql",
        db,
        [
            "--no-psqlrc",
            "--quiet",
            "--set=ON_ERROR_STOP=1",
            "--single-transaction",
            "--command=DROP SCHEMA public CASCADE",
            "--command=CREATE SCHEMA public",
            "--file=-",
        ],
        stdin=script.stdout,
    )
