"""Workflow: each agency's letterhead (address, phone, web and logo) for its releases and reports.

Revision ID: 0011_daily2_agency_letterhead
Revises: 0010_daily2_watched_mentions
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011_daily2_agency_letterhead"
down_revision = "0010_daily2_watched_mentions"
branch_labels = None
depends_on = None

_COLUMNS = (
    ("letterhead_address", sa.String(length=300)),
    ("letterhead_phone", sa.String(length=60)),
    ("letterhead_web", sa.String(length=200)),
    ("logo_png", sa.LargeBinary()),
)


def upgrade() -> None:
    for name, kind in _COLUMNS:
        op.add_column("agencies", sa.Column(name, kind, nullable=True))


def downgrade() -> None:
    for name, _ in reversed(_COLUMNS):
        op.drop_column("agencies", name)
