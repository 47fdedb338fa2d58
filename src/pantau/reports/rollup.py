"""Counts from the rollups: the overview's figures without reading every mention.

``mention_rollup`` holds mentions per UTC hour, ``mention_segments`` the same per day segment
(three a UTC day, see :mod:`pantau.store.segments`). Every read here cuts its window into
the whole segments inside it, added up from ``mention_segments``, and the hours left at either
edge, from ``mention_rollup``: the sum is the hourly rollup's to the mention, and a month of one
key is ~90 rows instead of ~720. Local buckets are whole hours away from UTC in Indonesia (WIB
+7, WITA +8, WIT +9), so hourly and daily local buckets are sums of UTC hours, and a local day
of those three zones is a sum of whole segments; hourly charts, and daily ones in any other
zone, read the hours alone. A watchlist filter is not in the rollup: callers fall back to
:mod:`pantau.reports.timeseries` for it.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import func, select, union_all
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
    MentionSegment,
    MentionWatchRollup,
    MentionWatchSegment,
)
from pantau.store.search import NOISE_HIDDEN, NOISE_ONLY
from pantau.store.segments import SEGMENT_STARTS_UTC, split_window

__all__ = [
    "RollupScope",
    "rollup_issue_series",
    "rollup_regions",
    "rollup_series",
    "rollup_spans",
    "rollup_total",
]

logger = logging.getLogger(__name__)

R = MentionRollup
S = MentionSegment
Table = (
    type[MentionRollup]
    | type[MentionSegment]
    | type[MentionWatchRollup]
    | type[MentionWatchSegment]
)
#: The (hourly, segment) tables of the rollups: all mentions, or each watchlist's.
_TABLES: dict[bool, tuple[Table, Table]] = {
    False: (MentionRollup, MentionSegment),
    True: (MentionWatchRollup, MentionWatchSegment),
}
# Every read here is answered from one of the covering indexes of each table (ROLLUP_ISSUE_INDEX,
# ROLLUP_TIME_INDEX, ROLLUP_PLACE_INDEX and their SEGMENT_ twins): no read goes to a table row.

#: UTC offsets (minutes) whose local midnights are segment boundaries: WIT, WITA and WIB. A
#: daily chart in another zone (UTC itself) cuts segments, so it reads the hours.
SEGMENT_ZONES_MINUTES = frozenset((24 - h) * 60 for h in SEGMENT_STARTS_UTC)


def rollup_spans(
    start: datetime, end: datetime, *, watched: bool = False
) -> list[tuple[Table, datetime, datetime]]:
    """``[start, end)`` as the spans to add up: each with the table that holds it whole (aware
    UTC bounds, as the stored timestamps are bound); ``watched``: the watchlists' rollups."""
    hourly, segments = _TABLES[watched]
    parts = split_window(start, end)
    cuts: list[tuple[Table, datetime, datetime]] = [(hourly, a, b) for a, b in parts.edges]
    if parts.segments is not None:
        cuts.append((segments, *parts.segments))
    return [(t, a.replace(tzinfo=UTC), b.replace(tzinfo=UTC)) for t, a, b in cuts]


def _hourly(
    start: datetime, end: datetime, *, watched: bool = False
) -> list[tuple[Table, datetime, datetime]]:
    return [(_TABLES[watched][0], start, end)] if start < end else []


def _column(table: Table, column: Any) -> Any:
    """The caller's ``mention_rollup`` column, in ``table``."""
    return getattr(table, column.key)


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
        watch: str | None = None,
    ) -> None:
        self.regions = list(regions) if regions is not None else None
        self.channel = channel
        self.issue_id = ROLLUP_ALL_ISSUES if issue_id is None else issue_id
        self.sentiment = sentiment
        self.lang = lang
        self.noise = noise
        #: A watchlist's name: only its mentions, from the watchlists' rollups.
        self.watch = watch

    @property
    def watched(self) -> bool:
        """Whether the watchlists' rollups answer this scope."""
        return self.watch is not None

    def conditions(self, *, by_region: bool = False, table: Table = R) -> list[Any]:
        """The rows of ``table`` to add up; the first condition is always the issue's."""
        conds: list[Any] = [table.issue_id == self.issue_id]
        if self.watch is not None:
            if not hasattr(table, "watch"):
                raise ValueError(f"{table.__tablename__} has no watchlists: read rollup_spans'")
            conds.append(table.watch == self.watch)
        if self.channel:
            conds.append(table.channel == self.channel)
        if self.sentiment:
            conds.append(table.sentiment == self.sentiment)
        if self.lang:
            conds.append(table.lang == self.lang)
        if self.noise == NOISE_HIDDEN:
            conds.append(table.noise == "")
        elif self.noise == NOISE_ONLY:
            conds.append(table.noise != "")
        if by_region:
            conds.append(table.region != ROLLUP_ALL_REGIONS)
            if self.regions is not None:
                conds.append(table.region.in_(self.regions))
        elif self.regions is None:
            conds.append(table.region == ROLLUP_ALL_REGIONS)
        else:
            conds.append(table.region.in_(self.regions))
        return conds


