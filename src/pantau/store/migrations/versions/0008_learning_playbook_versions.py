"""Crisis playbooks edited by a province: every saved version of a category's playbook.

Revision ID: 0008_learning_playbook_versions
Revises: 0007_operable
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008_learning_playbook_versions"
down_revision = "0007_operable"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "playbook_versions",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("key", sa.String(40), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("author_id", sa.Integer(), sa.ForeignKey("users.id"), nullable=True),
        sa.Column("author", sa.String(64), nullable=False),
        sa.Column("note", sa.String(500), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.UniqueConstraint("key", "number", name="uq_playbook_versions_key_number"),
    )
    op.create_index("ix_playbook_versions_key", "playbook_versions", ["key"])


def downgrade() -> None:
    op.drop_index("ix_playbook_versions_key", table_name="playbook_versions")
    op.drop_table("playbook_versions")
