"""Newsroom: published releases, their public versions, moderated comments, photos, pick-ups,
and the agencies' media contacts and distribution lists.

Revision ID: 0007_newsroom
Revises: 0003_writing
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007_newsroom"
down_revision = "0003_writing"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "media_contacts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("agency_id", sa.Integer(), nullable=True),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("outlet", sa.String(length=200), nullable=False),
        sa.Column("beat", sa.String(length=120), nullable=False),
        sa.Column("region", sa.String(length=120), nullable=False),
        sa.Column("email", sa.String(length=200), nullable=False),
        sa.Column("phone", sa.String(length=40), nullable=False),
        sa.Column("preferred_channel", sa.String(length=20), nullable=False),
        sa.Column("consent_at", sa.DateTime(), nullable=False),
        sa.Column("consent_note", sa.String(length=300), nullable=False),
        sa.Column("unsubscribed_at", sa.DateTime(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["agency_id"], ["agencies.id"], name=op.f("fk_media_contacts_agency_id_agencies")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_media_contacts")),
        sa.UniqueConstraint("agency_id", "email", name=op.f("uq_media_contacts_agency_id")),
    )
    op.create_index(
        op.f("ix_media_contacts_agency_id"), "media_contacts", ["agency_id"], unique=False
    )
    op.create_table(
        "media_lists",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("agency_id", sa.Integer(), nullable=True),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["agency_id"], ["agencies.id"], name=op.f("fk_media_lists_agency_id_agencies")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_media_lists")),
        sa.UniqueConstraint("agency_id", "name", name=op.f("uq_media_lists_agency_id")),
    )
    op.create_index(op.f("ix_media_lists_agency_id"), "media_lists", ["agency_id"], unique=False)
    op.create_table(
        "media_list_members",
        sa.Column("list_id", sa.Integer(), nullable=False),
        sa.Column("contact_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["contact_id"],
            ["media_contacts.id"],
            name=op.f("fk_media_list_members_contact_id_media_contacts"),
        ),
        sa.ForeignKeyConstraint(
            ["list_id"], ["media_lists.id"], name=op.f("fk_media_list_members_list_id_media_lists")
        ),
        sa.PrimaryKeyConstraint("list_id", "contact_id", name=op.f("pk_media_list_members")),
    )
    op.create_table(
        "releases",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(length=120), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("category", sa.String(length=30), nullable=False),
        sa.Column("agency_id", sa.Integer(), nullable=True),
        sa.Column("issue_id", sa.Integer(), nullable=True),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("city", sa.String(length=80), nullable=False),
        sa.Column("published_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("correction", sa.Text(), nullable=False),
        sa.Column("withdrawn_reason", sa.Text(), nullable=False),
        sa.Column(
            "mention_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True
        ),
        sa.ForeignKeyConstraint(
            ["agency_id"], ["agencies.id"], name=op.f("fk_releases_agency_id_agencies")
        ),
        sa.ForeignKeyConstraint(
            ["document_id"], ["documents.id"], name=op.f("fk_releases_document_id_documents")
        ),
        sa.ForeignKeyConstraint(
            ["issue_id"], ["issues.id"], name=op.f("fk_releases_issue_id_issues")
        ),
        sa.ForeignKeyConstraint(
            ["mention_id"], ["mentions.id"], name=op.f("fk_releases_mention_id_mentions")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_releases")),
        sa.UniqueConstraint("document_id", name=op.f("uq_releases_document_id")),
        sa.UniqueConstraint("slug", name=op.f("uq_releases_slug")),
    )
    op.create_index(op.f("ix_releases_agency_id"), "releases", ["agency_id"], unique=False)
    op.create_index(op.f("ix_releases_category"), "releases", ["category"], unique=False)
    op.create_index(op.f("ix_releases_issue_id"), "releases", ["issue_id"], unique=False)
    op.create_index(
        "ix_releases_state_published", "releases", ["state", "published_at"], unique=False
    )
    op.create_table(
        "release_comments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("release_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("reason", sa.String(length=200), nullable=False),
        sa.Column("official", sa.Boolean(), nullable=False),
        sa.Column("reply_to_id", sa.Integer(), nullable=True),
        sa.Column("address", sa.String(length=64), nullable=False),
        sa.Column("moderator", sa.String(length=64), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["release_id"], ["releases.id"], name=op.f("fk_release_comments_release_id_releases")
        ),
        sa.ForeignKeyConstraint(
            ["reply_to_id"],
            ["release_comments.id"],
            name=op.f("fk_release_comments_reply_to_id_release_comments"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_release_comments")),
    )
    op.create_index(
        "ix_release_comments_address_at",
        "release_comments",
        ["address", "created_at"],
        unique=False,
    )
    op.create_index(
        "ix_release_comments_release_status",
        "release_comments",
        ["release_id", "status"],
        unique=False,
    )
    op.create_table(
        "release_photos",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("release_id", sa.Integer(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("width", sa.Integer(), nullable=False),
        sa.Column("height", sa.Integer(), nullable=False),
        sa.Column("alt", sa.String(length=300), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["release_id"], ["releases.id"], name=op.f("fk_release_photos_release_id_releases")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_release_photos")),
    )
    op.create_index(
        op.f("ix_release_photos_release_id"), "release_photos", ["release_id"], unique=False
    )
    op.create_table(
        "release_pickups",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("release_id", sa.Integer(), nullable=False),
        sa.Column(
            "mention_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("outlet", sa.String(length=200), nullable=False),
        sa.Column("containment", sa.Float(), nullable=False),
        sa.Column("changed", sa.Float(), nullable=False),
        sa.Column("lag_seconds", sa.Float(), nullable=True),
        sa.Column("found_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["mention_id"], ["mentions.id"], name=op.f("fk_release_pickups_mention_id_mentions")
        ),
        sa.ForeignKeyConstraint(
            ["release_id"], ["releases.id"], name=op.f("fk_release_pickups_release_id_releases")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_release_pickups")),
        sa.UniqueConstraint("release_id", "mention_id", name=op.f("uq_release_pickups_release_id")),
    )
    op.create_index(
        op.f("ix_release_pickups_release_id"), "release_pickups", ["release_id"], unique=False
    )
    op.create_table(
        "release_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("release_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("actor", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["release_id"], ["releases.id"], name=op.f("fk_release_versions_release_id_releases")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_release_versions")),
        sa.UniqueConstraint("release_id", "number", name=op.f("uq_release_versions_release_id")),
    )
    op.create_index(
        op.f("ix_release_versions_release_id"), "release_versions", ["release_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_release_versions_release_id"), table_name="release_versions")
    op.drop_table("release_versions")
    op.drop_index(op.f("ix_release_pickups_release_id"), table_name="release_pickups")
    op.drop_table("release_pickups")
    op.drop_index(op.f("ix_release_photos_release_id"), table_name="release_photos")
    op.drop_table("release_photos")
    op.drop_index("ix_release_comments_release_status", table_name="release_comments")
    op.drop_index("ix_release_comments_address_at", table_name="release_comments")
    op.drop_table("release_comments")
    op.drop_index("ix_releases_state_published", table_name="releases")
    op.drop_index(op.f("ix_releases_issue_id"), table_name="releases")
    op.drop_index(op.f("ix_releases_category"), table_name="releases")
    op.drop_index(op.f("ix_releases_agency_id"), table_name="releases")
    op.drop_table("releases")
    op.drop_table("media_list_members")
    op.drop_index(op.f("ix_media_lists_agency_id"), table_name="media_lists")
    op.drop_table("media_lists")
    op.drop_index(op.f("ix_media_contacts_agency_id"), table_name="media_contacts")
    op.drop_table("media_contacts")
