"""Search: an index of the emoji and other symbols in mentions (see pantau.store.symbols).

A query symbol (😷) was a substring test on every mention the rest of the query left: 4.9 s on
PostgreSQL and 0.3 s on SQLite for ``banjir 😷`` at 1,000,000 benchmark mentions. Now:

- PostgreSQL: a GIN index over the array of each mention's non-ASCII characters, built on
  every month partition (and the default one); the server keeps it up to date.
- SQLite: ``mention_symbols`` (symbol, mention id), without rowid, keyed by symbol first so a
  search reads one range per character; triggers keep it as mentions are added, edited and
  deleted, and the mentions already stored are indexed here.

Revision ID: 0010_daily3_mention_symbols
Revises: 0012_precise_sentiment_tier
Create Date: 2026-12-07
"""

from __future__ import annotations

from alembic import op

from pantau.store.symbols import PG_SYMBOLS, SQLITE_FUNCTION, register_sqlite

revision = "0010_daily3_mention_symbols"
down_revision = "0012_precise_sentiment_tier"
branch_labels = None
depends_on = None

_ROWS = f"json_each({SQLITE_FUNCTION}({{r}}.title, {{r}}.text))"
_ADD = (
    "INSERT OR IGNORE INTO mention_symbols(symbol, mention_id) "
    f"SELECT value, new.id FROM {_ROWS.format(r='new')};"
)
# by the key (symbol, mention id): the old text says which symbols it held
_REMOVE = (
    "DELETE FROM mention_symbols WHERE mention_id = old.id "
    f"AND symbol IN (SELECT value FROM {_ROWS.format(r='old')});"
)

_SQLITE_UP = [
    """CREATE TABLE mention_symbols (
        symbol TEXT NOT NULL,
        mention_id INTEGER NOT NULL,
        PRIMARY KEY (symbol, mention_id)
    ) WITHOUT ROWID""",
    f"CREATE TRIGGER mentions_symbols_ai AFTER INSERT ON mentions BEGIN {_ADD} END",
    f"CREATE TRIGGER mentions_symbols_ad AFTER DELETE ON mentions BEGIN {_REMOVE} END",
    "CREATE TRIGGER mentions_symbols_au AFTER UPDATE OF title, text ON mentions "
    f"BEGIN {_REMOVE} {_ADD} END",
]
_SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS mentions_symbols_au",
    "DROP TRIGGER IF EXISTS mentions_symbols_ad",
    "DROP TRIGGER IF EXISTS mentions_symbols_ai",
    "DROP TABLE IF EXISTS mention_symbols",
]


def backfill() -> str:
    """SQLite: index the mentions already stored, as the insert trigger indexes new ones."""
    return (
        "INSERT OR IGNORE INTO mention_symbols(symbol, mention_id) "
        f"SELECT j.value, m.id FROM mentions AS m, {_ROWS.format(r='m')} AS j"
    )


def upgrade() -> None:
    conn = op.get_bind()
    if conn.dialect.name == "postgresql":
        # IF NOT EXISTS: a store taken back below the partitioning and up again (its downgrade
        # carries every index of mentions over) already has it
        op.execute(
            "CREATE INDEX IF NOT EXISTS ix_mentions_symbols ON mentions "
            f"USING gin (({PG_SYMBOLS.format(t='')}))"
        )
        return
    # alembic run by hand opens its own connection: the triggers and backfill need the function
    register_sqlite(conn.connection.dbapi_connection)
    for sql in _SQLITE_UP:
        op.execute(sql)
    op.execute(backfill())


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_mentions_symbols")
        return
    for sql in _SQLITE_DOWN:
        op.execute(sql)
