"""The analysis page at 1,000,000 mentions: its authors and places counted per range.

The top authors were a GROUP BY over the window's mentions: at 1,000,000 benchmark mentions
480-520 ms for 7 days (233,000 mentions of 49,500 authors) and 0.9-1.1 s for 30 days. The issue
counts of the places read the (place, issue) pairs of the window's day segments, about one a
mention (97,796 for a week, 433,093 for 30 days, ~300 ms and ~1 s), and the hours at the
window's edges from the mentions. Counts per day segment do not shrink these (an author or a
(place, issue) pair has about one mention a segment), so the counts here are kept per *range*
of the page instead:

- ``range_starts``: for each fixed range of the page (24, 168 and 720 hours, the ``RANGES`` of
  :mod:`pantau.reports.filters`), the time from which it counts;
- ``author_counts``: each author's mentions published at or after that start, ~50,000 rows a
  range where the window held up to 1,000,000 mentions;
- ``range_places``: the same for each kab/kota and kecamatan a mention names (as
  ``segment_places`` counts them: issue 0 for all mentions, and per issue).

The triggers count every write at or after a start (SQLite row triggers, PostgreSQL statement
triggers over the transition tables, which take the rollups' ``ROLLUP_LOCK`` first so that a
slide of the starts queues with them); ``pantau run`` slides the starts forward as time passes
(:mod:`pantau.store.range_counts`), and a window is its range's counts less the mentions before
the window (since the start) and after it (see :mod:`pantau.reports.analysis_ranges`).

Revision ID: 0015_anal5_range_counts
Revises: 0015_list5_mention_statistics
Create Date: 2026-12-07
"""

from __future__ import annotations

import importlib.util
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import ModuleType

import sqlalchemy as sa
from alembic import op

from pantau.store.trigger_guard import guarded

revision = "0015_anal5_range_counts"
down_revision = "0015_list5_mention_statistics"
branch_labels = None
depends_on = None

#: The page's fixed ranges in hours (``pantau.reports.filters.RANGES``, copied: a migration
#: keeps the values it was written with).
RANGE_HOURS = (24, 7 * 24, 30 * 24)
#: What an author's count depends on: an UPDATE of anything else counts nothing.
_COUNTED = "author, published_at"
_KEY = "hours, author"


