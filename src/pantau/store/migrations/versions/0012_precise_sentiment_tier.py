"""Text: which sentiment tier read a mention, and the fast path's reading kept beside a precise one.

Three nullable columns on ``mentions`` (on PostgreSQL the partitioned parent passes them to
every month's partition); no index, no key, no trigger change: the rollup's update trigger
already follows ``sentiment``, which the precise tier rewrites.

Revision ID: 0012_precise_sentiment_tier
Revises: 0010_scale3_rollup_per_statement
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012_precise_sentiment_tier"
down_revision = "0010_scale3_rollup_per_statement"
branch_labels = None
depends_on = None

_COLUMNS = (
    ("sentiment_tier", sa.String(length=10)),
    ("sentiment_fast", sa.String(length=10)),
    ("sentiment_fast_score", sa.Float()),
)


def upgrade() -> None:
    for name, kind in _COLUMNS:
        op.add_column("mentions", sa.Column(name, kind, nullable=True))


def downgrade() -> None:
    for name, _ in reversed(_COLUMNS):
        op.drop_column("mentions", name)
