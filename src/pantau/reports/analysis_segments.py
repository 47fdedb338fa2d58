"""The analysis page's outlets and places from the day-segment counts, not from every mention.

``segment_outlets`` and ``segment_places`` (migration ``0013_anal4_analysis_segments``) count
mentions per day segment (:mod:`pantau.store.segments`); a window is its whole segments,
added up from those tables, and the hours at either edge, counted from the mentions (through
``ix_mentions_analysis``, which carries every column these reads need). The numbers are the
mention path's, to the mention: ``tests/reports/test_analysis_segments.py`` compares both on
random windows on both backends.

The tables hold the mentions' province (so a provincial page adds up its own rows, see
:mod:`pantau.store.tenancy`) and, for outlets, the kab/kota; a filter on anything else
(agency, channel, sentiment, issue, author, outlet, watchlist, language, noise, a province or
a kecamatan) is not in them, and :func:`held_region` sends the page back to the one-pass read of
the mentions (:mod:`pantau.reports.analysis`).
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.orm import Session

from pantau.reports.filters import DashFilter, Window
from pantau.reports.timeseries import KABKOTA_CODE_CHARS, place_codes
from pantau.store.models import Mention
from pantau.store.reports_models import ROLLUP_ALL_ISSUES, ROLLUP_ALL_REGIONS
from pantau.store.reports_models import SegmentOutlet as O
from pantau.store.reports_models import SegmentPlace as P
from pantau.store.segments import split_window

__all__ = [
    "Held",
    "Spans",
    "held_region",
    "in_spans",
    "place_keys",
    "segment_outlets",
    "segment_places",
    "segment_places_before",
    "walk",
]

logger = logging.getLogger(__name__)

#: A list of ``[start, end)`` spans of naive UTC time.
Spans = Sequence[tuple[datetime, datetime]]


@dataclass(frozen=True)
class Held:
    """A filter the segment tables answer: every mention, or those naming one kab/kota."""

    region: str | None


def held_region(f: DashFilter) -> Held | None:
    """The segment tables' view of ``f``, or None when they cannot answer it (see above)."""
    others = (
        f.agency_id,
        f.channel,
        f.sentiment,
        f.issue_id,
        f.author,
        f.outlet,
        f.watchlist_id,
        f.lang,
        f.noise,
    )
    if any(v not in (None, "") for v in others):
        return None
    if f.region is not None and len(f.region) != KABKOTA_CODE_CHARS:
        return None
    return Held(f.region)


def in_spans(spans: Spans) -> Any:
    """A condition: the mention was published in one of ``spans`` (false for none)."""
    return or_(
        False, *(and_(Mention.published_at >= a, Mention.published_at < b) for a, b in spans)
    )


@dataclass(frozen=True)
class _Parts:
    """The whole segments of a window (``None``: none fit) and its edge spans."""

    segments: tuple[datetime, datetime] | None
    edges: Spans


def _parts(win: Window) -> _Parts:
    """``win`` cut into segments and edges, as the aware UTC times the store is given."""
    parts = split_window(win.start, win.end)

    def aware(span: tuple[datetime, datetime]) -> tuple[datetime, datetime]:
        return (span[0].replace(tzinfo=UTC), span[1].replace(tzinfo=UTC))

    segments = aware(parts.segments) if parts.segments is not None else None
    return _Parts(segments, [aware(e) for e in parts.edges])


def _sums(
    session: Session, key: Any, n: Any, segment: Any, parts: _Parts, conds: list[Any]
) -> Counter[str]:
    """``n`` added up per ``key`` over the whole segments of ``parts`` (empty when none)."""
    if parts.segments is None:
        return Counter()
    first, stop = parts.segments
    stmt = select(key, func.sum(n)).where(segment >= first, segment < stop, *conds).group_by(key)
    return Counter({str(k): int(v) for k, v in session.execute(stmt)})


def segment_outlets(
    session: Session,
    win: Window,
    prev: Window,
    held: Held,
    edges_by: Any,
) -> tuple[dict[str, int], dict[str, int]]:
    """News mentions per outlet in ``win`` and ``prev``: segment rows plus the edges, which
    ``edges_by(now_spans, before_spans)`` counts from the mentions."""
    now_parts, before_parts = _parts(win), _parts(prev)
    region = [O.region == (held.region or ROLLUP_ALL_REGIONS)]
    counts = [
        _sums(session, O.outlet, O.n, O.segment, p, region) for p in (now_parts, before_parts)
    ]
    edge_now, edge_before = edges_by(now_parts.edges, before_parts.edges)
    now, before = counts[0] + Counter(edge_now), counts[1] + Counter(edge_before)
    return dict(+now), dict(+before)


