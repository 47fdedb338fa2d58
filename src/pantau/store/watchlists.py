"""Stored watchlists under one name everywhere: the text stage tags mentions with it, routing
matches agencies' mandates by it.

A watchlist is known as ``owner/name``: the owning agency's short name (or its name), or
``umum`` for a watchlist that belongs to no agency. Both the pipeline (which hands the queries
to the analyzer) and alert routing (which reads the mandates) take the key from here, so a
mention tagged by a watchlist always finds the agency that owns it.

>>> watch_key("PUPR Kaltim", "jalan rusak")
'PUPR Kaltim/jalan rusak'
>>> watch_key(None, "harga cabai")
'umum/harga cabai'
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pantau.store.models import Agency, Watchlist

__all__ = ["active_queries", "agency_watch_keys", "own_hits", "watch_key", "watch_provinces"]

NO_OWNER = "umum"


def watch_key(owner: str | None, name: str) -> str:
    """The name a watchlist is known by in mentions and mandates."""
    return f"{owner or NO_OWNER}/{name}"


def _owned(session: Session) -> list[tuple[int | None, str, str, str | None, str | None]]:
    owner = func.coalesce(Agency.short_name, Agency.name)
    return [
        (agency_id, name, query, owner_name, province)
        for agency_id, name, query, owner_name, province in session.execute(
            select(Watchlist.agency_id, Watchlist.name, Watchlist.query, owner, Agency.province)
            .join(Agency, Agency.id == Watchlist.agency_id, isouter=True)
            .where(Watchlist.active.is_(True))
            .order_by(Watchlist.id)
        )
    ]


def active_queries(session: Session) -> dict[str, str]:
    """``{key: query}`` of every active watchlist, for the text stage."""
    return {watch_key(owner, name): query for _, name, query, owner, _p in _owned(session)}


def watch_provinces(session: Session) -> dict[str, str | None]:
    """``{key: province}`` of every active watchlist: its agency's province (``None`` for a
    national agency's, or one of no agency), so a province's topics tag its own mentions only."""
    return {watch_key(owner, name): p for _, name, _q, owner, p in _owned(session)}


def own_hits(hits: list[Any], owners: dict[str, str | None], tenant: str | None) -> list[Any]:
    """The watchlist hits (``{name, terms}``) a mention of province ``tenant`` keeps: those of
    its province's watchlists and of national ones (``owners`` from :func:`watch_provinces`).

    >>> own_hits([{"name": "A/x"}, {"name": "B/y"}, {"name": "umum/z"}], {"A/x": "64", "B/y": "63",
    ...          "umum/z": None}, "64")
    [{'name': 'A/x'}, {'name': 'umum/z'}]
    """
    return [hit for hit in hits if owners.get(hit["name"]) in (None, tenant)]


def agency_watch_keys(session: Session) -> dict[int, list[str]]:
    """The keys of each agency's active watchlists: the topics of its mandate."""
    out: dict[int, list[str]] = defaultdict(list)
    for agency_id, name, _, owner, _p in _owned(session):
        if agency_id is not None:
            out[agency_id].append(watch_key(owner, name))
    return dict(out)
