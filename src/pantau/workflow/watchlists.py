"""Agencies' watchlists: create and edit them with the query checked, preview what they catch.

A watchlist is a boolean keyword query (:mod:`pantau.text.query`) owned by an agency; its topics
are the agency's mandate in routing. The preview runs the query on the newest mentions of the
last days, the way the text stage will, so an officer sees what a change would catch before it
goes live.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from pantau.store.audit import record_by
from pantau.store.models import Agency, Mention, Watchlist
from pantau.store.types import utcnow
from pantau.text.normalize import normalize
from pantau.text.query import QuerySyntaxError, compile_query
from pantau.workflow.permissions import Principal, authorize
from pantau.workflow.statuses import WorkflowError

__all__ = [
    "PREVIEW_DAYS",
    "Preview",
    "WatchlistData",
    "preview",
    "save_watchlist",
    "watchlist_view",
]

MAX_NAME = 120
MAX_QUERY = 2_000
#: The preview looks back a week: the span officers read in the weekly brief.
PREVIEW_DAYS = 7
#: Mentions the preview reads at most (newest first): a busy province's day, matched in well
#: under a second, so the live preview stays live; the page says when the cap was reached.
PREVIEW_SCAN = 5_000
PREVIEW_SHOWN = 20


@dataclass
class WatchlistData:
    """What an officer sets on a watchlist; validated by :func:`save_watchlist`."""

    agency_id: int
    name: str
    query: str
    active: bool = True


def watchlist_view(w: Watchlist) -> dict[str, Any]:
    return {
        "id": w.id,
        "agency_id": w.agency_id,
        "name": w.name,
        "query": w.query,
        "active": w.active,
    }


def check_query(query: str) -> str:
    """The query, stripped; raises :class:`WorkflowError` on ``query`` naming the column."""
    query = (query or "").strip()
    if not query:
        raise WorkflowError(
            "query", "kueri wajib diisi, misalnya: banjir AND (samarinda OR sempaja)"
        )
    if len(query) > MAX_QUERY:
        raise WorkflowError("query", f"kueri paling panjang {MAX_QUERY} karakter")
    try:
        compile_query(query)
    except QuerySyntaxError as exc:
        raise WorkflowError("query", f"kueri tidak terbaca pada {exc}") from None
    return query


def save_watchlist(
    session: Session, principal: Principal, data: WatchlistData, watchlist_id: int | None = None
) -> Watchlist:
    """Create or update a watchlist of an agency the principal may manage; audited."""
    if session.get(Agency, data.agency_id) is None:
        raise WorkflowError("agency_id", f"instansi #{data.agency_id} tidak ada")
    authorize(principal, "watchlist.manage", agency_id=data.agency_id)
    name = " ".join((data.name or "").split())
    if not name or len(name) > MAX_NAME:
        raise WorkflowError(
            "name", f"nama kata kunci wajib diisi, paling panjang {MAX_NAME} karakter"
        )
    query = check_query(data.query)
    clash = session.scalar(
        select(Watchlist.id).where(Watchlist.agency_id == data.agency_id, Watchlist.name == name)
    )
    if clash is not None and clash != watchlist_id:
        raise WorkflowError("name", f"instansi ini sudah punya kata kunci bernama {name!r}")
    before = None
    if watchlist_id is None:
        w = Watchlist(agency_id=data.agency_id, name=name, query=query)
        session.add(w)
    else:
        found = session.get(Watchlist, watchlist_id)
        if found is None:
            raise LookupError(f"kata kunci #{watchlist_id} tidak ada")
        authorize(principal, "watchlist.manage", agency_id=found.agency_id)  # moving it away too
        w = found
        before = watchlist_view(w)
    w.agency_id, w.name, w.query, w.active = data.agency_id, name, query, bool(data.active)
    session.flush()
    record_by(
        session,
        principal,
        action="watchlist.create" if before is None else "watchlist.update",
        object_type="watchlist",
        object_id=w.id,
        before=before,
        after=watchlist_view(w),
    )
    return w


@dataclass
class Preview:
    """What a query catches among the newest mentions of the last days."""

    matched: int
    scanned: int
    capped: bool
    samples: list[tuple[int, str, datetime | None, list[str]]]


def preview(session: Session, query: str, *, now: datetime | None = None) -> Preview:
    """Run ``query`` on the newest mentions of the last :data:`PREVIEW_DAYS` days."""
    compiled = compile_query(check_query(query))
    since = (now or utcnow()) - timedelta(days=PREVIEW_DAYS)
    rows = session.execute(
        select(Mention.id, Mention.title, Mention.text, Mention.published_at)
        .where(Mention.published_at >= since)
        .order_by(Mention.published_at.desc(), Mention.id.desc())
        .limit(PREVIEW_SCAN)
    ).all()
    matched = 0
    samples: list[tuple[int, str, datetime | None, list[str]]] = []
    for mid, title, text, at in rows:
        hit = compiled.match(normalize(f"{title or ''} {text}"))
        if hit is None:
            continue
        matched += 1
        if len(samples) < PREVIEW_SHOWN:
            samples.append((int(mid), (title or text)[:240], at, hit.terms))
    return Preview(matched, len(rows), len(rows) >= PREVIEW_SCAN, samples)
