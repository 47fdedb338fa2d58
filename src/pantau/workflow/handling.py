"""Moving an issue through the workflow: status, assignment, handoff, escalation, closing.

Each function checks the permission on the issue's agency, changes it, writes one audit entry
and an action-log entry, and notifies the people concerned (in-app).
"""

from __future__ import annotations

import logging

from sqlalchemy.orm import Session

from pantau.store.audit import record_by
from pantau.store.models import Agency, Alert, Issue, User
from pantau.store.workflow_models import IssueClaim
from pantau.vocabulary import status_name
from pantau.workflow.discussion import log_action
from pantau.workflow.escalation import end_escalation, hold_crisis
from pantau.workflow.following import agency_members, notify, notify_followers
from pantau.workflow.lessons import Lessons, record_lessons, require_lessons
from pantau.workflow.permissions import Principal, allowed
from pantau.workflow.statuses import (
    CLOSING_NOTE_MIN,
    STATUSES,
    WorkflowError,
    authorize_on,
    load_issue,
    transition_action,
)
from pantau.workflow.users import principal_of

__all__ = [
    "IMPLIED_STATUS",
    "STATUS_STEP",
    "advance_for",
    "assign",
    "escalate",
    "handoff",
    "set_status",
]

logger = logging.getLogger(__name__)

#: The issue-management step a status change belongs to, for the action log.
STATUS_STEP = {
    "baru": "identifikasi",
    "ditelaah": "analisis",
    "ditangani": "aksi",
    "dipantau": "evaluasi",
    "selesai": "evaluasi",
}


def _drop_claim(session: Session, principal: Principal, issue_id: int, why: str) -> None:
    """Closing or handing off ends the claim; that is a change of its own in the audit log."""
    row = session.get(IssueClaim, issue_id)
    if row is None:
        return
    record_by(
        session,
        principal,
        action="issue.release",
        object_type="issue",
        object_id=issue_id,
        before={"holder": row.user_id},
        after={"holder": None, "why": why},
    )
    session.delete(row)


def set_status(
    session: Session,
    principal: Principal,
    issue_id: int,
    status: str,
    *,
    note: str = "",
    lessons: Lessons | str = "",
) -> Issue:
    """Move the issue to ``status``; closing (``selesai``) needs its lessons learned.

    ``lessons`` is structured (:class:`Lessons`: what worked, what did not, next time) or one
    free-text note.
    """
    issue = load_issue(session, issue_id)
    if status not in STATUSES:
        raise WorkflowError(
            "status", f"status {status!r} tidak dikenal; pilih: {', '.join(STATUSES)}"
        )
    if status == issue.status:
        return issue
    action = transition_action(issue.status, status)
    if action is None:
        raise WorkflowError("status", f"status tidak bisa diubah dari {issue.status} ke {status}")
    authorize_on(principal, action, issue)
    learned = lessons if isinstance(lessons, Lessons) else Lessons.from_text(note=lessons)
    if status == "selesai":
        require_lessons(learned)
    _move(session, principal, issue, status, note)
    if status == "selesai":
        record_lessons(session, issue.id, learned, principal=principal)
        log_action(
            session, principal, issue, step="evaluasi", kind="pelajaran", note=learned.text()
        )
        _drop_claim(session, principal, issue.id, "selesai")
        if issue.escalated_at is not None:
            end_escalation(issue)
    return issue


def _move(session: Session, principal: Principal, issue: Issue, status: str, note: str) -> None:
    """Change the status (already checked): audit, action log and the followers told."""
    before = issue.status
    issue.status = status
    record_by(
        session,
        principal,
        action="issue.status",
        object_type="issue",
        object_id=issue.id,
        before={"status": before},
        after={"status": status, "note": note or None},
    )
    log_action(
        session,
        principal,
        issue,
        step=STATUS_STEP[status],
        kind="status",
        note=note,
        data={"from": before, "to": status},
    )
    notify_followers(
        session,
        issue.id,
        f"Isu #{issue.id} kini berstatus {status_name(status)}",
        note,
        exclude=principal.id,
        also=[issue.assignee_id] if issue.assignee_id else [],
    )


#: What taking part in an issue says about its status: whoever assigns it has triaged it
#: (baru -> ditelaah); whoever claims or escalates it is handling it (-> ditangani).
IMPLIED_STATUS = {
    "assign": {"baru": "ditelaah"},
    "claim": {"baru": "ditangani", "ditelaah": "ditangani"},
    "escalate": {"baru": "ditangani", "ditelaah": "ditangani"},
}


def advance_for(session: Session, principal: Principal, issue: Issue, event: str) -> None:
    """Move the status forward when an assignment or a claim implies it; never backwards."""
    target = IMPLIED_STATUS[event].get(issue.status)
    if target is not None and transition_action(issue.status, target) is not None:
        _move(session, principal, issue, target, "")


