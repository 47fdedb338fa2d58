"""A fair share of the provinces among the live ``pantau run`` workers on one PostgreSQL store.

Each province (tracker partition) has its own clustering lock and fencing epoch
(:class:`~pantau.flow.ownership.ClusteringOwner` with the province as its partition), so the
provinces scale out independently: the text stage stays with one worker (its near-duplicate
index lives in one process's memory) and marks the mentions of the provinces it does not own
``cluster_pending``; each province's owner clusters them (``Pipeline.cluster_waiting``).

Who owns what is settled without a coordinator, round by round:

1. each worker holds a **presence** advisory lock (a key of its own under one class), so the
   presence locks in ``pg_locks`` count the live workers;
2. a worker wants ``ceil(provinces / workers)`` provinces; it claims free ones, busiest first
   (most mentions waiting), and gives up its least busy extras when a new worker appears, at
   the start of a round, so always after a committed batch;
3. a worker that dies (SIGKILL, a machine gone) loses its session and every lock with it; the
   survivors count one worker fewer on their next round (at most ``flow_max_lag_seconds``
   later; a paused one's locks end after ``clustering_lease_seconds``) and claim its provinces,
   each with a new epoch, from the tracker snapshot its last committed batch saved.

SQLite stays one process owning everything (``pantau.flow.loop`` uses no share there).
"""

from __future__ import annotations

import logging
import math
import os
import secrets
from collections.abc import Collection

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from pantau.flow.ownership import ClusteringOwner, FencedOut
from pantau.store.db import Database
from pantau.store.models import Mention, Source
from pantau.store.tenancy import NATIONAL_WORD, known_tenants, partition_of

__all__ = ["PRESENCE_CLASS", "FairShare", "ProvinceLocks", "busiest_provinces", "live_workers"]

logger = logging.getLogger(__name__)

#: The high 32 bits of every presence lock's key (``pg_locks.classid``); the clustering locks
#: use 0x7A7 (:func:`pantau.flow.ownership.lock_key`), so the two never meet.
PRESENCE_CLASS = 0x7A8
#: Tries for a presence key no live worker holds (31 random bits: a clash is rare already).
PRESENCE_TRIES = 8

_LIVE = text(
    "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted "
    "AND classid = :c AND objsubid = 1 "
    "AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"
)


def live_workers(session: Session) -> int:
    """How many workers hold a presence lock on this database now."""
    return int(session.scalar(_LIVE, {"c": PRESENCE_CLASS}) or 0)


def busiest_provinces(session: Session, home: str) -> list[str]:
    """Every province a worker may have to cluster, the busiest first (most mentions waiting
    for their province's owner: the partial index counts them), then by code.

    The provinces the installation serves (:func:`~pantau.store.tenancy.known_tenants`); the
    national partition too when a source belongs to no province or a mention of none waits.
    (A mention not analyzed yet has no place: the text stage decides its province.)"""
    load = {
        partition_of(tenant): int(n)
        for tenant, n in session.execute(
            select(Mention.tenant, func.count())
            .where(Mention.cluster_pending.is_not(None))
            .group_by(Mention.tenant)
        )
    }
    partitions = set(known_tenants(session, home)) | load.keys()
    if session.scalar(select(Source.id).where(Source.province.is_(None)).limit(1)) is not None:
        partitions.add(NATIONAL_WORD)
    return sorted(partitions, key=lambda p: (-load.get(p, 0), p))


class ProvinceLocks:
    """The provinces this process owns now: one clustering lock and fencing epoch each.

    It is the :class:`pantau.flow.trackers.Provinces` a pipeline runs with."""

    def __init__(self, db: Database, lease_seconds: float) -> None:
        self.db = db
        self.lease_seconds = lease_seconds
        self._owners: dict[str, ClusteringOwner] = {}

    @property
    def held(self) -> frozenset[str]:
        return frozenset(self._owners)

    def owns(self, partition: str) -> bool:
        owner = self._owners.get(partition)
        return owner is not None and owner.owned

    def claim(self, partition: str) -> bool:
        """Try once, without waiting, to own ``partition`` (a new epoch when it is taken)."""
        if partition in self._owners:
            return True
        owner = ClusteringOwner(self.db, partition, self.lease_seconds)
        if not owner.claim():
            return False
        self._owners[partition] = owner
        return True

    def check(self) -> set[str]:
        """Drop the provinces whose lock this process lost (its lease ran out while it was
        paused, its connection was cut); returns them."""
        lost = {p for p, owner in self._owners.items() if not owner.claim()}
        for partition in lost:
            self.release(partition)
        return lost

    def release(self, partition: str) -> None:
        owner = self._owners.pop(partition, None)
        if owner is not None:
            owner.release()
            logger.info("proses %d melepas pengelompokan %s", os.getpid(), partition)

    def release_all(self) -> None:
        for partition in sorted(self._owners):
            self.release(partition)

    def fence(self, session: Session, partitions: Collection[str]) -> None:
        """Refuse the transaction unless this process still owns each of ``partitions``
        (their epoch rows locked in code order, so two workers never wait on each other)."""
        for partition in sorted(partitions):
            owner = self._owners.get(partition)
            if owner is None:
                raise FencedOut(
                    f"proses {os.getpid()} tidak memegang pengelompokan {partition}: "
                    "tulisannya ditolak"
                )
            owner.fence(session)


class FairShare:
    """This worker's presence and its share of the provinces (PostgreSQL only)."""

    def __init__(self, db: Database, lease_seconds: float) -> None:
        self.db = db
        self.lease_seconds = lease_seconds
        self.locks = ProvinceLocks(db, lease_seconds)
        self.presence: ClusteringOwner | None = None

    def _present(self) -> None:
        """Hold a presence lock (again, after a lost session), under a key no one holds."""
        if self.presence is not None and self.presence.claim():
            return
        for _ in range(PRESENCE_TRIES):
            key = (PRESENCE_CLASS << 32) | secrets.randbits(31)
            presence = ClusteringOwner(
                self.db, "presence", self.lease_seconds, key=key, fenced=False
            )
            if presence.claim():
                self.presence = presence
                return
        raise RuntimeError("tidak ada kunci kehadiran pekerja yang bebas")

    def rebalance(self, busiest: list[str]) -> tuple[set[str], set[str]]:
        """Claim or give up provinces toward this worker's fair share of ``busiest`` (all the
        provinces, busiest first); returns the provinces gained and those lost or given up."""
        lost = self.locks.check()
        self._present()
        with self.db.session() as s:
            workers = max(1, live_workers(s))
        share = math.ceil(len(busiest) / workers)
        held = set(self.locks.held)
        gained: set[str] = set()
        if len(held) > share:
            # give up a province that is gone first, then the least busy: a province this worker
            # is deep in stays with it longer
            extras = sorted(held - set(busiest)) + [p for p in reversed(busiest) if p in held]
            for partition in extras[: len(held) - share]:
                self.locks.release(partition)
                lost.add(partition)
        else:
            for partition in busiest:
                if len(held) + len(gained) >= share:
                    break
                if partition not in held and self.locks.claim(partition):
                    gained.add(partition)
        if gained or lost:
            logger.info(
                "proses %d: %d pekerja, bagian %d provinsi: memegang %s",
                os.getpid(),
                workers,
                share,
                ", ".join(sorted(self.locks.held)) or "-",
            )
        return gained, lost

    def release(self) -> None:
        """Give everything up (a clean stop: the others need not wait for a lease)."""
        self.locks.release_all()
        if self.presence is not None:
            self.presence.release()
            self.presence = None
