"""The admin area: the network's agencies and mandates, users, watchlists and the audit log.

Pages call the same workflow functions as the JSON API (:mod:`pantau.web.api_admin`), so the
permission check, the validation and the audit entry are the API's; a refused form is shown
again with the field named and what was typed kept.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, time, timedelta
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import or_, select
from sqlalchemy.orm import Session
from starlette.datastructures import UploadFile

from pantau.ingest.source_admin import (
    SourceChange,
    create_source,
    rotate_token,
    trial_poll,
    update_source,
)
from pantau.ingest.sources import SourceError
from pantau.records import CHANNELS
from pantau.store.models import ROLES, Agency, AuditEntry, Region, Source, User, Watchlist
from pantau.store.tenancy import NATIONAL_WORD, shown_provinces, tenant_label
from pantau.web.rendering import render
from pantau.web.security import guard
from pantau.workflow.accounts import UserChange, reset_password, update_user
from pantau.workflow.agencies import LEVELS, AgencyData, save_agency, set_agency_logo
from pantau.workflow.permissions import Principal, allowed
from pantau.workflow.statuses import WorkflowError
from pantau.workflow.users import UserError, create_user
from pantau.workflow.watchlists import WatchlistData, preview, save_watchlist
from pantau.writing.letterhead import LOGO_MAX_BYTES

__all__ = ["router"]

router = APIRouter(include_in_schema=False)
AUDIT_PAGE = 100


def _int(value: Any) -> int | None:
    text = str(value or "").strip()
    return int(text) if text.isdigit() else None


def _codes(raw: Any) -> list[str]:
    return [c for c in str(raw or "").replace(",", " ").split() if c]


def _submit(
    request: Request, page: Callable[..., Response], work: Callable[[Session], object], done: str
) -> Response:
    """Run one change in a transaction; on bad input show the page again, field named."""
    try:
        with request.app.state.db.writer() as s:
            work(s)
    except (WorkflowError, UserError) as exc:
        return page(error={"field": exc.field, "message": exc.message}, status=422)
    except LookupError as exc:
        return page(error={"field": "id", "message": str(exc)}, status=404)
    return RedirectResponse(done, status_code=303)


# --- agencies ------------------------------------------------------------------------------
def _province_choices(s: Session, principal: Principal, home: str) -> list[tuple[str, str]]:
    """The provinces the form offers (code, name): those the administrator covers among the
    installation's, and "nasional" for a national administrator; empty: decided automatically."""
    provinces = sorted(shown_provinces(s, home))
    choices = [(code, tenant_label(code)) for code in provinces if principal.covers(code)]
    if principal.covers(None):
        choices.append((NATIONAL_WORD, tenant_label(None)))
    return choices


def _agencies_page(
    request: Request, form: dict[str, Any] | None = None, error: Any = None, status: int = 200
) -> Response:
    principal: Principal = request.state.principal
    with request.app.state.db.session() as s:
        provinces = _province_choices(s, principal, request.app.state.settings.province)
        agencies = s.scalars(select(Agency).order_by(Agency.level, Agency.name)).all()
        names = {a.id: a.short_name or a.name for a in agencies}
        codes = {r.region_code for a in agencies for r in a.regions}
        regions = {
            code: name
            for code, name in s.execute(
                select(Region.code, Region.name).where(Region.code.in_(codes))
            )
        }
        topics: dict[int, list[str]] = {}
        for agency_id, name in s.execute(select(Watchlist.agency_id, Watchlist.name)):
            topics.setdefault(agency_id, []).append(name)
        rows = [
            {
                "agency": a,
                "parent": names.get(a.parent_id) if a.parent_id else None,
                "regions": [(r.region_code, regions.get(r.region_code, "")) for r in a.regions],
                "topics": sorted(topics.get(a.id, [])),
            }
            for a in agencies
        ]
    return render(
        request,
        "admin/agencies.html",
        {
            "rows": rows,
            "levels": LEVELS,
            "names": names,
            "provinces": provinces,
            "form": form or {},
            "error": error,
        },
        status=status,
    )


@router.get("/admin")
def admin_home(
    request: Request, principal: Annotated[Principal, Depends(guard("dashboard.view"))]
) -> Response:
    for path, action in (
        ("/admin/instansi", "agency.manage"),
        ("/admin/kata-kunci", "watchlist.manage"),
        ("/admin/audit", "audit.view"),
    ):
        if allowed(principal, action, agency_id=principal.agency_id):
            return RedirectResponse(path, status_code=303)
    return render(request, "error.html", {"status": 403, "message": "Tidak berhak."}, status=403)


