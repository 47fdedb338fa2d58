"""Press conferences and their invitations: the undangan peliputan sent with a personal RSVP link.

Revision ID: 0010_newsroom2_press_events
Revises: 0009_newsroom2_bounces
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010_newsroom2_press_events"
down_revision = "0009_newsroom2_bounces"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "press_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("agency_id", sa.Integer(), nullable=True),
        sa.Column("issue_id", sa.Integer(), nullable=True),
        sa.Column("headline", sa.String(length=300), nullable=False),
        sa.Column("topic", sa.Text(), nullable=False),
        sa.Column("starts_at", sa.DateTime(), nullable=False),
        sa.Column("place", sa.String(length=300), nullable=False),
        sa.Column("speakers", sa.Text(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["agency_id"], ["agencies.id"], name=op.f("fk_press_events_agency_id_agencies")
        ),
        sa.ForeignKeyConstraint(
            ["issue_id"], ["issues.id"], name=op.f("fk_press_events_issue_id_issues")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_press_events")),
    )
    op.create_index(
        "ix_press_events_agency_starts", "press_events", ["agency_id", "starts_at"], unique=False
    )
    op.create_index(op.f("ix_press_events_starts_at"), "press_events", ["starts_at"], unique=False)
    op.create_table(
        "press_invitations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("contact_id", sa.Integer(), nullable=False),
        sa.Column("answer", sa.String(length=20), nullable=False),
        sa.Column("delegate", sa.String(length=120), nullable=False),
        sa.Column("invited_at", sa.DateTime(), nullable=False),
        sa.Column("answered_at", sa.DateTime(), nullable=True),
        sa.Column("reminded_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["press_events.id"],
            name=op.f("fk_press_invitations_event_id_press_events"),
        ),
        sa.ForeignKeyConstraint(
            ["contact_id"],
            ["media_contacts.id"],
            name=op.f("fk_press_invitations_contact_id_media_contacts"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_press_invitations")),
        sa.UniqueConstraint("event_id", "contact_id", name=op.f("uq_press_invitations_event_id")),
    )
    op.create_index(
        op.f("ix_press_invitations_event_id"), "press_invitations", ["event_id"], unique=False
    )


def downgrade() -> None:
    op.drop_table("press_invitations")
    op.drop_table("press_events")
