"""Dashboard pages: the overview (with its live partial), the issue page and search exports.

Filters live in the URL (see :class:`pantau.reports.filters.DashFilter`), so a view can be
bookmarked or sent to a colleague. Charts are drawn by ``static/charts.js`` from JSON that the
page carries in ``<script type="application/json">`` blocks (the CSP forbids inline scripts).
"""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime, timedelta
from typing import Annotated, Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response, StreamingResponse
from sqlalchemy import select

from pantau.records import CHANNELS
from pantau.reports.export import FORMATS as EXPORT_FORMATS
from pantau.reports.export import export_lines
from pantau.reports.filters import RANGES, DashFilter
from pantau.reports.issue_view import issue_detail
from pantau.reports.overview import Overview, overview
from pantau.store import tenancy
from pantau.store.audit import record_by
from pantau.store.models import Agency, Issue, Region, Watchlist
from pantau.store.search import MentionFilter, search_mentions
from pantau.web.rendering import render
from pantau.web.search_form import LANGS, SENTIMENTS, read_search
from pantau.web.security import guard
from pantau.workflow.disclosure import audit_view, disclose_hits, may_unmask
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


def filter_choices(request: Request) -> dict[str, Any]:
    """Agencies, kab/kota and watchlists for the filter forms (the overview's and search's)."""
    home = request.app.state.settings.province
    with request.app.state.db.session() as s:
        provinces = tenancy.shown_provinces(s, home)  # a Kalsel user picks Kalsel's kab/kota
        agencies = s.execute(
            select(Agency.id, Agency.short_name, Agency.name).order_by(Agency.name)
        ).all()
        regions = s.execute(
            select(Region.code, Region.name)
            .where(Region.parent_code.in_(provinces), Region.level == 2)
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
        "sentiments": SENTIMENTS,
        "langs": LANGS,
    }


def _chart_data(ov: Overview) -> str:
    return json.dumps(
        {
            "volume": ov.volume.as_chart(),
            "previous": ov.previous_volume,
            "sentiment": ov.sentiment.as_chart(),
            "regions": [{"name": name, "value": n} for _, name, n in ov.regions],
        }
    )


def _search_link(ov: Overview, tz: str, **extra: str) -> str:
    """The search page showing a key figure's mentions: the overview's filters and its days
    (the agency filter has no search counterpart and is left out)."""
    zone = ZoneInfo(tz)
    f = ov.filter
    params = {
        "region": f.region,
        "channel": f.channel,
        "watchlist": f.watchlist_id,
        "sentiment": f.sentiment,
        "issue": f.issue_id,
        "author": f.author,
        "outlet": f.outlet,
        "lang": f.lang,
        "noise": f.noise,
        "since": ov.window.start.astimezone(zone).date().isoformat(),
        "until": (ov.window.end - timedelta(seconds=1)).astimezone(zone).date().isoformat(),
        **extra,
    }
    return "/search?" + urlencode({k: v for k, v in params.items() if v})


def _overview_context(request: Request) -> dict[str, Any]:
    f = DashFilter.from_params(request.query_params)
    settings = request.app.state.settings
    with request.app.state.db.session() as s:
        ov = overview(s, f, settings.timezone)
    return {
        "ov": ov,
        "f": f,
        "kpi_search": lambda **extra: _search_link(ov, settings.timezone, **extra),
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
    ctx.update(filter_choices(request))
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
    unmask: bool = False,
) -> Response:
    """One issue: its facts, timeline, sentiment, voices, regions and related issues."""
    tz = request.app.state.settings.timezone
    db = request.app.state.db
    with db.writer() if unmask else db.session() as s:
        issue = s.get(Issue, issue_id)
        if issue is None:
            return render(
                request,
                "error.html",
                {"status": 404, "message": f"Isu #{issue_id} tidak ditemukan."},
                status=404,
            )
        mentions = search_mentions(s, MentionFilter(issue_id=issue_id))  # newest first
        if unmask:
            mentions = disclose_hits(s, principal, mentions, where=f"issue {issue_id}")
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
            "unmasked": unmask,
            "may_unmask": may_unmask(principal),
            "query": lambda **kw: urlencode({k: v for k, v in kw.items() if v}),
        },
    )


@router.get("/search/export.{fmt}")
def search_export(
    request: Request,
    fmt: str,
    principal: Annotated[Principal, Depends(guard("mention.export"))],
    unmask: bool = False,
) -> Response:
    """Every mention matching the search, as CSV or JSON Lines, streamed with no row limit."""
    if fmt not in EXPORT_FORMATS:
        return Response(f"format {fmt!r} tidak dikenal; pilih csv atau jsonl", 404)
    form = read_search(request.query_params, request.app.state.settings.timezone)
    if form.errors:  # what the page showed with these parameters was not a plain result
        return Response("; ".join(form.errors), 422, media_type="text/plain; charset=utf-8")
    f = form.filter
    db = request.app.state.db
    with db.writer() as s:
        record_by(
            s,
            principal,
            action="mention.export",
            object_type="mention",
            after={"format": fmt, **dict(request.query_params)},
        )
        if unmask:
            audit_view(s, principal, f"export {fmt}", filter=dict(request.query_params))
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M")
    return StreamingResponse(
        export_lines(db, f, fmt, tz=request.app.state.settings.timezone, unmask=unmask),
        media_type=EXPORT_FORMATS[fmt],
        headers={"Content-Disposition": f'attachment; filename="pantau-sebutan-{stamp}.{fmt}"'},
    )
