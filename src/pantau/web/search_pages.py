"""The search page and saved searches: every filter in the URL, a saved search is a named URL.

A saved search belongs to the user who saved it (listed on their search page, deleted only by
them); its link ``/search/saved/ID`` opens the same view for any colleague allowed to search.
"""

from __future__ import annotations

import math
from typing import Annotated, Any
from urllib.parse import parse_qsl, urlencode

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import select

from pantau.i18n import translations
from pantau.records import CHANNELS
from pantau.store.models import Issue, Region
from pantau.store.search import count_mentions, search_mentions
from pantau.store.search_models import SavedSearch
from pantau.web.dashboard_pages import filter_choices
from pantau.web.rendering import locale_of, render
from pantau.web.search_form import LANGS, PARAMS, SENTIMENTS, read_search
from pantau.web.security import guard
from pantau.workflow.disclosure import disclose_hits, may_unmask
from pantau.workflow.permissions import Principal

__all__ = ["router"]

router = APIRouter(include_in_schema=False)

#: Issues offered in the issue filter: the most recently active, newest first.
ISSUE_CHOICES = 100
MAX_NAME_CHARS = 120
#: Matches counted exactly on the page; past it the page says "2.000+" (the export has all).
#: A kab/kota + sentiment filter is ~3% of mentions: counting 2,000 reads ~70,000 rows, under
#: 100 ms, where the exact count read all 1,000,000 (1.4 s; benchmarks/reports_dashboard.py).
COUNT_CAP = 2000


def _choices(request: Request, principal: Principal) -> dict[str, Any]:
    """The overview's choices, each kab/kota with its kecamatan, recent issues and the user's
    saved searches."""
    shared = filter_choices(request)
    kabkota = shared["regions"]
    with request.app.state.db.session() as s:
        kecamatan = s.execute(
            select(Region.code, Region.name, Region.parent_code)
            .where(Region.parent_code.in_([code for code, _ in kabkota]), Region.level == 3)
            .order_by(Region.name)
        ).all()
        issues = s.execute(
            select(Issue.id, Issue.label)
            .where(Issue.merged_into_id.is_(None))
            .order_by(Issue.last_seen.desc(), Issue.id.desc())
            .limit(ISSUE_CHOICES)
        ).all()
        saved = s.scalars(
            select(SavedSearch)
            .where(SavedSearch.user_id == principal.id)
            .order_by(SavedSearch.name)
        ).all()
    districts: dict[str, list[tuple[str, str]]] = {}
    for code, name, parent in kecamatan:
        districts.setdefault(parent, []).append((code, name))
    return {
        "regions": [(code, name, districts.get(code, [])) for code, name in kabkota],
        "watchlists": shared["watchlists"],
        "issues": list(issues),
        "saved": [(x.id, x.name, x.query) for x in saved],
        "channels": CHANNELS,
        "sentiments": SENTIMENTS,
        "langs": LANGS,
    }


@router.get("/search")
def search_page(
    request: Request,
    principal: Annotated[Principal, Depends(guard("mention.search"))],
    page: int = 1,
    unmask: bool = False,
) -> Response:
    """Mentions matching the words and filters, newest first, with highlighted snippets;
    personal data in clear only with ``unmask`` for holders of ``pii.view`` (audited)."""
    settings = request.app.state.settings
    _ = translations(locale_of(request)).gettext
    form = read_search(request.query_params, settings.timezone, _)
    if unmask:
        form.params["unmask"] = "1"  # links to other pages keep showing what was asked
    size = settings.page_size
    page = max(page, 1)
    count, hits = 0, []
    if not form.blocked:
        db = request.app.state.db
        with db.writer() if unmask else db.session() as s:
            count = count_mentions(s, form.filter, cap=COUNT_CAP)
            hits = search_mentions(s, form.filter, limit=size, offset=(page - 1) * size)
            if unmask:
                hits = disclose_hits(s, principal, hits, where="search")
    return render(
        request,
        "search.html",
        {
            "hits": hits,
            "count": min(count, COUNT_CAP),
            "more": count > COUNT_CAP,
            "page": page,
            "pages": max(1, math.ceil(min(count, COUNT_CAP) / size)),
            "params": form.params,
            "errors": form.errors,
            "query": form.query,
            "filtered": any(k not in ("q", "unmask") for k in form.params),
            "unmasked": unmask,
            "may_unmask": may_unmask(principal),
            **_choices(request, principal),
        },
    )


@router.post("/search/saved")
def save_search(
    request: Request,
    principal: Annotated[Principal, Depends(guard("mention.search"))],
    name: Annotated[str, Form()],
    query: Annotated[str, Form()] = "",
) -> Response:
    """Save the shown search under a name (saving a name again replaces its query)."""
    # only the search's own parameters: a crafted form cannot store anything else in a link
    text = urlencode([(k, v) for k, v in parse_qsl(query) if k in PARAMS and v])
    label = " ".join(name.split())[:MAX_NAME_CHARS]
    if not label:
        return RedirectResponse(f"/search?{text}", status_code=303)
    with request.app.state.db.writer() as s:
        saved = s.scalar(
            select(SavedSearch).where(
                SavedSearch.user_id == principal.id, SavedSearch.name == label
            )
        )
        if saved is None:
            s.add(SavedSearch(user_id=principal.id, name=label, query=text))
        else:
            saved.query = text
    return RedirectResponse(f"/search?{text}", status_code=303)


@router.get("/search/saved/{saved_id}")
def open_saved_search(
    request: Request,
    saved_id: int,
    principal: Annotated[Principal, Depends(guard("mention.search"))],
) -> Response:
    """A saved search's shareable link: the search page with its filters."""
    with request.app.state.db.session() as s:
        saved = s.get(SavedSearch, saved_id)
    if saved is None:
        _ = translations(locale_of(request)).gettext
        message = _("This saved search does not exist (any more).")
        return render(request, "error.html", {"status": 404, "message": message}, status=404)
    return RedirectResponse(f"/search?{saved.query}", status_code=303)


@router.post("/search/saved/{saved_id}/delete")
def delete_saved_search(
    request: Request,
    saved_id: int,
    principal: Annotated[Principal, Depends(guard("mention.search"))],
) -> Response:
    """Delete one of the user's own saved searches (a colleague's stays)."""
    with request.app.state.db.writer() as s:
        saved = s.get(SavedSearch, saved_id)
        if saved is not None and saved.user_id == principal.id:
            s.delete(saved)
    return RedirectResponse("/search", status_code=303)