def segment_places(
    session: Session,
    win: Window,
    prev: Window,
    chars: int,
    within: str | None,
    edges_by: Any,
) -> tuple[Counter[str], Counter[str], dict[str, set[int]]]:
    """Mentions per place of ``chars`` code characters (within kab/kota ``within``) in ``win``
    and ``prev``, and the issues with mentions there in ``win``; ``edges_by(now_spans,
    before_spans)`` gives the same three from the mentions of the edges."""
    now_parts, before_parts = _parts(win), _parts(prev)
    places = _place_conds(chars, within)
    every = [P.issue_id == ROLLUP_ALL_ISSUES, *places]
    counts = [_sums(session, P.place, P.n, P.segment, p, every) for p in (now_parts, before_parts)]
    issues: dict[str, set[int]] = {}
    if now_parts.segments is not None:
        first, stop = now_parts.segments
        stmt = (
            select(P.place, P.issue_id)
            .where(
                P.segment >= first,
                P.segment < stop,
                P.issue_id != ROLLUP_ALL_ISSUES,
                P.n > 0,
                *places,
            )
            .distinct()
        )
        for place, issue_id in session.execute(stmt):
            issues.setdefault(str(place), set()).add(int(issue_id))
    edge_now, edge_before, edge_issues = edges_by(now_parts.edges, before_parts.edges)
    for place, ids in edge_issues.items():
        issues.setdefault(place, set()).update(ids)
    return +(counts[0] + edge_now), +(counts[1] + edge_before), issues


def segment_places_before(
    session: Session, prev: Window, chars: int, within: str | None, edges_by: Any
) -> Counter[str]:
    """:func:`segment_places`' counts of ``prev`` alone (``edges_by`` given no current spans)."""
    parts = _parts(prev)
    every = [P.issue_id == ROLLUP_ALL_ISSUES, *_place_conds(chars, within)]
    _, edge_before, _ = edges_by([], parts.edges)
    return +(_sums(session, P.place, P.n, P.segment, parts, every) + edge_before)


def _place_conds(chars: int, within: str | None) -> list[Any]:
    places = [func.length(P.place) == chars]
    if within is not None:
        places.append(func.substr(P.place, 1, len(within)) == within)
    return places


def place_keys(listed: str | None, chars: int, within: str | None) -> list[str]:
    """The places of ``chars`` code characters (within kab/kota ``within``) that a mention's
    stored regions (as text) name: a kecamatan view keeps that kab/kota's kecamatan, since a
    mention names other places too."""
    return [
        c
        for c in place_codes(listed, chars)
        if len(c) == chars and (within is None or c.startswith(within))
    ]


def walk(
    session: Session, now: Spans, before: Spans, columns: list[Any], conds: list[Any]
) -> Iterator[tuple[Any, ...]]:
    """``(is_now, *columns, count)`` of the mentions of the ``now`` and ``before`` spans,
    grouped by ``columns``; a group may come once per stretch of touching spans.

    Each stretch is one range of the time index: given the spans as one OR, SQLite's
    multi-index OR read every mention's row by its id (a window's two edges, ~61,000 mentions
    at 1M benchmark mentions: 564 ms) instead of the index alone."""
    current = case((in_spans(now), 1), else_=0).label("now")
    for start, end in _stretches([*now, *before]):
        stmt = (
            select(current, *columns, func.count())
            .where(Mention.published_at >= start, Mention.published_at < end, *conds)
            .group_by(current, *columns)
        )
        yield from (tuple(row) for row in session.execute(stmt))


def _stretches(spans: Spans) -> list[tuple[datetime, datetime]]:
    """``spans`` sorted, with spans that touch or overlap joined."""
    out: list[tuple[datetime, datetime]] = []
    for start, end in sorted(spans):
        if out and start <= out[-1][1]:
            out[-1] = (out[-1][0], max(end, out[-1][1]))
        else:
            out.append((start, end))
    return out
