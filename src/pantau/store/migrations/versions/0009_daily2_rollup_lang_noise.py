"""Text stage: ``mentions.noise`` keeps the noise kind the text stage computes.

The overview hides (or shows only) noise posts: gambling spam, ads, job offers, greetings. The
text stage already told them apart and dropped the answer; the column keeps it. Counting the
language and noise kind in ``mention_rollup`` is ``0010_tenants_rollup``'s work, which rebuilds
the table with both (and the province) in its key and counts the stored mentions once: doing it
here as well would read every mention twice on upgrade for a table dropped right after.

Revision ID: 0009_daily2_rollup_lang_noise
Revises: 0008_learning_playbook_versions
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009_daily2_rollup_lang_noise"
down_revision = "0008_learning_playbook_versions"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("mentions", sa.Column("noise", sa.String(length=20), nullable=True))


def downgrade() -> None:
    # No trigger or index of this revision's ancestors names the column, so SQLite drops it too.
    op.drop_column("mentions", "noise")
