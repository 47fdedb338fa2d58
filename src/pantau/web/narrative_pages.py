"""The single narrative on the issue page (an htmx panel) and in the JSON API.

``GET /api/v1/issues/{id}/key-messages`` gives the key messages in force, ``.../versions`` every
version, and ``PUT`` saves a new one (the lead agency: whoever may handle the issue). The panel
``/issues/{id}/narasi`` shows them to every agency and lets the lead agency edit them, one
message a line.
"""

from __future__ import annotations

import logging
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel, Field

from pantau.web.api_workflow import workflow_errors
from pantau.web.rendering import render
from pantau.web.security import guard
from pantau.workflow.narrative import (
    MAX_MESSAGES,
    Narrative,
    key_messages,
    narrative_history,
    save_key_messages,
)
from pantau.workflow.permissions import PermissionDenied, Principal, allowed
from pantau.workflow.statuses import IssueNotFound, WorkflowError, load_issue

__all__ = ["router"]

logger = logging.getLogger(__name__)

router = APIRouter()
Who = Annotated[Principal, Depends(guard("issue.view"))]


class KeyMessagesIn(BaseModel):
    """A new version of the issue's key messages."""

    messages: list[str] = Field(max_length=MAX_MESSAGES * 2)
    note: str = Field("", max_length=500, description="why they changed")


@router.get(
    "/api/v1/issues/{issue_id}/key-messages",
    response_model=Narrative,
    tags=["alur kerja"],
    summary="Pesan kunci isu (narasi tunggal)",
)
def get_key_messages(request: Request, issue_id: int, principal: Who) -> Narrative:
    """The key messages every office handling the issue says (version 0: the playbook's)."""
    with request.app.state.db.session() as s, workflow_errors():
        return key_messages(s, issue_id)


@router.get(
    "/api/v1/issues/{issue_id}/key-messages/versions",
    response_model=list[Narrative],
    tags=["alur kerja"],
    summary="Riwayat pesan kunci isu",
)
def get_key_message_versions(request: Request, issue_id: int, principal: Who) -> list[Narrative]:
    """Every version, newest first, ending with the playbook's version 0."""
    with request.app.state.db.session() as s, workflow_errors():
        return narrative_history(s, issue_id)


@router.put(
    "/api/v1/issues/{issue_id}/key-messages",
    response_model=Narrative,
    tags=["alur kerja"],
    summary="Ubah pesan kunci isu (versi baru)",
)
def put_key_messages(
    request: Request, issue_id: int, body: KeyMessagesIn, principal: Who
) -> Narrative:
    """Save a new version; every agency involved and every follower is notified."""
    with request.app.state.db.writer() as s, workflow_errors():
        return save_key_messages(s, principal, issue_id, body.messages, body.note)


def _panel(
    request: Request, principal: Principal, issue_id: int, error: str | None = None
) -> Response:
    with request.app.state.db.session() as s:
        issue = load_issue(s, issue_id)
        history = narrative_history(s, issue_id)
        can_edit = allowed(principal, "issue.handle", agency_id=issue.agency_id)
    return render(
        request,
        "workflow/narrative.html",
        {"issue_id": issue_id, "n": history[0], "history": history, "can_edit": can_edit,
         "error": error},
    )  # fmt: skip


@router.get("/issues/{issue_id}/narasi", include_in_schema=False)
def narrative_panel(request: Request, issue_id: int, principal: Who) -> Response:
    """The issue page's "Pesan kunci bersama" panel."""
    try:
        return _panel(request, principal, issue_id)
    except IssueNotFound as exc:
        raise HTTPException(404, str(exc)) from exc


@router.post("/issues/{issue_id}/narasi", include_in_schema=False)
async def narrative_form(request: Request, issue_id: int, principal: Who) -> Response:
    """Save the panel's messages (one a line); htmx gets the panel back, a form a redirect."""
    form = await request.form()
    lines = str(form.get("messages", "")).splitlines()
    error, code = None, 200
    try:
        with request.app.state.db.writer() as s:
            save_key_messages(s, principal, issue_id, lines, str(form.get("note", "")))
    except IssueNotFound as exc:
        raise HTTPException(404, str(exc)) from exc
    except PermissionDenied as exc:
        error, code = str(exc), 403
    except WorkflowError as exc:
        error, code = exc.message, 422
    if request.headers.get("hx-request") == "true":
        return _panel(request, principal, issue_id, error)  # htmx swaps 2xx answers only
    if error is not None:
        return render(request, "error.html", {"status": code, "message": error}, status=code)
    return RedirectResponse(f"/issues/{issue_id}", status_code=303)
