"""Structured lessons: one row per lesson (worked, did not, next time, or a free-text note).

Every lessons-learned note written before is kept: each closing note of the action log
becomes one ``note`` lesson of its issue, with its author and time, so old cases read the same.

Revision ID: 0009_learning2_lessons
Revises: 0008_learning_playbook_versions
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009_learning2_lessons"
down_revision = "0008_learning_playbook_versions"
branch_labels = None
depends_on = "0003_workflow"  # copies the closing notes of issue_actions


def upgrade() -> None:
    op.create_table(
        "issue_lessons",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("issue_id", sa.Integer(), sa.ForeignKey("issues.id"), nullable=False),
        sa.Column("kind", sa.String(12), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("users.id"), nullable=True),
        sa.Column("agency_id", sa.Integer(), sa.ForeignKey("agencies.id"), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
    )
    op.create_index("ix_issue_lessons_issue_id", "issue_lessons", ["issue_id"])
    op.execute(
        "INSERT INTO issue_lessons (issue_id, kind, position, text, user_id, agency_id, created_at)"
        " SELECT issue_id, 'note', 0, note, user_id, agency_id, at FROM issue_actions"
        " WHERE kind = 'pelajaran' AND note IS NOT NULL AND note <> ''"
    )


def downgrade() -> None:
    op.drop_index("ix_issue_lessons_issue_id", table_name="issue_lessons")
    op.drop_table("issue_lessons")
