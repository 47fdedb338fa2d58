"""The store's vital signs for operators: ingest, the analysis queue and its lag, alert deliveries,
quarantine, failing sources and login failures, read in one short transaction.

Everything is counted from the tables themselves, so the figures hold across restarts and
across several processes writing the same store; ``/metrics`` renders them for Prometheus and
``/readyz`` compares the lag with its ceiling.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from pantau.store.models import LoginFailure, Mention, Quarantine, Source
from pantau.store.types import utcnow
from pantau.store.workflow_models import AlertDelivery

__all__ = ["Vitals", "database_ok", "read_vitals"]

#: Window of the recent login-failure count: a guessing attack shows up within minutes.
LOGIN_FAILURE_WINDOW = timedelta(minutes=15)


@dataclass
class Vitals:
    """One reading; ``lag_seconds``: age of the oldest mention not analyzed yet (0 if none)."""

    at: datetime
    mentions: int = 0
    pending: int = 0
    lag_seconds: float = 0.0
    deliveries: dict[str, int] = field(default_factory=dict)
    quarantined: int = 0
    quarantine_open: int = 0
    sources: dict[str, int] = field(default_factory=dict)  # by health
    source_errors: int = 0  # sum of the current error streaks
    login_failures: int = 0


def database_ok(session: Session) -> bool:
    session.execute(text("SELECT 1"))
    return True


def read_vitals(session: Session, now: datetime | None = None) -> Vitals:
    """Count the vital signs now (each count uses an index, except the mention total)."""
    now = now or utcnow()
    v = Vitals(at=now)
    v.mentions = int(session.scalar(select(func.count(Mention.id))) or 0)
    pending = Mention.analyzed_at.is_(None)
    v.pending = int(session.scalar(select(func.count(Mention.id)).where(pending)) or 0)
    oldest = session.scalar(select(func.min(Mention.fetched_at)).where(pending))
    if oldest is not None:
        if isinstance(oldest, str):  # SQLite returns the raw column for an aggregate
            oldest = datetime.fromisoformat(oldest)
        if oldest.tzinfo is None:
            oldest = oldest.replace(tzinfo=now.tzinfo)
        v.lag_seconds = max(0.0, (now - oldest).total_seconds())
    rows = session.execute(
        select(AlertDelivery.status, func.count(AlertDelivery.id)).group_by(AlertDelivery.status)
    )
    v.deliveries = {str(status): int(n) for status, n in rows}
    v.quarantined = int(session.scalar(select(func.count(Quarantine.id))) or 0)
    v.quarantine_open = int(
        session.scalar(select(func.count(Quarantine.id)).where(Quarantine.resolved.is_(False))) or 0
    )
    rows = session.execute(select(Source.health, func.count(Source.id)).group_by(Source.health))
    v.sources = {str(health): int(n) for health, n in rows}
    v.source_errors = int(session.scalar(select(func.sum(Source.error_streak))) or 0)
    since = now - LOGIN_FAILURE_WINDOW
    v.login_failures = int(
        session.scalar(select(func.count(LoginFailure.id)).where(LoginFailure.at >= since)) or 0
    )
    return v
