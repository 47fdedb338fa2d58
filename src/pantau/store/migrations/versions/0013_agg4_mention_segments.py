"""Day segments: the hourly rollup also kept per segment, three a UTC day.

A month of local days is ~90 segment rows per key instead of ~720 hourly ones (see
:mod:`pantau.store.segments`: segments start at 15, 16 and 17 UTC, the local midnights of
WIT, WITA and WIB). ``mention_segments`` has the key of ``mention_rollup`` with the segment's
start as bucket, and the same three covering indexes.

Both tables are written by the same triggers in the same statement, from the same expansion of
a mention (its hour or segment, each distinct kab/kota plus ``*``, its issue plus ``0``), so a
mention inserted, moved or deleted changes both at once: SQLite's row triggers run one more
upsert, PostgreSQL's statement function applies the net delta of the transition tables to each
table in key order (two writers still lock shared rows in the same order). The stored hours are
added up once here: ``mention_segments`` is a GROUP BY of ``mention_rollup`` (15.5M hourly rows
at 10M mentions), not a walk of the mentions.

Revision ID: 0013_agg4_mention_segments
Revises: 0013_anal4_analysis_segments
Create Date: 2026-12-07
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import sqlalchemy as sa
from alembic import op

from pantau.store.segments import PG_SEGMENT_START_FUNCTION, sqlite_segment_start

revision = "0013_agg4_mention_segments"
down_revision = "0013_anal4_analysis_segments"
branch_labels = None
depends_on = None

_KEY = "bucket, channel, sentiment, lang, noise, region, issue_id, tenant"
_INDEXES = {
    "ix_mention_segments_cover": ["issue_id", "region", "bucket"],
    "ix_mention_segments_span": ["issue_id", "bucket", "region"],
    "ix_mention_segments_place": ["region", "bucket", "issue_id"],
}
_COVERED = ["channel", "sentiment", "lang", "noise", "n", "tenant"]
_COUNTED = "published_at, channel, sentiment, lang, noise, regions, issue_id, tenant"
_ROW_TRIGGERS = ("mentions_rollup_ai", "mentions_rollup_ad", "mentions_rollup_au")

# The segment start of a naive UTC timestamp, as pantau.store.segments.segment_floor, as the
# triggers compute it: one definition, in pantau.store.segments.
_PG_SEGMENT = PG_SEGMENT_START_FUNCTION
_sqlite_segment = sqlite_segment_start


def _sqlite_hour(ts: str) -> str:
    return f"strftime('%Y-%m-%d %H:00:00.000000', {ts})"


#: Each table the triggers write and the bucket of a timestamp in it, per backend.
_TABLES = {
    "sqlite": {"mention_rollup": _sqlite_hour, "mention_segments": _sqlite_segment},
    "postgresql": {
        "mention_rollup": lambda ts: f"date_trunc('hour', {ts})",
        "mention_segments": lambda ts: f"pantau_segment_start({ts})",
    },
}


def _sqlite_rows(table: str, row: str, sign: int) -> str:
    """SQLite: add ``sign`` to every row of ``table`` the mention ``row`` (new/old) counts in."""
    bucket = _TABLES["sqlite"][table](f"{row}.published_at")
    return f"""INSERT INTO {table}({_KEY}, n)
        SELECT {bucket}, {row}.channel, coalesce({row}.sentiment, ''),
               coalesce({row}.lang, ''), coalesce({row}.noise, ''), r.code, i.id,
               coalesce({row}.tenant, ''), {sign}
        FROM (SELECT '*' AS code UNION
              SELECT substr(CASE WHEN j.type = 'object' THEN json_extract(j.value, '$.code')
                                 ELSE j.value END, 1, 5)
              FROM json_each(coalesce({row}.regions, '[]')) AS j) AS r,
             (SELECT 0 AS id UNION SELECT {row}.issue_id WHERE {row}.issue_id IS NOT NULL) AS i
        WHERE {row}.published_at IS NOT NULL AND r.code IS NOT NULL AND r.code != ''
        ON CONFLICT({_KEY}) DO UPDATE SET n = n + excluded.n;"""


def _sqlite_both(row: str, sign: int) -> str:
    return " ".join(_sqlite_rows(table, row, sign) for table in _TABLES["sqlite"])


_SQLITE_UP = [
    f"CREATE TRIGGER mentions_rollup_ai AFTER INSERT ON mentions BEGIN {_sqlite_both('new', 1)} "
    "END",
    f"CREATE TRIGGER mentions_rollup_ad AFTER DELETE ON mentions BEGIN "
    f"{_sqlite_both('old', -1)} END",
    f"CREATE TRIGGER mentions_rollup_au AFTER UPDATE OF {_COUNTED} ON mentions BEGIN "
    f"{_sqlite_both('old', -1)} {_sqlite_both('new', 1)} END",
]


def _pg_expanded(table: str, rows: str, sign: int) -> str:
    """PostgreSQL: the keys of ``table`` every mention in transition table ``rows`` counts in."""
    bucket = _TABLES["postgresql"][table]("m.published_at")
    return f"""SELECT {bucket} AS bucket, m.channel,
               coalesce(m.sentiment, '') AS sentiment, coalesce(m.lang, '') AS lang,
               coalesce(m.noise, '') AS noise, r.code AS region, i.id AS issue_id,
               coalesce(m.tenant, '') AS tenant, {sign} AS d
        FROM {rows} AS m
        CROSS JOIN LATERAL (
            SELECT '*' AS code UNION
            SELECT substr(CASE WHEN json_typeof(e) = 'object' THEN e->>'code'
                               ELSE e#>>'{{}}' END, 1, 5)
            FROM json_array_elements(CASE WHEN json_typeof(m.regions) = 'array' THEN m.regions
                                          ELSE '[]'::json END) AS e) AS r
        CROSS JOIN LATERAL (
            SELECT 0::bigint AS id UNION SELECT m.issue_id WHERE m.issue_id IS NOT NULL) AS i
        WHERE m.published_at IS NOT NULL AND r.code IS NOT NULL AND r.code <> ''"""


def _pg_apply(*parts: tuple[str, int]) -> str:
    """Upsert into each table the net count of each key; keys that net to zero are skipped.

    Keys are written in key order, the hourly table first, so two writers lock the rows they
    share in the same order and wait for each other instead of deadlocking."""
    statements = []
    for table in _TABLES["postgresql"]:
        delta = " UNION ALL ".join(_pg_expanded(table, rows, sign) for rows, sign in parts)
        statements.append(
            f"""INSERT INTO {table} ({_KEY}, n)
        SELECT {_KEY}, sum(d) FROM ({delta}) AS delta
        GROUP BY {_KEY} HAVING sum(d) <> 0 ORDER BY {_KEY}
        ON CONFLICT ({_KEY}) DO UPDATE SET n = {table}.n + EXCLUDED.n;"""
        )
    return "\n".join(statements)


#: The transaction lock every rollup write takes first (pg_advisory_xact_lock). Within one
#: statement the keys are written in order, but a transaction of several statements (insert,
#: then set the issue) holds the segment rows of the first while it writes the second: a
#: segment spans many hours, so two writers' transactions met on the same segment rows in
#: opposite order and deadlocked (tests/scale, two runners). Rollup writes of two transactions
#: now queue, from the first counted write to the commit.
ROLLUP_LOCK = 7_340_001

_PG_FUNCTION = f"""CREATE OR REPLACE FUNCTION mention_rollup_statement() RETURNS trigger AS $$
    BEGIN
        PERFORM pg_advisory_xact_lock({ROLLUP_LOCK});
        IF TG_OP = 'INSERT' THEN
            {_pg_apply(("new_rows", 1))}
        ELSIF TG_OP = 'DELETE' THEN
            {_pg_apply(("old_rows", -1))}
        ELSE
            {_pg_apply(("old_rows", -1), ("new_rows", 1))}
        END IF;
        RETURN NULL;
    END $$ LANGUAGE plpgsql"""


def _earlier(name: str) -> ModuleType:
    """An earlier migration of this directory, whose triggers the downgrade puts back as
    they were."""
    spec = importlib.util.spec_from_file_location(name, Path(__file__).with_name(f"{name}.py"))
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        op.execute(_PG_SEGMENT)
    op.create_table(
        "mention_segments",
        sa.Column("bucket", sa.DateTime(), nullable=False),
        sa.Column("channel", sa.String(length=20), nullable=False),
        sa.Column("sentiment", sa.String(length=10), nullable=False),
        sa.Column("lang", sa.String(length=8), nullable=False),
        sa.Column("noise", sa.String(length=20), nullable=False),
        sa.Column("region", sa.String(length=16), nullable=False),
        sa.Column("issue_id", sa.BigInteger(), nullable=False),
        sa.Column("tenant", sa.String(length=2), nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint(*_KEY.split(", "), name=op.f("pk_mention_segments")),
    )
    segment = _TABLES[dialect]["mention_segments"]("bucket")
    rest = "channel, sentiment, lang, noise, region, issue_id, tenant"
    # the stored hours, added up; a sort of the hourly rows, then the indexes built once
    op.execute(
        f"INSERT INTO mention_segments ({_KEY}, n) SELECT {segment}, {rest}, sum(n) "
        f"FROM mention_rollup GROUP BY {segment}, {rest} HAVING sum(n) <> 0"
    )
    for name, columns in _INDEXES.items():
        op.create_index(name, "mention_segments", [*columns, *_COVERED])
    if dialect == "sqlite":
        for name in _ROW_TRIGGERS:
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
        for sql in _SQLITE_UP:
            op.execute(sql)
    else:
        op.execute(_PG_FUNCTION)  # the triggers of 0010_scale3_rollup_per_statement call it


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for name in _ROW_TRIGGERS:
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
        for sql in _earlier("0010_tenants_rollup")._SQLITE_UP:
            op.execute(sql)
    else:
        op.execute(_earlier("0010_scale3_rollup_per_statement")._FUNCTION)
    op.drop_table("mention_segments")  # its indexes go with it
    if dialect == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS pantau_segment_start(timestamp)")
