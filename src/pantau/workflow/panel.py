"""The read side of the workflow: what the issue's workflow panel and API show to a principal."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from pantau.store.models import Agency, User
from pantau.store.workflow_models import IssueAction, Subscription
from pantau.workflow.claims import Holder, holder_of
from pantau.workflow.discussion import visible_comments
from pantau.workflow.permissions import Principal, allowed
from pantau.workflow.statuses import (
    ACTION_KINDS,
    STATUSES,
    STEPS,
    SYSTEM_KINDS,
    TRANSITIONS,
    load_issue,
)
from pantau.workflow.users import principal_of

__all__ = ["PanelState", "panel_state"]

#: Entries of the action log shown in the panel (newest first); the API pages further.
LOG_LIMIT = 100


@dataclass
class PanelState:
    """Everything the panel needs, already filtered by what the principal may see and do."""

    issue_id: int
    status: str
    agency: str | None
    agency_id: int | None
    assignee: str | None
    holder: Holder | None
    mine: bool
    can: dict[str, bool]
    transitions: list[str]
    comments: list[dict[str, Any]] = field(default_factory=list)
    actions: list[dict[str, Any]] = field(default_factory=list)
    following: int | None = None  # subscription id
    statuses: tuple[str, ...] = STATUSES
    steps: tuple[str, ...] = STEPS
    action_kinds: dict[str, str] = field(default_factory=lambda: dict(ACTION_KINDS))
    agencies: list[tuple[int, str]] = field(default_factory=list)
    colleagues: list[tuple[int, str]] = field(default_factory=list)  # who may take it over


def _names(session: Session, ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    rows = session.execute(select(User.id, User.full_name, User.username).where(User.id.in_(ids)))
    return {r[0]: r[1] or r[2] for r in rows}


def panel_state(session: Session, principal: Principal, issue_id: int) -> PanelState:
    """The workflow state of one issue as ``principal`` sees it."""
    issue = load_issue(session, issue_id)
    agency = session.get(Agency, issue.agency_id) if issue.agency_id else None
    holder = holder_of(session, issue_id)
    can = {
        name: allowed(principal, f"issue.{name}", agency_id=issue.agency_id)
        for name in ("claim", "handover", "handoff", "act", "escalate", "assign", "comment")
    }
    transitions = [
        to
        for (frm, to), action in TRANSITIONS.items()
        if frm == issue.status and allowed(principal, action, agency_id=issue.agency_id)
    ]
    comments = visible_comments(session, principal, issue_id)
    actions = list(
        session.scalars(
            select(IssueAction)
            .where(IssueAction.issue_id == issue_id)
            .order_by(IssueAction.at.desc(), IssueAction.id.desc())
            .limit(LOG_LIMIT)
        )
    )
    names = _names(
        session,
        {c.user_id for c in comments}
        | {a.user_id for a in actions if a.user_id}
        | ({issue.assignee_id} if issue.assignee_id else set()),
    )
    kinds = {**ACTION_KINDS, **SYSTEM_KINDS}
    following = session.scalar(
        select(Subscription.id).where(
            Subscription.user_id == principal.id, Subscription.issue_id == issue_id
        )
    )
    agencies = [
        (a.id, a.short_name or a.name)
        for a in session.scalars(select(Agency).order_by(Agency.level, Agency.name))
    ]
    colleagues = [
        (u.id, u.full_name or u.username)
        for u in session.scalars(select(User).where(User.active.is_(True)).order_by(User.full_name))
        if u.id != (holder.user_id if holder else None)
        and allowed(principal_of(u), "issue.claim", agency_id=issue.agency_id)
    ]
    return PanelState(
        issue_id=issue_id,
        status=issue.status,
        agency=(agency.short_name or agency.name) if agency else None,
        agency_id=issue.agency_id,
        assignee=names.get(issue.assignee_id) if issue.assignee_id else None,
        holder=holder,
        mine=holder is not None and holder.user_id == principal.id,
        can=can,
        transitions=transitions,
        comments=[
            {
                "id": c.id,
                "author": names.get(c.user_id, "?"),
                "visibility": c.visibility,
                "body": c.body,
                "at": c.created_at,
            }
            for c in comments
        ],
        actions=[
            {
                "id": a.id,
                "step": a.step,
                "kind": a.kind,
                "label": kinds.get(a.kind, a.kind),
                "note": a.note,
                "data": a.data,
                "by": names.get(a.user_id or 0, "sistem"),
                "at": a.at,
            }
            for a in actions
        ],
        following=following,
        agencies=agencies,
        colleagues=colleagues,
    )
