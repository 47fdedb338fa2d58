"""The quarantine: records that failed validation, listed with reason and line, retryable.

Retrying runs the record's payload through its source's connector again (after the file, the
mapping or pantau itself was fixed): what converts now is written exactly once and the entry is
resolved; what still fails keeps its entry with the new reason.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from pantau.ingest.registry import ConnectorNotFound, get_connector
from pantau.ingest.sink import write_mentions
from pantau.records import MentionIn
from pantau.store.models import Quarantine, Source

__all__ = ["RetryOutcome", "list_quarantine", "retry_quarantine"]

logger = logging.getLogger(__name__)


@dataclass
class RetryOutcome:
    """What one retry did."""

    id: int
    resolved: bool
    imported: int
    reason: str | None = None


def list_quarantine(
    session: Session,
    *,
    source: Source | None = None,
    include_resolved: bool = False,
    limit: int = 100,
) -> list[Quarantine]:
    """Quarantined records, newest first."""
    stmt = select(Quarantine).order_by(Quarantine.id.desc()).limit(limit)
    if source is not None:
        stmt = stmt.where(Quarantine.source_id == source.id)
    if not include_resolved:
        stmt = stmt.where(Quarantine.resolved.is_(False))
    return list(session.scalars(stmt))


def retry_quarantine(
    session: Session, item: Quarantine, *, max_chars: int = 100_000
) -> RetryOutcome:
    """Convert ``item``'s payload again and store what now passes."""
    item.retried_at = datetime.now(UTC)
    source = session.get(Source, item.source_id) if item.source_id else None
    if source is None:
        item.reason = "sumber tidak diketahui; tidak bisa dicoba ulang"
        return RetryOutcome(item.id, False, 0, item.reason)
    try:
        connector = get_connector(source.kind)
    except ConnectorNotFound as exc:
        return RetryOutcome(item.id, False, 0, str(exc))
    retry = getattr(connector, "retry", None)
    if retry is None:
        return RetryOutcome(item.id, False, 0, f"konektor {source.kind} tidak mendukung coba ulang")
    results = list(retry(item.payload, dict(source.config or {})))
    mentions = [r for r in results if isinstance(r, MentionIn)]
    failures = [r for r in results if not isinstance(r, MentionIn)]
    if failures or not mentions:
        reason = failures[0].reason if failures else "tetap tidak menghasilkan sebutan"
        item.reason = reason
        if failures:
            item.field = failures[0].field
        return RetryOutcome(item.id, False, 0, reason)
    summary, rejected = write_mentions(session, source, mentions, max_chars=max_chars)
    if rejected:
        item.reason = rejected[0].reason
        return RetryOutcome(item.id, False, summary.imported, item.reason)
    item.resolved = True
    return RetryOutcome(item.id, True, summary.imported)
