"""Personal data (UU PDP): the sealed originals of the NIKs, phones, e-mails, plates and bank
accounts masked in mention text, with a keyed hash to find one person's data on request.

Revision ID: 0003_pii
Revises: 0002
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_pii"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "personal_data",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), primary_key=True),
        sa.Column(
            "mention_id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            sa.ForeignKey(
                "mentions.id", name="fk_personal_data_mention_id_mentions", ondelete="CASCADE"
            ),
            nullable=False,
        ),
        sa.Column("field", sa.String(8), nullable=False),
        sa.Column("kind", sa.String(8), nullable=False),
        sa.Column("start", sa.Integer(), nullable=False),
        sa.Column("end", sa.Integer(), nullable=False),
        sa.Column("digest", sa.String(64), nullable=False),
        sa.Column("sealed", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_personal_data"),
    )
    op.create_index("ix_personal_data_mention_id", "personal_data", ["mention_id"])
    op.create_index("ix_personal_data_digest", "personal_data", ["digest"])


def downgrade() -> None:
    op.drop_index("ix_personal_data_digest", table_name="personal_data")
    op.drop_index("ix_personal_data_mention_id", table_name="personal_data")
    op.drop_table("personal_data")
