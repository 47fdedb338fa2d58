"""Dashboard pages: the overview (with its live partial), the issue page and search exports.

Filters live in the URL (see :class:`pantau.reports.filters.DashFilter`), so a view can be
bookmarked or sent to a colleague. Charts are drawn by ``static/charts.js`` from JSON that the
page carries in ``<script type="application/json">`` blocks (the CSP forbids inline scripts).
"""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response, StreamingResponse
from sqlalchemy import select

from pantau.records import CHANNELS
from pantau.reports.export import FORMATS as EXPORT_FORMATS
from pantau.reports.export import export_lines
from pantau.reports.filters import RANGES, DashFilter
from pantau.reports.issue_view import issue_detail
from pantau.reports.overview import Overview, overview
from pantau.store.audit import record
from pantau.store.models import Agency, Issue, Region, Watchlist
from pantau.store.search import MentionFilter, search_mentions
from pantau.web.forms import parse_day
from pantau.web.rendering import render
from pantau.web.security import guard
from pantau.workflow.permissions import Principal

__all__ = ["router", "sparkline"]

logger = logging.getLogger(__name__)

router = APIRouter(include_in_schema=False)

#: Seconds between refreshes of the overview's live part (htmx polling); a minute keeps the
#: morning screen current without loading the store more than a person reading it.
REFRESH_SECONDS = 60
SPARK_WIDTH, SPARK_HEIGHT = 96, 24
FAVICON = (
    b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32">'
    b'<rect width="32" height="32" rx="6" fill="#102a43"/>'
    b'<circle cx="16" cy="16" r="8" fill="none" stroke="#f5b301" stroke-width="3"/>'
    b'<circle cx="16" cy="16" r="3" fill="#f5b301"/></svg>'
)


def sparkline(values: list[int], width: int = SPARK_WIDTH, height: int = SPARK_HEIGHT) -> str:
    """Points of an SVG polyline for ``values`` (drawn server-side: no script needed).

    >>> sparkline([0, 2, 1], width=10, height=4)
    '0.0,4.0 5.0,0.0 10.0,2.0'
    """
    if not values:
        return ""
    top = max(values) or 1
    step = width / max(1, len(values) - 1)
    return " ".join(f"{i * step:.1f},{height - v * height / top:.1f}" for i, v in enumerate(values))


def _choices(request: Request) -> dict[str, Any]:
    """Agencies, kab/kota and watchlists for the filter form."""
    province = request.app.state.settings.province
    with request.app.state.db.session() as s:
        agencies = s.execute(
            select(Agency.id, Agency.short_name, Agency.name).order_by(Agency.name)
        ).all()
        regions = s.execute(
            select(Region.code, Region.name)
            .where(Region.parent_code == province, Region.level == 2)
            .order_by(Region.name)
        ).all()
        watchlists = s.execute(
            select(Watchlist.id, Watchlist.name)
            .where(Watchlist.active.is_(True))
            .order_by(Watchlist.name)
        ).all()
    return {
        "agencies": [(a.id, a.short_name or a.name) for a in agencies],
        "regions": [(r.code, r.name) for r in regions],
        "watchlists": [(w.id, w.name) for w in watchlists],
        "ranges": list(RANGES),
        "channels": CHANNELS,
    }


def _chart_data(ov: Overview) -> str:
    return json.dumps(
        {
            "volume": ov.volume.as_chart(),
            "sentiment": ov.sentiment.as_chart(),
            "regions": [{"name": name, "value": n} for _, name, n in ov.regions],
        }
    )


def _overview_context(request: Request) -> dict[str, Any]:
    f = DashFilter.from_params(request.query_params)
    settings = request.app.state.settings
    with request.app.state.db.session() as s:
        ov = overview(s, f, settings.timezone)
    return {
        "ov": ov,
        "f": f,
        "chart_data": _chart_data(ov),
        "sparkline": sparkline,
        "refresh": REFRESH_SECONDS,
        "spark_size": (SPARK_WIDTH, SPARK_HEIGHT),
        "now": datetime.now(UTC),
    }


