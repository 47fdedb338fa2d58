"""Counting mentions per time bucket and per kab/kota in SQL, the same way on SQLite and PostgreSQL.

Buckets are cut in the installation's time zone (a day of a WITA office starts at 00.00 WITA,
not UTC). Indonesian zones have no daylight saving, so one fixed offset per query is exact.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Select, func, literal_column, select
from sqlalchemy.orm import Session

from pantau.reports.filters import Window
from pantau.store.models import Mention, Region

__all__ = [
    "Series",
    "WindowCounts",
    "bucket_expr",
    "bucket_keys",
    "count_regions",
    "count_series",
    "count_window",
    "region_code_sql",
    "region_names",
    "utc_offset_minutes",
]

#: Characters of a Kemendagri code that name the kab/kota ("64.72" of "64.72.01.1001").
KABKOTA_CODE_CHARS = 5


@dataclass
class Series:
    """Counts per bucket for several named lines (channels or sentiment labels)."""

    keys: list[str]  # bucket starts, local time, "YYYY-MM-DD HH" or "YYYY-MM-DD"
    lines: dict[str, list[int]]

    def total(self, name: str) -> int:
        return sum(self.lines.get(name, []))

    def as_chart(self) -> dict[str, Any]:
        """A JSON-safe shape that ``static/charts.js`` and the PDF charts draw."""
        return {"keys": self.keys, "lines": self.lines}


def utc_offset_minutes(tz: str, at: datetime) -> int:
    """Minutes ``tz`` is ahead of UTC at ``at`` (480 for WITA)."""
    offset = at.astimezone(ZoneInfo(tz)).utcoffset() or timedelta(0)
    return int(offset.total_seconds() // 60)


def bucket_expr(dialect: str, column: Any, offset_minutes: int, bucket_hours: int) -> Any:
    """A SQL expression giving the local bucket key of ``column`` (hourly or daily)."""
    daily = bucket_hours >= 24
    if dialect == "sqlite":
        fmt = "%Y-%m-%d" if daily else "%Y-%m-%d %H"
        return func.strftime(fmt, column, f"{offset_minutes:+d} minutes")
    fmt = "YYYY-MM-DD" if daily else "YYYY-MM-DD HH24"
    shifted = column + literal_column(f"interval '{int(offset_minutes)} minutes'")
    return func.to_char(shifted, fmt)


def bucket_keys(window: Window, offset_minutes: int) -> list[str]:
    """Every bucket key of ``window``, oldest first, so that empty buckets show as zero."""
    step = timedelta(hours=window.bucket_hours)
    shift = timedelta(minutes=offset_minutes)
    daily = window.bucket_hours >= 24
    cursor = window.start.astimezone(UTC) + shift
    if daily:
        cursor = cursor.replace(hour=0, minute=0, second=0, microsecond=0)
    keys: list[str] = []
    while cursor < window.end + shift:
        keys.append(cursor.strftime("%Y-%m-%d" if daily else "%Y-%m-%d %H"))
        cursor += step
    return keys


def count_series(
    session: Session,
    window: Window,
    tz: str,
    group: Any,
    conditions: Sequence[Any] = (),
    names: Sequence[str] = (),
) -> Series:
    """Mentions in ``window`` per bucket and per value of ``group`` (channel, sentiment...)."""
    dialect = session.get_bind().dialect.name
    offset = utc_offset_minutes(tz, window.end)
    key = bucket_expr(dialect, Mention.published_at, offset, window.bucket_hours).label("k")
    stmt: Select[Any] = (
        select(group.label("g"), key, func.count().label("n"))
        .where(Mention.published_at >= window.start, Mention.published_at < window.end)
        .where(*conditions)
        .group_by(group, key)
    )
    keys = bucket_keys(window, offset)
    index = {k: i for i, k in enumerate(keys)}
    lines: dict[str, list[int]] = {n: [0] * len(keys) for n in names}
    for g, k, n in session.execute(stmt):
        name = g or "unknown"
        line = lines.setdefault(name, [0] * len(keys))
        if k in index:
            line[index[k]] += int(n)
    return Series(keys, lines)


@dataclass
class WindowCounts:
    """What a filtered view needs from the mentions of its window, read in one pass."""

    volume: Series  # per channel
    sentiment: Series  # per sentiment label
    issue_ids: set[int]  # issues with at least one matching mention


def count_window(
    session: Session,
    window: Window,
    tz: str,
    conditions: Sequence[Any],
    names: tuple[Sequence[str], Sequence[str]] = ((), ()),
) -> WindowCounts:
    """Mentions in ``window`` per bucket, channel, sentiment and issue, in one grouped read.

    Filters the rollup cannot answer (author, outlet, watchlist, kecamatan) read the mentions;
    one pass instead of one per figure keeps that to a single walk over the window.
    """
    dialect = session.get_bind().dialect.name
    offset = utc_offset_minutes(tz, window.end)
    key = bucket_expr(dialect, Mention.published_at, offset, window.bucket_hours).label("k")
    stmt: Select[Any] = (
        select(key, Mention.channel, Mention.sentiment, Mention.issue_id, func.count())
        .where(Mention.published_at >= window.start, Mention.published_at < window.end)
        .where(*conditions)
        .group_by(key, Mention.channel, Mention.sentiment, Mention.issue_id)
    )
    keys = bucket_keys(window, offset)
    index = {k: i for i, k in enumerate(keys)}
    volume = Series(keys, {n: [0] * len(keys) for n in names[0]})
    sentiment = Series(keys, {n: [0] * len(keys) for n in names[1]})
    issue_ids: set[int] = set()
    for k, channel, label, issue_id, n in session.execute(stmt):
        if issue_id is not None:
            issue_ids.add(int(issue_id))
        if k not in index:
            continue
        for series, name in ((volume, channel), (sentiment, label)):
            line = series.lines.setdefault(name or "unknown", [0] * len(keys))
            line[index[k]] += int(n)
    return WindowCounts(volume, sentiment, issue_ids)


def region_code_sql(dialect: str, chars: int = KABKOTA_CODE_CHARS) -> tuple[Any, str]:
    """A table-valued function over ``mentions.regions`` and the code expression of one element,
    cut to ``chars`` characters (a kab/kota by default, 8 for a kecamatan).

    Elements are either codes (``"64.72"``) or objects (``{"code": "64.72", "name": ...}``).
    """
    if dialect == "sqlite":
        elements = func.json_each(Mention.regions).table_valued("value", "type").alias("j")
        code = "CASE WHEN j.type = 'object' THEN json_extract(j.value, '$.code') ELSE j.value END"
        return elements, f"substr({code}, 1, {int(chars)})"
    elements = func.json_array_elements(Mention.regions).table_valued("value").alias("j")
    code = "CASE WHEN json_typeof(j.value) = 'object' THEN j.value->>'code' ELSE j.value#>>'{}' END"
    return elements, f"substr({code}, 1, {int(chars)})"


def count_regions(
    session: Session, conditions: Sequence[Any], *, limit: int = 15
) -> list[tuple[str, str, int]]:
    """Mentions per kab/kota as ``(code, name, count)``, busiest first."""
    dialect = session.get_bind().dialect.name
    elements, code_sql = region_code_sql(dialect)
    code: Any = literal_column(code_sql).label("code")
    stmt: Select[Any] = (
        select(code, func.count(func.distinct(Mention.id)).label("n"))
        .select_from(Mention)
        .join(elements, literal_column("1") == literal_column("1"))
        .where(*conditions)
        .group_by(literal_column("code"))
        .order_by(literal_column("n").desc())
        .limit(limit)
    )
    rows = [(str(c), int(n)) for c, n in session.execute(stmt) if c]
    names = region_names(session, [c for c, _ in rows])
    return [(c, names.get(c, c), n) for c, n in rows]


def region_names(session: Session, codes: Sequence[str]) -> dict[str, str]:
    """Names of Kemendagri codes, from the regions table (codes without a row keep the code)."""
    if not codes:
        return {}
    rows = session.execute(select(Region.code, Region.name).where(Region.code.in_(set(codes))))
    return {str(c): str(n) for c, n in rows}
