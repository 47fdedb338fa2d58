"""The analysis page: a map of mentions and issues by place, share of voice and top authors.

Same filters as the overview, read from the URL (:class:`pantau.reports.filters.DashFilter`), so
every analysed view is a link to share; each figure is shown beside the period before it.
"""

from __future__ import annotations

import json
import logging
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from pantau.reports.analysis import Analysis, analysis
from pantau.reports.filters import DashFilter
from pantau.web.dashboard_pages import filter_choices
from pantau.web.rendering import render
from pantau.web.security import guard
from pantau.workflow.permissions import Principal

__all__ = ["router"]

logger = logging.getLogger(__name__)

router = APIRouter(include_in_schema=False)


def _chart_data(an: Analysis) -> str:
    """The map's points (places with a known seat) and the channel shares, for charts.js."""
    points = [
        {
            "name": p.name,
            "value": [p.lon, p.lat, p.now],
            "issues": p.issues,
            "before": p.before,
        }
        for p in an.places
        if p.lat is not None and p.lon is not None
    ]
    shares = [{"name": c.key, "value": c.now} for c in an.channels]
    return json.dumps({"map": {"points": points}, "share": shares})


@router.get("/analisis")
def analysis_page(
    request: Request, principal: Annotated[Principal, Depends(guard("dashboard.view"))]
) -> Response:
    """Where and by whom, against the period before, for the filters in the URL."""
    f = DashFilter.from_params(request.query_params)
    with request.app.state.db.session() as s:
        an = analysis(s, f, request.app.state.settings.timezone)
    ctx: dict[str, Any] = {"an": an, "f": f, "chart_data": _chart_data(an)}
    ctx.update(filter_choices(request))
    return render(request, "analysis.html", ctx)
