"""The demo's handling history: officers who already worked on the sample's issues.

An empty action log makes a poor demonstration of a coordination tool, so ``pantau demo`` plays
the handling written in ``data/demo/history.toml`` through the ordinary workflow functions
(assignment, claim, typed actions, status changes, closing with lessons learned). Every step is
therefore checked and audited exactly as a person's click would be; nothing is written around
the workflow.
"""

from __future__ import annotations

import logging
import secrets
import tomllib
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pantau.store import Agency, Database, Issue, Mention, User
from pantau.workflow import Lessons, assign, claim, record_action, set_status
from pantau.workflow.statuses import STATUSES
from pantau.workflow.users import create_user, principal_of

__all__ = ["HistoryResult", "apply_history"]

logger = logging.getLogger(__name__)


@dataclass
class HistoryResult:
    """How many issues the history closed and how many it left in handling."""

    closed: int = 0
    ongoing: int = 0


def _matches(label: str | None, words: str | list[str]) -> bool:
    wanted = [words] if isinstance(words, str) else words
    low = (label or "").lower()
    return any(w.lower() in low for w in wanted)


def _officer(session: Session, spec: dict[str, Any], agency: Agency) -> User:
    user = session.scalar(select(User).where(User.username == spec["officer"]["username"]))
    if user is None:
        user = create_user(
            session,
            username=spec["officer"]["username"],
            password=secrets.token_urlsafe(12),  # an example colleague; nobody logs in as them
            role="analis",
            full_name=spec["officer"]["name"],
            agency_id=agency.id,
            actor="demo",
        )
    return user


def _handle(
    session: Session, coordinator: User, issue: Issue, spec: dict[str, Any], target: str
) -> None:
    """Assign, claim, log the actions and walk the statuses up to ``target``."""
    agency = session.scalar(select(Agency).where(Agency.short_name == spec["agency"]))
    if agency is None:
        raise LookupError(f"history.toml: instansi {spec['agency']!r} tidak ada")
    officer = _officer(session, spec, agency)
    assign(session, principal_of(coordinator), issue.id, agency_id=agency.id, user_id=officer.id)
    me = principal_of(officer)
    claim(session, me, issue.id)
    path = STATUSES[1 : STATUSES.index(target) + 1]
    for kind, note in spec.get("actions", []):
        record_action(session, me, issue.id, step="aksi", kind=kind, note=note)
    for status in path:
        if STATUSES.index(status) <= STATUSES.index(issue.status):
            continue  # assigning and claiming already moved it this far
        told = spec.get("lessons", {}) if status == "selesai" else {}
        lessons = Lessons(
            worked=list(told.get("worked", [])),
            failed=list(told.get("failed", [])),
            next_time=list(told.get("next_time", [])),
        )
        set_status(session, me, issue.id, status, lessons=lessons)


def apply_history(db: Database, path: Path, coordinator_name: str) -> HistoryResult:
    """Play the handling in ``path`` on the processed demo issues, as ``coordinator_name``."""
    spec = tomllib.loads(path.read_text(encoding="utf-8"))
    result = HistoryResult()
    with db.writer() as s:
        coordinator = s.scalar(select(User).where(User.username == coordinator_name))
        newest = s.scalar(select(func.max(Mention.published_at)))
        if coordinator is None or newest is None:
            return result
        quiet_since = newest - timedelta(days=float(spec.get("quiet_days", 7)))
        open_issues = list(
            s.scalars(
                select(Issue)
                .where(Issue.listed(), Issue.status == "baru")
                .order_by(Issue.size.desc(), Issue.id)
            )
        )
        for case in spec.get("closed", []):
            for issue in open_issues:
                quiet = issue.last_seen is not None and issue.last_seen < quiet_since
                if quiet and issue.status == "baru" and _matches(issue.label, case["match"]):
                    _handle(s, coordinator, issue, case, "selesai")
                    result.closed += 1
        for case in spec.get("ongoing", []):
            live = [
                i
                for i in open_issues
                if i.status == "baru"
                and i.last_seen is not None
                and i.last_seen >= quiet_since
                and _matches(i.label, case["match"])
            ]
            if live:
                _handle(s, coordinator, live[0], case, case.get("status", "ditangani"))
                result.ongoing += 1
    logger.info("demo history: %d closed, %d in handling", result.closed, result.ongoing)
    return result
