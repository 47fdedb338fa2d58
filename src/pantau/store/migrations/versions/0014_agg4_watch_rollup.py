"""The watchlists as a rollup dimension: mentions per watchlist, hour or day segment, and key.

The overview of one watchlist read its mentions (a week at 1,000,000 benchmark mentions:
~30,000 of them and the week before, 1.2-2.2 s p95 on a loaded box, see
benchmarks/results/reports.md). ``mentions.watch`` is the JSON list of the watchlist names a
mention matched; here each name is one more key column over ``mention_rollup``'s key, per hour
(``mention_watch_rollup``) and per day segment (``mention_watch_segments``), so the overview
adds up rows as it does without a watchlist: whole segments, and hours at the edges.

Only watched mentions have rows (the expansion of an empty list is empty), so the triggers cost
nothing for the others. SQLite: row triggers of their own, which also follow an UPDATE of
``watch`` (the text stage and ``pantau reanalyze`` rewrite it). PostgreSQL: statement triggers
of their own over the transition tables, each key's net change upserted in key order, nothing
written for an UPDATE that changed no counted column. The stored mentions are counted once here
(those with a watch list only: the partial index ``ix_mentions_watched`` finds them).

Revision ID: 0014_agg4_watch_rollup
Revises: 0013_agg4_mention_segments
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from pantau.store.segments import sqlite_segment_start

revision = "0014_agg4_watch_rollup"
down_revision = "0013_agg4_mention_segments"
branch_labels = None
depends_on = None

_KEY = "bucket, watch, channel, sentiment, lang, noise, region, issue_id, tenant"
_COVERED = ["channel", "sentiment", "lang", "noise", "n", "tenant"]
#: Per table: (watch, issue, kab/kota, time) for the series and totals, (watch, kab/kota, time,
#: issue) for the issues of a place; both cover every counted column.
_INDEXES = {
    "cover": ["watch", "issue_id", "region", "bucket"],
    "place": ["watch", "region", "bucket", "issue_id"],
}
_COUNTED = "published_at, channel, sentiment, lang, noise, regions, issue_id, tenant, watch"
_SQLITE_SEGMENT = sqlite_segment_start("{ts}")  # a template: {ts} filled in per use
#: Each table and the bucket of a timestamp ``{ts}`` in it (pantau_segment_start: 0013).
_TABLES = {
    "sqlite": {
        "mention_watch_rollup": "strftime('%Y-%m-%d %H:00:00.000000', {ts})",
        "mention_watch_segments": _SQLITE_SEGMENT,
    },
    "postgresql": {
        "mention_watch_rollup": "date_trunc('hour', {ts})",
        "mention_watch_segments": "pantau_segment_start({ts})",
    },
}
#: SQLite: the watchlist name of a ``mentions.watch`` element ``{j}`` of json_each (a hit
#: ``{{"name", "terms"}}`` as the text stage writes it, or a bare name); NULL for anything else.
_SQLITE_NAME = (
    "CASE {j}.type WHEN 'object' THEN json_extract({j}.value, '$.name') "
    "WHEN 'text' THEN {j}.value END"
)
_SQLITE_TRIGGERS = ("mentions_watch_ai", "mentions_watch_ad", "mentions_watch_au")
_PG_TRIGGERS = {
    "mentions_watch_insert": "INSERT ON mentions REFERENCING NEW TABLE AS new_rows",
    "mentions_watch_update": "UPDATE ON mentions REFERENCING OLD TABLE AS old_rows "
    "NEW TABLE AS new_rows",
    "mentions_watch_delete": "DELETE ON mentions REFERENCING OLD TABLE AS old_rows",
}


def _sqlite_expanded(table: str, m: str, sign: str) -> str:
    """SQLite: the keys of ``table`` the mention(s) ``m`` count in, each counted ``sign``."""
    bucket = _TABLES["sqlite"][table].format(ts=f"{m}.published_at")
    return f"""SELECT {bucket} AS bucket, w.name AS watch, {m}.channel AS channel,
               coalesce({m}.sentiment, '') AS sentiment, coalesce({m}.lang, '') AS lang,
               coalesce({m}.noise, '') AS noise, r.code AS region, i.id AS issue_id,
               coalesce({m}.tenant, '') AS tenant, {sign} AS d
        FROM (SELECT DISTINCT {_SQLITE_NAME.format(j="json_each")} AS name
              FROM json_each(coalesce({m}.watch, '[]'))) AS w,
             (SELECT '*' AS code UNION
              SELECT substr(CASE WHEN j.type = 'object' THEN json_extract(j.value, '$.code')
                                 ELSE j.value END, 1, 5)
              FROM json_each(coalesce({m}.regions, '[]')) AS j) AS r,
             (SELECT 0 AS id UNION SELECT {m}.issue_id WHERE {m}.issue_id IS NOT NULL) AS i
        WHERE {m}.published_at IS NOT NULL AND r.code IS NOT NULL AND r.code != ''
          AND w.name IS NOT NULL"""


def _pg_expanded(table: str, rows: str, sign: str) -> str:
    """PostgreSQL: the keys of ``table`` every mention in ``rows`` counts in, each ``sign``."""
    bucket = _TABLES["postgresql"][table].format(ts="m.published_at")
    return f"""SELECT {bucket} AS bucket, w.name AS watch, m.channel,
               coalesce(m.sentiment, '') AS sentiment, coalesce(m.lang, '') AS lang,
               coalesce(m.noise, '') AS noise, r.code AS region, i.id AS issue_id,
               coalesce(m.tenant, '') AS tenant, {sign} AS d
        FROM {rows} AS m
        CROSS JOIN LATERAL (
            SELECT DISTINCT CASE json_typeof(e) WHEN 'object' THEN e->>'name'
                                                WHEN 'string' THEN e #>> '{{}}' END AS name
            FROM json_array_elements(CASE WHEN json_typeof(m.watch) = 'array' THEN m.watch
                                          ELSE '[]'::json END) AS e) AS w
        CROSS JOIN LATERAL (
            SELECT '*' AS code UNION
            SELECT substr(CASE WHEN json_typeof(e) = 'object' THEN e->>'code'
                               ELSE e#>>'{{}}' END, 1, 5)
            FROM json_array_elements(CASE WHEN json_typeof(m.regions) = 'array' THEN m.regions
                                          ELSE '[]'::json END) AS e) AS r
        CROSS JOIN LATERAL (
            SELECT 0::bigint AS id UNION SELECT m.issue_id WHERE m.issue_id IS NOT NULL) AS i
        WHERE m.published_at IS NOT NULL AND r.code IS NOT NULL AND r.code <> ''
          AND w.name IS NOT NULL"""


def _upsert(dialect: str, table: str, parts: list[tuple[str, str]]) -> str:
    """Add the net count of each key of ``table`` over ``parts`` (rows, sign), in key order."""
    expanded = _sqlite_expanded if dialect == "sqlite" else _pg_expanded
    delta = " UNION ALL ".join(expanded(table, rows, sign) for rows, sign in parts)
    # WHERE true: SQLite reads an upsert's SELECT without one as ending in a join's ON
    return f"""INSERT INTO {table} ({_KEY}, n)
        SELECT {_KEY}, sum(d) FROM ({delta}) AS delta WHERE true
        GROUP BY {_KEY} HAVING sum(d) <> 0 ORDER BY {_KEY}
        ON CONFLICT ({_KEY}) DO UPDATE SET n = {table}.n + excluded.n;"""


def _all(dialect: str, parts: list[tuple[str, str]]) -> str:
    return "\n".join(_upsert(dialect, table, parts) for table in _TABLES[dialect])


_SQLITE_UP = [
    "CREATE TRIGGER mentions_watch_ai AFTER INSERT ON mentions "
    f"WHEN new.watch IS NOT NULL AND new.watch != '[]' BEGIN {_all('sqlite', [('new', '1')])} END",
    "CREATE TRIGGER mentions_watch_ad AFTER DELETE ON mentions "
    f"WHEN old.watch IS NOT NULL AND old.watch != '[]' BEGIN {_all('sqlite', [('old', '-1')])} END",
    f"CREATE TRIGGER mentions_watch_au AFTER UPDATE OF {_COUNTED} ON mentions "
    "WHEN coalesce(old.watch, '[]') != '[]' OR coalesce(new.watch, '[]') != '[]' "
    f"BEGIN {_all('sqlite', [('old', '-1'), ('new', '1')])} END",
]

#: The rollups' transaction lock (ROLLUP_LOCK of 0013_agg4_mention_segments): watchlist
#: segments are shared by many hours too, so the same deadlock is possible without it.
_ROLLUP_LOCK = 7_340_001

_PG_FUNCTION = f"""CREATE OR REPLACE FUNCTION mention_watch_statement() RETURNS trigger AS $$
    BEGIN
        PERFORM pg_advisory_xact_lock({_ROLLUP_LOCK});
        IF TG_OP = 'INSERT' THEN
            {_all("postgresql", [("new_rows", "1")])}
        ELSIF TG_OP = 'DELETE' THEN
            {_all("postgresql", [("old_rows", "-1")])}
        ELSE
            {_all("postgresql", [("old_rows", "-1"), ("new_rows", "1")])}
        END IF;
        RETURN NULL;
    END $$ LANGUAGE plpgsql"""


def _sqlite_backfill(table: str) -> str:
    """SQLite: the stored watched mentions' keys of ``table``. SQLite has no LATERAL: each
    mention's places gain ``*`` and its issue ``0`` as JSON, expanded by json_each, and each
    mention counts once per key (DISTINCT: two places in one kab/kota are one)."""
    bucket = _TABLES["sqlite"][table].format(ts="m.published_at")
    code = (
        "substr(CASE WHEN r.type = 'object' THEN json_extract(r.value, '$.code') "
        "ELSE r.value END, 1, 5)"
    )
    return f"""INSERT INTO {table} ({_KEY}, n)
        SELECT {_KEY}, count(*) FROM (
            SELECT DISTINCT m.id, {bucket} AS bucket, {_SQLITE_NAME.format(j="w")} AS watch,
                   m.channel AS channel,
                   coalesce(m.sentiment, '') AS sentiment, coalesce(m.lang, '') AS lang,
                   coalesce(m.noise, '') AS noise, {code} AS region, i.value AS issue_id,
                   coalesce(m.tenant, '') AS tenant
            FROM mentions AS m, json_each(m.watch) AS w,
                 json_each(json_insert(coalesce(m.regions, '[]'), '$[#]', '*')) AS r,
                 json_each(json_array(0, m.issue_id)) AS i
            WHERE CAST(m.watch AS VARCHAR) != '[]'
              AND m.published_at IS NOT NULL AND i.value IS NOT NULL)
        WHERE region IS NOT NULL AND region != '' AND watch IS NOT NULL
        GROUP BY {_KEY}"""


def backfill(dialect: str) -> list[str]:
    """Count the watched mentions already stored, as the triggers count new ones."""
    if dialect == "sqlite":
        return [_sqlite_backfill(table) for table in _TABLES[dialect]]
    watched = "(SELECT * FROM mentions WHERE CAST(watch AS VARCHAR) != '[]')"
    return [_upsert(dialect, table, [(watched, "1")]) for table in _TABLES[dialect]]


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    for table in _TABLES[dialect]:
        op.create_table(
            table,
            sa.Column("bucket", sa.DateTime(), nullable=False),
            sa.Column("watch", sa.String(length=120), nullable=False),
            sa.Column("channel", sa.String(length=20), nullable=False),
            sa.Column("sentiment", sa.String(length=10), nullable=False),
            sa.Column("lang", sa.String(length=8), nullable=False),
            sa.Column("noise", sa.String(length=20), nullable=False),
            sa.Column("region", sa.String(length=16), nullable=False),
            sa.Column("issue_id", sa.BigInteger(), nullable=False),
            sa.Column("tenant", sa.String(length=2), nullable=False),
            sa.Column("n", sa.Integer(), nullable=False),
            sa.PrimaryKeyConstraint(*_KEY.split(", "), name=op.f(f"pk_{table}")),
        )
    for sql in backfill(dialect):
        op.execute(sql)
    for table in _TABLES[dialect]:
        for name, columns in _INDEXES.items():
            op.create_index(f"ix_{table}_{name}", table, [*columns, *_COVERED])
    if dialect == "sqlite":
        for sql in _SQLITE_UP:
            op.execute(sql)
        return
    op.execute(_PG_FUNCTION)
    for name, event in _PG_TRIGGERS.items():
        op.execute(
            f"CREATE TRIGGER {name} AFTER {event} "
            "FOR EACH STATEMENT EXECUTE FUNCTION mention_watch_statement()"
        )


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for name in _SQLITE_TRIGGERS:
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
    else:
        for name in _PG_TRIGGERS:
            op.execute(f"DROP TRIGGER IF EXISTS {name} ON mentions")
        op.execute("DROP FUNCTION IF EXISTS mention_watch_statement()")
    for table in _TABLES[dialect]:
        op.drop_table(table)
