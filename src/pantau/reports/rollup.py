"""Counts from ``mention_rollup``: the overview's figures without reading every mention.

The rollup holds mentions per UTC hour (see :class:`pantau.store.reports_models.MentionRollup`);
local buckets are whole hours away from UTC in Indonesia (WIB +7, WITA +8, WIT +9), so hourly
and daily local buckets are sums of UTC hours. A watchlist filter is not in the rollup: callers
fall back to :mod:`pantau.reports.timeseries` for it.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from pantau.reports.filters import Window
from pantau.reports.timeseries import (
    Series,
    bucket_expr,
    bucket_keys,
    region_names,
    utc_offset_minutes,
)
from pantau.store.reports_models import (
    ROLLUP_ALL_ISSUES,
    ROLLUP_ALL_REGIONS,
    MentionRollup,
)
from pantau.store.search import NOISE_HIDDEN, NOISE_ONLY

__all__ = [
    "RollupScope",
    "rollup_issue_series",
    "rollup_regions",
    "rollup_series",
    "rollup_total",
]

logger = logging.getLogger(__name__)

R = MentionRollup
# Every read here is answered from one of the two covering indexes of mention_rollup
# (ROLLUP_ISSUE_INDEX, ROLLUP_TIME_INDEX): whichever SQLite's planner picks reads no table row.


class RollupScope:
    """Which rollup rows a view adds up: one issue or all, some kab/kota or all, and at most one
    channel, sentiment and language, with or without the noise."""

    def __init__(
        self,
        *,
        regions: Sequence[str] | None = None,
        channel: str | None = None,
        issue_id: int | None = None,
        sentiment: str | None = None,
        lang: str | None = None,
        noise: str | None = None,
    ) -> None:
        self.regions = list(regions) if regions is not None else None
        self.channel = channel
        self.issue_id = ROLLUP_ALL_ISSUES if issue_id is None else issue_id
        self.sentiment = sentiment
        self.lang = lang
        self.noise = noise

    def conditions(self, *, by_region: bool = False) -> list[Any]:
        """The rows to add up; the first condition is always the issue's."""
        conds: list[Any] = [R.issue_id == self.issue_id]
        if self.channel:
            conds.append(R.channel == self.channel)
        if self.sentiment:
            conds.append(R.sentiment == self.sentiment)
        if self.lang:
            conds.append(R.lang == self.lang)
        if self.noise == NOISE_HIDDEN:
            conds.append(R.noise == "")
        elif self.noise == NOISE_ONLY:
            conds.append(R.noise != "")
        if by_region:
            conds.append(R.region != ROLLUP_ALL_REGIONS)
            if self.regions is not None:
                conds.append(R.region.in_(self.regions))
        elif self.regions is None:
            conds.append(R.region == ROLLUP_ALL_REGIONS)
        else:
            conds.append(R.region.in_(self.regions))
        return conds


def _in(win: Window) -> list[Any]:
    return [R.bucket >= (win.start), R.bucket < (win.end)]


def _local_buckets(session: Session, win: Window, tz: str) -> tuple[list[str], Any, dict[str, int]]:
    """The bucket keys of ``win`` in ``tz``, the SQL key of a rollup row and where keys go.

    The database cuts hours or days (a few hundred groups come back instead of one row per
    hour, channel and sentiment: 6,000 for a month-long issue, see benchmarks/results/reports.md);
    buckets of several days (weekly, for long-lived issues) add up the days they span.
    """
    offset = utc_offset_minutes(tz, win.end)
    dialect = session.get_bind().dialect.name
    key = bucket_expr(dialect, R.bucket, offset, min(win.bucket_hours, 24)).label("k")
    keys = bucket_keys(win, offset)
    days = win.bucket_hours // 24
    if days <= 1:
        return keys, key, {k: i for i, k in enumerate(keys)}
    index = {
        (date.fromisoformat(k) + timedelta(days=d)).isoformat(): i
        for i, k in enumerate(keys)
        for d in range(days)
    }
    return keys, key, index


def rollup_series(
    session: Session,
    win: Window,
    tz: str,
    columns: Sequence[Any],
    scope: RollupScope,
    names: Sequence[Sequence[str]] = (),
) -> list[Series]:
    """Mentions per local bucket of ``win``, one :class:`Series` per column (channel, sentiment).

    All columns come from one grouped read; ``names`` lists lines to show even when empty.
    """
    keys, key, index = _local_buckets(session, win, tz)
    out = [
        Series(keys, {n: [0] * len(keys) for n in (names[c] if c < len(names) else ())})
        for c in range(len(columns))
    ]
    stmt: Select[Any] = (
        select(key, *columns, func.sum(R.n))
        .where(*_in(win), *scope.conditions())
        .group_by(key, *columns)
    )
    for row in session.execute(stmt):
        k, values, n = row[0], row[1:-1], row[-1]
        if not n or k not in index:
            continue
        for series, value in zip(out, values, strict=True):
            name = str(value) if value not in (None, "") else "unknown"
            line = series.lines.setdefault(name, [0] * len(keys))
            line[index[k]] += int(n)
    return out


def rollup_issue_series(
    session: Session, win: Window, tz: str, issue_ids: Sequence[int]
) -> dict[int, list[int]]:
    """Mentions per local bucket of ``win`` for each issue (sparklines), in one read."""
    if not issue_ids:
        return {}
    keys, key, index = _local_buckets(session, win, tz)
    out = {i: [0] * len(keys) for i in issue_ids}
    stmt = (
        select(R.issue_id, key, func.sum(R.n))
        .where(R.issue_id.in_(issue_ids), R.region == ROLLUP_ALL_REGIONS, *_in(win))
        .group_by(R.issue_id, key)
    )
    for issue_id, k, n in session.execute(stmt):
        if n and k in index:
            out[int(issue_id)][index[k]] += int(n)
    return out


def rollup_total(session: Session, start: datetime, end: datetime, scope: RollupScope) -> int:
    """Mentions between ``start`` and ``end`` (whole hours) in ``scope``."""
    stmt = select(func.sum(R.n)).where(R.bucket >= start, R.bucket < end, *scope.conditions())
    return int(session.scalar(stmt) or 0)


def rollup_regions(
    session: Session, win: Window, scope: RollupScope, *, limit: int = 15
) -> list[tuple[str, str, int]]:
    """Mentions per kab/kota in ``win`` as ``(code, name, count)``, busiest first."""
    total = func.sum(R.n)
    stmt = (
        select(R.region, total)
        .where(*_in(win), *scope.conditions(by_region=True))
        .group_by(R.region)
        .having(total > 0)
        .order_by(total.desc(), R.region)
        .limit(limit)
    )

    rows = [(str(code), int(n)) for code, n in session.execute(stmt)]
    names = region_names(session, [c for c, _ in rows])
    return [(c, names.get(c, c), n) for c, n in rows]