@router.get("/favicon.ico")
def favicon() -> Response:
    """The tab icon (browsers ask for it on every site; a 404 would fill the console)."""
    return Response(FAVICON, media_type="image/svg+xml", headers={"Cache-Control": "max-age=86400"})


@router.get("/")
def overview_page(
    request: Request, principal: Annotated[Principal, Depends(guard("dashboard.view"))]
) -> Response:
    """The overview: what matters now, filtered by the URL's query."""
    ctx = _overview_context(request)
    ctx.update(_choices(request))
    return render(request, "dash_overview.html", ctx)


@router.get("/dash/live")
def overview_live(
    request: Request, principal: Annotated[Principal, Depends(guard("dashboard.view"))]
) -> Response:
    """The overview's live part alone, for htmx to swap in every :data:`REFRESH_SECONDS`."""
    return render(request, "dash_live.html", _overview_context(request))


@router.get("/issues/{issue_id}")
def issue_page(
    request: Request,
    issue_id: int,
    principal: Annotated[Principal, Depends(guard("issue.view"))],
) -> Response:
    """One issue: its facts, timeline, sentiment, voices, regions and related issues."""
    tz = request.app.state.settings.timezone
    with request.app.state.db.session() as s:
        issue = s.get(Issue, issue_id)
        if issue is None:
            return render(
                request,
                "error.html",
                {"status": 404, "message": f"Isu #{issue_id} tidak ditemukan."},
                status=404,
            )
        mentions = search_mentions(s, MentionFilter(issue_id=issue_id))  # newest first
        agency = issue.agency.name if issue.agency else None
        earlier_key = (issue.summary or {}).get("previous_episode")  # "muncul kembali"
        earlier = s.scalar(select(Issue).where(Issue.key == earlier_key)) if earlier_key else None
        detail = issue_detail(s, issue, tz)
    charts = {
        "timeline": detail.timeline.as_chart(),
        "sentiment": detail.sentiment.as_chart(),
        "marks": {"social": detail.first_social_key, "news": detail.first_news_key},
    }
    return render(
        request,
        "issue.html",
        {
            "issue": issue,
            "mentions": mentions,
            "agency": agency,
            "earlier": earlier,
            "detail": detail,
            "issue_chart_data": json.dumps(charts),
        },
    )


def _search_filter(request: Request, errors: list[str]) -> MentionFilter:
    """The search page's filters (same names, same meaning) for an export."""
    p = request.query_params
    tz = request.app.state.settings.timezone
    channel = p.get("channel")
    return MentionFilter(
        q=(p.get("q") or "")[:500],
        channel=channel if channel in CHANNELS else None,
        since=parse_day(p.get("since"), tz, "since", errors),
        until=parse_day(p.get("until"), tz, "until", errors, end_of_day=True),
    )


@router.get("/search/export.{fmt}")
def search_export(
    request: Request,
    fmt: str,
    principal: Annotated[Principal, Depends(guard("mention.export"))],
) -> Response:
    """Every mention matching the search, as CSV or JSON Lines, streamed with no row limit."""
    if fmt not in EXPORT_FORMATS:
        return Response(f"format {fmt!r} tidak dikenal; pilih csv atau jsonl", 404)
    errors: list[str] = []
    f = _search_filter(request, errors)
    if errors:
        return Response("; ".join(errors), 422, media_type="text/plain; charset=utf-8")
    db = request.app.state.db
    with db.writer() as s:
        record(
            s,
            actor=principal.username,
            actor_id=principal.id,
            action="mention.export",
            object_type="mention",
            after={"format": fmt, **dict(request.query_params)},
        )
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M")
    return StreamingResponse(
        export_lines(db, f, fmt),
        media_type=EXPORT_FORMATS[fmt],
        headers={"Content-Disposition": f'attachment; filename="pantau-sebutan-{stamp}.{fmt}"'},
    )