@router.get("/admin/instansi")
def agencies_page(
    request: Request, principal: Annotated[Principal, Depends(guard("agency.manage"))]
) -> Response:
    edit = _int(request.query_params.get("ubah"))
    form: dict[str, Any] = {}
    if edit is not None:
        with request.app.state.db.session() as s:
            agency = s.get(Agency, edit)
            if agency is not None:
                form = {
                    "id": agency.id,
                    "name": agency.name,
                    "short_name": agency.short_name or "",
                    "level": agency.level,
                    "parent_id": agency.parent_id or "",
                    "region_code": agency.region_code or "",
                    "province": agency.province or NATIONAL_WORD,
                    "mandate_regions": " ".join(sorted(r.region_code for r in agency.regions)),
                    "boilerplate": agency.boilerplate or "",
                    "address": agency.letterhead_address or "",
                    "phone": agency.letterhead_phone or "",
                    "web": agency.letterhead_web or "",
                    "has_logo": agency.logo_png is not None,
                }
    return _agencies_page(request, form)


@router.post("/admin/instansi")
async def agencies_submit(
    request: Request, principal: Annotated[Principal, Depends(guard("agency.manage"))]
) -> Response:
    raw_form = await request.form()
    upload = raw_form.get("logo")
    logo = await upload.read(LOGO_MAX_BYTES + 1) if isinstance(upload, UploadFile) else b""
    form = {k: v for k, v in raw_form.items() if not isinstance(v, UploadFile)}
    data = AgencyData(
        name=str(form.get("name", "")),
        level=str(form.get("level", "")),
        short_name=str(form.get("short_name", "")) or None,
        parent_id=_int(form.get("parent_id")),
        region_code=str(form.get("region_code", "")).strip() or None,
        mandate_regions=_codes(form.get("mandate_regions")),
        boilerplate=str(form.get("boilerplate", "")) or None,
        province=str(form.get("province", "")).strip() or None,
        address=str(form.get("address", "")) or None,
        phone=str(form.get("phone", "")) or None,
        web=str(form.get("web", "")) or None,
    )
    target = _int(form.get("id"))

    def save(s: Session) -> None:
        agency = save_agency(s, principal, data, target)
        if logo:
            set_agency_logo(s, principal, agency.id, logo)
        elif form.get("remove_logo"):
            set_agency_logo(s, principal, agency.id, None)

    return _submit(
        request,
        lambda **kw: _agencies_page(request, form, **kw),
        save,
        "/admin/instansi?tersimpan=1",
    )


@router.get("/admin/instansi/{agency_id}/logo.png")
def agency_logo(
    request: Request,
    agency_id: int,
    principal: Annotated[Principal, Depends(guard("dashboard.view"))],
) -> Response:
    """An agency's stored letterhead logo (already cleaned PNG)."""
    with request.app.state.db.session() as s:
        logo = s.scalar(select(Agency.logo_png).where(Agency.id == agency_id))
    if logo is None:
        return Response(status_code=404)
    return Response(logo, media_type="image/png", headers={"Cache-Control": "private, no-cache"})


# --- users ---------------------------------------------------------------------------------
def _users_page(
    request: Request, form: dict[str, Any] | None = None, error: Any = None, status: int = 200
) -> Response:
    with request.app.state.db.session() as s:
        users = s.scalars(select(User).order_by(User.active.desc(), User.username)).all()
        agencies = s.execute(
            select(Agency.id, Agency.short_name, Agency.name).order_by(Agency.name)
        ).all()
    names = {i: short or name for i, short, name in agencies}
    return render(
        request,
        "admin/users.html",
        {
            "users": users,
            "agencies": names,
            "roles": ROLES,
            "form": form or {},
            "error": error,
        },
        status=status,
    )


@router.get("/admin/pengguna")
def users_page(
    request: Request, principal: Annotated[Principal, Depends(guard("user.manage"))]
) -> Response:
    return _users_page(request)


@router.post("/admin/pengguna")
async def users_add(
    request: Request, principal: Annotated[Principal, Depends(guard("user.manage"))]
) -> Response:
    form = dict(await request.form())

    def work(s: Session) -> object:
        return create_user(
            s,
            username=str(form.get("username", "")),
            password=str(form.get("password", "")),
            role=str(form.get("role", "")),
            full_name=str(form.get("full_name", "")),
            email=str(form.get("email", "")) or None,
            agency_id=_int(form.get("agency_id")),
            actor=principal.username,
        )

    shown = {k: v for k, v in form.items() if k != "password"}
    return _submit(
        request,
        lambda **kw: _users_page(request, shown, **kw),
        work,
        "/admin/pengguna?tersimpan=1",
    )


