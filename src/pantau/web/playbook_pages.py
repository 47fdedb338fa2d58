"""Crisis playbooks in the JSON API and on the issue page.

``GET /api/v1/playbooks`` lists them, ``/api/v1/playbooks/{key}`` gives one,
``/api/v1/playbooks/{key}.yaml`` exports it as the YAML a province edits for its own SOP, and
``/api/v1/issues/{id}/playbook`` is the one matching an issue with its checklist ticked by the
issue's action log. ``/issues/{id}/playbook`` renders that as the issue page's panel; posting to
``/issues/{id}/holding-statement`` (or the same path under ``/api/v1``) composes the playbook's
holding statement in the writing desk.
"""

from __future__ import annotations

import logging
from dataclasses import asdict
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel, Field
from sqlalchemy import select

from pantau.store.types import utcnow
from pantau.store.workflow_models import IssueAction
from pantau.web.rendering import render
from pantau.web.security import guard
from pantau.workflow.holding import prepare_holding_statement
from pantau.workflow.permissions import Principal
from pantau.workflow.playbook_versions import (
    PlaybookVersionView,
    current_playbooks,
    current_text,
    playbook_history,
    save_playbook,
)
from pantau.workflow.playbooks import (
    CRISIS_TYPES,
    Playbook,
    PlaybookError,
    TickedItem,
    checklist,
    load_playbooks,
    playbook_for,
)
from pantau.workflow.statuses import IssueNotFound, WorkflowError, load_issue
from pantau.writing.desk import DeskError

__all__ = ["router"]

logger = logging.getLogger(__name__)

router = APIRouter()
Who = Annotated[Principal, Depends(guard("issue.view"))]
Editor = Annotated[Principal, Depends(guard("document.edit"))]
Manager = Annotated[Principal, Depends(guard("playbook.manage"))]


def _playbook(request: Request, key: str) -> Playbook:
    if key not in load_playbooks():
        raise HTTPException(404, f"playbook {key!r} tidak ada; pilih: {sorted(load_playbooks())}")
    with request.app.state.db.session() as s:
        return current_playbooks(s)[key]


class PlaybookEdit(BaseModel):
    """A new version of a playbook: its whole YAML text and why it changed."""

    text: str = Field(max_length=100_000)
    note: str = Field(default="", max_length=500)


def _matched(request: Request, issue_id: int) -> tuple[Playbook | None, list[TickedItem]]:
    with request.app.state.db.session() as s:
        issue = load_issue(s, issue_id)
        book = playbook_for(
            [issue.label or "", *map(str, issue.key_phrases or [])], current_playbooks(s)
        )
        if book is None:
            return None, []
        rows = s.execute(
            select(IssueAction.kind, IssueAction.at).where(IssueAction.issue_id == issue_id)
        ).all()
        ticks = checklist(book, [(k, at) for k, at in rows], issue.first_seen, utcnow())
        return book, ticks


@router.get("/api/v1/playbooks", tags=["playbook"], summary="Daftar playbook krisis")
def playbooks_list(request: Request, principal: Who) -> list[dict[str, str]]:
    """Every playbook: its category key, title and SCCT crisis type."""
    with request.app.state.db.session() as s:
        books = current_playbooks(s)
    return [{"key": p.key, "title": p.title, "crisis_type": p.crisis_type} for p in books.values()]


@router.get("/api/v1/playbooks/{key}.yaml", tags=["playbook"], summary="Ekspor playbook (YAML)")
def playbook_export(request: Request, key: str, principal: Who) -> Response:
    """The playbook's YAML as in use (the newest edit, else as shipped), to edit or archive."""
    _playbook(request, key)
    with request.app.state.db.session() as s:
        text = current_text(s, key)
    return Response(text, media_type="application/yaml")


@router.get("/api/v1/playbooks/{key}/versions", tags=["playbook"], summary="Riwayat playbook")
def playbook_versions(request: Request, key: str, principal: Who) -> list[PlaybookVersionView]:
    """Saved versions, newest first; version 0 is the shipped one."""
    _playbook(request, key)
    with request.app.state.db.session() as s:
        return playbook_history(s, key)


@router.put("/api/v1/playbooks/{key}", tags=["playbook"], summary="Ubah playbook (versi baru)")
def playbook_edit(
    request: Request, key: str, edit: PlaybookEdit, principal: Manager
) -> dict[str, int]:
    """Save the province's own version of a playbook; a broken one is refused, field named."""
    try:
        with request.app.state.db.writer() as s:
            return {"version": save_playbook(s, principal, key, edit.text, edit.note)}
    except PlaybookError as exc:
        raise HTTPException(422, str(exc)) from exc


@router.get("/api/v1/playbooks/{key}", tags=["playbook"], summary="Satu playbook")
def playbook_get(request: Request, key: str, principal: Who) -> dict[str, Any]:
    """Strategy, checklist with time targets and roles, key messages, holding statement."""
    return asdict(_playbook(request, key))


@router.get("/api/v1/issues/{issue_id}/playbook", tags=["playbook"], summary="Playbook isu")
def issue_playbook(request: Request, issue_id: int, principal: Who) -> dict[str, Any]:
    """The playbook matching the issue, its checklist ticked by the issue's logged actions."""
    try:
        book, ticks = _matched(request, issue_id)
    except IssueNotFound as exc:
        raise HTTPException(404, str(exc)) from exc
    if book is None:
        return {"playbook": None, "checklist": []}
    return {
        "playbook": asdict(book),
        "checklist": [
            {
                "id": t.item.id,
                "task": t.item.task,
                "role": book.roles.get(t.item.role, t.item.role),
                "within_hours": t.item.within_hours,
                "done": t.done_at is not None,
                "done_at": _iso(t.done_at),
                "due": _iso(t.due),
                "late": t.late,
            }
            for t in ticks
        ],
    }


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


@router.get("/issues/{issue_id}/playbook", include_in_schema=False)
def playbook_panel(request: Request, issue_id: int, principal: Who) -> Response:
    """The issue page's "Playbook" panel."""
    try:
        book, ticks = _matched(request, issue_id)
    except IssueNotFound as exc:
        return render(request, "error.html", {"status": 404, "message": str(exc)}, status=404)
    return render(
        request,
        "workflow/playbook.html",
        {"issue_id": issue_id, "book": book, "ticks": ticks, "types": CRISIS_TYPES},
    )


def _holding(request: Request, issue_id: int, principal: Principal) -> int:
    try:
        with request.app.state.db.writer() as s:
            return prepare_holding_statement(s, principal, issue_id, request.app.state.settings).id
    except IssueNotFound as exc:
        raise HTTPException(404, str(exc)) from exc
    except (WorkflowError, DeskError) as exc:
        raise HTTPException(422, str(exc)) from exc


@router.post("/issues/{issue_id}/holding-statement", include_in_schema=False)
def holding_form(request: Request, issue_id: int, principal: Editor) -> Response:
    """The issue page's one action: compose the holding statement and open it in the desk."""
    return RedirectResponse(f"/tulis/{_holding(request, issue_id, principal)}", status_code=303)


@router.post(
    "/api/v1/issues/{issue_id}/holding-statement",
    tags=["playbook"],
    summary="Susun holding statement dari playbook",
    status_code=201,
)
def holding_api(request: Request, issue_id: int, principal: Editor) -> dict[str, int]:
    """Compose the playbook's holding statement for the issue; the new document's id."""
    return {"document_id": _holding(request, issue_id, principal)}
