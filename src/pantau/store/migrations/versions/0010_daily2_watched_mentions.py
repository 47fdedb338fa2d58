"""Reports stage: a partial index over the mentions that matched a watchlist.

A watchlist filter reads the mentions of the window (the rollup holds no watchlists); most carry
none (``watch`` is ``[]``), so the index over the dated mentions that carry one lets the
dashboard read those few: 7 % of a week at 1,000,000 benchmark mentions, 3 s a walk on the shared
box before. Queries repeat the index's condition word for word (see
``pantau.store.search.WATCHED``), which both SQLite and PostgreSQL need to choose a partial
index. On PostgreSQL the index also carries ``watch`` and ``regions`` (INCLUDE), so the read
never visits the table: a week's watchlist count went from a heap scan of every matching row to
an index-only scan of 11 ms (EXPLAIN ANALYZE, 1,000,000 mentions). SQLite has no INCLUDE and
cannot key a json column the same way on both backends, so it looks up the few rows.

Revision ID: 0010_daily2_watched_mentions
Revises: 0009_daily2_rollup_lang_noise
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010_daily2_watched_mentions"
down_revision = "0009_daily2_rollup_lang_noise"
branch_labels = None
depends_on = None

_WHERE = "CAST(watch AS VARCHAR) != '[]'"


def upgrade() -> None:
    op.create_index(
        "ix_mentions_watched",
        "mentions",
        ["published_at", "channel", "sentiment", "issue_id"],
        postgresql_include=["watch", "regions"],
        sqlite_where=sa.text(_WHERE),
        postgresql_where=sa.text(_WHERE),
    )


def downgrade() -> None:
    op.drop_index("ix_mentions_watched", table_name="mentions")
