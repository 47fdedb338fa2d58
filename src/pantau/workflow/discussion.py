"""Comments (internal to an agency or shared with the network) and the typed action log."""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy import false, or_, select
from sqlalchemy.orm import Session

from pantau.store.audit import record_by
from pantau.store.models import Issue
from pantau.store.workflow_models import IssueAction, IssueComment
from pantau.workflow.following import notify_followers
from pantau.workflow.permissions import Principal, authorize
from pantau.workflow.statuses import (
    ACTION_KINDS,
    STEPS,
    SYSTEM_KINDS,
    WorkflowError,
    authorize_on,
    load_issue,
)

__all__ = [
    "MAX_TEXT",
    "VISIBILITIES",
    "add_comment",
    "log_action",
    "record_action",
    "visible_comments",
]

logger = logging.getLogger(__name__)

VISIBILITIES = ("internal", "shared")
#: Longest comment or note; long texts belong in documents linked from the log.
MAX_TEXT = 5000


def _text(value: str, field: str, *, required: bool = True) -> str:
    value = (value or "").strip()
    if required and not value:
        raise WorkflowError(field, f"{field} wajib diisi")
    if len(value) > MAX_TEXT:
        raise WorkflowError(field, f"{field} terlalu panjang (maksimal {MAX_TEXT} karakter)")
    return value


def add_comment(
    session: Session, principal: Principal, issue_id: int, body: str, visibility: str = "shared"
) -> IssueComment:
    """Comment on an issue; ``internal`` ones are seen only by the author's agency."""
    issue = load_issue(session, issue_id)
    authorize(principal, "issue.comment")
    if visibility not in VISIBILITIES:
        raise WorkflowError(
            "visibility", "pilih 'internal' (satu instansi) atau 'shared' (jejaring)"
        )
    if visibility == "internal" and principal.agency_id is None:
        raise WorkflowError(
            "visibility", "komentar internal perlu instansi; akun ini tanpa instansi"
        )
    comment = IssueComment(
        issue_id=issue.id,
        user_id=principal.id,
        agency_id=principal.agency_id,
        visibility=visibility,
        body=_text(body, "komentar"),
    )
    session.add(comment)
    session.flush()
    record_by(
        session,
        principal,
        action="issue.comment",
        object_type="issue",
        object_id=issue.id,
        after={"comment_id": comment.id, "visibility": visibility},
    )
    if visibility == "shared":
        notify_followers(
            session,
            issue.id,
            f"Komentar baru pada isu #{issue.id}",
            f"{principal.full_name or principal.username}: {comment.body[:200]}",
            exclude=principal.id,
        )
    return comment


def visible_comments(session: Session, principal: Principal, issue_id: int) -> list[IssueComment]:
    """Shared comments and the internal ones of the principal's own agency, oldest first."""
    stmt = select(IssueComment).where(IssueComment.issue_id == issue_id)
    own = IssueComment.agency_id == principal.agency_id if principal.agency_id else false()
    stmt = stmt.where(or_(IssueComment.visibility == "shared", own))
    return list(session.scalars(stmt.order_by(IssueComment.created_at, IssueComment.id)))


def log_action(
    session: Session,
    principal: Principal,
    issue: Issue,
    *,
    step: str,
    kind: str,
    note: str = "",
    data: dict[str, Any] | None = None,
) -> IssueAction:
    """Append to the action log (no permission check: callers have made theirs)."""
    if step not in STEPS:
        raise WorkflowError("step", f"langkah {step!r} tidak dikenal; pilih: {', '.join(STEPS)}")
    if kind not in ACTION_KINDS and kind not in SYSTEM_KINDS:
        raise WorkflowError("kind", f"jenis aksi {kind!r} tidak dikenal")
    entry = IssueAction(
        issue_id=issue.id,
        user_id=principal.id,
        agency_id=principal.agency_id,
        step=step,
        kind=kind,
        note=note,
        data=data or {},
    )
    session.add(entry)
    session.flush()
    return entry


def record_action(
    session: Session,
    principal: Principal,
    issue_id: int,
    *,
    step: str,
    kind: str,
    note: str = "",
    url: str | None = None,
) -> IssueAction:
    """A person logs what was done (holding statement, press release, field check...)."""
    issue = load_issue(session, issue_id)
    authorize_on(principal, "issue.act", issue)
    if kind not in ACTION_KINDS:
        raise WorkflowError(
            "kind", f"jenis aksi {kind!r} tidak dikenal; pilih: " + ", ".join(ACTION_KINDS)
        )
    if url and not url.startswith(("https://", "http://")):
        raise WorkflowError("url", "tautan harus diawali http:// atau https://")
    data = {"url": url} if url else {}
    entry = log_action(
        session,
        principal,
        issue,
        step=step,
        kind=kind,
        note=_text(note, "catatan", required=False),
        data=data,
    )
    record_by(
        session,
        principal,
        action="issue.act",
        object_type="issue",
        object_id=issue.id,
        after={"action_id": entry.id, "step": step, "kind": kind},
    )
    notify_followers(
        session,
        issue.id,
        f"{ACTION_KINDS[kind]} pada isu #{issue.id}",
        note[:200],
        exclude=principal.id,
    )
    return entry
