"""The JSON API under /api/v1 (read side of the shell; stages add their own routers)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from pydantic import BaseModel
from sqlalchemy import func, select

from pantau.records import CHANNELS
from pantau.store.models import Issue
from pantau.store.search import MentionFilter, count_mentions, search_mentions
from pantau.web.security import guard
from pantau.workflow.disclosure import disclose_hits
from pantau.workflow.permissions import Principal

__all__ = ["IssueOut", "MentionOut", "router"]

router = APIRouter(prefix="/api/v1", tags=["pantau"])
MAX_LIMIT = 500


class Me(BaseModel):
    id: int
    username: str
    full_name: str
    role: str
    agency_id: int | None


class IssueOut(BaseModel):
    id: int
    label: str
    stage: str
    status: str
    risk: float
    risk_components: dict[str, Any]
    size: int
    key_phrases: list[Any]
    regions: list[Any]
    channels: dict[str, Any]
    first_seen: datetime | None
    last_seen: datetime | None
    first_social_at: datetime | None
    first_news_at: datetime | None
    crossover: bool
    lead_time_seconds: float | None
    sentiment_mix: dict[str, Any]
    agency_id: int | None

    @classmethod
    def of(cls, issue: Issue) -> IssueOut:
        return cls.model_validate(issue, from_attributes=True)


class IssuePage(BaseModel):
    total: int
    items: list[IssueOut]


class MentionOut(BaseModel):
    id: int
    title: str | None
    snippet: str
    channel: str
    published_at: datetime | None
    author: str | None
    outlet: str | None
    url: str | None
    sentiment: str | None
    issue_id: int | None
    source: str


class MentionPage(BaseModel):
    total: int
    items: list[MentionOut]


@router.get("/me", response_model=Me, summary="Pengguna yang sedang masuk")
def me(principal: Annotated[Principal, Depends(guard("dashboard.view"))]) -> Me:
    return Me(
        id=principal.id,
        username=principal.username,
        full_name=principal.full_name,
        role=principal.role,
        agency_id=principal.agency_id,
    )


@router.get("/issues", response_model=IssuePage, summary="Daftar isu, risiko tertinggi dahulu")
def list_issues(
    request: Request,
    principal: Annotated[Principal, Depends(guard("issue.view"))],
    stage: str | None = None,
    status: str | None = None,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> IssuePage:
    stmt = select(Issue).where(Issue.listed())
    if stage:
        stmt = stmt.where(Issue.stage == stage)
    if status:
        stmt = stmt.where(Issue.status == status)
    with request.app.state.db.session() as s:
        total = s.scalar(select(func.count()).select_from(stmt.subquery())) or 0
        rows = s.scalars(stmt.order_by(Issue.risk.desc(), Issue.id).limit(limit).offset(offset))
        items = [IssueOut.of(i) for i in rows]
    return IssuePage(total=total, items=items)


@router.get("/issues/{issue_id}", response_model=IssueOut, summary="Satu isu")
def get_issue(
    request: Request,
    issue_id: int,
    principal: Annotated[Principal, Depends(guard("issue.view"))],
) -> IssueOut:
    with request.app.state.db.session() as s:
        issue = s.get(Issue, issue_id)
        if issue is None:
            raise HTTPException(404, f"isu #{issue_id} tidak ditemukan")
        return IssueOut.of(issue)


@router.get("/mentions", response_model=MentionPage, summary="Cari sebutan (teks penuh)")
def list_mentions(
    request: Request,
    principal: Annotated[Principal, Depends(guard("mention.search"))],
    q: Annotated[str, Query(max_length=500)] = "",
    channel: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    issue_id: int | None = None,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
    unmask: Annotated[
        bool, Query(description="Data pribadi tanpa sensor (izin pii.view; tercatat di audit).")
    ] = False,
) -> MentionPage:
    if channel is not None and channel not in CHANNELS:
        raise HTTPException(422, f"channel: pilih salah satu dari {', '.join(CHANNELS)}")
    for name, value in (("since", since), ("until", until)):
        if value is not None and value.tzinfo is None:
            raise HTTPException(422, f"{name}: sertakan zona waktu, mis. 2024-09-24T00:00:00+08:00")
    f = MentionFilter(q=q, channel=channel, since=since, until=until, issue_id=issue_id)
    db = request.app.state.db
    with db.writer() if unmask else db.session() as s:
        total = count_mentions(s, f)
        hits = search_mentions(s, f, limit=limit, offset=offset)
        if unmask:
            hits = disclose_hits(s, principal, hits, where="api")
    return MentionPage(total=total, items=[MentionOut(**vars(h)) for h in hits])