def _in(table: Table, start: datetime, end: datetime) -> list[Any]:
    return [table.bucket >= start, table.bucket < end]


def _local_buckets(
    session: Session, win: Window, tz: str, *, watched: bool = False
) -> tuple[list[str], Any, dict[str, int], list[tuple[Table, datetime, datetime]]]:
    """The bucket keys of ``win`` in ``tz``, the SQL key of a row of either table, where keys
    go, and the spans to read.

    The database cuts hours or days (a few hundred groups come back instead of one row per
    hour, channel and sentiment: 6,000 for a month-long issue, see benchmarks/results/reports.md);
    buckets of several days (weekly, for long-lived issues) add up the days they span. Daily
    buckets in WIB, WITA or WIT read whole segments; hourly ones the hours.
    """
    offset = utc_offset_minutes(tz, win.end)
    dialect = session.get_bind().dialect.name
    hours = min(win.bucket_hours, 24)

    def key(table: Table) -> Any:
        return bucket_expr(dialect, table.bucket, offset, hours).label("k")

    keys = bucket_keys(win, offset)
    daily = hours >= 24 and offset in SEGMENT_ZONES_MINUTES
    spans = (rollup_spans if daily else _hourly)(win.start, win.end, watched=watched)
    days = win.bucket_hours // 24
    if days <= 1:
        return keys, key, {k: i for i, k in enumerate(keys)}, spans
    index = {
        (date.fromisoformat(k) + timedelta(days=d)).isoformat(): i
        for i, k in enumerate(keys)
        for d in range(days)
    }
    return keys, key, index, spans


def _union(parts: Sequence[Any]) -> Any:
    """One statement for the parts (one round trip): the parts' rows, one after another."""
    return parts[0] if len(parts) == 1 else union_all(*parts)


def rollup_series(
    session: Session,
    win: Window,
    tz: str,
    columns: Sequence[Any],
    scope: RollupScope,
    names: Sequence[Sequence[str]] = (),
) -> list[Series]:
    """Mentions per local bucket of ``win``, one :class:`Series` per column (channel, sentiment).

    All columns come from one grouped read per span; ``names`` lists lines to show even when
    empty.
    """
    keys, key, index, spans = _local_buckets(session, win, tz, watched=scope.watched)
    out = [
        Series(keys, {n: [0] * len(keys) for n in (names[c] if c < len(names) else ())})
        for c in range(len(columns))
    ]
    if not spans:
        return out
    parts = []
    for table, start, end in spans:
        k, cols = key(table), [_column(table, c) for c in columns]
        parts.append(
            select(k, *cols, func.sum(table.n))
            .where(*_in(table, start, end), *scope.conditions(table=table))
            .group_by(k, *cols)
        )
    for row in session.execute(_union(parts)):
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
    keys, key, index, spans = _local_buckets(session, win, tz)
    out = {i: [0] * len(keys) for i in issue_ids}
    parts = []
    for table, start, end in spans:
        k = key(table)
        parts.append(
            select(table.issue_id, k, func.sum(table.n))
            .where(
                table.issue_id.in_(issue_ids),
                table.region == ROLLUP_ALL_REGIONS,
                *_in(table, start, end),
            )
            .group_by(table.issue_id, k)
        )
    for issue_id, k, n in session.execute(_union(parts)) if parts else ():
        if n and k in index:
            out[int(issue_id)][index[k]] += int(n)
    return out


def rollup_total(session: Session, start: datetime, end: datetime, scope: RollupScope) -> int:
    """Mentions between ``start`` and ``end`` (whole hours) in ``scope``."""
    total = 0
    for table, lo, hi in rollup_spans(start, end, watched=scope.watched):
        stmt = select(func.sum(table.n)).where(*_in(table, lo, hi), *scope.conditions(table=table))
        total += int(session.scalar(stmt) or 0)
    return total


def rollup_regions(
    session: Session, win: Window, scope: RollupScope, *, limit: int = 15
) -> list[tuple[str, str, int]]:
    """Mentions per kab/kota in ``win`` as ``(code, name, count)``, busiest first."""
    parts = [
        select(table.region.label("region"), table.n.label("n")).where(
            *_in(table, start, end), *scope.conditions(by_region=True, table=table)
        )
        for table, start, end in rollup_spans(win.start, win.end, watched=scope.watched)
    ]
    if not parts:
        return []
    rows_in = _union(parts).subquery()
    total = func.sum(rows_in.c.n)
    stmt = (
        select(rows_in.c.region, total)
        .group_by(rows_in.c.region)
        .having(total > 0)
        .order_by(total.desc(), rows_in.c.region)
        .limit(limit)
    )
    rows = [(str(code), int(n)) for code, n in session.execute(stmt)]
    names = region_names(session, [c for c, _ in rows])
    return [(c, names.get(c, c), n) for c, n in rows]
