"""The outbox: every alert message is a row, delivered with retries, backoff and dead letters.

Exactly one delivery per (alert, recipient, channel): the row's ``key`` is unique, so routing an
alert twice adds nothing; a delivering process *leases* a row (a conditional UPDATE, safe between
processes and on PostgreSQL) before sending and marks it sent afterwards, so a second process or
a restart never sends a row that is sent. In-app rows are written in the same transaction that
marks them sent. A process killed between an external send and its commit would send again after
the lease; ``X-Pantau-Delivery`` / the Message-ID carry the key so receivers can drop that copy.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from pantau.alerts.bounces import record_bounce
from pantau.alerts.channels import Channel, DeliveryError
from pantau.alerts.policy import backoff_seconds
from pantau.alerts.records import OutMessage
from pantau.store.audit import record
from pantau.store.db import Database
from pantau.store.types import utcnow
from pantau.store.workflow_models import AlertDelivery

__all__ = [
    "SYSTEM_ACTOR",
    "DeliveryReport",
    "dead_letters",
    "deliver_due",
    "resend",
]

logger = logging.getLogger(__name__)

SYSTEM_ACTOR = "pantau-alerts"
#: Rows leased per round; small so a slow SMTP server does not starve the others for long.
BATCH = 50
MAX_ERROR_CHARS = 500
#: In-app rows cost one INSERT each, so a round takes this many times more of them.
LOCAL_BATCH_FACTOR = 10


@dataclass
class DeliveryReport:
    """What one round of delivery did."""

    sent: int = 0
    retried: int = 0
    dead: int = 0
    errors: list[str] = field(default_factory=list)

    def __iadd__(self, other: DeliveryReport) -> DeliveryReport:
        self.sent += other.sent
        self.retried += other.retried
        self.dead += other.dead
        self.errors += other.errors
        return self


def _lease(
    db: Database, now: datetime, lease_seconds: int, limit: int, names: list[str]
) -> list[int]:
    with db.writer() as s:
        ids = list(
            s.scalars(
                select(AlertDelivery.id)
                .where(
                    AlertDelivery.status == "pending",
                    AlertDelivery.channel.in_(names),
                    AlertDelivery.next_attempt_at <= now,
                    or_(AlertDelivery.lease_until.is_(None), AlertDelivery.lease_until < now),
                )
                .order_by(AlertDelivery.next_attempt_at, AlertDelivery.id)
                .limit(limit)
            )
        )
    leased: list[int] = []
    until = now + timedelta(seconds=lease_seconds)
    for row_id in ids:
        with db.writer() as s:
            done = s.execute(
                update(AlertDelivery)
                .where(
                    AlertDelivery.id == row_id,
                    AlertDelivery.status == "pending",
                    or_(AlertDelivery.lease_until.is_(None), AlertDelivery.lease_until < now),
                )
                .values(lease_until=until)
                .execution_options(synchronize_session=False)
            )
            if getattr(done, "rowcount", 0) == 1:
                leased.append(row_id)
    return leased


def _deliver_local(
    db: Database, channels: Mapping[str, Channel], names: list[str], now: datetime, limit: int
) -> int:
    """Transactional channels (in-app): a batch written and marked sent in one transaction.

    The batch's rows are taken by one conditional UPDATE (pending -> sent) before the channel
    writes, so a concurrent sender skips them (SQLite: the UPDATE takes the write lock;
    PostgreSQL: the row locks, then the re-checked condition), and the mark commits with what the
    channel wrote. One statement for the batch, its RETURNING naming the rows this sender won,
    instead of one per row: a 1,000-alert burst has ~2,000 in-app rows.
    """
    sent = 0
    with db.writer() as s:
        rows = s.scalars(
            select(AlertDelivery)
            .where(
                AlertDelivery.status == "pending",
                AlertDelivery.channel.in_(names),
                AlertDelivery.next_attempt_at <= now,
            )
            .order_by(AlertDelivery.id)
            .limit(limit * LOCAL_BATCH_FACTOR)
        ).all()
        if not rows:
            return 0
        taken = set(
            s.scalars(
                update(AlertDelivery)
                .where(
                    AlertDelivery.id.in_([row.id for row in rows]),
                    AlertDelivery.status == "pending",
                )
                .values(
                    status="sent",
                    sent_at=now,
                    attempts=AlertDelivery.attempts + 1,
                    lease_until=None,
                    last_error=None,
                )
                .returning(AlertDelivery.id)
                .execution_options(synchronize_session=False)
            )
        )
        for row in rows:
            if row.id not in taken:
                continue
            channels[row.channel].send(_message(row), row.address, s)
            _audit_sent(s, row, row.attempts + 1)
            sent += 1
    return sent


def _message(row: AlertDelivery) -> OutMessage:
    return OutMessage(
        key=row.key,
        subject=row.subject,
        body=row.body,
        link=row.link,
        payload=dict(row.payload or {}),
        user_id=row.user_id,
        issue_id=row.issue_id,
        delivery_id=row.id,
    )


def _mark_sent(s: Session, row: AlertDelivery, now: datetime) -> None:
    row.status = "sent"
    row.attempts += 1
    row.sent_at = now
    row.lease_until = None
    row.last_error = None
    _audit_sent(s, row, row.attempts)


def _audit_sent(s: Session, row: AlertDelivery, attempts: int) -> None:
    record(
        s,
        actor=SYSTEM_ACTOR,
        action="alert.delivery.sent",
        object_type="alert_delivery",
        object_id=row.id,
        before={"status": "pending"},
        after={
            "status": "sent",
            "channel": row.channel,
            "recipient": row.recipient,
            "attempts": attempts,
        },
    )


def _mark_failed(
    s: Session, row: AlertDelivery, exc: DeliveryError, now: datetime, settings: Any
) -> str:
    row.attempts += 1
    row.lease_until = None
    row.last_error = str(exc)[:MAX_ERROR_CHARS]
    if exc.bounce:
        record_bounce(s, row, status=exc.bounce, reason=str(exc), source="smtp")
    if exc.permanent or row.attempts >= int(settings.alert_max_attempts):
        row.status = "dead"
        action = "alert.delivery.dead"
    else:
        wait = max(
            backoff_seconds(
                row.attempts, settings.alert_retry_base, settings.alert_retry_max_delay
            ),
            exc.retry_after,
        )
        row.next_attempt_at = now + timedelta(seconds=wait)
        action = "alert.delivery.retry"
    record(
        s,
        actor=SYSTEM_ACTOR,
        action=action,
        object_type="alert_delivery",
        object_id=row.id,
        before={"status": "pending", "attempts": row.attempts - 1},
        after={
            "status": row.status,
            "attempts": row.attempts,
            "error": row.last_error,
            "next_attempt_at": row.next_attempt_at.isoformat(),
        },
    )
    return row.status


def deliver_due(
    db: Database,
    channels: Mapping[str, Channel],
    settings: Any,
    *,
    now: datetime | None = None,
    limit: int = BATCH,
) -> DeliveryReport:
    """Lease and send the due rows once (one round); failures are rescheduled or dead."""
    now = now or utcnow()
    report = DeliveryReport()
    local = sorted(name for name, ch in channels.items() if ch.transactional)
    remote = sorted(name for name, ch in channels.items() if not ch.transactional)
    if local:
        report.sent += _deliver_local(db, channels, local, now, limit)
    # rows of a channel that is not installed wait (in the outbox) until it is installed again
    for row_id in _lease(db, now, int(settings.alert_lease_seconds), limit, remote):
        with db.session() as s:
            row = s.get(AlertDelivery, row_id)
            if row is None or row.status != "pending":
                continue
            message, channel_name, address = _message(row), row.channel, row.address
        channel = channels.get(channel_name)
        try:
            if channel is None:
                raise DeliveryError(f"kanal {channel_name!r} tidak terpasang", permanent=True)
            if channel.transactional:
                with db.writer() as s:
                    row = s.get(AlertDelivery, row_id)
                    if row is None or row.status != "pending":
                        continue
                    channel.send(message, address, s)
                    _mark_sent(s, row, now)
                report.sent += 1
                continue
            channel.send(message, address, None)
        except Exception as raised:  # one channel's bug must not stop the round for the rest
            exc = raised if isinstance(raised, DeliveryError) else _unexpected(raised)
            logger.warning("delivery %s via %s failed: %s", message.key, channel_name, exc)
            with db.writer() as s:
                row = s.get(AlertDelivery, row_id)
                if row is not None and row.status == "pending":
                    status = _mark_failed(s, row, exc, now, settings)
                    report.dead += status == "dead"
                    report.retried += status == "pending"
            report.errors.append(f"{message.key}: {exc}")
            continue
        with db.writer() as s:
            row = s.get(AlertDelivery, row_id)
            if row is not None and row.status == "pending":
                _mark_sent(s, row, now)
        report.sent += 1
    return report


def _unexpected(exc: Exception) -> DeliveryError:
    """A channel error that is not a :class:`DeliveryError`: logged with its traceback, then
    retried like any other failure (and a dead letter with its reason in the end)."""
    logger.error("unexpected delivery error", exc_info=exc)
    return DeliveryError(f"galat tak terduga di kanal: {type(exc).__name__}: {exc}")


def dead_letters(session: Session, *, limit: int = 200) -> list[AlertDelivery]:
    """Deliveries that gave up, newest first, for an administrator to read and resend."""
    return list(
        session.scalars(
            select(AlertDelivery)
            .where(AlertDelivery.status == "dead")
            .order_by(AlertDelivery.id.desc())
            .limit(limit)
        )
    )


def resend(session: Session, delivery_id: int, *, actor: str, actor_id: int | None = None) -> bool:
    """Put a dead letter back in the outbox (attempts reset); False when it is not dead."""
    row = session.get(AlertDelivery, delivery_id)
    if row is None or row.status != "dead":
        return False
    before = {"status": row.status, "attempts": row.attempts, "error": row.last_error}
    row.status = "pending"
    row.attempts = 0
    row.next_attempt_at = utcnow()
    row.lease_until = None
    record(
        session,
        actor=actor,
        actor_id=actor_id,
        action="alert.delivery.resend",
        object_type="alert_delivery",
        object_id=row.id,
        before=before,
        after={"status": "pending", "attempts": 0},
    )
    return True
