"""Day segments: local days of WIB, WITA and WIT are whole segments; SQL agrees with Python."""

from __future__ import annotations

import itertools
import random
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import Column, DateTime, MetaData, Table, func, insert, literal_column, select, text

from pantau.store.db import Database
from pantau.store.segments import (
    PG_SEGMENT_START_FUNCTION,
    is_boundary,
    segment_ceil,
    segment_floor,
    segment_start_sql,
    split_window,
    sqlite_segment_start,
)

ZONES = ("Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura")


@pytest.mark.parametrize("zone", ZONES)
def test_every_local_midnight_is_a_segment_boundary(zone: str) -> None:
    tz = ZoneInfo(zone)
    for day in range(0, 400, 7):
        local = datetime(2026, 1, 1, tzinfo=tz) + timedelta(days=day)
        assert is_boundary(local.astimezone(UTC).replace(tzinfo=None))


def test_floor_and_ceil_bracket_every_hour() -> None:
    base = datetime(2026, 3, 1)
    starts = set()
    for minutes in range(0, 3 * 24 * 60, 17):
        ts = base + timedelta(minutes=minutes)
        floor, ceil = segment_floor(ts), segment_ceil(ts)
        assert floor <= ts <= ceil
        assert is_boundary(floor) and is_boundary(ceil)
        assert ceil - floor <= timedelta(hours=22)
        starts.add(floor.hour)
    assert starts == {15, 16, 17}
    assert segment_floor(datetime(2026, 3, 2, 3, 30)) == datetime(2026, 3, 1, 17)
    assert segment_ceil(datetime(2026, 3, 2, 15, 0, 1)) == datetime(2026, 3, 2, 16)


def test_aware_timestamps_are_read_as_utc() -> None:
    wita = ZoneInfo("Asia/Makassar")
    assert segment_floor(datetime(2026, 3, 2, 0, 30, tzinfo=wita)) == datetime(2026, 3, 1, 16)


def test_split_window_covers_the_window_exactly() -> None:
    rng = random.Random(7)
    base = datetime(2026, 5, 1)
    for _ in range(500):
        start = base + timedelta(minutes=rng.randrange(0, 60 * 24 * 20))
        end = start + timedelta(minutes=rng.randrange(1, 60 * 24 * 12))
        parts = split_window(start, end)
        spans = list(parts.edges)
        if parts.segments:
            first, stop = parts.segments
            assert is_boundary(first) and is_boundary(stop)
            spans.append((first, stop))
        spans.sort()
        assert spans[0][0] == start and spans[-1][1] == end
        for (_, a_end), (b_start, _) in itertools.pairwise(spans):
            assert a_end == b_start
    assert split_window(base, base) == split_window(base, base - timedelta(hours=1))
    assert split_window(base, base).segments is None


def test_sql_expression_agrees_with_python(store_url: str) -> None:
    rng = random.Random(11)
    day = datetime(2026, 2, 27)
    stamps = [day + timedelta(seconds=rng.randrange(0, 86400 * 5)) for _ in range(300)]
    stamps += [datetime(2026, 6, 1, h, 0, 0) for h in range(24)]
    db = Database(store_url)
    meta = MetaData()
    table = Table("seg_probe", meta, Column("ts", DateTime))
    meta.create_all(db.engine)
    try:
        with db.engine.begin() as conn:
            conn.execute(insert(table), [{"ts": ts} for ts in stamps])
            dialect = conn.dialect.name
            # the triggers' text form too (the migrations' pantau_segment_start, or SQLite's)
            if dialect == "postgresql":
                conn.execute(text(PG_SEGMENT_START_FUNCTION))
                triggers = func.pantau_segment_start(table.c.ts)
            else:
                triggers = literal_column(sqlite_segment_start("seg_probe.ts"))
            rows = conn.execute(
                select(table.c.ts, segment_start_sql(dialect, table.c.ts), triggers)
            ).all()
    finally:
        db.engine.dispose()
    assert len(rows) == len(stamps)
    for ts, *starts in rows:
        for start in starts:
            got = datetime.fromisoformat(start) if isinstance(start, str) else start
            assert got == segment_floor(ts), (dialect, ts, start)
