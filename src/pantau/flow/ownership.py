"""One clustering owner at a time: several ``pantau run`` processes on one store share it safely.

The issue tracker lives in memory between batches, so only one process may run the analysis
stages of a partition (today: the whole installation) at a time. The owner holds a lock that the
operating system or the database releases when the owner dies, however it dies:

- PostgreSQL: a session-level advisory lock on a connection the owner keeps open; a killed
  process's connection closes and the server drops the lock at once.
- SQLite: an exclusive ``flock`` on a file beside the database, dropped by the kernel with the
  process (a SQLite store is one machine's by nature).

The others poll the lock on every round of the flow (at most ``flow_max_lag_seconds`` apart), so
one of them takes over within that bound, rebuilding its pipeline from the snapshot the last
owner committed with its last batch: a batch the dead owner had not committed is done again, a
committed one never is.
"""

from __future__ import annotations

import fcntl
import logging
import os
import zlib
from typing import IO

from sqlalchemy import Connection, text

from pantau.store.db import Database

__all__ = ["ClusteringOwner", "lock_key"]

logger = logging.getLogger(__name__)


def lock_key(partition: str) -> int:
    """The advisory-lock key of a partition: stable across processes and versions.

    >>> lock_key("default") == lock_key("default") != lock_key("64")
    True
    """
    return zlib.crc32(f"pantau/clustering/{partition}".encode()) | (0x7A7 << 32)


class ClusteringOwner:
    """Claims and keeps the right to run the analysis stages of ``partition``."""

    def __init__(self, db: Database, partition: str = "default") -> None:
        self.db = db
        self.partition = partition
        self.key = lock_key(partition)
        self._conn: Connection | None = None
        self._file: IO[bytes] | None = None
        self.owned = False

    def claim(self) -> bool:
        """Whether this process owns the partition now: keeps a held lock (checking it is still
        alive) or tries once, without waiting, to take it."""
        postgres = self.db.dialect == "postgresql"
        owned = self._claim_postgresql() if postgres else self._claim_file()
        if owned != self.owned:
            if owned:
                logger.info("proses %d memegang pengelompokan %s", os.getpid(), self.partition)
            else:
                logger.warning("proses %d kehilangan pengelompokan %s", os.getpid(), self.partition)
            self.owned = owned
        return owned

    def release(self) -> None:
        """Give the partition up (on a clean stop, so another worker need not wait)."""
        if self._conn is not None:
            try:
                self._conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": self.key})
                self._conn.commit()
                self._conn.close()
            except Exception:  # the connection is gone, and the lock with it
                self._conn.invalidate()
            self._conn = None
        if self._file is not None:
            self._file.close()  # closing the descriptor drops the flock
            self._file = None
        self.owned = False

    def _claim_postgresql(self) -> bool:
        if self._conn is not None:
            try:
                self._conn.execute(text("SELECT 1"))
                self._conn.commit()
                return True
            except Exception:
                logger.exception("sambungan kunci pengelompokan terputus")
                self._conn.invalidate()
                self._conn = None
        conn = self.db.engine.connect()
        try:
            got = conn.execute(text("SELECT pg_try_advisory_lock(:k)"), {"k": self.key}).scalar()
            conn.commit()
        except Exception:
            conn.invalidate()
            raise
        if got:
            self._conn = conn  # kept open: the lock lives as long as this session
            return True
        conn.close()
        return False

    def _claim_file(self) -> bool:
        if self._file is not None:
            return True
        database = self.db.engine.url.database
        if not database or database == ":memory:":
            return True  # a store only this process can see
        handle = open(f"{database}.clustering-{self.partition}.lock", "ab")  # noqa: SIM115
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.close()
            return False
        self._file = handle
        return True
