"""HTML pages of the shell: login, issues, language switch.

The overview (``/``) and the issue page live in :mod:`pantau.web.dashboard_pages`, search in
:mod:`pantau.web.search_pages`.
"""

from __future__ import annotations

import math
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import case, func, select

from pantau.i18n import LOCALES
from pantau.store.models import Issue
from pantau.vocabulary import STAGES, STATUSES
from pantau.web.rendering import render
from pantau.web.security import SessionData, guard
from pantau.workflow.permissions import Principal
from pantau.workflow.users import authenticate

__all__ = ["router"]

router = APIRouter(include_in_schema=False)

#: Orders of the issue list (``?sort=``); ties go to the newest issue.
ISSUE_ORDERS: dict[str, tuple[Any, ...]] = {
    "risk": (Issue.risk.desc(), Issue.last_seen.desc()),
    "last_seen": (Issue.last_seen.desc().nulls_last(),),
    "first_seen": (Issue.first_seen.desc().nulls_last(),),
    "size": (Issue.size.desc(),),
    "label": (Issue.label,),
}


def _safe_next(target: str | None) -> str:
    """Only same-site paths: an open redirect after login would help phishing."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/"


@router.get("/login")
def login_form(request: Request, next: str | None = None) -> Response:
    return render(request, "login.html", {"next": _safe_next(next), "error": None})


@router.post("/login")
def login(
    request: Request,
    username: Annotated[str, Form()] = "",
    password: Annotated[str, Form()] = "",
    next: Annotated[str, Form()] = "/",
) -> Response:
    settings = request.app.state.settings
    from pantau.i18n import translations
    from pantau.web.rendering import locale_of

    gettext = translations(locale_of(request)).gettext
    if not username.strip() or not password:
        missing = gettext("User name") if not username.strip() else gettext("Password")
        msg = gettext("{field} must be filled in.").format(field=missing)
        return render(
            request,
            "login.html",
            {"next": _safe_next(next), "error": msg, "username": username},
            status=422,
        )
    address = request.client.host if request.client else ""
    with request.app.state.db.writer() as s:
        result = authenticate(
            s,
            username,
            password,
            address=address,
            max_failures=settings.login_max_failures,
            window_seconds=settings.login_window,
        )
    if result.throttled:
        msg = gettext("Too many failed attempts. Wait a minute before trying again.")
        return render(
            request,
            "login.html",
            {"next": _safe_next(next), "error": msg, "username": username},
            status=429,
        )
    if result.principal is None:
        msg = gettext("Wrong user name or password.")
        return render(
            request,
            "login.html",
            {"next": _safe_next(next), "error": msg, "username": username},
            status=401,
        )
    session: SessionData = request.state.session
    session.uid = result.principal.id
    session.csrf = SessionData().csrf  # new token after login
    return RedirectResponse(_safe_next(next), status_code=303)


@router.post("/logout")
def logout(request: Request) -> Response:
    session: SessionData = request.state.session
    session.uid = None
    session.csrf = SessionData().csrf
    return RedirectResponse("/login", status_code=303)


@router.post("/lang")
def switch_language(
    request: Request, lang: Annotated[str, Form()], next: Annotated[str, Form()] = "/"
) -> Response:
    if lang not in LOCALES:
        raise HTTPException(422, f"bahasa {lang!r} tidak tersedia; pilih: {', '.join(LOCALES)}")
    request.state.session.lang = lang
    return RedirectResponse(_safe_next(next), status_code=303)


@router.get("/issues")
def issues_list(
    request: Request,
    principal: Annotated[Principal, Depends(guard("issue.view"))],
    stage: str | None = None,
    status: str | None = None,
    sort: str = "risk",
    page: int = 1,
) -> Response:
    """Live issues, open before closed, in the chosen order (highest risk first by default)."""
    sort = sort if sort in ISSUE_ORDERS else "risk"
    size = request.app.state.settings.page_size
    page = max(page, 1)
    stmt = select(Issue).where(Issue.listed())
    if stage in STAGES:
        stmt = stmt.where(Issue.stage == stage)
    if status in STATUSES:
        stmt = stmt.where(Issue.status == status)
    with request.app.state.db.session() as s:
        count = s.scalar(select(func.count()).select_from(stmt.subquery())) or 0
        rows = s.scalars(
            stmt.order_by(
                case((Issue.status == "selesai", 1), else_=0), *ISSUE_ORDERS[sort], Issue.id.desc()
            )
            .limit(size)
            .offset((page - 1) * size)
        ).all()
    return render(
        request,
        "issues.html",
        {
            "issues": rows,
            "count": count,
            "page": page,
            "pages": max(1, math.ceil(count / size)),
            "stage": stage,
            "status": status,
            "stages": STAGES,
            "statuses": STATUSES,
            "sort": sort,
            "query": lambda **kw: urlencode(
                {
                    k: v
                    for k, v in {"stage": stage, "status": status, "sort": sort, **kw}.items()
                    if v and not (k == "sort" and v == "risk")
                }
            ),
        },
    )
