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

A lock alone does not stop an owner that *lost* it without noticing (paused by SIGSTOP, a VM
migration or a long GC, its connection cut meanwhile) from writing stale clustering state when it
wakes up. So every claim also takes a **fencing token**: an epoch, one more than the last owner's,
kept in ``stage_state``. Each batch checks, as the last statement of its transaction and under a
row lock, that the epoch is still its own (:meth:`ClusteringOwner.fence`); a newer owner's claim
waits for that row lock, so either the old batch commits before the hand-over or it is refused
and rolled back. On PostgreSQL the lock's session also carries ``idle_session_timeout``
(``clustering_lease_seconds``), renewed by a heartbeat thread while the process runs, so a paused
owner's lock ends within that bound, not at whatever time TCP gives up; the flow limits its
sessions' idle transactions the same way, so the paused owner holds no row lock either.
"""

from __future__ import annotations

import fcntl
import logging
import os
import threading
import zlib
from typing import IO

from sqlalchemy import Connection, select, text
from sqlalchemy.orm import Session

from pantau.store.db import Database
from pantau.store.models import StageState

__all__ = ["ClusteringOwner", "FencedOut", "epoch_name", "lock_key"]

#: Seconds a PostgreSQL clustering owner may stay silent before its lock session ends, when the
#: caller gives none: far above one micro-batch (under a second at 500 mentions), far below the
#: minutes an office would notice as a stalled dashboard.
DEFAULT_LEASE_SECONDS = 60
#: Lease renewals per lease: three, so one late renewal on a loaded machine is not a hand-over.
HEARTBEATS_PER_LEASE = 3


class FencedOut(RuntimeError):
    """Another process owns the clustering now: this one's in-memory state is stale."""


def epoch_name(partition: str) -> str:
    """The ``stage_state`` row that holds a partition's fencing epoch.

    >>> epoch_name("64")
    'clustering-epoch/64'
    """
    return f"clustering-epoch/{partition}"


logger = logging.getLogger(__name__)


def lock_key(partition: str) -> int:
    """The advisory-lock key of a partition: stable across processes and versions.

    >>> lock_key("default") == lock_key("default") != lock_key("64")
    True
    """
    return zlib.crc32(f"pantau/clustering/{partition}".encode()) | (0x7A7 << 32)


class ClusteringOwner:
    """Claims and keeps the right to run the analysis stages of ``partition``."""

    def __init__(
        self,
        db: Database,
        partition: str = "default",
        lease_seconds: float = DEFAULT_LEASE_SECONDS,
        *,
        key: int | None = None,
        fenced: bool = True,
    ) -> None:
        self.db = db
        self.partition = partition
        #: a caller's own key (a worker's presence, :mod:`pantau.flow.share`), else the partition's
        self.key = lock_key(partition) if key is None else key
        #: whether a claim takes a fencing epoch (a presence lock guards no writes)
        self.fenced = fenced
        self.lease_seconds = lease_seconds
        self._conn: Connection | None = None
        self._file: IO[bytes] | None = None
        self.owned = False
        self.epoch: int | None = None  # the fencing token of this process's current claim
        self._conn_lock = threading.Lock()  # the lease thread and the caller share _conn
        self._beat_stop = threading.Event()

    def claim(self) -> bool:
        """Whether this process owns the partition now: keeps a held lock (checking it is still
        alive) or tries once, without waiting, to take it."""
        postgres = self.db.dialect == "postgresql"
        owned = self._claim_postgresql() if postgres else self._claim_file()
        if owned != self.owned and not self.fenced:
            logger.debug("proses %d: kunci %s %s", os.getpid(), self.partition, owned)
        elif owned != self.owned:
            if owned:
                self.epoch = self._next_epoch()
                logger.info(
                    "proses %d memegang pengelompokan %s (epoch %d)",
                    os.getpid(),
                    self.partition,
                    self.epoch,
                )
            else:
                self.epoch = None
                logger.warning("proses %d kehilangan pengelompokan %s", os.getpid(), self.partition)
            self.owned = owned
        return owned

    def _next_epoch(self) -> int:
        """Take the next fencing token: the last owner's plus one, committed at once."""
        name = epoch_name(self.partition)
        with self.db.writer() as s:
            row = s.get(StageState, name, with_for_update=True)
            if row is None:
                row = StageState(name=name, state={}, position=0)
                s.add(row)
            row.position = int(row.position or 0) + 1
            return row.position

    def fence(self, session: Session) -> None:
        """Refuse ``session``'s writes unless this process still owns the partition.

        Call it last in a transaction that writes clustering state: it checks that the lock is
        alive (renewing its lease) and that no later claim took a newer epoch, and keeps the
        epoch row locked until the caller commits, so a new owner's claim waits for that commit.
        Raises :class:`FencedOut` (the caller rolls back and drops its in-memory state).
        """
        alive = self.owned and self.claim()
        current = session.scalar(
            select(StageState.position)
            .where(StageState.name == epoch_name(self.partition))
            .with_for_update()
        )
        if not alive or self.epoch is None or current != self.epoch:
            raise FencedOut(
                f"proses {os.getpid()} bukan lagi pemegang pengelompokan {self.partition} "
                f"(epoch {self.epoch}, terbaru {current}): tulisannya ditolak"
            )

    def release(self) -> None:
        """Give the partition up (on a clean stop, so another worker need not wait)."""
        self._beat_stop.set()
        with self._conn_lock:
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
        self.epoch = None

    def _ping(self) -> bool:
        """Whether the lock's session still answers (which also renews its lease)."""
        with self._conn_lock:
            if self._conn is None:
                return False
            try:
                self._conn.execute(text("SELECT 1"))
                self._conn.commit()
                return True
            except Exception as exc:
                logger.warning("sambungan kunci pengelompokan terputus: %s", exc)
                self._conn.invalidate()
                self._conn = None
                return False

    def _heartbeat(self, stop: threading.Event) -> None:
        """Renew the lease while this process runs, however long a batch or a pipeline build
        takes; a paused process stops this thread too, so its lease runs out."""
        while not stop.wait(self.lease_seconds / HEARTBEATS_PER_LEASE):
            if not self._ping():
                return

    def _claim_postgresql(self) -> bool:
        if self._ping():
            return True
        conn = self.db.engine.connect()
        try:
            got = conn.execute(text("SELECT pg_try_advisory_lock(:k)"), {"k": self.key}).scalar()
            conn.commit()
        except Exception:
            conn.invalidate()
            raise
        if not got:
            conn.close()
            return False
        # the lease: a silent owner's session (and its lock) ends after this long idle
        lease_ms = max(1, int(self.lease_seconds * 1000))
        conn.execute(text(f"SET idle_session_timeout = {lease_ms}"))
        conn.commit()
        with self._conn_lock:
            self._conn = conn  # kept open: the lock lives as long as this session
        self._beat_stop = threading.Event()
        threading.Thread(
            target=self._heartbeat, args=(self._beat_stop,), name="pantau-lease", daemon=True
        ).start()
        return True

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
