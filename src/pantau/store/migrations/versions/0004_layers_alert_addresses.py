"""Alerts: a user's own address on each channel that is not built in (a plugin's).

E-mail and Telegram have their own columns; a channel added as a plugin (a WhatsApp gateway, an
office chat) finds a user's address in ``alert_preferences.addresses`` (channel -> address),
checked by that channel when the user saves it.

Revision ID: 0004_layers_alert_addresses
Revises: 0003_workflow
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004_layers_alert_addresses"
down_revision = "0003_workflow"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("alert_preferences", sa.Column("addresses", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("alert_preferences") as batch:
        batch.drop_column("addresses")
