"""The performance ledger (kinerja kehumasan): how fast and how well the network responds.

Per agency and per officer, over the issues first alerted in a period: the median hours from the
first alert to the claim, to the first public statement (holding statement, press release,
clarification, right of reply) and to closure; public statements per issue; and the share of
closed issues closed with a lessons-learned note; and the media pick-up of the releases that
answered the issues (the outlets that carried them, the median hours from publication to the
first outlet carrying each). An issue counts for the agency it is assigned to and for the
officer who claimed it (else who first acted on it). Times are read from the alert table and the
action log; pick-up is filled in by the newsroom's side (:attr:`IssueTimes.outlets`,
:attr:`IssueTimes.pickup_hours`), so the same figures come whoever asks and whenever.
"""

from __future__ import annotations

import logging
import statistics
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pantau.store.models import Agency, Alert, Issue, User
from pantau.store.workflow_models import IssueAction

__all__ = ["STATEMENT_KINDS", "IssueTimes", "LedgerRow", "issue_times", "ledger"]

logger = logging.getLogger(__name__)

#: Action-log kinds that are a public statement by the government.
STATEMENT_KINDS = frozenset({"holding_statement", "siaran_pers", "klarifikasi", "hak_jawab"})


@dataclass
class IssueTimes:
    """One issue's response: when it was alerted, claimed, first spoken about and closed."""

    issue_id: int
    agency: str | None
    officer: str | None
    alerted_at: datetime
    claimed_at: datetime | None = None
    first_statement_at: datetime | None = None
    closed_at: datetime | None = None
    statements: int = 0
    lessons: bool = False
    #: Outlets that carried a release answering the issue.
    outlets: set[str] = field(default_factory=set)
    #: Per release answering the issue, hours from publication to the first outlet carrying it.
    pickup_hours: list[float] = field(default_factory=list)


@dataclass(frozen=True)
class LedgerRow:
    """One agency or officer in the ledger; hours are medians over the issues that got there."""

    kind: str  # "instansi" or "petugas"
    name: str
    issues: int
    hours_to_claim: float | None
    hours_to_statement: float | None
    hours_to_close: float | None
    statements_per_issue: float
    closed_with_lessons: float | None
    #: Distinct outlets that carried the releases answering these issues, and who they were.
    outlets: int = 0
    outlet_names: list[str] = field(default_factory=list)
    #: Median hours from a release's publication to the first outlet carrying it.
    hours_to_pickup: float | None = None
    issue_ids: list[int] = field(default_factory=list)


def issue_times(session: Session, start: datetime, end: datetime) -> list[IssueTimes]:
    """Every issue first alerted in [start, end) with its response times."""
    first_alert = (
        select(Alert.issue_id, func.min(Alert.raised_at).label("at"))
        .group_by(Alert.issue_id)
        .subquery()
    )
    rows = session.execute(
        select(Issue.id, Issue.agency_id, first_alert.c.at)
        .join(first_alert, first_alert.c.issue_id == Issue.id)
        .where(first_alert.c.at >= start, first_alert.c.at < end, Issue.listed())
        .order_by(first_alert.c.at, Issue.id)
    ).all()
    agencies = {a.id: a.name for a in session.scalars(select(Agency))}
    users = {u.id: (u.full_name or u.username) for u in session.scalars(select(User))}
    out = {
        int(i): IssueTimes(int(i), agencies.get(a) if a else None, None, at) for i, a, at in rows
    }
    actions = session.scalars(
        select(IssueAction)
        .where(IssueAction.issue_id.in_(out))
        .order_by(IssueAction.at, IssueAction.id)
    )
    for act in actions:
        t = out[act.issue_id]
        if act.kind == "klaim" and t.claimed_at is None:
            t.claimed_at, t.officer = act.at, users.get(act.user_id or 0)
        elif act.kind in STATEMENT_KINDS:
            t.statements += 1
            t.first_statement_at = t.first_statement_at or act.at
        elif act.kind == "status" and (act.data or {}).get("to") == "selesai":
            t.closed_at = t.closed_at or act.at
        elif act.kind == "pelajaran":
            t.lessons = True
        if t.officer is None and act.user_id and act.kind != "status":
            t.officer = users.get(act.user_id)
    return list(out.values())


def _median(values: list[float]) -> float | None:
    return round(statistics.median(values), 1) if values else None


def _hours(times: Iterable[tuple[datetime, datetime | None]]) -> float | None:
    return _median([(b - a).total_seconds() / 3600 for a, b in times if b is not None])


def _row(kind: str, name: str, group: list[IssueTimes]) -> LedgerRow:
    closed = [t for t in group if t.closed_at is not None]
    outlets = sorted(set().union(*(t.outlets for t in group)))
    return LedgerRow(
        kind=kind,
        name=name,
        issues=len(group),
        hours_to_claim=_hours((t.alerted_at, t.claimed_at) for t in group),
        hours_to_statement=_hours((t.alerted_at, t.first_statement_at) for t in group),
        hours_to_close=_hours((t.alerted_at, t.closed_at) for t in group),
        statements_per_issue=round(sum(t.statements for t in group) / len(group), 2),
        closed_with_lessons=round(sum(t.lessons for t in closed) / len(closed), 2)
        if closed
        else None,
        outlets=len(outlets),
        outlet_names=outlets,
        hours_to_pickup=_median([h for t in group for h in t.pickup_hours]),
        issue_ids=[t.issue_id for t in group],
    )


def ledger(times: list[IssueTimes]) -> list[LedgerRow]:
    """Rows per agency, then per officer, each sorted by name (unassigned issues under "-")."""
    by_agency: dict[str, list[IssueTimes]] = defaultdict(list)
    by_officer: dict[str, list[IssueTimes]] = defaultdict(list)
    for t in times:
        by_agency[t.agency or "-"].append(t)
        if t.officer:
            by_officer[t.officer].append(t)
    return [_row("instansi", n, g) for n, g in sorted(by_agency.items())] + [
        _row("petugas", n, g) for n, g in sorted(by_officer.items())
    ]
