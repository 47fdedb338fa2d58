"""The performance ledger (kinerja kehumasan) as a page, in the JSON API and as CSV.

``GET /api/v1/ledger?since=YYYY-MM-DD&until=YYYY-MM-DD`` (local days, the last
:data:`DEFAULT_DAYS` by default), ``GET /api/v1/ledger.csv`` and the page ``/kinerja``.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Annotated
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import Response

from pantau.reports.response_times import ledger_csv, response_rows
from pantau.store.types import utcnow
from pantau.web.rendering import render
from pantau.web.security import guard
from pantau.workflow.ledger import LedgerRow
from pantau.workflow.permissions import Principal

__all__ = ["router"]

logger = logging.getLogger(__name__)

router = APIRouter()
Who = Annotated[Principal, Depends(guard("report.view"))]
#: The period shown when none is asked for: a month is enough issues for a median to mean
#: something in a province, and recent enough to act on.
DEFAULT_DAYS = 30


@dataclass(frozen=True)
class Period:
    """Local days ``since`` to ``until`` inclusive, and their UTC bounds."""

    since: date
    until: date
    start: datetime
    end: datetime


def _period(request: Request, since: str | None = None, until: str | None = None) -> Period:
    tz = ZoneInfo(request.app.state.settings.timezone)
    try:
        last = date.fromisoformat(until) if until else utcnow().astimezone(tz).date()
        first = date.fromisoformat(since) if since else last - timedelta(days=DEFAULT_DAYS - 1)
    except ValueError as exc:
        raise HTTPException(422, f"tanggal tidak valid ({exc}); pakai YYYY-MM-DD") from exc
    if first > last:
        raise HTTPException(422, "since harus sebelum atau sama dengan until")
    start = datetime.combine(first, time(0), tzinfo=tz)
    end = datetime.combine(last + timedelta(days=1), time(0), tzinfo=tz)
    return Period(first, last, start, end)


Span = Annotated[Period, Depends(_period)]


def _rows(request: Request, period: Period) -> list[LedgerRow]:
    with request.app.state.db.session() as s:
        return response_rows(s, period.start, period.end)


@router.get(
    "/api/v1/ledger",
    response_model=list[LedgerRow],
    tags=["kinerja"],
    summary="Waktu tanggap per instansi dan petugas",
)
def ledger_api(request: Request, period: Span, principal: Who) -> list[LedgerRow]:
    """Median hours from alert to claim, first statement and closure; statements per issue;
    share closed with lessons; outlets that picked up the releases and median hours to the
    first pick-up. Per agency, then per officer."""
    return _rows(request, period)


@router.get("/api/v1/ledger.csv", tags=["kinerja"], summary="Ekspor waktu tanggap (CSV)")
def ledger_export(request: Request, period: Span, principal: Who) -> Response:
    """The ledger as CSV, for an officer's functional-post credit records."""
    name = f"kinerja-{period.since.isoformat()}-{period.until.isoformat()}.csv"
    return Response(
        ledger_csv(_rows(request, period)),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@router.get("/kinerja", include_in_schema=False)
def ledger_page(request: Request, period: Span, principal: Who) -> Response:
    """The ledger page."""
    return render(request, "workflow/ledger.html", {"rows": _rows(request, period), "p": period})
