"""Sliding the analysis page's range counts forward as time passes.

``author_counts``, ``author_scopes`` and ``range_places`` hold each author's (in the nation,
per kab/kota and per province) and each place's mentions published since their range's start
(migrations ``0015_anal5_range_counts`` and ``0016_pg7_range_tenants``, whose triggers count
every write); the page reads a window as those counts less the few mentions outside it
(:mod:`pantau.reports.analysis_ranges`),
so the closer a start is to the window's, the less it reads. :func:`slide` moves each start to
where the window ending at ``end`` starts: it subtracts the mentions it passes (adds those it
reaches again when it moves back), and counts the range afresh only when it moves by a whole
range or more (the same mentions read either way).

On PostgreSQL it takes the rollups' transaction lock first, as the triggers do: a mention
written while it moves is counted by the trigger against the start it will be subtracted from,
never against one on either side of it.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from typing import Any, cast

from sqlalchemy import Table, TextClause, bindparam, delete, func, insert, literal, select, text
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from pantau.store.models import Mention
from pantau.store.partitions import migration, rollup_lock
from pantau.store.reports_models import AuthorCount, AuthorScope, RangePlace, RangeStart

__all__ = ["as_utc", "slide"]

logger = logging.getLogger(__name__)

#: The migration whose SQL counts a mention's places and authors' scopes, as its triggers do.
_RANGES = "0016_pg7_range_tenants"
#: The range-count tables that ``migration(_RANGES)`` counts with SQL (the authors' are
#: counted here), each with the function that counts a span into it.
_COUNTED = ((RangePlace, "places"), (AuthorScope, "scopes"))


def as_utc(ts: datetime) -> datetime:
    """``ts`` as an aware UTC time (a naive one is taken as UTC, as the store keeps them)."""
    return ts.replace(tzinfo=UTC) if ts.tzinfo is None else ts.astimezone(UTC)


def slide(session: Session, end: datetime) -> int:
    """Move every range's start to ``end`` less its length; returns the ranges moved.

    Run in a write transaction (the caller commits); idempotent."""
    end = as_utc(end)
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": rollup_lock()})
    moved = 0
    for row in session.scalars(select(RangeStart).order_by(RangeStart.hours)):
        start, old = end - timedelta(hours=row.hours), as_utc(row.start)
        if start == old:
            continue
        if abs(start - old) < timedelta(hours=row.hours):
            # forward: the mentions passed come off; back: those it reaches again are added
            a, b, sign = (old, start, -1) if start > old else (start, old, 1)
            _shift(session, row.hours, a, b, sign)
        else:
            _recount(session, row.hours, start)
        row.start = start
        moved += 1
    if moved:
        for model in (AuthorCount, AuthorScope, RangePlace):
            session.execute(delete(model).where(model.n <= 0))
        session.flush()
        logger.info("hitungan rentang analisis digeser ke %s (%d rentang)", end, moved)
    return moved


def _shift(session: Session, hours: int, a: datetime, b: datetime, sign: int) -> None:
    """Add the mentions published in ``[a, b)`` to range ``hours``, each counted ``sign``."""
    authors = (
        select(Mention.author, func.count())
        .where(Mention.published_at >= a, Mention.published_at < b)
        .where(Mention.author.is_not(None))
        .group_by(Mention.author)
    )
    rows = [{"hours": hours, "author": x, "n": sign * n} for x, n in session.execute(authors)]
    _upsert(session, AuthorCount, rows)
    dialect = session.get_bind().dialect.name
    for model, what in _COUNTED:
        passed = getattr(migration(_RANGES), f"{what}_passed")(dialect)
        rows = [
            {**row._mapping, "hours": hours, "n": sign * row.n}
            for row in session.execute(_sql(passed, a=a, b=b))
        ]
        _upsert(session, model, rows)


def _upsert(
    session: Session,
    model: type[AuthorCount] | type[AuthorScope] | type[RangePlace],
    rows: list[dict[str, Any]],
) -> None:
    """Add each row's ``n`` to the row of its key (a new key starts at it)."""
    if not rows:
        return
    table = cast(Table, model.__table__)
    insert_ = sqlite_insert if session.get_bind().dialect.name == "sqlite" else pg_insert
    stmt = insert_(table)
    keys = [c.name for c in table.primary_key.columns]
    session.connection().execute(
        stmt.on_conflict_do_update(index_elements=keys, set_={"n": table.c.n + stmt.excluded.n}),
        rows,
    )


def _sql(sql: str, **times: datetime) -> TextClause:
    """``sql`` of the range migration with its time parameters bound as the store's times."""
    kind = Mention.published_at.type
    return text(sql).bindparams(*(bindparam(k, v, type_=kind) for k, v in times.items()))


def _recount(session: Session, hours: int, start: datetime) -> None:
    """Count range ``hours`` afresh from ``start``.

    The span is closed at the newest mention: open-ended and grouped by author, SQLite read it
    through the author index, every mention (9.6 s at 1,000,000 benchmark mentions)."""
    for model in (AuthorCount, AuthorScope, RangePlace):
        session.execute(delete(model).where(model.hours == hours))
    newest = session.scalar(select(func.max(Mention.published_at)))
    if newest is None or newest < start:
        return
    fresh = (
        select(literal(hours), Mention.author, func.count())
        .where(Mention.published_at >= start, Mention.published_at <= newest)
        .where(Mention.author.is_not(None))
        .group_by(Mention.author)
    )
    session.execute(insert(AuthorCount).from_select(["hours", "author", "n"], fresh))
    dialect = session.get_bind().dialect.name
    for _, what in _COUNTED:
        sql = getattr(migration(_RANGES), f"count_{what}")(dialect, hours, "a", "b")
        session.execute(_sql(sql, a=start, b=newest + timedelta(microseconds=1)))
