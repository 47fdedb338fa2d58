"""Reports stage: report subscriptions, and a covering index for the dashboard's time windows.

The overview counts mentions per channel and sentiment over a time window; with
``(published_at, channel, sentiment)`` that count reads the index alone instead of every row
(see benchmarks/results/reports.md).

Revision ID: 0003_reports
Revises: 0002
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_reports"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "report_subscriptions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("format", sa.String(length=10), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("last_sent_day", sa.Date(), nullable=True),
        sa.Column("last_sent_at", sa.DateTime(), nullable=True),
        sa.Column("last_error", sa.String(length=500), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_report_subscriptions_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_report_subscriptions")),
        sa.UniqueConstraint("user_id", "kind", name=op.f("uq_report_subscriptions_user_id")),
    )
    op.create_index(
        op.f("ix_report_subscriptions_user_id"), "report_subscriptions", ["user_id"], unique=False
    )
    op.create_index(
        "ix_mentions_published_cover", "mentions", ["published_at", "channel", "sentiment"]
    )


def downgrade() -> None:
    op.drop_index("ix_mentions_published_cover", table_name="mentions")
    op.drop_index(op.f("ix_report_subscriptions_user_id"), table_name="report_subscriptions")
    op.drop_table("report_subscriptions")
