"""PostgreSQL's estimates of the place and watchlist filters: every month's partition carries
statistics on the texts the filters match, so the search walks the newest mentions instead of
sorting every match of a guessed-small filter (migration 0015_list5_mention_statistics)."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import insert, select, text

from pantau.store import Agency, Database, Mention, Source, Watchlist
from pantau.store import partitions as parts
from pantau.store.search import MentionFilter, filter_select

pytestmark = pytest.mark.postgres

T0 = datetime(2026, 11, 20, 3, 0, tzinfo=UTC)
MONTH = parts.partition_name(date(2026, 11, 1))
#: Mentions in the test's month; one in ten names the kab/kota and one in eight the watchlist,
#: about the benchmark's shares (a guessed LIKE selectivity is 0.5 %: 12 of these 2,400).
MENTIONS = 2400


@pytest.fixture
def db(pg_db: Database) -> Database:
    return pg_db


def _statistics(db: Database) -> dict[str, set[str]]:
    """Each table's statistics objects' names."""
    with db.engine.connect() as conn:
        rows = conn.execute(
            text("SELECT stxrelid::regclass::text, stxname FROM pg_statistic_ext")
        ).all()
    out: dict[str, set[str]] = {}
    for table, name in rows:
        out.setdefault(table, set()).add(name)
    return out


def _fill(db: Database) -> None:
    with db.writer() as s:
        src = Source(name="impor", kind="import", channel="social")
        s.add(src)
        agency = Agency(name="Diskominfo", level="provinsi")
        s.add(agency)
        s.flush()
        s.add(Watchlist(agency_id=agency.id, name="Banjir", query="banjir"))
        rows: list[dict[str, Any]] = [
            {
                "source_id": src.id,
                "external_id": f"m{n}",
                "text": f"teks {n}",
                "channel": "social",
                "published_at": T0 - timedelta(minutes=n),
                "sentiment": "negative" if n % 2 else "neutral",
                "regions": ["64.72" if n % 10 == 0 else f"64.0{n % 9 + 1}"],
                "watch": ["Banjir"] if n % 8 == 0 else [],
            }
            for n in range(MENTIONS)
        ]
        s.execute(insert(Mention.__table__), rows)
    with db.engine.begin() as conn:  # the month's partition, made after its rows came
        assert parts.ensure(conn, T0.date(), 0) == [MONTH]
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text(f"ANALYZE {MONTH}"))


def _estimate_and_count(db: Database, f: MentionFilter) -> tuple[float, int]:
    """The planner's row estimate for the mentions ``f`` matches, and how many do."""
    with db.session() as s:
        stmt = filter_select(s, select(Mention.id), f)
        sql = str(stmt.compile(s.get_bind(), compile_kwargs={"literal_binds": True}))
        plan = s.execute(text(f"EXPLAIN (FORMAT JSON) {sql}")).scalar_one()
        plan = json.loads(plan) if isinstance(plan, str) else plan
        return float(plan[0]["Plan"]["Plan Rows"]), len(s.execute(stmt).all())


def test_every_month_partition_has_the_filters_statistics(db: Database) -> None:
    with db.engine.begin() as conn:
        made = parts.ensure(conn, date(2031, 5, 1), 0)
    assert made == ["mentions_y2031m05"]
    stats = _statistics(db)
    with db.engine.connect() as conn:
        months = [p.name for p in parts.list_partitions(conn)]
    assert "mentions_y2031m05" in months and parts.DEFAULT_PARTITION in months
    for name in months:
        assert stats.get(name) == {f"{name}_places", f"{name}_watch"}, name


@pytest.mark.parametrize(
    ("f", "share", "within"),
    [
        (MentionFilter(region="64.72"), 1 / 10, 1.5),
        (MentionFilter(region="64.03", sentiment="negative"), 1 / 18, 1.5),
        # "any watchlist" and "this one" are estimated as independent: 1/64 for 1/8 here
        (MentionFilter(watchlist_id=1), 1 / 8, 8.0),
    ],
)
def test_the_planner_knows_how_many_mentions_a_place_or_watchlist_matches(
    db: Database, f: MentionFilter, share: float, within: float
) -> None:
    _fill(db)
    estimate, matched = _estimate_and_count(db, f)
    assert abs(matched - share * MENTIONS) <= 0.01 * MENTIONS
    # guessed, the LIKE was 0.5 % of the month: 12 rows for any of these
    assert matched / within <= estimate <= matched * within, (estimate, matched)
