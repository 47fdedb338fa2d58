"""The analysis page's top authors at 1,000,000 mentions: each author's mentions since a start.

The top authors were a GROUP BY over the window's mentions: at 1,000,000 benchmark mentions
480-520 ms for 7 days (233,000 mentions of 49,500 authors) and 0.9-1.1 s for 30 days. A count
per day segment does not shrink (an author has about one mention a segment: 230,000 (segment,
author) pairs in a week), so the counts here are kept per *range* of the page instead:

- ``author_count_starts``: for each fixed range of the page (24, 168 and 720 hours, the
  ``RANGES`` of :mod:`pantau.reports.filters`), the time from which it counts;
- ``author_counts``: each author's mentions published at or after that start, ~50,000 rows a
  range where the window held up to 1,000,000 mentions.

The triggers count every write at or after a start (SQLite row triggers, PostgreSQL statement
triggers over the transition tables, which take the rollups' ``ROLLUP_LOCK`` first so that a
slide of the starts queues with them); ``pantau run`` slides the starts forward as time passes
(:mod:`pantau.store.author_counts`), and a window is its range's counts less the mentions before
the window (since the start) and after it (see :mod:`pantau.reports.analysis_authors`).

Revision ID: 0015_anal5_author_counts
Revises: 0014_agg4_watch_rollup
Create Date: 2026-12-07
"""

from __future__ import annotations

import importlib.util
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import ModuleType

import sqlalchemy as sa
from alembic import op

revision = "0015_anal5_author_counts"
down_revision = "0014_agg4_watch_rollup"
branch_labels = None
depends_on = None

#: The page's fixed ranges in hours (``pantau.reports.filters.RANGES``, copied: a migration
#: keeps the values it was written with).
RANGE_HOURS = (24, 7 * 24, 30 * 24)
#: What an author's count depends on: an UPDATE of anything else counts nothing.
_COUNTED = "author, published_at"
_KEY = "hours, author"


def _rollups() -> ModuleType:
    """The rollups' migration, for its ``ROLLUP_LOCK``."""
    path = Path(__file__).with_name("0013_agg4_mention_segments.py")
    spec = importlib.util.spec_from_file_location("pantau_migration_0013_agg4", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _pg_apply(rows: list[tuple[str, str]]) -> str:
    """Add each author's net change in the transition tables ``rows`` ((table, sign) pairs) to
    every range whose start it lies at or after, keys in key order (see the docstring)."""
    union = " UNION ALL ".join(
        f"SELECT author, published_at, {sign} AS d FROM {t}" for t, sign in rows
    )
    return f"""INSERT INTO author_counts ({_KEY}, n)
        SELECT s.hours, m.author, sum(m.d) FROM ({union}) AS m
        JOIN author_count_starts AS s ON m.published_at >= s.start
        WHERE m.author IS NOT NULL
        GROUP BY s.hours, m.author HAVING sum(m.d) <> 0 ORDER BY s.hours, m.author
        ON CONFLICT ({_KEY}) DO UPDATE SET n = author_counts.n + EXCLUDED.n;"""


def _pg_function(lock: int) -> str:
    return f"""CREATE OR REPLACE FUNCTION mention_authors_statement() RETURNS trigger AS $$
    BEGIN
        PERFORM pg_advisory_xact_lock({lock});
        IF TG_OP = 'INSERT' THEN
            {_pg_apply([("new_rows", "1")])}
        ELSIF TG_OP = 'DELETE' THEN
            {_pg_apply([("old_rows", "-1")])}
        ELSE
            {_pg_apply([("old_rows", "-1"), ("new_rows", "1")])}
        END IF;
        RETURN NULL;
    END $$ LANGUAGE plpgsql"""


_PG_TRIGGERS = {
    "mentions_authors_insert": "INSERT ON mentions REFERENCING NEW TABLE AS new_rows",
    "mentions_authors_update": "UPDATE ON mentions REFERENCING OLD TABLE AS old_rows "
    "NEW TABLE AS new_rows",
    "mentions_authors_delete": "DELETE ON mentions REFERENCING OLD TABLE AS old_rows",
}


def _sqlite_add(row: str) -> str:
    return f"""INSERT INTO author_counts ({_KEY}, n)
        SELECT s.hours, {row}.author, 1 FROM author_count_starts AS s
        WHERE {row}.author IS NOT NULL AND {row}.published_at >= s.start
        ON CONFLICT ({_KEY}) DO UPDATE SET n = n + excluded.n;"""


def _sqlite_subtract(row: str) -> str:
    return f"""UPDATE author_counts SET n = n - 1 WHERE author = {row}.author AND hours IN
        (SELECT hours FROM author_count_starts WHERE {row}.published_at >= start);"""


_SQLITE_TRIGGERS = {
    "mentions_authors_ai": ("AFTER INSERT", _sqlite_add("new")),
    "mentions_authors_ad": ("AFTER DELETE", _sqlite_subtract("old")),
    "mentions_authors_au": (
        f"AFTER UPDATE OF {_COUNTED}",
        _sqlite_subtract("old") + _sqlite_add("new"),
    ),
}


def backfill(latest: datetime | None) -> None:
    """Start every range where a window ending after ``latest`` (the newest mention; now when
    there is none) starts, and count the stored mentions since."""
    end = (latest or datetime.now(UTC).replace(tzinfo=None)).replace(
        minute=0, second=0, microsecond=0
    )
    end += timedelta(hours=1)  # a page's window ends after the newest mention's hour
    starts = sa.table("author_count_starts", sa.column("hours"), sa.column("start"))
    for hours in RANGE_HOURS:
        start = end - timedelta(hours=hours)
        op.execute(starts.insert().values(hours=hours, start=start))
        op.execute(
            sa.text(
                f"INSERT INTO author_counts ({_KEY}, n) SELECT :h, author, count(*) FROM mentions "
                "WHERE author IS NOT NULL AND published_at >= :s GROUP BY author"
            ).bindparams(sa.bindparam("h", hours), sa.bindparam("s", start, type_=sa.DateTime()))
        )


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    rowid = {"sqlite_with_rowid": False}
    op.create_table(
        "author_count_starts",
        sa.Column("hours", sa.Integer(), nullable=False),
        sa.Column("start", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("hours", name=op.f("pk_author_count_starts")),
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
    op.execute(_pg_function(_rollups().ROLLUP_LOCK))
    for name, event in _PG_TRIGGERS.items():
        op.execute(f"DROP TRIGGER IF EXISTS {name} ON mentions")
        op.execute(
            f"CREATE TRIGGER {name} AFTER {event} "
            "FOR EACH STATEMENT EXECUTE FUNCTION mention_authors_statement()"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for name in _SQLITE_TRIGGERS:
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
    else:
        for name in _PG_TRIGGERS:
            op.execute(f"DROP TRIGGER IF EXISTS {name} ON mentions")
        op.execute("DROP FUNCTION IF EXISTS mention_authors_statement()")
    op.drop_index("ix_author_counts_busiest", table_name="author_counts")
    op.drop_table("author_counts")
    op.drop_table("author_count_starts")
