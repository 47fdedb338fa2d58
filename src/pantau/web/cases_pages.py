"""Past cases on the issue page (an htmx panel) and in the JSON API.

``GET /issues/{id}/cases`` renders the "Kasus serupa" panel that ``issue.html`` loads lazily;
``GET /api/v1/issues/{id}/cases`` gives the same cases as JSON for other tools.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import Response
from pydantic import BaseModel

from pantau.web.rendering import render
from pantau.web.security import guard
from pantau.workflow.cases import Case, similar_cases
from pantau.workflow.lessons import Lessons
from pantau.workflow.permissions import Principal
from pantau.workflow.statuses import IssueNotFound

__all__ = ["router"]

logger = logging.getLogger(__name__)

router = APIRouter()
Who = Annotated[Principal, Depends(guard("issue.view"))]


class ActionOut(BaseModel):
    """One kind of action taken on a past case and how many times."""

    action: str
    count: int


class DocumentOut(BaseModel):
    """A document written for a past case (holding statement, press release, ...)."""

    id: int
    kind: str
    title: str
    status: str


class CaseOut(BaseModel):
    """A closed issue like the one asked about, with its lessons and what was done."""

    issue_id: int
    label: str
    score: float
    shared_words: list[str]
    #: Why it is offered: "sama-sama banjir di Samarinda, masuk berita < 6 jam".
    reason: str
    closed_at: datetime | None
    agency: str | None
    #: Every lesson as a line, "next time" first; ``learned`` has them by kind.
    lessons: list[str]
    learned: Lessons
    actions: list[ActionOut]
    documents: list[DocumentOut]


def _out(case: Case) -> CaseOut:
    return CaseOut(
        issue_id=case.issue_id,
        label=case.label,
        score=case.score,
        shared_words=case.shared,
        reason=case.reason,
        closed_at=case.closed_at,
        agency=case.agency,
        lessons=case.lessons,
        learned=case.learned,
        actions=[ActionOut(action=a, count=n) for a, n in case.actions],
        documents=[DocumentOut(id=i, kind=k, title=t, status=s) for i, k, t, s in case.documents],
    )


@router.get("/issues/{issue_id}/cases", include_in_schema=False)
def cases_panel(request: Request, issue_id: int, principal: Who) -> Response:
    """The "Kasus serupa" panel of the issue page."""
    try:
        with request.app.state.db.session() as s:
            cases = similar_cases(s, issue_id)
    except IssueNotFound as exc:
        return render(request, "error.html", {"status": 404, "message": str(exc)}, status=404)
    return render(request, "workflow/cases.html", {"cases": cases, "issue_id": issue_id})


@router.get(
    "/api/v1/issues/{issue_id}/cases",
    response_model=list[CaseOut],
    tags=["alur kerja"],
    summary="Kasus serupa yang sudah selesai, dengan pelajaran dan tindakannya",
)
def cases_api(request: Request, issue_id: int, principal: Who) -> list[CaseOut]:
    """Closed issues most like this one: lessons learned, actions taken, documents written."""
    try:
        with request.app.state.db.session() as s:
            return [_out(c) for c in similar_cases(s, issue_id)]
    except IssueNotFound as exc:
        raise HTTPException(404, str(exc)) from exc
