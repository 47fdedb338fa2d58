"""Day segments: the coarsest UTC buckets that still add up to any Indonesian local day exactly.

A pre-aggregate by UTC day cannot answer a local day: WIB (UTC+7), WITA (UTC+8) and WIT (UTC+9)
days start at 17.00, 16.00 and 15.00 UTC of the day before. Cutting each UTC day at those three
hours gives three segments, [15, 16), [16, 17) and [17, 15 of the next day), and every local
midnight of the three zones falls on a segment boundary: a local day is exactly three
consecutive segments, a month of local days ~90 rows per key instead of ~720 hourly ones.

A window that does not start or end on a segment boundary (the last 7 x 24 hours, say) is split
by :func:`split_window` into the whole segments inside it, read from the segment aggregate, and
the hours at either edge, read from the hourly rollup: the sum is exact whatever the window.

Timestamps here are naive UTC, like the stored ones (see :mod:`pantau.store.types`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Integer, cast, func, literal_column

__all__ = [
    "PG_SEGMENT_START_FUNCTION",
    "SEGMENT_STARTS_UTC",
    "WindowParts",
    "is_boundary",
    "segment_ceil",
    "segment_floor",
    "segment_start_sql",
    "split_window",
    "sqlite_segment_start",
]

#: UTC hours at which a segment starts: the local midnights of WIT (+9), WITA (+8) and WIB (+7).
SEGMENT_STARTS_UTC = (15, 16, 17)
_FIRST = SEGMENT_STARTS_UTC[0]
# Shifted by the first start, segments begin at 0, 1 and 2 o'clock of the shifted day.
_SHIFT = timedelta(hours=_FIRST)
_LONG_FROM = SEGMENT_STARTS_UTC[-1] - _FIRST


def _naive(ts: datetime) -> datetime:
    """``ts`` as naive UTC."""
    if ts.tzinfo is None:
        return ts
    return ts.replace(tzinfo=None) - (ts.utcoffset() or timedelta(0))


def segment_floor(ts: datetime) -> datetime:
    """The start of the segment holding ``ts`` (naive UTC; an aware ``ts`` is converted)."""
    shifted = _naive(ts) - _SHIFT
    day = shifted.replace(hour=0, minute=0, second=0, microsecond=0)
    hour = min(shifted.hour, _LONG_FROM)
    return day + timedelta(hours=hour) + _SHIFT


def is_boundary(ts: datetime) -> bool:
    """Whether ``ts`` is the start of a segment."""
    return segment_floor(ts) == _naive(ts)


def segment_ceil(ts: datetime) -> datetime:
    """The first segment start at or after ``ts``."""
    floor = segment_floor(ts)
    if floor == _naive(ts):
        return floor
    long_segment = floor.hour == SEGMENT_STARTS_UTC[-1]
    return floor + timedelta(hours=24 - _LONG_FROM if long_segment else 1)


@dataclass(frozen=True)
class WindowParts:
    """A window ``[start, end)`` cut into its whole segments and the edges around them.

    ``segments`` is ``(first, stop)``: every segment whose start lies in ``[first, stop)`` lies
    wholly in the window; ``None`` when no whole segment fits. ``edges`` are the spans left at
    either end, to be read from a finer source (the hourly rollup, or the mentions)."""

    segments: tuple[datetime, datetime] | None
    edges: tuple[tuple[datetime, datetime], ...]


def split_window(start: datetime, end: datetime) -> WindowParts:
    """Cut ``[start, end)`` into whole segments and the edges before and after them."""
    start, end = _naive(start), _naive(end)
    if end <= start:
        return WindowParts(None, ())
    first, stop = segment_ceil(start), segment_floor(end)
    if first >= stop:
        return WindowParts(None, ((start, end),))
    edges = tuple(span for span in ((start, first), (stop, end)) if span[0] < span[1])
    return WindowParts((first, stop), edges)


def segment_start_sql(dialect: str, column: Any) -> Any:
    """A SQL expression for the segment start of a timestamp ``column``, as it is stored.

    SQLite stores naive timestamps as text (``YYYY-MM-DD HH:MM:SS.ffffff``), so the expression
    yields that text; PostgreSQL yields a ``timestamp``. Both agree with :func:`segment_floor`.
    """
    if dialect == "sqlite":
        shifted = func.datetime(column, f"-{_FIRST} hours")
        hour = func.min(cast(func.strftime("%H", shifted), Integer), _LONG_FROM)
        start = func.datetime(func.date(shifted), func.printf("+%d hours", hour + _FIRST))
        return func.strftime("%Y-%m-%d %H:%M:%S.000000", start)
    shifted = column - literal_column(f"interval '{_FIRST} hours'")
    hours = func.least(func.extract("hour", shifted), _LONG_FROM) + _FIRST
    return func.date_trunc("day", shifted) + hours * literal_column("interval '1 hour'")


# The same segment start as SQL text, for the triggers the migrations write (they cannot hold a
# SQLAlchemy expression): shifted back by the first start, a segment starts at hour 0, 1 or 2 of
# the shifted day (hours 2-23 are one segment).


def sqlite_segment_start(ts: str) -> str:
    """SQLite: the segment start of the text timestamp ``ts`` (a SQL expression), in the stored
    text format; what the migrations' triggers bucket day segments by.

    >>> print(sqlite_segment_start("new.published_at"))  # doctest: +NORMALIZE_WHITESPACE
    strftime('%Y-%m-%d %H:00:00.000000', date(new.published_at, '-15 hours'),
             printf('+%d hours', min(CAST(strftime('%H', new.published_at, '-15 hours')
                                          AS INTEGER), 2) + 15))
    """
    shift = f"'-{_FIRST} hours'"
    hour = f"min(CAST(strftime('%H', {ts}, {shift}) AS INTEGER), {_LONG_FROM}) + {_FIRST}"
    return f"strftime('%Y-%m-%d %H:00:00.000000', date({ts}, {shift}), printf('+%d hours', {hour}))"


_PG_SHIFTED = f"ts - interval '{_FIRST} hours'"
#: PostgreSQL: ``pantau_segment_start(ts)``, the segment start of a naive UTC timestamp, for the
#: statement triggers (migration 0013_agg4_mention_segments creates it).
PG_SEGMENT_START_FUNCTION = f"""CREATE OR REPLACE FUNCTION pantau_segment_start(ts timestamp)
    RETURNS timestamp AS $$
        SELECT date_trunc('day', {_PG_SHIFTED})
               + least(date_trunc('hour', {_PG_SHIFTED})
                       - date_trunc('day', {_PG_SHIFTED}), interval '{_LONG_FROM} hours')
               + interval '{_FIRST} hours'
    $$ LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE"""
