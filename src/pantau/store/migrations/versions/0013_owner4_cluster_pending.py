"""Flow: the marker of mentions waiting for their province's clustering owner.

With several ``pantau run`` workers on PostgreSQL, the text stage's owner places every mention
and clusters at once those of the provinces it owns; the others it marks ``cluster_pending``
for their province's owner (:mod:`pantau.flow.share`). The column is nullable and NULL for
every stored row, so adding it rewrites nothing, even at 10M mentions; the partial index on
``(tenant, id)`` holds only the waiting few. On PostgreSQL the partitioned parent passes both
to every month's partition (a partial, non-unique index is allowed there; no key refers to
``mentions.id``).

Revision ID: 0013_owner4_cluster_pending
Revises: 0010_daily3_mention_symbols
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013_owner4_cluster_pending"
down_revision = "0010_daily3_mention_symbols"
branch_labels = None
depends_on = None

_WAITING = sa.text("cluster_pending IS NOT NULL")


def upgrade() -> None:
    op.add_column("mentions", sa.Column("cluster_pending", sa.Boolean(), nullable=True))
    op.create_index(
        "ix_mentions_cluster_pending",
        "mentions",
        ["tenant", "id"],
        postgresql_where=_WAITING,
        sqlite_where=_WAITING,
    )


def downgrade() -> None:
    op.drop_index("ix_mentions_cluster_pending", table_name="mentions")
    # a plain DROP COLUMN: a batch rebuild of SQLite's mentions would lose its triggers
    op.drop_column("mentions", "cluster_pending")
