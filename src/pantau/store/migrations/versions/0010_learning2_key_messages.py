"""The single narrative: every saved version of an issue's shared key messages.

Revision ID: 0010_learning2_key_messages
Revises: 0009_learning2_lessons
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010_learning2_key_messages"
down_revision = "0009_learning2_lessons"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "key_message_versions",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("issue_id", sa.Integer(), sa.ForeignKey("issues.id"), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("messages", sa.JSON(), nullable=False),
        sa.Column("author_id", sa.Integer(), sa.ForeignKey("users.id"), nullable=True),
        sa.Column("author", sa.String(200), nullable=False),
        sa.Column("agency_id", sa.Integer(), sa.ForeignKey("agencies.id"), nullable=True),
        sa.Column("note", sa.String(500), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.UniqueConstraint("issue_id", "number", name="uq_key_message_versions_issue_number"),
    )
    op.create_index("ix_key_message_versions_issue_id", "key_message_versions", ["issue_id"])


def downgrade() -> None:
    op.drop_index("ix_key_message_versions_issue_id", table_name="key_message_versions")
    op.drop_table("key_message_versions")
