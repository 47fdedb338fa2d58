"""The analysis page's top authors: from each range's author counts, or from the mentions.

A window of a fixed range (24 hours, 7 or 30 days) is read from the counts of each author's
mentions since the range's start (:mod:`pantau.store.range_counts`) when they count what the
page shows: ``author_counts`` (migration ``0015_anal5_range_counts``) for a national page with
no filter, ``author_scopes`` (``0016_pg7_range_tenants``) for a national page of one kab/kota
(its kecamatan view) and for the page of a principal of one province with no filter (see
:func:`_counted`). An author's mentions in the window
are that count less their mentions between the start and the window (a slide's worth) and
after the window (normally none). The counts are read busiest first and only until no later
author can reach the tenth's count, since a count less anything is never more than it. The
authors that reach it (ties included) are then read from the mentions with the one-pass
statement itself, which gives their reach and the same order, to the tie.

Everything else reads the window's mentions in one pass: any other filter, a kab/kota on a
provincial page (its count holds other provinces' mentions of it), a principal of several
provinces, a custom range, a start that was not slid lately, or a tenth's count so common that
more than :data:`MAX_CANDIDATES` authors share it.
``tests/reports/test_analysis_authors.py`` compares both ways on random windows and writes.
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pantau.reports.analysis_ranges import outside, range_start
from pantau.reports.analysis_segments import Spans, held_region
from pantau.reports.filters import DashFilter, Window
from pantau.reports.timeseries import KABKOTA_CODE_CHARS
from pantau.store import tenancy
from pantau.store.models import Mention
from pantau.store.reports_models import AuthorCount, AuthorScope

__all__ = ["MAX_CANDIDATES", "TOP_VOICES", "Voice", "top_authors"]

logger = logging.getLogger(__name__)

#: Authors listed: ten fit the card beside the map and one report page.
TOP_VOICES = 10
#: Authors read from the mentions for their reach at most: past it (thousands of authors tied
#: at one or two mentions) the one pass is the cheaper read.
MAX_CANDIDATES = 500
#: The first read of the busiest counts; each further read takes this many times more.
FIRST_READ, READ_GROWTH = 64, 4


@dataclass
class Voice:
    """An author with their mentions in the period and how far those reached."""

    name: str
    mentions: int
    before: int
    #: Followers (their largest count in the period) plus likes, shares and comments.
    reach: int


def top_authors(
    session: Session, f: DashFilter, win: Window, prev: Window, conds: list[Any]
) -> list[Voice]:
    """The authors with the most mentions in ``win``, with their reach and earlier count."""
    candidates = _candidates(session, f, win, conds)
    if candidates is not None and not candidates:
        return []
    chosen = [Mention.author.in_(sorted(candidates))] if candidates is not None else []
    rows = _busiest(session, win, [*conds, *chosen])
    if not rows:
        return []
    names = [a for a, _, _ in rows]
    earlier = select(Mention.author, func.count()).where(
        *_in(prev), *conds, Mention.author.in_(names)
    )
    before = {str(a): int(c) for a, c in session.execute(earlier.group_by(Mention.author))}
    return [Voice(a, c, before.get(a, 0), r) for a, c, r in rows]


def _in(win: Window) -> list[Any]:
    return [Mention.published_at >= win.start, Mention.published_at < win.end]


def _busiest(session: Session, win: Window, conds: list[Any]) -> list[tuple[str, int, int]]:
    """The one-pass read: the window's authors by mentions, then reach, then name."""
    engagement = (
        func.coalesce(Mention.likes, 0)
        + func.coalesce(Mention.shares, 0)
        + func.coalesce(Mention.comments, 0)
    )
    reach = func.coalesce(func.max(Mention.author_followers), 0) + func.sum(engagement)
    n = func.count()
    stmt = (
        select(Mention.author, n, reach)
        .where(*_in(win), *conds, Mention.author.is_not(None))
        .group_by(Mention.author)
        .order_by(n.desc(), reach.desc(), Mention.author)
        .limit(TOP_VOICES)
    )
    return [(str(a), int(c), int(r or 0)) for a, c, r in session.execute(stmt)]


def _candidates(session: Session, f: DashFilter, win: Window, conds: list[Any]) -> set[str] | None:
    """Every author whose mentions in ``win`` reach the tenth's count, from the range's
    counts; ``None`` when the window must be read in one pass (see the module's docstring)."""
    table = _counted(f, conds)
    ranged = None if table is None else range_start(session, f, win)
    if table is None or ranged is None:
        return None
    hours, start = ranged
    less = _outside(session, outside(session, start, win), conds)
    model, scope = table
    limit = FIRST_READ
    while True:
        stmt = (
            select(model.author, model.n)
            .where(model.hours == hours, model.n > 0, *scope)
            .order_by(model.n.desc())
            .limit(limit)
        )
        rows = session.execute(stmt).all()
        counts = {str(a): int(n) - less[a] for a, n in rows}
        ranked = sorted((c for c in counts.values() if c > 0), reverse=True)
        tenth = ranked[TOP_VOICES - 1] if len(ranked) >= TOP_VOICES else 1
        # an unread author counts at most the last count read: done once that is below the tenth
        if len(rows) < limit or int(rows[-1][1]) < tenth:
            found = {a for a, c in counts.items() if c >= tenth}
            return found if len(found) <= MAX_CANDIDATES else None
        if limit >= MAX_CANDIDATES * READ_GROWTH:
            return None
        limit *= READ_GROWTH


def _counted(f: DashFilter, conds: list[Any]) -> tuple[Any, list[Any]] | None:
    """The counts that hold each author's mentions as ``f`` and the principal see them, and the
    condition that picks their rows; ``None`` when none do (see the module's docstring)."""
    tenants = tenancy.current()
    if tenants is not None:  # the mentions of one province, every place
        if conds or len(tenants) != 1:
            return None
        return AuthorScope, [AuthorScope.scope == next(iter(tenants))]
    if not conds:
        return AuthorCount, []
    held = held_region(f)
    # the filter's one condition is its kab/kota (held_region lets nothing else through)
    if held is None or held.region is None or len(held.region) != KABKOTA_CODE_CHARS:
        return None
    if len(conds) != 1:
        return None
    return AuthorScope, [AuthorScope.scope == held.region]


def _outside(session: Session, spans: Spans, conds: list[Any]) -> Counter[str]:
    """Each author's mentions that meet ``conds`` published in ``spans`` (counted, but outside
    the window).

    Counted here, not grouped in SQL: grouped by author, SQLite read the open span after the
    window through the author index, every mention (9.6 s at 1,000,000 benchmark mentions)."""
    out: Counter[str] = Counter()
    for a, b in spans:
        stmt = select(Mention.author).where(
            Mention.published_at >= a,
            Mention.published_at < b,
            Mention.author.is_not(None),
            *conds,
        )
        out.update(str(x) for x in session.scalars(stmt))
    return out
