"""The daily digest: held deliveries (throttled, or for digest-only users) become one message
per recipient and channel per local day, sent through the outbox like any other."""

from __future__ import annotations

import logging
from collections import defaultdict
from datetime import datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select

from pantau.alerts.messages import digest_message
from pantau.alerts.outbox import SYSTEM_ACTOR
from pantau.store.audit import record
from pantau.store.db import Database
from pantau.store.types import utcnow
from pantau.store.workflow_models import AlertDelivery

__all__ = ["build_digests", "digest_due"]

logger = logging.getLogger(__name__)


def digest_due(settings: Any, now: datetime) -> bool:
    """Whether today's digest time (local) has passed."""
    local = now.astimezone(ZoneInfo(settings.timezone))
    at = time.fromisoformat(settings.alert_digest_time)
    return local.timetz().replace(tzinfo=None) >= at


def build_digests(db: Database, settings: Any, *, now: datetime | None = None) -> int:
    """One digest delivery per (recipient, channel) of the held rows; returns how many were made.

    A digest's key carries the local date, so there is at most one per recipient and channel per
    day; rows held after it wait for the next day's.
    """
    now = now or utcnow()
    day = now.astimezone(ZoneInfo(settings.timezone)).date().isoformat()
    made = 0
    with db.writer() as s:
        held = s.scalars(
            select(AlertDelivery)
            .where(AlertDelivery.status == "held")
            .order_by(AlertDelivery.recipient, AlertDelivery.channel, AlertDelivery.id)
        ).all()
        groups: dict[tuple[str, str], list[AlertDelivery]] = defaultdict(list)
        for row in held:
            groups[(row.recipient, row.channel)].append(row)
        for (recipient, channel), rows in groups.items():
            key = f"digest:{day}:{recipient}:{channel}"
            if s.scalar(select(AlertDelivery.id).where(AlertDelivery.key == key)) is not None:
                continue
            msg = digest_message(
                [(r.subject, r.link) for r in rows],
                now,
                settings.timezone,
                key,
                settings.public_url,
            )
            digest = AlertDelivery(
                key=key,
                kind="digest",
                recipient=recipient,
                user_id=rows[0].user_id,
                channel=channel,
                address=rows[0].address,
                subject=msg.subject,
                body=msg.body,
                link=msg.link,
                payload=msg.payload,
                status="pending",
                next_attempt_at=now,
                created_at=now,
            )
            s.add(digest)
            s.flush()
            for r in rows:
                r.status = "digested"
                r.digest_id = digest.id
            record(
                s,
                actor=SYSTEM_ACTOR,
                action="alert.digest",
                object_type="alert_delivery",
                object_id=digest.id,
                after={"recipient": recipient, "channel": channel, "items": len(rows), "date": day},
            )
            made += 1
    return made
