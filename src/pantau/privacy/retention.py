"""Retention of personal data: after ``pii_retention_days`` the sealed originals are deleted.

What stays is the masked text, which is what every surface shows anyway: the mention still
counts in its issue, its report and its search, but no one can recover whose NIK or number it
held (UU PDP 27/2022 asks that personal data be kept no longer than its purpose needs; the
monitoring purpose is served by the masked text). Days count from collection (``fetched_at``),
the moment pantau began to hold the data. Quarantined records older than the window are masked
in place. ``pantau pdp expire`` runs it once; ``pantau run`` runs it every
:data:`CHECK_SECONDS`.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from pantau.store.audit import record
from pantau.store.models import Mention, Quarantine
from pantau.store.privacy_models import PersonalDatum
from pantau.text.personal import mask

__all__ = ["CHECK_SECONDS", "Expired", "RetentionTask", "expire"]

logger = logging.getLogger(__name__)

#: How often ``pantau run`` looks for expired personal data: retention counts in days, so an
#: hour late is well inside the promise, and one indexed delete an hour costs nothing.
CHECK_SECONDS = 3600
#: Quarantined records read at once while masking the old ones.
_QUARANTINE_BATCH = 500


@dataclass(frozen=True)
class Expired:
    """What one expiry removed: sealed originals and quarantined records masked."""

    pieces: int
    quarantined: int


def _mask_old_quarantine(session: Session, cutoff: datetime) -> int:
    changed = 0
    last = 0
    while True:
        rows = list(
            session.scalars(
                select(Quarantine)
                .where(Quarantine.created_at < cutoff, Quarantine.id > last)
                .order_by(Quarantine.id)
                .limit(_QUARANTINE_BATCH)
            )
        )
        if not rows:
            return changed
        last = rows[-1].id
        for q in rows:
            masked, found = mask(q.payload)
            if found:
                q.payload = masked
                changed += 1


def expire(
    session: Session, days: int, *, now: datetime | None = None, actor: str = "system"
) -> Expired:
    """Delete the sealed originals of mentions collected more than ``days`` ago and mask old
    quarantined records; audited when anything changed. ``days`` of 0 keeps everything."""
    if days <= 0:
        return Expired(0, 0)
    cutoff = (now or datetime.now(UTC)) - timedelta(days=days)
    # EXISTS walks the (few) sealed rows and looks each mention up by its key, where IN (...)
    # would scan every mention's fetched_at
    old = (
        select(Mention.id)
        .where(Mention.id == PersonalDatum.mention_id, Mention.fetched_at < cutoff)
        .exists()
    )
    result: Any = session.execute(
        delete(PersonalDatum).where(old),
        execution_options={"synchronize_session": False},
    )
    done = Expired(int(result.rowcount or 0), _mask_old_quarantine(session, cutoff))
    if done.pieces or done.quarantined:
        record(
            session,
            actor=actor,
            action="pii.expire",
            object_type="personal_data",
            after={"days": days, "cutoff": cutoff.isoformat(), **vars(done)},
        )
        logger.info(
            "retention: %d originals deleted, %d quarantined records masked (older than %s)",
            done.pieces,
            done.quarantined,
            cutoff.isoformat(),
        )
    return done


class RetentionTask:
    """Expiry on a schedule, for a loop that calls it every round (``pantau run``)."""

    def __init__(self, db: Any, days: int, every: float = CHECK_SECONDS) -> None:
        self.db = db
        self.days = days
        self.every = every
        self._next = 0.0

    def __call__(self) -> Expired | None:
        """Expire if due; a failure is logged and tried again next time, never raised."""
        if self.days <= 0 or time.monotonic() < self._next:
            return None
        self._next = time.monotonic() + self.every
        try:
            with self.db.writer() as session:
                return expire(session, self.days)
        except Exception:
            logger.exception("retention of personal data failed; retried in %ss", self.every)
            return None
