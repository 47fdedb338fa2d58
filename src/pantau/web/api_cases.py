"""The case library in the JSON API and as pages: search, one case in full, its one-page brief.

``GET /api/v1/cases`` searches closed issues (words, category, kab/kota, agency, year);
``GET /api/v1/cases/{id}`` gives one in full; ``GET /api/v1/cases/{id}/brief.pdf`` its brief;
``POST /api/v1/cases/{id}/lessons`` adds what became clear after closing.
``/kasus`` is the browse and search page, ``/kasus/{id}`` the brief as a page. The library's
records (plain dataclasses) are the response schemas: FastAPI documents them through pydantic.
"""

from __future__ import annotations

import logging
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, Response

from pantau.reports.case_brief import case_brief_html, case_brief_pdf
from pantau.web.api_workflow import LessonsIn, workflow_errors
from pantau.web.rendering import render
from pantau.web.security import guard
from pantau.workflow.categories import CATEGORIES
from pantau.workflow.lessons import Lessons, add_lessons
from pantau.workflow.library import (
    CaseDetail,
    CaseQuery,
    CaseSummary,
    case_detail,
    search_cases,
)
from pantau.workflow.permissions import Principal
from pantau.workflow.statuses import IssueNotFound

__all__ = ["router"]

logger = logging.getLogger(__name__)

router = APIRouter()
Who = Annotated[Principal, Depends(guard("issue.view"))]


def _query(
    q: str = "",
    category: str | None = None,
    region: str | None = None,
    agency_id: int | None = None,
    year: int | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> CaseQuery:
    known = {c.key for c in CATEGORIES}
    if category and category not in known:
        raise HTTPException(422, f"category {category!r} tidak dikenal; pilih: {sorted(known)}")
    return CaseQuery(q, category or None, region or None, agency_id, year, limit, offset)


Search = Annotated[CaseQuery, Depends(_query)]


def _detail(request: Request, case_id: int) -> CaseDetail:
    try:
        with request.app.state.db.session() as s:
            return case_detail(s, case_id)
    except IssueNotFound as exc:
        raise HTTPException(404, str(exc)) from exc


@router.get("/api/v1/cases", response_model=list[CaseSummary], tags=["kasus"], summary="Cari kasus")
def cases_search(request: Request, query: Search, principal: Who) -> list[CaseSummary]:
    """Closed issues matching the words, category, kab/kota, agency and year; newest first."""
    with request.app.state.db.session() as s:
        return search_cases(s, query)


@router.get(
    "/api/v1/cases/{case_id}", response_model=CaseDetail, tags=["kasus"], summary="Satu kasus"
)
def case_get(request: Request, case_id: int, principal: Who) -> CaseDetail:
    """What happened, what was done, how it ended and what was learned."""
    return _detail(request, case_id)


@router.get("/api/v1/cases/{case_id}/brief.pdf", tags=["kasus"], summary="Ringkasan kasus (PDF)")
def case_brief(request: Request, case_id: int, principal: Who) -> Response:
    """The case as a one-page PDF brief."""
    pdf = case_brief_pdf(_detail(request, case_id), request.app.state.settings.timezone)
    return Response(
        pdf,
        media_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="kasus-{case_id}.pdf"'},
    )


@router.post(
    "/api/v1/cases/{case_id}/lessons",
    response_model=Lessons,
    tags=["kasus"],
    summary="Tambah pelajaran",
)
def case_lessons(request: Request, case_id: int, body: LessonsIn, principal: Who) -> Lessons:
    """Add lessons to a closed case (who may close its issue may); all its lessons back."""
    with request.app.state.db.writer() as s, workflow_errors():
        return add_lessons(s, principal, case_id, body.learned())


@router.get("/kasus", include_in_schema=False)
def library_page(request: Request, query: Search, principal: Who) -> Response:
    """Browse and search the case library."""
    with request.app.state.db.session() as s:
        cases = search_cases(s, query)
    return render(
        request,
        "workflow/library.html",
        {"cases": cases, "params": query, "categories": CATEGORIES},
    )


@router.get("/kasus/{case_id}", include_in_schema=False)
def case_page(request: Request, case_id: int, principal: Who) -> HTMLResponse:
    """The brief as a page (the same text as the PDF)."""
    detail = _detail(request, case_id)
    return HTMLResponse(case_brief_html(detail, request.app.state.settings.timezone))
