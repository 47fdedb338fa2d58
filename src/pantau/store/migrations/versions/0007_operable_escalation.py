"""Workflow: an escalation holds the issue at "crisis" wherever it is shown; users' last login.

The detector writes the stage it computes into ``detected_stage``; ``stage`` is what every page,
count, report and API shows: ``crisis`` while the issue is escalated (``escalated_at`` set),
else the detected stage. Closing the issue ends the escalation.

Revision ID: 0007_operable_escalation
Revises: 0006_reports_overview
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007_operable_escalation"
down_revision = "0006_reports_overview"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("issues") as batch:
        batch.add_column(sa.Column("detected_stage", sa.String(20), nullable=True))
        batch.add_column(sa.Column("escalated_at", sa.DateTime(), nullable=True))
    op.execute("UPDATE issues SET detected_stage = stage")
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("last_login_at", sa.DateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.drop_column("last_login_at")
    with op.batch_alter_table("issues") as batch:
        batch.drop_column("escalated_at")
        batch.drop_column("detected_stage")
