"""Reports stage: covering indexes for the issue page and the overview.

The issue page and the overview add up ``mention_rollup`` rows of one ``issue_id`` and one
``region`` (or every kab/kota) over a time range, grouped by hour, channel and sentiment.
With ``(issue_id, region, bucket)`` alone each of those rows cost a lookup into the table (6,000
for the largest issue of the 1,000,000-mention benchmark); ``(issue_id, region, bucket,
channel, sentiment, n)`` answers them from the index. It replaces the narrower index, which is
its prefix. ``(issue_id, bucket)``, which the regions breakdown reads, gets the same columns:
SQLite's planner chooses between the two by itself (SQLAlchemy renders no index hints for
SQLite), so whichever it takes must not send it to the table. Likewise the issue page ranks
the voices of an issue's 5,000 newest mentions; ``ix_mentions_issue_voices`` holds every
column that ranking reads.

Revision ID: 0005_reports_cover
Revises: 0004_reports_rollup
Create Date: 2026-11-29
"""

from __future__ import annotations

from alembic import op

revision = "0005_reports_cover"
down_revision = "0004_reports_rollup"
branch_labels = None
depends_on = None

_COVER = ["issue_id", "region", "bucket", "channel", "sentiment", "n"]
_SPAN = ["issue_id", "bucket", "region", "channel", "sentiment", "n"]
_VOICES = [
    "issue_id",
    "published_at",
    "id",
    "author",
    "outlet",
    "author_followers",
    "likes",
    "shares",
    "comments",
]


def upgrade() -> None:
    op.create_index("ix_mention_rollup_cover", "mention_rollup", _COVER)
    op.drop_index("ix_mention_rollup_issue", table_name="mention_rollup")
    op.create_index("ix_mention_rollup_span", "mention_rollup", _SPAN)
    op.drop_index("ix_mention_rollup_time", table_name="mention_rollup")
    op.create_index("ix_mentions_issue_voices", "mentions", _VOICES)


def downgrade() -> None:
    op.drop_index("ix_mentions_issue_voices", table_name="mentions")
    op.create_index("ix_mention_rollup_time", "mention_rollup", ["issue_id", "bucket"])
    op.drop_index("ix_mention_rollup_span", table_name="mention_rollup")
    op.create_index("ix_mention_rollup_issue", "mention_rollup", ["issue_id", "region", "bucket"])
    op.drop_index("ix_mention_rollup_cover", table_name="mention_rollup")
