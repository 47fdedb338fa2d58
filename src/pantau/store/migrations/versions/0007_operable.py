"""Operable by an office: escalation holds "crisis" everywhere, users' last login, corrections.

People correct the machine: a named issue keeps its name (``label_locked``), a dismissed issue
leaves every list (``dismissed_at``), a mention placed by hand says who (``placed_by_id``), and
each correction is queued for the live tracker in ``issue_corrections``.

The detector writes the stage it computes into ``detected_stage``; ``stage`` is what every page,
count, report and API shows: ``crisis`` while the issue is escalated (``escalated_at`` set),
else the detected stage. Closing the issue ends the escalation.

Revision ID: 0007_operable
Revises: 0006_reports_overview
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007_operable"
down_revision = "0006_reports_overview"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("issues") as batch:
        batch.add_column(sa.Column("detected_stage", sa.String(20), nullable=True))
        batch.add_column(sa.Column("escalated_at", sa.DateTime(), nullable=True))
        batch.add_column(
            sa.Column("label_locked", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch.add_column(sa.Column("dismissed_at", sa.DateTime(), nullable=True))
        batch.add_column(sa.Column("dismissed_reason", sa.Text(), nullable=True))
    # a plain ADD COLUMN: a batch copy of ``mentions`` on SQLite would drop its search triggers
    if op.get_bind().dialect.name == "sqlite":
        op.execute("ALTER TABLE mentions ADD COLUMN placed_by_id INTEGER REFERENCES users (id)")
    else:
        op.add_column("mentions", sa.Column("placed_by_id", sa.Integer(), nullable=True))
        op.create_foreign_key(
            "fk_mentions_placed_by", "mentions", "users", ["placed_by_id"], ["id"]
        )
    op.create_table(
        "issue_corrections",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("issue_id", sa.Integer(), sa.ForeignKey("issues.id"), nullable=False),
        sa.Column("target_id", sa.Integer(), sa.ForeignKey("issues.id"), nullable=True),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("users.id"), nullable=True),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("applied_at", sa.DateTime(), nullable=True),
    )
    op.create_index("ix_issue_corrections_issue_id", "issue_corrections", ["issue_id"])
    op.create_table(
        "mention_labels",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "mention_id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            sa.ForeignKey("mentions.id"),
            nullable=False,
        ),
        sa.Column("field", sa.String(20), nullable=False),
        sa.Column("value", sa.JSON(), nullable=True),
        sa.Column("before", sa.JSON(), nullable=True),
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("users.id"), nullable=True),
        sa.Column("at", sa.DateTime(), nullable=False),
    )
    op.create_index("ix_mention_labels_mention_id", "mention_labels", ["mention_id"])
    op.execute("UPDATE issues SET detected_stage = stage")
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("last_login_at", sa.DateTime(), nullable=True))


def downgrade() -> None:
    op.drop_index("ix_mention_labels_mention_id", table_name="mention_labels")
    op.drop_table("mention_labels")
    op.drop_index("ix_issue_corrections_issue_id", table_name="issue_corrections")
    op.drop_table("issue_corrections")
    if op.get_bind().dialect.name != "sqlite":
        op.drop_constraint("fk_mentions_placed_by", "mentions", type_="foreignkey")
    op.drop_column("mentions", "placed_by_id")
    with op.batch_alter_table("users") as batch:
        batch.drop_column("last_login_at")
    with op.batch_alter_table("issues") as batch:
        batch.drop_column("dismissed_reason")
        batch.drop_column("dismissed_at")
        batch.drop_column("label_locked")
        batch.drop_column("escalated_at")
        batch.drop_column("detected_stage")
