"""The store edge of the alert stage: new alerts -> dedup -> routing -> policy -> outbox; digests.

:func:`route_pending` reads every alert that has no dispatch record yet, so running it again
after a crash routes only what is left (idempotent); :func:`build_digests` turns held deliveries
into one digest per recipient and channel per local day (:mod:`pantau.alerts.digest`).
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from pantau.alerts.messages import alert_message
from pantau.alerts.outbox import SYSTEM_ACTOR
from pantau.alerts.policy import THROTTLE_WINDOW, UNTHROTTLED_CHANNELS, QuietHours, Throttle, decide
from pantau.alerts.records import AlertEvent, Endpoint, Mandate, Person, Rule, Target
from pantau.alerts.routing import dedup_key, default_rules, route
from pantau.store.audit import record
from pantau.store.db import Database
from pantau.store.models import Agency, AgencyRegion, Alert, Issue, Mention, User, Watchlist
from pantau.store.types import utcnow
from pantau.store.watchlists import agency_watch_keys
from pantau.store.workflow_models import (
    AlertDelivery,
    AlertDispatch,
    AlertEndpoint,
    AlertPreference,
    RoutingRule,
    Subscription,
)

__all__ = ["RouteReport", "event_of", "load_rules", "route_pending"]

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
        Rule(
            r.name,
            r.min_risk,
            tuple(r.stages),
            tuple(r.regions),
            tuple(r.watchlists),
            tuple(r.mention_channels),
            r.crossover_only,
            r.audience,
            r.agency_id,
            tuple(r.roles),
            tuple(r.channels) or ("inapp",),
            tuple(int(i) for i in r.endpoint_ids),
            r.crisis,
        )
        for r in rows
    ]


def _people(session: Session) -> list[Person]:
    prefs = {p.user_id: p for p in session.scalars(select(AlertPreference))}
    out = []
    for u, province in session.execute(
        select(User, Agency.province)
        .outerjoin(Agency, Agency.id == User.agency_id)
        .where(User.active.is_(True))
        .order_by(User.id)
    ):
        p = prefs.get(u.id)
        out.append(
            Person(
                u.id,
                u.username,
                u.full_name,
                u.role,
                u.agency_id,
                u.email,
                p.telegram_chat_id if p else None,
                tuple(p.channels) if p else (),
                bool(p.digest_only) if p else False,
                dict(p.addresses or {}) if p else {},
                province,
            )
        )
    return out


def _mandates(session: Session) -> list[Mandate]:
    regions: dict[int, list[str]] = defaultdict(list)
    for ar in session.scalars(select(AgencyRegion)):
        regions[ar.agency_id].append(ar.region_code)
    watches = agency_watch_keys(session)
    return [
        Mandate(a.id, a.level, tuple(regions[a.id]), tuple(watches.get(a.id, ())))
        for a in session.scalars(select(Agency).order_by(Agency.id))
    ]


def _endpoints(session: Session) -> list[Endpoint]:
    rows = session.execute(
        select(AlertEndpoint, Agency.province)
        .outerjoin(Agency, Agency.id == AlertEndpoint.agency_id)
        .where(AlertEndpoint.active.is_(True))
    )
    return [Endpoint(e.id, e.name, e.channel, e.address, e.agency_id, p) for e, p in rows]


def _codes(values: list[Any]) -> tuple[str, ...]:
    out = []
    for v in values or []:
        code = v.get("code") if isinstance(v, dict) else v
        if code:
            out.append(str(code))
    return tuple(out)


def event_of(
    session: Session, alert: Alert, issue: Issue | None = None, watched: set[str] | None = None
) -> AlertEvent:
    """The routing view of a stored alert and its issue (both read unless given)."""
    issue = issue or session.get(Issue, alert.issue_id)
    if issue is None:
        raise LookupError(f"peringatan #{alert.id}: isu #{alert.issue_id} tidak ada")
    if watched is None:
        rows = session.scalars(
            select(Mention.watch).where(Mention.issue_id == issue.id).limit(WATCH_SAMPLE)
        )
        watched = _watch_names(rows)
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
        tenant=issue.tenant,
    )


def _watch_names(values: Iterable[Any]) -> set[str]:
    out: set[str] = set()
    for watch in values:
        for w in watch or []:
            out.add(str(w.get("name") if isinstance(w, dict) else w))
    return out


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


@dataclass
class _Run:
    """What one routing run reads once: rules, directory, followers, throttle state."""

    settings: Any
    now: datetime
    rules: list[Rule]
    people: list[Person]
    mandates: list[Mandate]
    endpoints: list[Endpoint]
    throttle: Throttle
    quiet: QuietHours | None
    issue_followers: dict[int, set[int]]
    watch_followers: dict[str, set[int]]
    report: RouteReport


def _followers(session: Session) -> tuple[dict[int, set[int]], dict[str, set[int]]]:
    by_issue: dict[int, set[int]] = defaultdict(set)
    by_watch: dict[str, set[int]] = defaultdict(set)
    for sub in session.scalars(select(Subscription)):
        if sub.issue_id is not None:
            by_issue[sub.issue_id].add(sub.user_id)
    rows = session.execute(
        select(Watchlist.name, Subscription.user_id).join(
            Watchlist, Watchlist.id == Subscription.watchlist_id
        )
    )
    for name, uid in rows:
        by_watch[name].add(uid)
    return by_issue, by_watch


def route_pending(db: Database, settings: Any, *, now: datetime | None = None) -> RouteReport:
    """Route every alert not yet dispatched into the outbox (see the module docstring)."""
    now = now or utcnow()
    with db.session() as s:
        by_issue, by_watch = _followers(s)
        run = _Run(
            settings,
            now,
            load_rules(s, settings),
            _people(s),
            _mandates(s),
            _endpoints(s),
            _throttle(s, settings, now),
            QuietHours.parse(settings.alert_quiet_hours, settings.timezone),
            by_issue,
            by_watch,
            RouteReport(),
        )
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
                return run.report
            _route_batch(s, alerts, run)


def _route_batch(s: Session, alerts: Sequence[Alert], run: _Run) -> None:
    """Route a batch with a fixed number of queries (issues, watch tags, known dedup keys)."""
    ids = {a.issue_id for a in alerts}
    issues = {i.id: i for i in s.scalars(select(Issue).where(Issue.id.in_(ids)))}
    watches: dict[int, list[Any]] = defaultdict(list)
    for issue_id, watch in s.execute(
        select(Mention.issue_id, Mention.watch).where(Mention.issue_id.in_(ids))
    ):
        watches[issue_id].append(watch)
    events = [
        event_of(s, a, issues.get(a.issue_id), _watch_names(watches[a.issue_id])) for a in alerts
    ]
    keys = {dedup_key(e) for e in events}
    known: dict[str, int] = {
        k: v
        for k, v in s.execute(
            select(AlertDispatch.dedup_key, AlertDispatch.alert_id).where(
                AlertDispatch.dedup_key.in_(keys)
            )
        )
        if k is not None
    }
    with s.no_autoflush:
        for event in events:
            _route_one(s, event, known, run)


def _route_one(s: Session, event: AlertEvent, known: dict[str, int], run: _Run) -> None:
    key = dedup_key(event)
    first = known.get(key)
    run.report.alerts += 1
    if first is not None:
        s.add(AlertDispatch(alert_id=event.alert_id, issue_id=event.issue_id, duplicate_of=first))
        record(
            s,
            actor=SYSTEM_ACTOR,
            action="alert.duplicate",
            object_type="alert",
            object_id=event.alert_id,
            after={"duplicate_of": first, "dedup_key": key},
        )
        run.report.duplicates += 1
        return
    known[key] = event.alert_id
    targets = route(event, run.rules, run.people, run.mandates, run.endpoints)
    targets = _with_followers(event, targets, run)
    s.add(
        AlertDispatch(
            alert_id=event.alert_id, issue_id=event.issue_id, dedup_key=key, recipients=len(targets)
        )
    )
    held = 0
    for t in targets:
        dkey = f"alert:{event.alert_id}:{t.recipient}:{t.channel}"
        msg = alert_message(event, run.settings.public_url, dkey)
        d = decide(
            recipient=t.recipient,
            channel=t.channel,
            crisis=t.crisis,
            digest_only=t.digest_only,
            now=run.now,
            throttle=run.throttle,
            quiet=run.quiet,
        )
        held += d.status == "held"
        s.add(
            AlertDelivery(
                key=dkey,
                alert_id=event.alert_id,
                issue_id=event.issue_id,
                recipient=t.recipient,
                user_id=t.user_id,
                channel=t.channel,
                address=t.address,
                subject=msg.subject,
                body=msg.body,
                link=msg.link,
                payload=msg.payload,
                crisis=t.crisis,
                status=d.status,
                next_attempt_at=d.not_before,
                created_at=run.now,
                last_error=d.reason or None,
            )
        )
    run.report.deliveries += len(targets)
    run.report.held += held
    record(
        s,
        actor=SYSTEM_ACTOR,
        action="alert.route",
        object_type="alert",
        object_id=event.alert_id,
        after={"dedup_key": key, "targets": len(targets), "held": held},
    )


def _with_followers(event: AlertEvent, targets: list[Target], run: _Run) -> list[Target]:
    """Add in-app targets for users who follow the issue or one of its watchlists."""
    users = set(run.issue_followers.get(event.issue_id, ()))
    for name in event.watchlists:
        users |= run.watch_followers.get(name, set())
    have = {(t.recipient, t.channel) for t in targets}
    crisis = event.stage == "crisis"
    extra = [
        Target(f"user:{uid}", "inapp", str(uid), uid, crisis)
        for uid in sorted(users)
        if (f"user:{uid}", "inapp") not in have
    ]
    return targets + extra
