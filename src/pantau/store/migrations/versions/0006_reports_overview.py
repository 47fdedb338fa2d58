"""Reports stage: covering indexes for the overview's kab/kota filter and its issue counts.

The overview filtered to a kab/kota finds the issues with mentions there in the window from
``mention_rollup`` rows of that region; ``(region, bucket)`` sent each of them (about 20,000
for a week of Samarinda in the 1,000,000-mention benchmark) to the table for ``issue_id`` and
``n``. ``(region, bucket, issue_id, channel, sentiment, n)`` answers from the index and replaces
it. The counts of live and crisis issues scanned the whole issues table; ``(merged_into_id,
stage)`` counts them from the index.

Revision ID: 0006_reports_overview
Revises: 0005_reports_cover
Create Date: 2026-11-29
"""

from __future__ import annotations

from alembic import op

revision = "0006_reports_overview"
down_revision = "0005_reports_cover"
branch_labels = None
depends_on = None

_PLACE = ["region", "bucket", "issue_id", "channel", "sentiment", "n"]


def upgrade() -> None:
    op.create_index("ix_mention_rollup_place", "mention_rollup", _PLACE)
    op.drop_index("ix_mention_rollup_region", table_name="mention_rollup")
    op.create_index("ix_issues_live_stage", "issues", ["merged_into_id", "stage"])


def downgrade() -> None:
    op.drop_index("ix_issues_live_stage", table_name="issues")
    op.create_index("ix_mention_rollup_region", "mention_rollup", ["region", "bucket"])
    op.drop_index("ix_mention_rollup_place", table_name="mention_rollup")
