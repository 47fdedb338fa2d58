"""Which of the matching issues the overview lists, and how many are live or in crisis.

A filtered overview (a kab/kota, a sentiment, noise hidden) knows its issues as a selection:
the issues with mentions in the window and filter, read from the rollups. The page shows ten
of them by risk and five crossovers, and counts the live and crisis ones; a month of one kab/kota
at 1,000,000 benchmark mentions matches 13,445 issues, so the database ranks and counts them and
only the few shown come back (benchmarks/results/reports.md).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, func, literal, select, union_all
from sqlalchemy.orm import Session

from pantau.store.models import Issue

__all__ = ["CROSSOVERS", "CROSSOVER_ORDER", "RISK_ORDER", "TOP_ISSUES", "matching_issues"]

#: Issues in the "top by risk" table; ten fit one screen at 1366 px and one report page.
TOP_ISSUES = 10
#: Newest crossovers listed.
CROSSOVERS = 5
#: How the issue lists rank: riskiest first, newest crossover to the news first; ties go to the
#: newer issue (the larger id: SQLite's index order of ``ix_issues_risk`` walked backwards).
RISK_ORDER = (Issue.risk.desc(), Issue.id.desc())
CROSSOVER_ORDER = (Issue.first_news_at.desc().nulls_last(), Issue.id.desc())
# the kinds of row of _ranked_in_sql's one statement
_TOP, _DATED, _UNDATED, _ACTIVE, _CRISES = range(5)


def matching_issues(
    session: Session, stmt: Select[Any], listed: set[int] | None, agency_id: int | None
) -> tuple[Select[Any], int, int]:
    """The issues of a filtered ``stmt`` as a selection of the ids the lists show, and the live
    and crisis counts: the filter's matching subquery runs once here instead of once per list
    and count (four walks of a week's rollup rows, ~280,000 at 1,000,000 mentions, for "noise
    hidden"). With ``listed``, only those issues (or the agency's own) are kept of ``stmt``'s,
    in Python; else the database ranks and counts them (:func:`_ranked_in_sql`).
    """
    if listed is None:
        return _ranked_in_sql(session, stmt)
    light = stmt.with_only_columns(
        Issue.id, Issue.risk, Issue.stage, Issue.crossover, Issue.first_news_at, Issue.agency_id
    )
    mine = agency_id is not None
    rows = [
        r for r in session.execute(light) if r.id in listed or (mine and r.agency_id == agency_id)
    ]
    # the orders of RISK_ORDER and CROSSOVER_ORDER, ties to the newer issue (the larger id)
    by_risk = sorted(rows, key=lambda r: (-r.risk, -r.id))
    crossed = [r for r in rows if r.crossover]
    dated = sorted(
        (r for r in crossed if r.first_news_at is not None),
        key=lambda r: (r.first_news_at, r.id),
        reverse=True,
    )
    undated = sorted((r for r in crossed if r.first_news_at is None), key=lambda r: -r.id)
    keep = {r.id for r in by_risk[:TOP_ISSUES] + dated[:CROSSOVERS] + undated[:CROSSOVERS]}
    active = sum(1 for r in rows if r.stage != "dormant")
    crises = sum(1 for r in rows if r.stage == "crisis")
    return select(Issue).where(Issue.id.in_(sorted(keep))), active, crises


def _ranked_in_sql(session: Session, stmt: Select[Any]) -> tuple[Select[Any], int, int]:
    """:func:`matching_issues` in one statement: the matching issues once, as a common table
    (materialized), and from it the top by risk, the newest crossovers and both counts.

    Read into Python and ranked there, one kab/kota's 30 days at 1,000,000 benchmark mentions
    (13,445 issues) took 160-190 ms, of which the query alone (a count) 50-75 ms.
    """
    m = stmt.with_only_columns(
        Issue.id, Issue.risk, Issue.stage, Issue.crossover, Issue.first_news_at
    ).cte("matching")
    # used five times, so PostgreSQL (12+) and SQLite (3.35+) both evaluate it once, as if
    # MATERIALIZED (not spelled out: older SQLite would not parse the word)

    def part(
        kind: int, value: Any, *where: Any, order: tuple[Any, ...] = (), limit: int = 0
    ) -> Any:
        sel = select(literal(kind).label("kind"), value.label("value")).where(*where)
        if limit:
            sel = sel.order_by(*order).limit(limit)
        return select(sel.subquery())  # an ORDER BY and LIMIT of its own inside the union

    crossover = m.c.crossover.is_(True)
    parts = [
        part(_TOP, m.c.id, order=(m.c.risk.desc(), m.c.id.desc()), limit=TOP_ISSUES),
        part(
            _DATED,
            m.c.id,
            crossover,
            m.c.first_news_at.is_not(None),
            order=(m.c.first_news_at.desc(), m.c.id.desc()),
            limit=CROSSOVERS,
        ),
        part(
            _UNDATED,
            m.c.id,
            crossover,
            m.c.first_news_at.is_(None),
            order=(m.c.id.desc(),),
            limit=CROSSOVERS,
        ),
        part(_ACTIVE, func.count(), m.c.stage != "dormant"),
        part(_CRISES, func.count(), m.c.stage == "crisis"),
    ]
    keep: set[int] = set()
    counts = {_ACTIVE: 0, _CRISES: 0}
    for kind, value in session.execute(union_all(*parts)):
        if kind in counts:
            counts[kind] = int(value or 0)
        else:
            keep.add(int(value))
    stmt = select(Issue).where(Issue.id.in_(sorted(keep)))
    return stmt, counts[_ACTIVE], counts[_CRISES]