@router.post("/admin/pengguna/{user_id}")
async def users_edit(
    request: Request,
    user_id: int,
    principal: Annotated[Principal, Depends(guard("user.manage"))],
) -> Response:
    form = dict(await request.form())
    op = str(form.get("op", "ubah"))

    def work(s: Session) -> object:
        if op == "sandi":
            return reset_password(s, principal, user_id, str(form.get("password", "")))
        change = UserChange(
            role=str(form.get("role")) if form.get("role") else None,
            agency_id=_int(form.get("agency_id")),
            clear_agency=str(form.get("agency_id", "x")) == "",
            active={"nonaktifkan": False, "aktifkan": True}.get(op),
        )
        return update_user(s, principal, user_id, change)

    return _submit(
        request,
        lambda **kw: _users_page(request, **kw),
        work,
        "/admin/pengguna?tersimpan=1",
    )


# --- watchlists ----------------------------------------------------------------------------
def _watch_page(
    request: Request,
    principal: Principal,
    form: dict[str, Any] | None = None,
    error: Any = None,
    status: int = 200,
) -> Response:
    with request.app.state.db.session() as s:
        agencies = s.execute(
            select(Agency.id, Agency.short_name, Agency.name).order_by(Agency.name)
        ).all()
        names = {i: short or name for i, short, name in agencies}
        mine = {
            i: n for i, n in names.items() if allowed(principal, "watchlist.manage", agency_id=i)
        }
        rows = s.scalars(select(Watchlist).order_by(Watchlist.agency_id, Watchlist.name)).all()
    return render(
        request,
        "admin/watchlists.html",
        {
            "rows": rows,
            "agencies": names,
            "mine": mine,
            "form": form or {},
            "error": error,
        },
        status=status,
    )


@router.get("/admin/kata-kunci")
def watchlists_page(
    request: Request, principal: Annotated[Principal, Depends(guard("watchlist.manage"))]
) -> Response:
    edit = _int(request.query_params.get("ubah"))
    form: dict[str, Any] = {}
    if edit is not None:
        with request.app.state.db.session() as s:
            w = s.get(Watchlist, edit)
            if w is not None:
                form = {
                    "id": w.id,
                    "agency_id": w.agency_id,
                    "name": w.name,
                    "query": w.query,
                    "active": w.active,
                }
    return _watch_page(request, principal, form)


@router.post("/admin/kata-kunci")
async def watchlists_submit(
    request: Request, principal: Annotated[Principal, Depends(guard("watchlist.manage"))]
) -> Response:
    form = dict(await request.form())
    data = WatchlistData(
        agency_id=_int(form.get("agency_id")) or 0,
        name=str(form.get("name", "")),
        query=str(form.get("query", "")),
        active=str(form.get("active", "")) == "1",
    )
    return _submit(
        request,
        lambda **kw: _watch_page(request, principal, form, **kw),
        lambda s: save_watchlist(s, principal, data, _int(form.get("id"))),
        "/admin/kata-kunci?tersimpan=1",
    )


@router.post("/admin/kata-kunci/pratinjau")
async def watchlist_preview(
    request: Request, principal: Annotated[Principal, Depends(guard("watchlist.manage"))]
) -> Response:
    """The live preview (htmx): what the query would have caught in the last 7 days."""
    form = await request.form()
    try:
        with request.app.state.db.session() as s:
            result = preview(s, str(form.get("query", "")))
    except WorkflowError as exc:
        return render(request, "admin/preview.html", {"error": exc.message})
    return render(request, "admin/preview.html", {"p": result, "error": None})


