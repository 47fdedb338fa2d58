"""HTML pages of the workflow: the issue's workflow panel (htmx), the notification centre and
bulk actions."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from pantau.alerts.runner import route_and_notify
from pantau.store.models import Issue
from pantau.store.workflow_models import Notification
from pantau.web.rendering import render, unread_notifications
from pantau.web.security import NotLoggedIn, guard
from pantau.workflow import bulk, claims, discussion, following, handling, panel
from pantau.workflow.lessons import Lessons
from pantau.workflow.permissions import PermissionDenied, Principal
from pantau.workflow.statuses import STATUSES, IssueNotFound, WorkflowError

__all__ = ["FORM_OPS", "router"]

logger = logging.getLogger(__name__)

router = APIRouter(include_in_schema=False)
Who = Annotated[Principal, Depends(guard("issue.view"))]
NOTIFICATIONS_SHOWN = 100


def _int(form: dict[str, Any], name: str) -> int | None:
    raw = str(form.get(name) or "").strip()
    if not raw:
        return None
    if not raw.isdigit():
        raise WorkflowError(name, f"{name}: harus berupa angka")
    return int(raw)


def _need(form: dict[str, Any], name: str) -> int:
    value = _int(form, name)
    if value is None:
        raise WorkflowError(name, f"{name} wajib dipilih")
    return value


def _lessons(form: dict[str, Any]) -> Lessons:
    """The close form's three boxes (one lesson a line) and the bulk form's free note."""
    return Lessons.from_text(
        worked=form.get("worked", ""),
        failed=form.get("failed", ""),
        next_time=form.get("next_time", ""),
        note=form.get("lessons", ""),
    )


Op = Callable[[Session, Principal, int, dict[str, Any]], object]

#: Form operations of the panel, each one workflow function.
FORM_OPS: dict[str, Op] = {
    "claim": lambda s, p, i, f: claims.claim(s, p, i),
    "release": lambda s, p, i, f: claims.release(s, p, i),
    "handover": lambda s, p, i, f: claims.handover(s, p, i, _need(f, "user_id"), f.get("note", "")),
    "status": lambda s, p, i, f: handling.set_status(
        s, p, i, f.get("status", ""), note=f.get("note", ""), lessons=_lessons(f)
    ),
    "assign": lambda s, p, i, f: handling.assign(
        s, p, i, agency_id=_int(f, "agency_id"), user_id=_int(f, "user_id"), note=f.get("note", "")
    ),
    "handoff": lambda s, p, i, f: handling.handoff(
        s, p, i, agency_id=_need(f, "agency_id"), reason=f.get("reason", "")
    ),
    "comment": lambda s, p, i, f: discussion.add_comment(
        s, p, i, f.get("body", ""), f.get("visibility", "shared")
    ),
    "action": lambda s, p, i, f: discussion.record_action(
        s,
        p,
        i,
        step=f.get("step", ""),
        kind=f.get("kind", ""),
        note=f.get("note", ""),
        url=f.get("url") or None,
    ),
    "escalate": lambda s, p, i, f: handling.escalate(s, p, i, f.get("reason", "")),
    "follow": lambda s, p, i, f: following.subscribe(s, p, issue_id=i),
    "unfollow": lambda s, p, i, f: following.unsubscribe(s, p, _need(f, "subscription_id")),
}


def _panel(
    request: Request,
    principal: Principal,
    issue_id: int,
    error: str | None = None,
    status: int = 200,
) -> Response:
    with request.app.state.db.session() as s:
        st = panel.panel_state(s, principal, issue_id)
    return render(request, "workflow/panel.html", {"st": st, "error": error}, status=status)


@router.get("/issues/{issue_id}/workflow")
def workflow_panel(request: Request, issue_id: int, principal: Who) -> Response:
    try:
        return _panel(request, principal, issue_id)
    except IssueNotFound as exc:
        return render(request, "error.html", {"status": 404, "message": str(exc)}, status=404)


@router.post("/issues/{issue_id}/workflow/{op}")
async def workflow_form(request: Request, issue_id: int, op: str, principal: Who) -> Response:
    """One panel operation; htmx gets the panel back (with the refusal shown), forms a redirect."""
    htmx = request.headers.get("hx-request") == "true"
    if op not in FORM_OPS:
        return render(
            request,
            "error.html",
            {"status": 404, "message": f"operasi {op!r} tidak ada"},
            status=404,
        )
    form = {k: v for k, v in (await request.form()).items() if isinstance(v, str)}
    error: str | None = None
    code = 200
    try:
        with request.app.state.db.writer() as s:
            FORM_OPS[op](s, principal, issue_id, form)
    except IssueNotFound as exc:
        return render(request, "error.html", {"status": 404, "message": str(exc)}, status=404)
    except PermissionDenied as exc:
        error, code = str(exc), 403
    except WorkflowError as exc:
        error, code = exc.message, 409 if exc.field == "claim" else 422
    if op == "escalate" and error is None:
        route_and_notify(request.app.state.db, request.app.state.settings)
    if htmx:
        return _panel(request, principal, issue_id, error)  # htmx swaps 2xx answers only
    if error is not None:
        return render(request, "error.html", {"status": code, "message": error}, status=code)
    return RedirectResponse(f"/issues/{issue_id}", status_code=303)


@router.get("/notifications")
def notifications_page(
    request: Request, principal: Annotated[Principal, Depends(guard("notification.view"))]
) -> Response:
    with request.app.state.db.session() as s:
        rows = s.scalars(
            select(Notification)
            .where(Notification.user_id == principal.id)
            .order_by(Notification.id.desc())
            .limit(NOTIFICATIONS_SHOWN)
        ).all()
        unread = following.unread_count(s, principal.id)
    return render(request, "workflow/notifications.html", {"rows": rows, "unread": unread})


@router.post("/notifications/read")
def notifications_read(
    request: Request, principal: Annotated[Principal, Depends(guard("notification.view"))]
) -> Response:
    with request.app.state.db.writer() as s:
        following.mark_read(s, principal)
    return RedirectResponse("/notifications", status_code=303)


@router.get("/notifications/badge")
async def notifications_badge(request: Request) -> Response:
    """The navigation's unread badge alone, polled by htmx so the count stays live.

    No guard: a session that ran out answers 204 (htmx keeps the badge) instead of a redirect
    whose login page htmx would swap into the navigation.
    """
    try:
        await guard("notification.view")(request)
    except (NotLoggedIn, PermissionDenied):
        return Response(status_code=204)
    unread = unread_notifications(request)
    return render(request, "workflow/_unread_badge.html", {"unread": unread})


@router.get("/workflow/bulk")
def bulk_page(request: Request, principal: Who, status: str = "baru") -> Response:
    status = status if status in STATUSES else "baru"
    with request.app.state.db.session() as s:
        rows = s.scalars(
            select(Issue)
            .where(Issue.listed(), Issue.status == status)
            .order_by(Issue.risk.desc(), Issue.id)
            .limit(bulk.MAX_BULK)
        ).all()
    return render(
        request,
        "workflow/bulk.html",
        {"rows": rows, "status": status, "statuses": STATUSES, "result": None},
    )


@router.post("/workflow/bulk")
async def bulk_submit(request: Request, principal: Who) -> Response:
    form = await request.form()
    ids = [int(v) for v in form.getlist("issue_ids") if isinstance(v, str) and v.isdigit()]
    args = {k: v for k, v in form.items() if k in ("status", "note", "lessons", "agency_id")}
    op = str(form.get("op", ""))
    try:
        with request.app.state.db.writer() as s:
            result = bulk.bulk_apply(s, principal, op, ids, args)
    except WorkflowError as exc:
        return render(request, "error.html", {"status": 422, "message": exc.message}, status=422)
    return render(
        request,
        "workflow/bulk.html",
        {"rows": [], "status": "baru", "statuses": STATUSES, "result": result},
    )
