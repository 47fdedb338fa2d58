"""The store edge of the alert stage: new alerts -> dedup -> routing -> policy -> outbox; digests.

:func:`route_pending` reads every alert that has no dispatch record yet, so running it again
after a crash routes only what is left (idempotent); :func:`build_digests` turns held deliveries
into one digest per recipient and channel per local day.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from pantau.alerts.messages import alert_message, digest_message
from pantau.alerts.outbox import SYSTEM_ACTOR
from pantau.alerts.policy import THROTTLE_WINDOW, UNTHROTTLED_CHANNELS, QuietHours, Throttle, decide
from pantau.alerts.records import AlertEvent, Endpoint, Mandate, Person, Rule, Target
from pantau.alerts.routing import dedup_key, default_rules, route
from pantau.store.audit import record
from pantau.store.db import Database
from pantau.store.models import Agency, AgencyRegion, Alert, Issue, Mention, User, Watchlist
from pantau.store.types import utcnow
from pantau.store.workflow_models import (
    AlertDelivery,
    AlertDispatch,
    AlertEndpoint,
    AlertPreference,
    RoutingRule,
    Subscription,
)

__all__ = ["RouteReport", "build_digests", "digest_due", "event_of", "load_rules", "route_pending"]

logger = logging.getLogger(__name__)

#: Alerts routed per transaction: bounds the SQLite write lock while a burst is routed.
ROUTE_BATCH = 200
#: Mentions read per issue to learn which watchlists it matched.
WATCH_SAMPLE = 200


@dataclass
class RouteReport:
    """What one routing run did."""

    alerts: int = 0
    duplicates: int = 0
    deliveries: int = 0
    held: int = 0


def load_rules(session: Session, settings: Any) -> list[Rule]:
    """The active routing rules, or the built-in ones when none are configured."""
    rows = session.scalars(select(RoutingRule).where(RoutingRule.active.is_(True))).all()
    if not rows:
        chans = [c.strip() for c in settings.alert_default_channels.split(",") if c.strip()]
        return list(default_rules(chans))
    return [
        Rule(r.name, r.min_risk, tuple(r.stages), tuple(r.regions), tuple(r.watchlists),
             tuple(r.mention_channels), r.crossover_only, r.audience, r.agency_id,
             tuple(r.roles), tuple(r.channels) or ("inapp",),
             tuple(int(i) for i in r.endpoint_ids), r.crisis)
        for r in rows
    ]  # fmt: skip


def _people(session: Session) -> list[Person]:
    prefs = {p.user_id: p for p in session.scalars(select(AlertPreference))}
    out = []
    for u in session.scalars(select(User).where(User.active.is_(True)).order_by(User.id)):
        p = prefs.get(u.id)
        out.append(
            Person(u.id, u.username, u.full_name, u.role, u.agency_id, u.email,
                   p.telegram_chat_id if p else None, tuple(p.channels) if p else (),
                   bool(p.digest_only) if p else False)
        )  # fmt: skip
    return out


def _mandates(session: Session) -> list[Mandate]:
    regions: dict[int, list[str]] = defaultdict(list)
    for ar in session.scalars(select(AgencyRegion)):
        regions[ar.agency_id].append(ar.region_code)
    watches: dict[int, list[str]] = defaultdict(list)
    for w in session.scalars(select(Watchlist).where(Watchlist.active.is_(True))):
        watches[w.agency_id].append(w.name)
    return [
        Mandate(a.id, a.level, tuple(regions[a.id]), tuple(watches[a.id]))
        for a in session.scalars(select(Agency).order_by(Agency.id))
    ]


def _endpoints(session: Session) -> list[Endpoint]:
    rows = session.scalars(select(AlertEndpoint).where(AlertEndpoint.active.is_(True)))
    return [Endpoint(e.id, e.name, e.channel, e.address, e.agency_id) for e in rows]


def _codes(values: list[Any]) -> tuple[str, ...]:
    out = []
    for v in values or []:
        code = v.get("code") if isinstance(v, dict) else v
        if code:
            out.append(str(code))
    return tuple(out)


def event_of(session: Session, alert: Alert) -> AlertEvent:
    """The routing view of a stored alert and its issue."""
    issue = session.get(Issue, alert.issue_id)
    if issue is None:
        raise LookupError(f"peringatan #{alert.id}: isu #{alert.issue_id} tidak ada")
    watched: set[str] = set()
    for watch in session.scalars(
        select(Mention.watch).where(Mention.issue_id == issue.id).limit(WATCH_SAMPLE)
    ):
        for w in watch or []:
            watched.add(str(w.get("name") if isinstance(w, dict) else w))
    return AlertEvent(
        alert_id=alert.id,
        issue_id=issue.id,
        kind=alert.kind,
        stage=alert.stage or issue.stage,
        risk=float(alert.risk or issue.risk or 0.0),
        label=issue.label,
        raised_at=alert.raised_at,
        reasons=tuple(r for r in (alert.reasons or []) if isinstance(r, dict)),
        regions=_codes(issue.regions),
        watchlists=tuple(sorted(watched)),
        mention_channels=tuple(sorted(issue.channels or {})),
        crossover=bool(issue.crossover),
        agency_id=issue.agency_id,
    )


def _throttle(session: Session, settings: Any, now: datetime) -> Throttle:
    rows = session.execute(
        select(AlertDelivery.recipient, AlertDelivery.channel, AlertDelivery.created_at).where(
            AlertDelivery.created_at > now - THROTTLE_WINDOW,
            AlertDelivery.status.in_(("pending", "sent", "dead")),
            AlertDelivery.kind == "alert",
            AlertDelivery.channel.not_in(UNTHROTTLED_CHANNELS),
        )
    ).all()
    return Throttle(int(settings.alert_throttle_per_hour), [(r[0], r[1], r[2]) for r in rows])


def route_pending(db: Database, settings: Any, *, now: datetime | None = None) -> RouteReport:
    """Route every alert not yet dispatched into the outbox (see the module docstring)."""
    now = now or utcnow()
    quiet = QuietHours.parse(settings.alert_quiet_hours, settings.timezone)
    report = RouteReport()
    with db.session() as s:
        rules = load_rules(s, settings)
        people, mandates, endpoints = _people(s), _mandates(s), _endpoints(s)
        throttle = _throttle(s, settings, now)
    while True:
        with db.writer() as s:
            alerts = s.scalars(
                select(Alert)
                .outerjoin(AlertDispatch, AlertDispatch.alert_id == Alert.id)
                .where(AlertDispatch.alert_id.is_(None))
                .order_by(Alert.id)
                .limit(ROUTE_BATCH)
            ).all()
            if not alerts:
                return report
            for alert in alerts:
                _route_one(s, alert, rules, people, mandates, endpoints, throttle, quiet,
                           settings, now, report)  # fmt: skip


def _route_one(
    s: Session, alert: Alert, rules: list[Rule], people: list[Person], mandates: list[Mandate],
    endpoints: list[Endpoint], throttle: Throttle, quiet: QuietHours | None, settings: Any,
    now: datetime, report: RouteReport,
) -> None:  # fmt: skip
    event = event_of(s, alert)
    key = dedup_key(event)
    first = s.scalar(select(AlertDispatch.alert_id).where(AlertDispatch.dedup_key == key))
    report.alerts += 1
    if first is not None:
        s.add(AlertDispatch(alert_id=alert.id, issue_id=event.issue_id, duplicate_of=first))
        record(s, actor=SYSTEM_ACTOR, action="alert.duplicate", object_type="alert",
               object_id=alert.id, after={"duplicate_of": first, "dedup_key": key})  # fmt: skip
        report.duplicates += 1
        return
    targets = _with_followers(s, event, route(event, rules, people, mandates, endpoints))
    s.add(AlertDispatch(alert_id=alert.id, issue_id=event.issue_id, dedup_key=key,
                        recipients=len(targets)))  # fmt: skip
    held = 0
    for t in targets:
        dkey = f"alert:{alert.id}:{t.recipient}:{t.channel}"
        msg = alert_message(event, settings.base_url, dkey)
        d = decide(recipient=t.recipient, channel=t.channel, crisis=t.crisis,
                   digest_only=t.digest_only, now=now, throttle=throttle, quiet=quiet)  # fmt: skip
        held += d.status == "held"
        s.add(
            AlertDelivery(key=dkey, alert_id=alert.id, issue_id=event.issue_id,
                          recipient=t.recipient, user_id=t.user_id, channel=t.channel,
                          address=t.address, subject=msg.subject, body=msg.body, link=msg.link,
                          payload=msg.payload, crisis=t.crisis, status=d.status,
                          next_attempt_at=d.not_before, created_at=now,
                          last_error=d.reason or None)
        )  # fmt: skip
    report.deliveries += len(targets)
    report.held += held
    record(s, actor=SYSTEM_ACTOR, action="alert.route", object_type="alert", object_id=alert.id,
           after={"dedup_key": key, "targets": len(targets), "held": held})  # fmt: skip


def _with_followers(s: Session, event: AlertEvent, targets: list[Target]) -> list[Target]:
    """Add in-app targets for users who follow the issue or one of its watchlists."""
    stmt = select(Subscription.user_id).where(Subscription.issue_id == event.issue_id)
    users = set(s.scalars(stmt))
    if event.watchlists:
        users |= set(
            s.scalars(
                select(Subscription.user_id)
                .join(Watchlist, Watchlist.id == Subscription.watchlist_id)
                .where(Watchlist.name.in_(event.watchlists))
            )
        )
    have = {(t.recipient, t.channel) for t in targets}
    crisis = event.stage == "crisis"
    extra = [
        Target(f"user:{uid}", "inapp", str(uid), uid, crisis)
        for uid in sorted(users)
        if (f"user:{uid}", "inapp") not in have
    ]
    return targets + extra


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
            msg = digest_message([(r.subject, r.link) for r in rows], now, settings.timezone,
                                 key, settings.base_url)  # fmt: skip
            digest = AlertDelivery(key=key, kind="digest", recipient=recipient,
                                   user_id=rows[0].user_id, channel=channel,
                                   address=rows[0].address, subject=msg.subject, body=msg.body,
                                   link=msg.link, payload=msg.payload, status="pending",
                                   next_attempt_at=now, created_at=now)  # fmt: skip
            s.add(digest)
            s.flush()
            for r in rows:
                r.status = "digested"
                r.digest_id = digest.id
            record(s, actor=SYSTEM_ACTOR, action="alert.digest", object_type="alert_delivery",
                   object_id=digest.id, after={"recipient": recipient, "channel": channel,
                                               "items": len(rows), "date": day})  # fmt: skip
            made += 1
    return made
