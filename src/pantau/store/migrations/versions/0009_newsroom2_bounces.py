"""Hard bounces of outbox deliveries: refused at sending (SMTP 5xx) or returned later (DSN).

Revision ID: 0009_newsroom2_bounces
Revises: 0007_newsroom (and needs 0003_workflow)
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009_newsroom2_bounces"
down_revision = "0007_newsroom"
branch_labels = None
depends_on = ("0003_workflow",)  # the outbox (alert_deliveries) it refers to


def upgrade() -> None:
    op.create_table(
        "delivery_bounces",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("delivery_id", sa.Integer(), nullable=False),
        sa.Column("address", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("source", sa.String(length=10), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["delivery_id"],
            ["alert_deliveries.id"],
            name=op.f("fk_delivery_bounces_delivery_id_alert_deliveries"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_delivery_bounces")),
        sa.UniqueConstraint("delivery_id", name=op.f("uq_delivery_bounces_delivery_id")),
    )


def downgrade() -> None:
    op.drop_table("delivery_bounces")
