"""The issue trackers of the provinces a process clusters, kept warm and saved in the store.

Each province (tenant) has its own :class:`~pantau.issues.IssueTracker`, so two provinces'
floods never share an issue; mentions of no province go to the ``nasional`` partition. The
installation's own province keeps the tracker name and issue ids it always had
(``issue_tracker``, ``isu-12``); another's are prefixed (``issue_tracker:63``, ``63/isu-12``).

With several workers on PostgreSQL a process holds only the trackers of the provinces it owns
(:class:`Provinces`, :mod:`pantau.flow.share`): it restores those on start, adopts a province's
tracker from its last owner's snapshot when it claims it, and forgets it when another claims it.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping
from typing import Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session

from pantau.issues import IssueTracker
from pantau.settings import Settings
from pantau.store.db import Database
from pantau.store.models import Issue, StageState
from pantau.store.tenancy import NATIONAL_WORD, partition_of
from pantau.workflow.corrections import apply_pending

__all__ = ["TRACKER", "ProvinceTrackers", "Provinces"]

#: The stage state the own province's tracker is saved under; another's is ``TRACKER:<code>``.
TRACKER = "issue_tracker"


class Provinces(Protocol):
    """The provinces (tracker partitions) this process clusters, when it is one of several
    workers; a pipeline without one clusters every province (one process, as on SQLite)."""

    def owns(self, partition: str) -> bool:
        """Whether this process runs ``partition``'s tracker now."""
        ...

    def fence(self, session: Session, partitions: Collection[str]) -> None:
        """Refuse ``session``'s writes unless this process still owns every one of
        ``partitions`` (called last in the transaction, like the text stage's fence)."""
        ...


class ProvinceTrackers(Mapping[str, IssueTracker]):
    """Partition (a province code, or ``nasional``) -> its tracker, for the provinces this
    process clusters (every one without ``provinces``), restored from their saved snapshots."""

    def __init__(self, db: Database, settings: Settings, provinces: Provinces | None = None):
        self.db = db
        self.settings = settings
        self.provinces = provinces
        self.home = settings.province
        with db.session() as s:
            saved = {
                row.name: dict(row.state)
                for row in s.scalars(select(StageState).where(StageState.name.like(f"{TRACKER}%")))
                if row.state and (row.name == TRACKER or row.name.startswith(f"{TRACKER}:"))
            }
        self._trackers: dict[str, IssueTracker] = {}
        for name, snapshot in saved.items():
            partition = name.partition(":")[2] or self.home
            if self.owns(partition):
                self._trackers[partition] = IssueTracker.restore(snapshot, settings)

    def __getitem__(self, partition: str) -> IssueTracker:
        return self._trackers[partition]

    def __iter__(self) -> Iterator[str]:
        return iter(self._trackers)

    def __len__(self) -> int:
        return len(self._trackers)

    def tracker_for(self, tenant: str | None) -> IssueTracker:
        """The tracker of province ``tenant`` (``None``: mentions of no province), made when a
        province's first mention arrives."""
        partition = tenant or NATIONAL_WORD
        tracker = self._trackers.get(partition)
        if tracker is None:
            namespace = "" if partition == self.home else f"{partition}/"
            tracker = self._trackers[partition] = IssueTracker(self.settings, namespace=namespace)
        return tracker

    def state_name(self, partition: str) -> str:
        """The stage state ``partition``'s tracker is saved under."""
        return TRACKER if partition == self.home else f"{TRACKER}:{partition}"

    def owns(self, partition: str) -> bool:
        """Whether this process runs ``partition``'s tracker (every one without ``provinces``)."""
        return self.provinces is None or self.provinces.owns(partition)

    def _owns_issue(self, issue: Issue) -> bool:
        return self.owns(partition_of(issue.tenant))

    def adopt(self, partition: str) -> None:
        """Take ``partition``'s tracker from the snapshot its last owner committed (this process
        just claimed it; what it held of it before may be stale)."""
        with self.db.session() as s:
            row = s.get(StageState, self.state_name(partition))
            snapshot = dict(row.state) if row is not None and row.state else None
        self._trackers.pop(partition, None)
        if snapshot is not None:
            self._trackers[partition] = IssueTracker.restore(snapshot, self.settings)

    def drop(self, partition: str) -> None:
        """Forget ``partition``'s tracker: another process owns it now."""
        self._trackers.pop(partition, None)

    def apply_corrections(self, s: Session) -> int:
        """Apply people's queued corrections to this process's trackers; returns how many."""
        ours = None if self.provinces is None else self._owns_issue
        return apply_pending(s, lambda issue: self.tracker_for(issue.tenant), ours)

    def save(self, s: Session, partitions: set[str], position: int) -> None:
        """Save the trackers of ``partitions`` (those a batch or a correction touched)."""
        for partition in sorted(partitions):
            name = self.state_name(partition)
            state = s.get(StageState, name)
            if state is None:
                state = StageState(name=name)
                s.add(state)
            state.state = self.tracker_for(partition).snapshot()
            state.position = position

    def fence(self, s: Session, partitions: Collection[str]) -> None:
        """Refuse ``s``'s writes unless this process still owns every one of ``partitions``."""
        if self.provinces is not None and partitions:
            self.provinces.fence(s, partitions)
