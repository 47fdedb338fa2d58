"""The JSON API under /api/v1 (read side of the shell; stages add their own routers)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from pydantic import BaseModel, Field
from sqlalchemy import func, select

from pantau.i18n import translations
from pantau.records import CHANNELS
from pantau.store.models import Issue
from pantau.store.search import (
    NOISE_CHOICES,
    MentionFilter,
    SearchQueryError,
    count_mentions,
    search_mentions,
)
from pantau.store.search_query import parse_query
from pantau.web.search_form import SENTIMENTS
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
    sentiment_tier: str | None = Field(
        None, description="which tier read the sentiment: fast, precise or officer"
    )


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


@router.get(
    "/mentions",
    response_model=MentionPage,
    summary="Cari sebutan (teks penuh dan filter)",
    description=(
        "Sebutan terbaru dahulu. `q`: kata-kata (semua wajib), `OR` untuk alternatif, "
        '`-kata` atau `NOT kata` untuk mengecualikan, `"frasa"`, `awalan*`, tanda kurung, '
        "emoji (😷). Filter lain sama dengan halaman Cari; sebuah tautan halaman Cari memakai "
        "nama yang sama kecuali `issue_id` dan `watchlist_id`."
    ),
)
def list_mentions(
    request: Request,
    principal: Annotated[Principal, Depends(guard("mention.search"))],
    q: Annotated[str, Query(max_length=500, description="Kueri pencarian (lihat di atas).")] = "",
    channel: Annotated[str | None, Query(description="news, social, complaint, official")] = None,
    sentiment: Annotated[str | None, Query(description="positive, neutral, negative")] = None,
    region: Annotated[
        str | None,
        Query(
            pattern=r"^\d{2}(\.\d{2}){1,2}$",
            description="Kode wilayah Kemendagri: kab/kota (64.72) beserta kecamatannya, "
            "atau satu kecamatan (64.72.01).",
        ),
    ] = None,
    issue_id: Annotated[int | None, Query(description="Hanya sebutan isu ini.")] = None,
    author: Annotated[str | None, Query(description="Penulis atau akun, persis.")] = None,
    outlet: Annotated[str | None, Query(description="Nama media, persis.")] = None,
    watchlist_id: Annotated[int | None, Query(description="Cocok dengan kata kunci ini.")] = None,
    lang: Annotated[
        str | None, Query(pattern=r"^[a-z]{2,3}$", description="Kode bahasa, mis. id atau en.")
    ] = None,
    noise: Annotated[
        str | None,
        Query(description="hide: tanpa derau (judi, iklan, loker, sapaan); only: derau saja."),
    ] = None,
    since: Annotated[
        datetime | None, Query(description="Terbit sejak (ISO 8601 dengan zona waktu).")
    ] = None,
    until: Annotated[
        datetime | None, Query(description="Terbit sebelum (ISO 8601 dengan zona waktu).")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
    unmask: Annotated[
        bool, Query(description="Data pribadi tanpa sensor (izin pii.view; tercatat di audit).")
    ] = False,
) -> MentionPage:
    for name, value, allowed in (
        ("channel", channel, CHANNELS),
        ("sentiment", sentiment, SENTIMENTS),
        ("noise", noise, NOISE_CHOICES),
    ):
        if value is not None and value not in allowed:
            raise HTTPException(422, f"{name}: pilih salah satu dari {', '.join(allowed)}")
    for name, when in (("since", since), ("until", until)):
        if when is not None and when.tzinfo is None:
            raise HTTPException(422, f"{name}: sertakan zona waktu, mis. 2024-09-24T00:00:00+08:00")
    if since is not None and until is not None and since >= until:
        raise HTTPException(422, "since: harus sebelum until")
    try:
        parse_query(q)
    except SearchQueryError as exc:
        reason = translations("id").gettext(exc.reason)
        raise HTTPException(422, f"q: kolom {exc.column} ({exc.token!r}): {reason}") from exc
    f = MentionFilter(
        q=q,
        channel=channel,
        sentiment=sentiment,
        region=region,
        issue_id=issue_id,
        author=author,
        outlet=outlet,
        watchlist_id=watchlist_id,
        lang=lang,
        noise=noise,
        since=since,
        until=until,
    )
    db = request.app.state.db
    with db.writer() if unmask else db.session() as s:
        total = count_mentions(s, f)
        hits = search_mentions(s, f, limit=limit, offset=offset)
        if unmask:
            hits = disclose_hits(s, principal, hits, where="api")
    return MentionPage(total=total, items=[MentionOut(**vars(h)) for h in hits])