# --- audit log -----------------------------------------------------------------------------
@router.get("/admin/audit")
def audit_page(
    request: Request, principal: Annotated[Principal, Depends(guard("audit.view"))]
) -> Response:
    """Who did what, when, before and after: searchable by actor, action, object and day."""
    q = request.query_params
    tz = ZoneInfo(request.app.state.settings.timezone)
    stmt = select(AuditEntry).order_by(AuditEntry.id.desc())
    words = (q.get("q") or "").strip()
    if words:
        like = f"%{words}%"
        stmt = stmt.where(
            or_(
                AuditEntry.actor.ilike(like),
                AuditEntry.action.ilike(like),
                AuditEntry.object_type.ilike(like),
            )
        )
    obj = (q.get("objek") or "").strip()
    if obj:
        kind, _, ident = obj.partition("#")
        stmt = stmt.where(AuditEntry.object_type == kind)
        if ident:
            stmt = stmt.where(AuditEntry.object_id == ident)
    error = None
    for key, op in (("dari", "ge"), ("sampai", "lt")):
        raw = (q.get(key) or "").strip()
        if not raw:
            continue
        try:
            day = datetime.fromisoformat(raw).date()
        except ValueError:
            error = f"{key}: tanggal {raw!r} tidak sesuai format YYYY-MM-DD"
            continue
        edge = datetime.combine(day, time(0), tz) + (
            timedelta(days=1) if op == "lt" else timedelta()
        )
        stmt = stmt.where(AuditEntry.at >= edge if op == "ge" else AuditEntry.at < edge)
    page = max(1, _int(q.get("page")) or 1)
    with request.app.state.db.session() as s:
        entries = s.scalars(stmt.offset((page - 1) * AUDIT_PAGE).limit(AUDIT_PAGE + 1)).all()
    return render(
        request,
        "admin/audit.html",
        {
            "entries": entries[:AUDIT_PAGE],
            "more": len(entries) > AUDIT_PAGE,
            "page": page,
            "q": words,
            "objek": obj,
            "dari": q.get("dari") or "",
            "sampai": q.get("sampai") or "",
            "error": error,
        },
        status=422 if error else 200,
    )


# --- sources -------------------------------------------------------------------------------
def _sources_page(
    request: Request,
    form: dict[str, Any] | None = None,
    error: Any = None,
    status: int = 200,
    token: str | None = None,
    trial: Any = None,
) -> Response:
    with request.app.state.db.session() as s:
        sources = s.scalars(select(Source).order_by(Source.name)).all()
    return render(
        request,
        "admin/sources.html",
        {
            "sources": sources,
            "channels": CHANNELS,
            "kinds": ("rss", "sitemap", "push"),
            "form": form or {},
            "error": error,
            "token": token,
            "trial": trial,
        },
        status=status,
    )


@router.get("/admin/sumber")
def sources_admin_page(
    request: Request, principal: Annotated[Principal, Depends(guard("source.manage"))]
) -> Response:
    return _sources_page(request)


@router.post("/admin/sumber")
async def sources_add(
    request: Request, principal: Annotated[Principal, Depends(guard("source.manage"))]
) -> Response:
    form = dict(await request.form())
    try:
        with request.app.state.db.writer() as s:
            _, token = create_source(
                s,
                principal,
                name=str(form.get("name", "")).strip(),
                kind=str(form.get("kind", "")),
                url=str(form.get("url", "")).strip() or None,
                channel=str(form.get("channel", "")) or None,
                outlet=str(form.get("outlet", "")).strip() or None,
                interval=_int(form.get("interval")) or 900,
            )
    except SourceError as exc:
        return _sources_page(request, form, {"field": "source", "message": str(exc)}, 422)
    if token:  # shown once, on this page, never again
        return _sources_page(request, token=token)
    return RedirectResponse("/admin/sumber?tersimpan=1", status_code=303)


@router.post("/admin/sumber/{source_id}/{op}")
def sources_op(
    request: Request,
    source_id: int,
    op: str,
    principal: Annotated[Principal, Depends(guard("source.manage"))],
) -> Response:
    """Pause, resume, rotate the push token or try the source once."""
    actor, actor_id = principal.username, principal.id
    try:
        if op == "coba":
            with request.app.state.db.session() as s:
                src = s.get(Source, source_id)
                if src is None:
                    raise LookupError(f"sumber #{source_id} tidak ada")
                s.expunge(src)
            return _sources_page(
                request, trial=(src.name, trial_poll(src, request.app.state.settings))
            )
        with request.app.state.db.writer() as s:
            if op == "token":
                token = rotate_token(s, source_id, actor=actor, actor_id=actor_id)
                return _sources_page(request, token=token)
            if op not in ("jeda", "lanjut"):
                raise LookupError(f"aksi {op!r} tidak dikenal")
            change = SourceChange(enabled=op == "lanjut")
            update_source(s, source_id, change, actor=actor, actor_id=actor_id)
    except SourceError as exc:
        return _sources_page(request, error={"field": "source", "message": str(exc)}, status=422)
    except LookupError as exc:
        return _sources_page(request, error={"field": "id", "message": str(exc)}, status=404)
    return RedirectResponse("/admin/sumber?tersimpan=1", status_code=303)