def assign(
    session: Session,
    principal: Principal,
    issue_id: int,
    *,
    agency_id: int | None,
    user_id: int | None = None,
    note: str = "",
) -> Issue:
    """Assign the issue to an agency and optionally a person of that agency."""
    issue = load_issue(session, issue_id)
    authorize_on(principal, "issue.assign", issue)
    agency = session.get(Agency, agency_id) if agency_id is not None else None
    if agency_id is not None and agency is None:
        raise WorkflowError("agency_id", f"instansi #{agency_id} tidak ada")
    person = session.get(User, user_id) if user_id is not None else None
    if user_id is not None:
        if person is None or not person.active:
            raise WorkflowError("user_id", f"pengguna #{user_id} tidak ada atau tidak aktif")
        if not allowed(principal_of(person), "issue.claim", agency_id=agency_id):
            raise WorkflowError(
                "user_id", f"{person.full_name} tidak berhak menangani isu instansi ini"
            )
    before = {"agency_id": issue.agency_id, "assignee_id": issue.assignee_id}
    issue.agency_id = agency_id
    issue.assignee_id = user_id
    record_by(
        session,
        principal,
        action="issue.assign",
        object_type="issue",
        object_id=issue.id,
        before=before,
        after={"agency_id": agency_id, "assignee_id": user_id, "note": note or None},
    )
    log_action(
        session,
        principal,
        issue,
        step="identifikasi",
        kind="penugasan",
        note=note,
        data={"agency_id": agency_id, "user_id": user_id},
    )
    advance_for(session, principal, issue, "assign")
    who = [user_id] if user_id else agency_members(session, agency_id, ("analis",))
    name = agency.short_name or agency.name if agency else "-"
    notify(
        session,
        who,
        title=f"Isu #{issue.id} ditugaskan kepada {name}",
        body=issue.label[:200],
        issue_id=issue.id,
        exclude=principal.id,
    )
    return issue


def handoff(
    session: Session, principal: Principal, issue_id: int, *, agency_id: int, reason: str
) -> Issue:
    """Hand the issue to another agency with a reason; the claim is given up."""
    issue = load_issue(session, issue_id)
    authorize_on(principal, "issue.handoff", issue)
    reason = (reason or "").strip()
    if len(reason) < CLOSING_NOTE_MIN:
        raise WorkflowError(
            "reason", f"alasan pengalihan wajib diisi (minimal {CLOSING_NOTE_MIN} karakter)"
        )
    target = session.get(Agency, agency_id)
    if target is None:
        raise WorkflowError("agency_id", f"instansi #{agency_id} tidak ada")
    if agency_id == issue.agency_id:
        raise WorkflowError("agency_id", "isu sudah berada di instansi ini")
    before = {"agency_id": issue.agency_id, "assignee_id": issue.assignee_id}
    issue.agency_id = agency_id
    issue.assignee_id = None
    _drop_claim(session, principal, issue.id, "dialihkan")
    record_by(
        session,
        principal,
        action="issue.handoff",
        object_type="issue",
        object_id=issue.id,
        before=before,
        after={"agency_id": agency_id, "reason": reason},
    )
    log_action(
        session,
        principal,
        issue,
        step="opsi_strategi",
        kind="serah_instansi",
        note=reason,
        data={"from": before["agency_id"], "to": agency_id},
    )
    notify(
        session,
        agency_members(session, agency_id),
        issue_id=issue.id,
        exclude=principal.id,
        title=f"Isu #{issue.id} dialihkan ke {target.short_name or target.name}",
        body=reason,
    )
    return issue


def escalate(session: Session, principal: Principal, issue_id: int, reason: str) -> Alert:
    """Escalate to crisis: a crisis alert that routing sends to the coordinator and leadership."""
    issue = load_issue(session, issue_id)
    authorize_on(principal, "issue.escalate", issue)
    reason = (reason or "").strip()
    if len(reason) < CLOSING_NOTE_MIN:
        raise WorkflowError(
            "reason", f"alasan eskalasi wajib diisi (minimal {CLOSING_NOTE_MIN} karakter)"
        )
    who = principal.full_name or principal.username
    alert = Alert(
        issue_id=issue.id,
        kind="escalation",
        stage="crisis",
        risk=issue.risk,
        reasons=[{"component": "eskalasi", "text": f"dieskalasi oleh {who}: {reason}"}],
    )
    session.add(alert)
    hold_crisis(issue)
    advance_for(session, principal, issue, "escalate")
    session.flush()
    record_by(
        session,
        principal,
        action="issue.escalate",
        object_type="issue",
        object_id=issue.id,
        after={"alert_id": alert.id, "reason": reason},
    )
    log_action(
        session,
        principal,
        issue,
        step="aksi",
        kind="eskalasi",
        note=reason,
        data={"alert_id": alert.id},
    )
    return alert