def _sibling(name: str) -> ModuleType:
    """Another migration of this folder (for the rollups' lock and the places' SQL)."""
    path = Path(__file__).with_name(f"{name}.py")
    spec = importlib.util.spec_from_file_location(f"pantau_migration_{name}", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


_SEGMENTS = _sibling("0013_anal4_analysis_segments")
#: Kab/kota ("64.72") and kecamatan ("64.72.01") code lengths: a place is a code cut to these.
PLACE_CHARS = (5, 8)
_PLACE_KEY = "hours, place, issue_id"


def place_parts(dialect: str, src: str | None, row: str, sign: str, where: str = "") -> list[str]:
    """Selects of (at, place, issue_id, d): each distinct kab/kota and kecamatan mention(s)
    ``row`` name (``src`` the table they are in), for all issues (0) and for its own, counted
    ``sign``, as ``segment_places`` counts them; ``where`` narrows the mentions read."""
    code = _SEGMENTS._code(dialect)
    levels = " UNION ".join(
        f"SELECT {row}.id AS id, {row}.published_at AS at, substr({code}, 1, {chars}) AS place, "
        f"{row}.issue_id AS issue {_SEGMENTS._from(src, row, _SEGMENTS._elements(dialect, row))} "
        f"WHERE {row}.published_at IS NOT NULL AND length({code}) >= {chars} {where}"
        for chars in PLACE_CHARS
    )
    return [
        f"SELECT at, place, 0 AS issue_id, {sign} AS d FROM ({levels}) AS x",
        f"SELECT at, place, issue AS issue_id, {sign} AS d FROM ({levels}) AS x "
        "WHERE issue IS NOT NULL",
    ]


def _places_apply(parts: list[str], conflict: str) -> str:
    """Add the counts of ``parts`` to every range whose start they lie at or after."""
    return f"""INSERT INTO range_places ({_PLACE_KEY}, n)
        SELECT s.hours, x.place, x.issue_id, sum(x.d) FROM ({" UNION ALL ".join(parts)}) AS x
        JOIN range_starts AS s ON x.at >= s.start WHERE true
        GROUP BY s.hours, x.place, x.issue_id HAVING sum(x.d) <> 0
        ORDER BY s.hours, x.place, x.issue_id
        ON CONFLICT ({_PLACE_KEY}) DO UPDATE SET n = {conflict} + excluded.n;"""


def _pg_apply(rows: list[tuple[str, str]]) -> str:
    """Both tables' upserts for transition tables ``rows`` ((table, sign) pairs)."""
    places = [p for t, sign in rows for p in place_parts("postgresql", t, "m", sign)]
    return _pg_authors(rows) + _places_apply(places, "range_places.n")


def _pg_authors(rows: list[tuple[str, str]]) -> str:
    """Add each author's net change in the transition tables ``rows`` ((table, sign) pairs) to
    every range whose start it lies at or after, keys in key order (see the docstring)."""
    union = " UNION ALL ".join(
        f"SELECT author, published_at, {sign} AS d FROM {t}" for t, sign in rows
    )
    return f"""INSERT INTO author_counts ({_KEY}, n)
        SELECT s.hours, m.author, sum(m.d) FROM ({union}) AS m
        JOIN range_starts AS s ON m.published_at >= s.start
        WHERE m.author IS NOT NULL
        GROUP BY s.hours, m.author HAVING sum(m.d) <> 0 ORDER BY s.hours, m.author
        ON CONFLICT ({_KEY}) DO UPDATE SET n = author_counts.n + EXCLUDED.n;"""


def _pg_function(lock: int, apply: Callable[[list[tuple[str, str]]], str] = _pg_apply) -> str:
    """The statement function over the transition tables; ``apply`` builds the counts' upserts
    (0016_pg7 passes its own, which counts per province and kab/kota too)."""
    return f"""CREATE OR REPLACE FUNCTION mention_ranges_statement() RETURNS trigger AS $$
    BEGIN
        PERFORM pg_advisory_xact_lock({lock});
        IF TG_OP = 'INSERT' THEN
            {apply([("new_rows", "1")])}
        ELSIF TG_OP = 'DELETE' THEN
            {apply([("old_rows", "-1")])}
        ELSE
            {apply([("old_rows", "-1"), ("new_rows", "1")])}
        END IF;
        RETURN NULL;
    END $$ LANGUAGE plpgsql"""


_PG_TRIGGERS = {
    "mentions_ranges_insert": "INSERT ON mentions REFERENCING NEW TABLE AS new_rows",
    "mentions_ranges_update": "UPDATE ON mentions REFERENCING OLD TABLE AS old_rows "
    "NEW TABLE AS new_rows",
    "mentions_ranges_delete": "DELETE ON mentions REFERENCING OLD TABLE AS old_rows",
}


def _sqlite_add(row: str) -> str:
    return f"""INSERT INTO author_counts ({_KEY}, n)
        SELECT s.hours, {row}.author, 1 FROM range_starts AS s
        WHERE {row}.author IS NOT NULL AND {row}.published_at >= s.start
        ON CONFLICT ({_KEY}) DO UPDATE SET n = n + excluded.n;"""


def _sqlite_subtract(row: str) -> str:
    return f"""UPDATE author_counts SET n = n - 1 WHERE author = {row}.author AND hours IN
        (SELECT hours FROM range_starts WHERE {row}.published_at >= start);"""


def _sqlite_places(row: str, sign: int) -> str:
    return _places_apply(place_parts("sqlite", None, row, str(sign)), "n")


#: What a mention's place counts depend on.
_PLACES_COUNTED = "published_at, regions, issue_id"
_SQLITE_TRIGGERS = {
    "mentions_authors_ai": ("AFTER INSERT", _sqlite_add("new")),
    "mentions_authors_ad": ("AFTER DELETE", _sqlite_subtract("old")),
    "mentions_authors_au": (
        f"AFTER UPDATE OF {_COUNTED}",
        _sqlite_subtract("old") + _sqlite_add("new"),
    ),
    "mentions_places_ai": ("AFTER INSERT", _sqlite_places("new", 1)),
    "mentions_places_ad": ("AFTER DELETE", _sqlite_places("old", -1)),
    "mentions_places_au": (
        f"AFTER UPDATE OF {_PLACES_COUNTED}",
        _sqlite_places("old", -1) + _sqlite_places("new", 1),
    ),
}


def count_places(dialect: str, hours: int, since: str, until: str) -> str:
    """SQL counting the places of the mentions published in ``[:since, :until)`` (bound
    parameters of those names) into range ``hours``, which holds none of them yet."""
    where = f"AND m.published_at >= :{since} AND m.published_at < :{until}"
    parts = place_parts(dialect, "mentions", "m", "1", where)
    return f"""INSERT INTO range_places ({_PLACE_KEY}, n)
        SELECT {hours}, x.place, x.issue_id, count(*) FROM ({" UNION ALL ".join(parts)}) AS x
        GROUP BY x.place, x.issue_id"""


def places_passed(dialect: str) -> str:
    """SQL of (place, issue_id, n): the places of the mentions published in ``[:a, :b)``."""
    where = "AND m.published_at >= :a AND m.published_at < :b"
    parts = place_parts(dialect, "mentions", "m", "1", where)
    return f"""SELECT x.place, x.issue_id, count(*) FROM ({" UNION ALL ".join(parts)}) AS x
        GROUP BY x.place, x.issue_id"""


def backfill(latest: datetime | None) -> None:
    """Start every range where a window ending after ``latest`` (the newest mention; now when
    there is none) starts, and count the stored mentions since."""
    end = (latest or datetime.now(UTC).replace(tzinfo=None)).replace(
        minute=0, second=0, microsecond=0
    )
    end += timedelta(hours=1)  # a page's window ends after the newest mention's hour
    starts = sa.table("range_starts", sa.column("hours"), sa.column("start"))
    for hours in RANGE_HOURS:
        start = end - timedelta(hours=hours)
        op.execute(starts.insert().values(hours=hours, start=start))
        op.execute(
            sa.text(
                f"INSERT INTO author_counts ({_KEY}, n) SELECT :h, author, count(*) FROM mentions "
                "WHERE author IS NOT NULL AND published_at >= :s GROUP BY author"
            ).bindparams(sa.bindparam("h", hours), sa.bindparam("s", start, type_=sa.DateTime()))
        )
        op.execute(
            sa.text(count_places(op.get_bind().dialect.name, hours, "a", "b")).bindparams(
                sa.bindparam("a", start, type_=sa.DateTime()),
                sa.bindparam("b", datetime.max, type_=sa.DateTime()),
            )
        )


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    rowid = {"sqlite_with_rowid": False}
    op.create_table(
        "range_starts",
        sa.Column("hours", sa.Integer(), nullable=False),
        sa.Column("start", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("hours", name=op.f("pk_range_starts")),
    )
    op.create_table(
        "author_counts",
        sa.Column("hours", sa.Integer(), nullable=False),
        sa.Column("author", sa.String(length=255), nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("hours", "author", name=op.f("pk_author_counts")),
        **rowid,
    )
    # a range's busiest authors first, read until no later one can reach the top
    op.create_index("ix_author_counts_busiest", "author_counts", ["hours", "n"])
    op.create_table(
        "range_places",
        sa.Column("hours", sa.Integer(), nullable=False),
        sa.Column("place", sa.String(length=16), nullable=False),
        sa.Column("issue_id", sa.BigInteger(), nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint(*_PLACE_KEY.split(", "), name=op.f("pk_range_places")),
        **rowid,
    )
    # the newest mention not in the future, as the page's windows end (a day of tolerance)
    limit = datetime.now(UTC).replace(tzinfo=None) + timedelta(days=1)
    latest = op.get_bind().scalar(
        sa.text("SELECT max(published_at) FROM mentions WHERE published_at < :t").bindparams(
            sa.bindparam("t", limit, type_=sa.DateTime())
        )
    )
    if isinstance(latest, str):  # SQLite's stored text
        latest = datetime.fromisoformat(latest)
    backfill(latest)
    if dialect == "sqlite":
        for name, (event, body) in _SQLITE_TRIGGERS.items():
            op.execute(f"CREATE TRIGGER {name} {event} ON mentions BEGIN {body} END")
        return
    # an UPDATE that changes none of the counted columns returns before the lock (0015_debt5)
    counted = f"author, {_PLACES_COUNTED}"
    op.execute(guarded(_pg_function(_sibling("0013_agg4_mention_segments").ROLLUP_LOCK), counted))
    for name, event in _PG_TRIGGERS.items():
        op.execute(f"DROP TRIGGER IF EXISTS {name} ON mentions")
        op.execute(
            f"CREATE TRIGGER {name} AFTER {event} "
            "FOR EACH STATEMENT EXECUTE FUNCTION mention_ranges_statement()"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for name in _SQLITE_TRIGGERS:
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
    else:
        for name in _PG_TRIGGERS:
            op.execute(f"DROP TRIGGER IF EXISTS {name} ON mentions")
        op.execute("DROP FUNCTION IF EXISTS mention_ranges_statement()")
    op.drop_table("range_places")
    op.drop_index("ix_author_counts_busiest", table_name="author_counts")
    op.drop_table("author_counts")
    op.drop_table("range_starts")
