"""The JSON API of the workflow: status, claims, handoffs, comments, actions, escalation, bulk
actions, subscriptions, notifications and the read-only audit (alert administration is
:mod:`pantau.web.api_alerts`).

Every endpoint goes through :func:`pantau.web.security.guard` and the workflow functions, which
check the permission on the issue's agency; refusals are 403, conflicts (a claim held by someone
else) 409, bad input 422 naming the field.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from pydantic import BaseModel, Field
from sqlalchemy import select

from pantau.alerts.runner import route_and_notify
from pantau.store.models import AuditEntry
from pantau.store.workflow_models import Notification
from pantau.web.security import guard
from pantau.workflow import bulk, claims, discussion, following, handling, panel
from pantau.workflow.lessons import Lessons
from pantau.workflow.permissions import Principal, authorize
from pantau.workflow.statuses import ClaimConflict, IssueNotFound, WorkflowError

__all__ = ["LessonsIn", "router", "workflow_errors"]

logger = logging.getLogger(__name__)

router = APIRouter(prefix="/api/v1", tags=["alur kerja"])
Who = Annotated[Principal, Depends(guard("issue.view"))]


@contextmanager
def workflow_errors() -> Iterator[None]:
    """Turn workflow refusals into HTTP answers (permission refusals pass to the app's handler)."""
    try:
        yield
    except ClaimConflict as exc:
        raise HTTPException(
            409,
            {
                "field": exc.field,
                "message": exc.message,
                "holder": exc.holder,
                "agency": exc.agency,
            },
        ) from exc
    except WorkflowError as exc:
        raise HTTPException(422, {"field": exc.field, "message": exc.message}) from exc
    except IssueNotFound as exc:
        raise HTTPException(404, str(exc)) from exc


class HolderOut(BaseModel):
    user_id: int
    name: str
    agency: str | None
    since: datetime


class WorkflowOut(BaseModel):
    issue_id: int
    status: str
    agency_id: int | None
    agency: str | None
    assignee: str | None
    holder: HolderOut | None
    mine: bool
    can: dict[str, bool]
    transitions: list[str]
    comments: list[dict[str, Any]]
    actions: list[dict[str, Any]]
    following: int | None


#: Items a box of lessons may hold; a case's lessons are a handful, not a report.
LESSON_ITEMS = 30


class LessonsIn(BaseModel):
    """Lessons learned: what worked, what did not, what to do next time, or one free note."""

    worked: list[str] = Field(default_factory=list, max_length=LESSON_ITEMS)
    failed: list[str] = Field(default_factory=list, max_length=LESSON_ITEMS)
    next_time: list[str] = Field(default_factory=list, max_length=LESSON_ITEMS)
    lessons: str = Field("", max_length=5000, description="free-text note, kept as written")

    def learned(self) -> Lessons:
        return Lessons.from_text(
            worked="\n".join(self.worked),
            failed="\n".join(self.failed),
            next_time="\n".join(self.next_time),
            note=self.lessons,
        )


class StatusIn(LessonsIn):
    status: str
    note: str = Field("", max_length=5000)


class AssignIn(BaseModel):
    agency_id: int | None
    user_id: int | None = None
    note: str = Field("", max_length=5000)


class HandoverIn(BaseModel):
    user_id: int
    note: str = Field("", max_length=5000)


class HandoffIn(BaseModel):
    agency_id: int
    reason: str = Field(max_length=5000)


class CommentIn(BaseModel):
    body: str = Field(max_length=5000)
    visibility: str = "shared"


class ActionIn(BaseModel):
    step: str
    kind: str
    note: str = Field("", max_length=5000)
    url: str | None = Field(None, max_length=2000)


class EscalateIn(BaseModel):
    reason: str = Field(max_length=5000)


class BulkIn(BaseModel):
    op: str
    issue_ids: list[int] = Field(max_length=bulk.MAX_BULK)
    args: dict[str, Any] = Field(default_factory=dict)


class BulkOut(BaseModel):
    done: list[int]
    failed: dict[int, str]


class SubscriptionIn(BaseModel):
    issue_id: int | None = None
    watchlist_id: int | None = None


class NotificationOut(BaseModel):
    id: int
    title: str
    body: str
    link: str | None
    issue_id: int | None
    created_at: datetime
    read_at: datetime | None


class AuditOut(BaseModel):
    id: int
    at: datetime
    actor: str
    action: str
    object_type: str
    object_id: str | None
    before: dict[str, Any] | None
    after: dict[str, Any] | None


def _state(request: Request, principal: Principal, issue_id: int) -> WorkflowOut:
    with request.app.state.db.session() as s, workflow_errors():
        st = panel.panel_state(s, principal, issue_id)
    holder = HolderOut(**vars(st.holder)) if st.holder else None
    return WorkflowOut(
        issue_id=st.issue_id,
        status=st.status,
        agency_id=st.agency_id,
        agency=st.agency,
        assignee=st.assignee,
        holder=holder,
        mine=st.mine,
        can=st.can,
        transitions=st.transitions,
        comments=st.comments,
        actions=st.actions,
        following=st.following,
    )


@router.get("/issues/{issue_id}/workflow", response_model=WorkflowOut, summary="Alur kerja isu")
def get_workflow(request: Request, issue_id: int, principal: Who) -> WorkflowOut:
    return _state(request, principal, issue_id)


@router.post("/issues/{issue_id}/status", response_model=WorkflowOut, summary="Ubah status")
def post_status(request: Request, issue_id: int, body: StatusIn, principal: Who) -> WorkflowOut:
    with request.app.state.db.writer() as s, workflow_errors():
        handling.set_status(
            s, principal, issue_id, body.status, note=body.note, lessons=body.learned()
        )
    return _state(request, principal, issue_id)


@router.post("/issues/{issue_id}/assign", response_model=WorkflowOut, summary="Tugaskan")
def post_assign(request: Request, issue_id: int, body: AssignIn, principal: Who) -> WorkflowOut:
    with request.app.state.db.writer() as s, workflow_errors():
        handling.assign(
            s, principal, issue_id, agency_id=body.agency_id, user_id=body.user_id, note=body.note
        )
    return _state(request, principal, issue_id)


@router.post("/issues/{issue_id}/claim", response_model=WorkflowOut, summary="Klaim isu")
def post_claim(request: Request, issue_id: int, principal: Who) -> WorkflowOut:
    with request.app.state.db.writer() as s, workflow_errors():
        claims.claim(s, principal, issue_id)
    return _state(request, principal, issue_id)


@router.post("/issues/{issue_id}/release", response_model=WorkflowOut, summary="Lepas klaim")
def post_release(request: Request, issue_id: int, principal: Who) -> WorkflowOut:
    with request.app.state.db.writer() as s, workflow_errors():
        claims.release(s, principal, issue_id)
    return _state(request, principal, issue_id)


@router.post("/issues/{issue_id}/handover", response_model=WorkflowOut, summary="Serah terima")
def post_handover(request: Request, issue_id: int, body: HandoverIn, principal: Who) -> WorkflowOut:
    with request.app.state.db.writer() as s, workflow_errors():
        claims.handover(s, principal, issue_id, body.user_id, body.note)
    return _state(request, principal, issue_id)


@router.post("/issues/{issue_id}/handoff", response_model=WorkflowOut, summary="Alihkan instansi")
def post_handoff(request: Request, issue_id: int, body: HandoffIn, principal: Who) -> WorkflowOut:
    with request.app.state.db.writer() as s, workflow_errors():
        handling.handoff(s, principal, issue_id, agency_id=body.agency_id, reason=body.reason)
    return _state(request, principal, issue_id)


@router.post("/issues/{issue_id}/comments", response_model=WorkflowOut, summary="Komentar")
def post_comment(request: Request, issue_id: int, body: CommentIn, principal: Who) -> WorkflowOut:
    with request.app.state.db.writer() as s, workflow_errors():
        discussion.add_comment(s, principal, issue_id, body.body, body.visibility)
    return _state(request, principal, issue_id)


@router.post("/issues/{issue_id}/actions", response_model=WorkflowOut, summary="Catat aksi")
def post_action(request: Request, issue_id: int, body: ActionIn, principal: Who) -> WorkflowOut:
    with request.app.state.db.writer() as s, workflow_errors():
        discussion.record_action(
            s, principal, issue_id, step=body.step, kind=body.kind, note=body.note, url=body.url
        )
    return _state(request, principal, issue_id)


@router.post("/issues/{issue_id}/escalate", response_model=WorkflowOut, summary="Eskalasi krisis")
def post_escalate(request: Request, issue_id: int, body: EscalateIn, principal: Who) -> WorkflowOut:
    with request.app.state.db.writer() as s, workflow_errors():
        handling.escalate(s, principal, issue_id, body.reason)
    route_and_notify(request.app.state.db, request.app.state.settings)
    return _state(request, principal, issue_id)


@router.post("/issues/bulk", response_model=BulkOut, summary="Aksi massal")
def post_bulk(request: Request, body: BulkIn, principal: Who) -> BulkOut:
    with request.app.state.db.writer() as s, workflow_errors():
        result = bulk.bulk_apply(s, principal, body.op, body.issue_ids, body.args)
    return BulkOut(done=result.done, failed=result.failed)


@router.post("/subscriptions", summary="Ikuti isu atau kata kunci")
def post_subscription(request: Request, body: SubscriptionIn, principal: Who) -> dict[str, int]:
    with request.app.state.db.writer() as s, workflow_errors():
        sub = following.subscribe(
            s, principal, issue_id=body.issue_id, watchlist_id=body.watchlist_id
        )
        return {"id": sub.id}


@router.delete("/subscriptions/{subscription_id}", summary="Berhenti mengikuti")
def delete_subscription(request: Request, subscription_id: int, principal: Who) -> dict[str, bool]:
    with request.app.state.db.writer() as s, workflow_errors():
        following.unsubscribe(s, principal, subscription_id)
    return {"ok": True}


@router.get("/notifications", response_model=list[NotificationOut], summary="Notifikasi saya")
def get_notifications(
    request: Request,
    principal: Annotated[Principal, Depends(guard("notification.view"))],
    unread: bool = False,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
) -> list[NotificationOut]:
    stmt = select(Notification).where(Notification.user_id == principal.id)
    if unread:
        stmt = stmt.where(Notification.read_at.is_(None))
    with request.app.state.db.session() as s:
        rows = s.scalars(stmt.order_by(Notification.id.desc()).limit(limit)).all()
        return [NotificationOut.model_validate(r, from_attributes=True) for r in rows]


@router.post("/notifications/{notification_id}/read", summary="Tandai sudah dibaca")
def post_read(
    request: Request,
    notification_id: int,
    principal: Annotated[Principal, Depends(guard("notification.view"))],
) -> dict[str, int]:
    with request.app.state.db.writer() as s:
        return {"read": following.mark_read(s, principal, notification_id)}


@router.get("/audit", response_model=list[AuditOut], summary="Log audit (hanya baca)")
def get_audit(
    request: Request,
    principal: Annotated[Principal, Depends(guard("audit.view"))],
    object_type: str | None = None,
    object_id: str | None = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> list[AuditOut]:
    authorize(principal, "audit.view")
    stmt = select(AuditEntry)
    if object_type:
        stmt = stmt.where(AuditEntry.object_type == object_type)
    if object_id:
        stmt = stmt.where(AuditEntry.object_id == object_id)
    with request.app.state.db.session() as s:
        rows = s.scalars(stmt.order_by(AuditEntry.id.desc()).limit(limit)).all()
        return [AuditOut.model_validate(r, from_attributes=True) for r in rows]
