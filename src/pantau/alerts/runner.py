"""One delivery round (route new alerts, build the daily digest when due, send what is due) and
the loop ``pantau alerts deliver --watch`` runs."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy.exc import SQLAlchemyError

from pantau.alerts.channels import Channel, load_channels
from pantau.alerts.digest import build_digests, digest_due
from pantau.alerts.dispatch import RouteReport, route_pending
from pantau.alerts.outbox import DeliveryReport, deliver_due
from pantau.store.db import Database
from pantau.store.types import utcnow

__all__ = ["RoundReport", "route_and_notify", "run_round", "watch"]

logger = logging.getLogger(__name__)


@dataclass
class RoundReport:
    """Routing, digest and delivery counts of one round."""

    routed: RouteReport = field(default_factory=RouteReport)
    digests: int = 0
    delivery: DeliveryReport = field(default_factory=DeliveryReport)


def run_round(
    db: Database,
    settings: Any,
    channels: Mapping[str, Channel] | None = None,
    *,
    now: datetime | None = None,
    digest: bool | None = None,
) -> RoundReport:
    """Route, digest (when due, or when ``digest`` forces it) and deliver until nothing is due."""
    now = now or utcnow()
    channels = channels if channels is not None else load_channels(settings)
    report = RoundReport()
    report.routed = route_pending(db, settings, now=now)
    if digest or (digest is None and digest_due(settings, now)):
        report.digests = build_digests(db, settings, now=now)
    while True:
        part = deliver_due(db, channels, settings, now=now)
        report.delivery += part
        if part.sent + part.retried + part.dead == 0:
            return report


def watch(
    db: Database,
    settings: Any,
    *,
    interval: float,
    rounds: int | None = None,
    on_round: Callable[[RoundReport], None] | None = None,
) -> None:
    """Run rounds every ``interval`` seconds (forever, or ``rounds`` times)."""
    channels = load_channels(settings)
    done = 0
    while rounds is None or done < rounds:
        try:
            report = run_round(db, settings, channels)
        except (SQLAlchemyError, OSError):
            # the store restarting or a full disk must not end the delivering process: the
            # outbox keeps every message, the next round retries
            logger.exception("delivery round failed; retrying in %.0f s", interval)
        else:
            if on_round is not None:
                on_round(report)
        done += 1
        if rounds is None or done < rounds:
            time.sleep(interval)


def route_and_notify(db: Database, settings: Any) -> RoundReport:
    """Route new alerts and write their in-app notifications now (the web app calls this after
    an escalation); e-mail, Telegram and webhooks stay in the outbox for the delivering process."""
    from pantau.alerts.inapp import InAppChannel

    report = RoundReport()
    report.routed = route_pending(db, settings)
    report.delivery = deliver_due(db, {"inapp": InAppChannel(settings)}, settings)
    return report
