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
from starlette.concurrency import run_in_threadpool

from pantau.i18n import LOCALES
from pantau.store.db import Database
from pantau.store.models import Issue
from pantau.vocabulary import STAGES, STATUSES
from pantau.web.devices import known_device, remember_device
from pantau.web.rendering import render
from pantau.web.security import SessionData, guard
from pantau.workflow.logins import LoginAttempt, LoginPolicy, authenticate
from pantau.workflow.permissions import Principal
from pantau.workflow.sessions import end_session, start_session

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
#: Seconds a login refused as busy (all password checks taken) is told to wait.
BUSY_RETRY_SECONDS = 5


def _safe_next(target: str | None) -> str:
    """Only same-site paths: an open redirect after login would help phishing."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/"


@router.get("/login")
def login_form(request: Request, next: str | None = None) -> Response:
    return render(request, "login.html", {"next": _safe_next(next), "error": None})


@router.post("/login")
async def login(
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
    db = request.app.state.db
    attempt = LoginAttempt(username, password, address, known_device(request, username))
    result = await authenticate(
        db, attempt, LoginPolicy.from_settings(settings), request.app.state.password_gate
    )
    context = {"next": _safe_next(next), "username": username}
    if result.throttled or result.busy:
        minutes = max(1, round(result.retry_after / 60))
        if result.busy:
            msg = gettext("The server is busy checking logins. Try again in a few seconds.")
        elif minutes <= 1:
            msg = gettext("Too many failed attempts. Wait a minute before trying again.")
        else:
            msg = gettext("Too many failed attempts. Wait {minutes} minutes before trying again.")
            msg = msg.format(minutes=minutes)
        response = render(request, "login.html", {**context, "error": msg}, status=429)
        if result.busy:
            response.status_code = 503
        response.headers["Retry-After"] = str(result.retry_after or BUSY_RETRY_SECONDS)
        return response
    if result.principal is None:
        msg = gettext("Wrong user name or password.")
        return render(request, "login.html", {**context, "error": msg}, status=401)
    session: SessionData = request.state.session
    session.sid = await run_in_threadpool(
        _start, db, session.sid, result.principal.id, settings.session_max_age, request, address
    )
    session.csrf = SessionData().csrf  # new token after login
    redirect = RedirectResponse(_safe_next(next), status_code=303)
    remember_device(request, redirect, result.principal.username)
    return redirect


def _start(
    db: Database, old_sid: str | None, user_id: int, max_age: int, request: Request, address: str
) -> str:
    """End the browser's previous session (no fixation) and record the new one."""
    with db.writer() as s:
        end_session(s, old_sid, reason="relogin")
        return start_session(
            s,
            user_id,
            max_age=max_age,
            address=address,
            user_agent=request.headers.get("user-agent", ""),
        )


@router.post("/logout")
def logout(request: Request) -> Response:
    session: SessionData = request.state.session
    with request.app.state.db.writer() as s:
        end_session(s, session.sid)
    session.sid = None
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
