"""Alembic environment: runs on the engine handed over by :class:`pantau.store.db.Database`."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from pantau.store.all_models import Base

config = context.config
target_metadata = Base.metadata


def run_migrations_online() -> None:
    engine = config.attributes.get("engine") or create_engine(
        config.get_main_option("sqlalchemy.url") or ""
    )
    with engine.begin() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=connection.dialect.name == "sqlite",
            compare_type=True,
        )
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    raise SystemExit("pantau runs migrations online only: use `pantau init`")
run_migrations_online()
