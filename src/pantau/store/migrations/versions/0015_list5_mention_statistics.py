"""PostgreSQL: statistics on the text of each mention's places and watchlist hits.

The search, the API and the overview's agency filter find a kab/kota or a watchlist with a LIKE
on the JSON column cast to text (``pantau.store.search.mention_conditions``). PostgreSQL keeps
no statistics on that expression, so it guessed its selectivity: ~50 rows where 65,000 of
1,000,000 benchmark mentions name a kab/kota, and for the search page's newest 50 it sorted every
match of a parallel scan (a kab/kota with a sentiment: 505 ms; a watchlist: 578 ms p50) instead
of walking the date index until the page is full (8 ms and 5 ms with these statistics;
benchmarks/results/reports.md). Expression statistics (PostgreSQL 14 and later) give the planner
the most common texts and a histogram of them; places and watchlist hits are short lists, so
the common ones are the whole story.

The planner estimates each partition's scan from that partition's own statistics, so every
leaf table gets its objects: the stored months here, every month made later by
:func:`pantau.store.partitions.create_month`. ``ANALYZE`` fills them (autovacuum's analyze does
too, but only after enough of a month's rows change, which an old month never sees). SQLite's
planner has no use for them and gets nothing.

Revision ID: 0015_list5_mention_statistics
Revises: 0015_debt5_trigger_guard
Create Date: 2026-12-07
"""

from __future__ import annotations

from alembic import op
from sqlalchemy import text

revision = "0015_list5_mention_statistics"
down_revision = "0015_debt5_trigger_guard"
branch_labels = None
depends_on = None

#: Name suffix and expression of each statistics object, spelled as the filters spell it (the
#: planner matches the expression, not its meaning).
EXPRESSIONS = (
    ("places", "CAST(regions AS VARCHAR)"),
    ("watch", "CAST(watch AS VARCHAR)"),
)


def statistics(table: str) -> list[str]:
    """The statements that give leaf table ``table`` of mentions its statistics objects."""
    return [
        f"CREATE STATISTICS IF NOT EXISTS {table}_{suffix} ON ({expression}) FROM {table}"
        for suffix, expression in EXPRESSIONS
    ]


def _leaves() -> list[str]:
    """The tables that hold the mentions: every partition, or ``mentions`` when it has none."""
    return list(
        op.get_bind().scalars(
            text(
                "SELECT c.oid::regclass::text FROM pg_class c "
                "LEFT JOIN pg_inherits i ON i.inhrelid = c.oid "
                "WHERE (i.inhparent = 'mentions'::regclass OR c.oid = 'mentions'::regclass) "
                "AND c.relkind = 'r' ORDER BY 1"
            )
        )
    )


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table in _leaves():
        for statement in statistics(table):
            op.execute(statement)
        op.execute(f"ANALYZE {table}")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table in _leaves():
        for suffix, _ in EXPRESSIONS:
            op.execute(f"DROP STATISTICS IF EXISTS {table}_{suffix}")
