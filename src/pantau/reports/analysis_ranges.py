"""The analysis page's fixed ranges read from the range counts, not from every mention.

``author_counts``, ``author_scopes`` and ``range_places`` (migrations
``0015_anal5_range_counts``, ``0016_pg7_range_tenants``) count the mentions since each fixed
range's start (24 hours, 7 or 30 days), which ``pantau run`` slides
forward (:mod:`pantau.store.range_counts`). A window of such a range is its counts less the
mentions between the start and the window (a slide's worth) and after it (normally none):
exact, whatever was written, since the triggers count every write.

:func:`range_start` says when they answer: a fixed range and a start at or before the
window's, by at most a quarter of the range. The places are counted per province: a provincial
page adds up its own rows (narrowed by :mod:`pantau.store.tenancy` like the mentions it
subtracts), a national one all. Places come from here for the current window (their counts and
issue counts, with no edge
hours and no (place, issue) pairs per segment); the window before is still its segments and
edges (:mod:`pantau.reports.analysis_segments`). ``tests/reports/test_analysis_ranges.py``
compares both ways with the mentions on random windows and writes.
"""

from __future__ import annotations

import logging
from collections import Counter
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import String, cast, func, select, tuple_
from sqlalchemy.orm import Session

from pantau.reports.analysis_segments import Spans, place_keys, walk
from pantau.reports.filters import CUSTOM_RANGE, RANGES, DashFilter, Window
from pantau.reports.overview import latest_mention
from pantau.store import tenancy
from pantau.store.models import Mention
from pantau.store.range_counts import as_utc, slide
from pantau.store.reports_models import ALL_TENANTS, RangePlace, RangeStart

__all__ = ["LAG_SHARE", "outside", "range_places", "range_start", "slide_to_newest"]

logger = logging.getLogger(__name__)

#: A range's counts answer while their start lags the window's by at most this share of the
#: range: the mentions in between are read and subtracted on each view until the next slide
#: (``pantau run`` slides every five minutes; a quarter of a day is six hours of mentions).
LAG_SHARE = 0.25
#: (place, issue) pairs looked up in one statement.
_PAIRS_PER_READ = 300


def range_start(session: Session, f: DashFilter, win: Window) -> tuple[int, datetime] | None:
    """The range (hours) and start that answer ``f``'s window ``win``, or None (see above)."""
    if f.range == CUSTOM_RANGE or f.range not in RANGES:
        return None
    hours = RANGES[f.range][0]
    start = session.scalar(select(RangeStart.start).where(RangeStart.hours == hours))
    if start is None:
        return None
    start, first = as_utc(start), as_utc(win.start)
    if not start <= first <= start + timedelta(hours=hours * LAG_SHARE):
        return None
    return hours, start


def outside(session: Session, start: datetime, win: Window) -> Spans:
    """The spans counted since ``start`` but outside ``win``: before it, and after it up to the
    newest mention (bounded, so each is a range of the time index)."""
    first, end = as_utc(win.start), as_utc(win.end)
    spans = [(start, first)] if start < first else []
    newest = session.scalar(select(func.max(Mention.published_at)))
    if newest is not None and as_utc(newest) >= end:
        spans.append((end, as_utc(newest) + timedelta(microseconds=1)))
    return spans


def range_places(
    session: Session,
    hours: int,
    start: datetime,
    win: Window,
    chars: int,
    within: str | None,
) -> tuple[Counter[str], dict[str, int]]:
    """Mentions per place of ``chars`` code characters (within kab/kota ``within``) in ``win``
    and how many issues had mentions there, from range ``hours`` counted since ``start``."""
    # a national page reads the rows of every province together; a provincial one its own
    # (narrowed by the tenancy guard), added up
    national = tenancy.current() is None
    places: list[Any] = [
        RangePlace.hours == hours,
        RangePlace.tenant == ALL_TENANTS if national else RangePlace.tenant != ALL_TENANTS,
        RangePlace.n > 0,
        func.length(RangePlace.place) == chars,
    ]
    if within is not None:
        places.append(func.substr(RangePlace.place, 1, len(within)) == within)
    counted = (
        select(RangePlace.place, func.sum(RangePlace.n))
        .where(*places, RangePlace.issue_id == 0)
        .group_by(RangePlace.place)
    )
    now = Counter({str(p): int(n) for p, n in session.execute(counted)})
    # each (place, issue) pair once: a national page's rows are, a provincial one's grouped
    rows = select(RangePlace.place, RangePlace.issue_id).where(*places, RangePlace.issue_id != 0)
    if not national:
        rows = rows.group_by(RangePlace.place, RangePlace.issue_id)
    listed = rows.subquery()
    paired = select(listed.c.place, func.count()).group_by(listed.c.place)
    issues = {str(p): int(c) for p, c in session.execute(paired)}
    less, pairs = _outside_places(session, outside(session, start, win), chars, within)
    now.subtract(less)
    # a (place, issue) pair counted only outside the window had no mention there in it
    keys = list(pairs)
    for k in range(0, len(keys), _PAIRS_PER_READ):
        chunk = keys[k : k + _PAIRS_PER_READ]
        stmt = (
            select(RangePlace.place, RangePlace.issue_id, func.sum(RangePlace.n))
            .where(*places[:3], tuple_(RangePlace.place, RangePlace.issue_id).in_(chunk))
            .group_by(RangePlace.place, RangePlace.issue_id)
        )
        for place, issue_id, n in session.execute(stmt):
            if int(n) <= pairs[(str(place), int(issue_id))]:
                issues[str(place)] -= 1
    return +now, {p: c for p, c in issues.items() if c > 0}


def _outside_places(
    session: Session, spans: Spans, chars: int, within: str | None
) -> tuple[Counter[str], Counter[tuple[str, int]]]:
    """Mentions per place, and per (place, issue), published in ``spans``."""
    places: Counter[str] = Counter()
    pairs: Counter[tuple[str, int]] = Counter()
    regions = cast(Mention.regions, String).label("r")
    codes: dict[str | None, list[str]] = {}
    for _, listed, issue_id, n in walk(session, spans, [], [regions, Mention.issue_id], []):
        if listed not in codes:
            codes[listed] = place_keys(listed, chars, within)
        for code in codes[listed]:
            places[code] += int(n)
            if issue_id is not None:
                pairs[(code, int(issue_id))] += int(n)
    return places, pairs


def slide_to_newest(session: Session) -> int:
    """Slide the range counts to where the page's windows start now (the newest mention's),
    so that its next reads correct by nothing; returns the ranges moved."""
    anchor = latest_mention(session)
    return 0 if anchor is None else slide(session, DashFilter().window(anchor).end)
