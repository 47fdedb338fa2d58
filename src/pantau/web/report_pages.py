"""Report pages: choose a day and a format, download the report, subscribe to receive it."""

from __future__ import annotations

import logging
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import select

from pantau.reports.delivery import subscribe
from pantau.reports.documents import default_day
from pantau.reports.kinds import report_kinds
from pantau.reports.render import FORMATS, MEDIA_TYPES, render_report
from pantau.store.reports_models import ReportSubscription
from pantau.web.rendering import render
from pantau.web.security import guard
from pantau.workflow.permissions import Principal
from pantau.writing.letterhead import letterhead_for

__all__ = ["router"]

logger = logging.getLogger(__name__)

router = APIRouter(include_in_schema=False)


@router.get("/reports")
def reports_page(
    request: Request,
    principal: Annotated[Principal, Depends(guard("report.view"))],
    saved: str | None = None,
) -> Response:
    """The report download page, with the user's own subscriptions."""
    tz = request.app.state.settings.timezone
    with request.app.state.db.session() as s:
        day = default_day(s, tz)
        subs = {
            sub.kind: sub
            for sub in s.scalars(
                select(ReportSubscription).where(ReportSubscription.user_id == principal.id)
            )
        }
    return render(
        request,
        "report_index.html",
        {
            "day": day.isoformat(),
            "kinds": list(report_kinds().values()),
            "formats": FORMATS,
            "subs": subs,
            "saved": saved == "1",
        },
    )


@router.get("/reports/{kind}.{fmt}")
def report_download(
    request: Request,
    kind: str,
    fmt: str,
    principal: Annotated[Principal, Depends(guard("report.view"))],
) -> Response:
    """One report as a file: ``/reports/daily.pdf?date=2026-11-20``."""
    settings = request.app.state.settings
    spec = report_kinds().get(kind)
    if spec is None or fmt not in FORMATS:
        return render(
            request,
            "error.html",
            {"status": 404, "message": f"Laporan {kind}.{fmt} tidak ada."},
            status=404,
        )
    raw = request.query_params.get("date")
    try:
        asked = date.fromisoformat(raw) if raw else None
    except ValueError:
        return Response(
            f"date: tanggal {raw!r} tidak sesuai format YYYY-MM-DD",
            422,
            media_type="text/plain; charset=utf-8",
        )
    with request.app.state.db.session() as s:
        day = asked or default_day(s, settings.timezone)
        report = spec.build(s, day, settings.timezone)
        letterhead = letterhead_for(s, principal.agency_id)
    data = render_report(report, fmt, base_url=settings.public_url, letterhead=letterhead)
    disposition = "inline" if fmt == "html" else "attachment"
    return Response(
        data,
        media_type=MEDIA_TYPES[fmt],
        headers={"Content-Disposition": f'{disposition}; filename="{spec.file_name(day, fmt)}"'},
    )


@router.post("/reports/subscriptions")
def report_subscribe(
    request: Request,
    principal: Annotated[Principal, Depends(guard("report.subscribe"))],
    kind: Annotated[str, Form()],
    format: Annotated[str, Form()] = "pdf",
    active: Annotated[str, Form()] = "1",
) -> Response:
    """Subscribe (or unsubscribe) the logged-in user to a report by e-mail."""
    if kind not in report_kinds() or format not in FORMATS:
        return Response("jenis atau format laporan tidak dikenal", 422)
    with request.app.state.db.writer() as s:
        subscribe(s, principal.id, kind, format, active=active == "1", actor=principal.username)
    return RedirectResponse("/reports?saved=1", status_code=303)
