"""Provinces as tenants: the province of agencies and sources, the tenant of mentions and issues.

Every existing row is filed under the installation's province (the ``province`` setting, read
from the environment as the running installation reads it), so a single-province installation
works as before; an agency bound to a region takes that region's province instead. The columns
are added with that province as their default, which both SQLite and PostgreSQL (11+) apply to
existing rows without rewriting the table: a store of millions of mentions upgrades at once.

Revision ID: 0009_tenants_province
Revises: 0008_learning_playbook_versions
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009_tenants_province"
down_revision = "0008_learning_playbook_versions"
branch_labels = None
depends_on = None

#: (table, column, index name and columns) of each tenant column.
COLUMNS = (
    ("agencies", "province", "ix_agencies_province", ["province"]),
    ("sources", "province", "ix_sources_province", ["province"]),
    ("mentions", "tenant", "ix_mentions_tenant_published", ["tenant", "published_at"]),
    ("issues", "tenant", "ix_issues_tenant_last_seen", ["tenant", "last_seen"]),
)


def _home() -> str:
    from pantau.settings import get_settings

    home = get_settings().province
    if not (len(home) == 2 and home.isdigit()):
        raise ValueError(f"setting province: {home!r} is not a two-digit Kemendagri code, e.g. 64")
    return home


def upgrade() -> None:
    home = _home()
    postgres = op.get_bind().dialect.name == "postgresql"
    for table, column, index, on in COLUMNS:
        default = sa.text(f"'{home}'")
        op.add_column(table, sa.Column(column, sa.String(2), nullable=True, server_default=default))
        if postgres:  # new rows get their tenant from the code, never from a forgotten default
            op.alter_column(table, column, server_default=None)
        op.create_index(index, table, on)
    # an agency bound to a region serves that region's province
    op.execute(
        "UPDATE agencies SET province = substr(region_code, 1, 2) WHERE region_code IS NOT NULL"
    )


def downgrade() -> None:
    for table, column, index, _on in reversed(COLUMNS):
        op.drop_index(index, table_name=table)
        with op.batch_alter_table(table) as batch:
            batch.drop_column(column)
