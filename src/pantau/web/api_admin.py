"""The JSON API of network administration: agencies and their mandates, users, watchlists.

Every endpoint goes through :func:`pantau.web.security.guard` and the workflow functions, which
check the one permission table; every change is audited there. Refusals are 403, unknown objects
404, bad input 422 naming the field.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Request
from pydantic import BaseModel, Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from pantau.ingest.source_admin import (
    SourceChange,
    create_source,
    rotate_token,
    source_view,
    trial_poll,
    update_source,
)
from pantau.ingest.sources import SourceError
from pantau.store.models import Agency, Source, User, Watchlist
from pantau.web.api_workflow import workflow_errors
from pantau.web.security import guard
from pantau.workflow.accounts import UserChange, reset_password, update_user, user_view
from pantau.workflow.agencies import LEVELS, AgencyData, agency_view, save_agency
from pantau.workflow.permissions import Principal, allowed
from pantau.workflow.users import UserError, create_user
from pantau.workflow.watchlists import WatchlistData, preview, save_watchlist, watchlist_view

__all__ = ["router"]

router = APIRouter(prefix="/api/v1", tags=["administrasi jaringan"])
Admin = Annotated[Principal, Depends(guard("agency.manage"))]
UserAdmin = Annotated[Principal, Depends(guard("user.manage"))]
Viewer = Annotated[Principal, Depends(guard("dashboard.view"))]
Watcher = Annotated[Principal, Depends(guard("watchlist.manage"))]


@contextmanager
def admin_errors() -> Iterator[None]:
    """Bad input 422 naming the field, unknown objects 404 (permissions: the app's handler)."""
    try:
        with workflow_errors():
            yield
    except UserError as exc:
        raise HTTPException(422, {"field": exc.field, "message": exc.message}) from exc
    except LookupError as exc:
        raise HTTPException(404, str(exc)) from exc


# --- agencies ------------------------------------------------------------------------------
class AgencyIn(BaseModel):
    name: str = Field(min_length=1, max_length=200, examples=["Dinas PUPR Provinsi Kaltim"])
    short_name: str | None = Field(None, max_length=60, examples=["PUPR Kaltim"])
    level: str = Field(description=f"one of: {', '.join(LEVELS)}", examples=["opd"])
    parent_id: int | None = None
    region_code: str | None = Field(None, max_length=16, examples=["64"])
    mandate_regions: list[str] = Field(
        default_factory=list, description="Kemendagri codes the mandate covers", examples=[["64"]]
    )
    boilerplate: str | None = Field(None, max_length=5_000)
    province: str | None = Field(
        None,
        description="Kemendagri province code it serves, or 'nasional'; by default its "
        "region's, its parent's, the administrator's or the installation's (unchanged on edit)",
        examples=["64"],
    )
    address: str | None = Field(None, max_length=300, description="letterhead address")
    phone: str | None = Field(None, max_length=60, description="letterhead phone")
    web: str | None = Field(None, max_length=200, description="letterhead web address")


class AgencyOut(BaseModel):
    id: int
    name: str
    short_name: str | None
    level: str
    parent_id: int | None
    region_code: str | None
    province: str = Field(description="the province it serves, or 'nasional'")
    mandate_regions: list[str]
    watchlists: list[str]
    boilerplate: str | None
    address: str | None = None
    phone: str | None = None
    web: str | None = None


def _agency_out(session: Session, agency: Agency) -> AgencyOut:
    names = session.scalars(
        select(Watchlist.name).where(Watchlist.agency_id == agency.id).order_by(Watchlist.name)
    )
    return AgencyOut(**agency_view(agency), watchlists=list(names))


@router.get("/agencies", response_model=list[AgencyOut], summary="Daftar instansi dan mandatnya")
def list_agencies(request: Request, principal: Viewer) -> list[AgencyOut]:
    with request.app.state.db.session() as s:
        return [_agency_out(s, a) for a in s.scalars(select(Agency).order_by(Agency.name))]


@router.post("/agencies", response_model=AgencyOut, status_code=201, summary="Tambah instansi")
def create_agency(request: Request, body: AgencyIn, principal: Admin) -> AgencyOut:
    with admin_errors(), request.app.state.db.writer() as s:
        return _agency_out(s, save_agency(s, principal, AgencyData(**body.model_dump())))


@router.put("/agencies/{agency_id}", response_model=AgencyOut, summary="Ubah instansi")
def edit_agency(request: Request, agency_id: int, body: AgencyIn, principal: Admin) -> AgencyOut:
    with admin_errors(), request.app.state.db.writer() as s:
        return _agency_out(s, save_agency(s, principal, AgencyData(**body.model_dump()), agency_id))


# --- users ---------------------------------------------------------------------------------
class UserIn(BaseModel):
    username: str = Field(min_length=3, max_length=64, examples=["sari.pupr"])
    password: str = Field(min_length=1, max_length=200)
    role: str = Field(examples=["analis"])
    full_name: str = Field("", max_length=200)
    email: str | None = Field(None, max_length=200)
    agency_id: int | None = None


class UserPatch(BaseModel):
    full_name: str | None = Field(None, max_length=200)
    email: str | None = Field(None, max_length=200)
    role: str | None = None
    agency_id: int | None = None
    clear_agency: bool = False
    active: bool | None = Field(None, description="false deactivates: their sessions end at once")


class PasswordIn(BaseModel):
    password: str = Field(min_length=1, max_length=200)


class UserOut(BaseModel):
    id: int
    username: str
    full_name: str
    email: str | None
    role: str
    agency_id: int | None
    active: bool
    last_login_at: datetime | None


@router.get("/users", response_model=list[UserOut], summary="Daftar pengguna")
def list_users(request: Request, principal: UserAdmin) -> list[UserOut]:
    with request.app.state.db.session() as s:
        return [UserOut(**user_view(u)) for u in s.scalars(select(User).order_by(User.username))]


@router.post("/users", response_model=UserOut, status_code=201, summary="Tambah pengguna")
def add_user(request: Request, body: UserIn, principal: UserAdmin) -> UserOut:
    with admin_errors(), request.app.state.db.writer() as s:
        user = create_user(s, **body.model_dump(), actor=principal.username)
        return UserOut(**user_view(user))


@router.patch("/users/{user_id}", response_model=UserOut, summary="Ubah atau nonaktifkan pengguna")
def edit_user(request: Request, user_id: int, body: UserPatch, principal: UserAdmin) -> UserOut:
    with admin_errors(), request.app.state.db.writer() as s:
        user = update_user(s, principal, user_id, UserChange(**body.model_dump()))
        return UserOut(**user_view(user))


@router.post("/users/{user_id}/password", response_model=UserOut, summary="Atur ulang kata sandi")
def set_password(request: Request, user_id: int, body: PasswordIn, principal: UserAdmin) -> UserOut:
    with admin_errors(), request.app.state.db.writer() as s:
        return UserOut(**user_view(reset_password(s, principal, user_id, body.password)))


# --- watchlists ----------------------------------------------------------------------------
class WatchlistIn(BaseModel):
    agency_id: int
    name: str = Field(min_length=1, max_length=120, examples=["air bersih"])
    query: str = Field(
        min_length=1,
        max_length=2_000,
        description='AND, OR, NOT, "frasa", (kurung), NEAR/n, awalan*',
        examples=['pdam OR (air AND (keruh OR mati OR "tidak mengalir"))'],
    )
    active: bool = True


class WatchlistOut(BaseModel):
    id: int
    agency_id: int
    name: str
    query: str
    active: bool


class PreviewIn(BaseModel):
    query: str = Field(min_length=1, max_length=2_000)


class PreviewHit(BaseModel):
    mention_id: int
    text: str
    published_at: datetime | None
    terms: list[str]


class PreviewOut(BaseModel):
    matched: int
    scanned: int
    capped: bool
    samples: list[PreviewHit]


@router.get("/watchlists", response_model=list[WatchlistOut], summary="Daftar kata kunci")
def list_watchlists(request: Request, principal: Viewer) -> list[WatchlistOut]:
    with request.app.state.db.session() as s:
        rows = s.scalars(select(Watchlist).order_by(Watchlist.agency_id, Watchlist.name))
        return [WatchlistOut(**watchlist_view(w)) for w in rows]


@router.post(
    "/watchlists", response_model=WatchlistOut, status_code=201, summary="Tambah kata kunci"
)
def add_watchlist(request: Request, body: WatchlistIn, principal: Watcher) -> WatchlistOut:
    with admin_errors(), request.app.state.db.writer() as s:
        return WatchlistOut(
            **watchlist_view(save_watchlist(s, principal, WatchlistData(**body.model_dump())))
        )


@router.put("/watchlists/{watchlist_id}", response_model=WatchlistOut, summary="Ubah kata kunci")
def edit_watchlist(
    request: Request, watchlist_id: int, body: WatchlistIn, principal: Watcher
) -> WatchlistOut:
    with admin_errors(), request.app.state.db.writer() as s:
        w = save_watchlist(s, principal, WatchlistData(**body.model_dump()), watchlist_id)
        return WatchlistOut(**watchlist_view(w))


@router.post("/watchlists/preview", response_model=PreviewOut, summary="Pratinjau 7 hari terakhir")
def preview_watchlist(request: Request, body: PreviewIn, principal: Watcher) -> PreviewOut:
    with admin_errors(), request.app.state.db.session() as s:
        p = preview(s, body.query)
    hits = [
        PreviewHit(mention_id=i, text=t, published_at=at, terms=terms)
        for i, t, at, terms in p.samples
    ]
    return PreviewOut(matched=p.matched, scanned=p.scanned, capped=p.capped, samples=hits)


def may_manage_network(principal: Principal) -> bool:
    """Whether the admin area's network pages are for this principal (nav links)."""
    return allowed(principal, "agency.manage") or allowed(principal, "user.manage")


# --- sources -------------------------------------------------------------------------------
SourceAdmin = Annotated[Principal, Depends(guard("source.manage"))]


class SourceIn(BaseModel):
    name: str = Field(min_length=1, max_length=120, examples=["Kaltim Post"])
    kind: str = Field(description="a connector (rss, sitemap, ...) or push", examples=["rss"])
    url: str | None = Field(None, max_length=2_000)
    channel: str | None = Field(None, description="news, social, complaint or official")
    outlet: str | None = Field(None, max_length=200)
    tier: str | None = Field(None, description="national or local")
    interval: int = Field(900, ge=60, description="seconds between polls")
    province: str | None = Field(
        None,
        description="Kemendagri province code whose posts it brings, or 'nasional' (each post "
        "then goes to the province it names); by default the administrator's or the "
        "installation's",
        examples=["64"],
    )


class SourcePatch(BaseModel):
    url: str | None = Field(None, max_length=2_000)
    channel: str | None = None
    outlet: str | None = Field(None, max_length=200)
    tier: str | None = None
    interval: int | None = Field(None, ge=60)
    enabled: bool | None = Field(None, description="false pauses polling and the push token")


class SourceOut(BaseModel):
    id: int
    name: str
    kind: str
    url: str | None
    channel: str
    outlet: str | None
    tier: str | None
    interval: int
    enabled: bool
    health: str | None
    has_token: bool
    province: str = Field(description="the province whose posts it brings, or 'nasional'")
    token: str | None = Field(None, description="a new push token, shown this once only")


class TrialItem(BaseModel):
    title: str | None
    url: str | None
    published_at: datetime | None
    chars: int


class TrialOut(BaseModel):
    items: list[TrialItem]
    quarantined: int
    error: str | None


@contextmanager
def source_errors() -> Iterator[None]:
    try:
        with admin_errors():
            yield
    except SourceError as exc:
        raise HTTPException(422, {"field": "source", "message": str(exc)}) from exc


@router.get("/sources", response_model=list[SourceOut], summary="Daftar sumber")
def list_sources(request: Request, principal: SourceAdmin) -> list[SourceOut]:

    with request.app.state.db.session() as s:
        return [
            SourceOut(**source_view(x)) for x in s.scalars(select(Source).order_by(Source.name))
        ]


@router.post("/sources", response_model=SourceOut, status_code=201, summary="Tambah sumber")
def add_source(request: Request, body: SourceIn, principal: SourceAdmin) -> SourceOut:

    with source_errors(), request.app.state.db.writer() as s:
        src, token = create_source(s, principal, **body.model_dump())
        return SourceOut(**source_view(src), token=token)


@router.put("/sources/{source_id}", response_model=SourceOut, summary="Ubah atau jeda sumber")
def edit_source(
    request: Request, source_id: int, body: SourcePatch, principal: SourceAdmin
) -> SourceOut:

    with source_errors(), request.app.state.db.writer() as s:
        src = update_source(
            s,
            source_id,
            SourceChange(**body.model_dump()),
            actor=principal.username,
            actor_id=principal.id,
        )
        return SourceOut(**source_view(src))


@router.post("/sources/{source_id}/token", response_model=SourceOut, summary="Ganti token push")
def new_token(request: Request, source_id: int, principal: SourceAdmin) -> SourceOut:

    with source_errors(), request.app.state.db.writer() as s:
        token = rotate_token(s, source_id, actor=principal.username, actor_id=principal.id)
        src = s.get(Source, source_id)
        return SourceOut(**source_view(src), token=token)


@router.post("/sources/{source_id}/test", response_model=TrialOut, summary="Coba ambil sumber")
def test_source(request: Request, source_id: int, principal: SourceAdmin) -> TrialOut:

    with source_errors(), request.app.state.db.session() as s:
        src = s.get(Source, source_id)
        if src is None:
            raise LookupError(f"sumber #{source_id} tidak ada")
        s.expunge(src)
    with source_errors():
        result = trial_poll(src, request.app.state.settings)
    items = [
        TrialItem(title=m.title, url=m.url, published_at=m.published_at, chars=len(m.text))
        for m in result.mentions
    ]
    return TrialOut(items=items, quarantined=len(result.quarantine), error=result.error)
