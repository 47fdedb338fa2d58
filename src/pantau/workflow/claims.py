"""Claims: "sedang ditangani oleh ..." — one visible holder per issue, release and handover.

The claim is a row keyed by the issue, so the database itself refuses a second holder: of two
people clicking at the same moment exactly one wins, and the other is told who.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from pantau.store.audit import record_by
from pantau.store.models import Agency, User
from pantau.store.workflow_models import IssueClaim
from pantau.workflow.discussion import log_action
from pantau.workflow.following import notify, notify_followers
from pantau.workflow.handling import advance_for
from pantau.workflow.permissions import Principal, allowed
from pantau.workflow.statuses import (
    ClaimConflict,
    WorkflowError,
    authorize_on,
    load_issue,
    province_wide,
)
from pantau.workflow.users import principal_of

__all__ = ["Holder", "claim", "handover", "holder_of", "release"]

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Holder:
    """Who holds an issue, for display."""

    user_id: int
    name: str
    agency: str | None
    since: datetime


def holder_of(session: Session, issue_id: int) -> Holder | None:
    row = session.get(IssueClaim, issue_id)
    if row is None:
        return None
    user = session.get(User, row.user_id)
    agency = session.get(Agency, row.agency_id) if row.agency_id else None
    name = (user.full_name or user.username) if user else f"pengguna #{row.user_id}"
    return Holder(
        row.user_id, name, (agency.short_name or agency.name) if agency else None, row.claimed_at
    )


def _conflict(session: Session, issue_id: int) -> ClaimConflict:
    """The refusal naming whoever holds the issue now."""
    holder = holder_of(session, issue_id)
    if holder is None:
        return ClaimConflict("pengguna lain", None)
    return ClaimConflict(holder.name, holder.agency)


def claim(session: Session, principal: Principal, issue_id: int) -> Holder:
    """Take the issue; raises :class:`ClaimConflict` naming the holder when someone has it."""
    issue = load_issue(session, issue_id)
    authorize_on(principal, "issue.claim", issue)
    current = holder_of(session, issue_id)
    if current is not None:
        if current.user_id == principal.id:
            return current
        raise ClaimConflict(current.name, current.agency)
    try:
        with session.begin_nested():
            session.add(
                IssueClaim(issue_id=issue_id, user_id=principal.id, agency_id=principal.agency_id)
            )
    except IntegrityError:
        raise _conflict(session, issue_id) from None
    record_by(
        session,
        principal,
        action="issue.claim",
        object_type="issue",
        object_id=issue_id,
        before={"holder": None},
        after={"holder": principal.id},
    )
    log_action(session, principal, issue, step="aksi", kind="klaim")
    advance_for(session, principal, issue, "claim")
    holder = holder_of(session, issue_id)
    if holder is None:  # pragma: no cover - the row was added in this transaction
        raise WorkflowError("claim", "klaim tidak tersimpan; coba lagi")
    notify_followers(
        session, issue_id, f"Isu #{issue_id} ditangani oleh {holder.name}", exclude=principal.id
    )
    return holder


def release(session: Session, principal: Principal, issue_id: int) -> None:
    """Give the issue back: the holder, or whoever may claim across agencies (coordinator)."""
    issue = load_issue(session, issue_id)
    authorize_on(principal, "issue.claim", issue)
    row = session.get(IssueClaim, issue_id)
    if row is None:
        return
    if row.user_id != principal.id and not province_wide(principal, "issue.claim"):
        raise _conflict(session, issue_id)
    before = {"holder": row.user_id}
    session.delete(row)
    record_by(
        session,
        principal,
        action="issue.release",
        object_type="issue",
        object_id=issue_id,
        before=before,
        after={"holder": None},
    )
    log_action(session, principal, issue, step="aksi", kind="lepas_klaim")


def handover(
    session: Session, principal: Principal, issue_id: int, to_user_id: int, note: str = ""
) -> Holder:
    """Pass the claim to a colleague who may handle the issue too."""
    issue = load_issue(session, issue_id)
    authorize_on(principal, "issue.handover", issue)
    row = session.get(IssueClaim, issue_id)
    if row is None:
        raise WorkflowError("claim", "isu belum diklaim; klaim dahulu sebelum serah terima")
    if row.user_id != principal.id and not province_wide(principal, "issue.handover"):
        raise _conflict(session, issue_id)
    target = session.get(User, to_user_id)
    if target is None or not target.active:
        raise WorkflowError("user_id", f"pengguna #{to_user_id} tidak ada atau tidak aktif")
    if not allowed(principal_of(target), "issue.claim", agency_id=issue.agency_id):
        raise WorkflowError("user_id", f"{target.full_name} tidak berhak menangani isu ini")
    before = {"holder": row.user_id}
    row.user_id = target.id
    row.agency_id = target.agency_id
    record_by(
        session,
        principal,
        action="issue.handover",
        object_type="issue",
        object_id=issue_id,
        before=before,
        after={"holder": target.id, "note": note},
    )
    log_action(
        session,
        principal,
        issue,
        step="aksi",
        kind="serah_terima",
        note=note,
        data={"from": before["holder"], "to": target.id},
    )
    notify(
        session,
        [target.id],
        title=f"Serah terima isu #{issue_id} kepada Anda",
        body=note,
        issue_id=issue_id,
    )
    session.flush()
    holder = holder_of(session, issue_id)
    if holder is None:  # pragma: no cover
        raise WorkflowError("claim", "serah terima tidak tersimpan; coba lagi")
    return holder
