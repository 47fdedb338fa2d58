"""The analysis page at 1,000,000 mentions: outlets and places per day segment, voices indexed.

/analisis counted every mention of its window and of the window before for its outlets, its
kecamatan and its top authors: at 1,000,000 benchmark mentions a 7-day view took 4.4 s for the
outlets, 2.7 s for the authors and 3.9 s for the kecamatan of one kab/kota (SQLite, loaded
box). Three things here:

- ``segment_outlets``: news mentions per day segment (see :mod:`pantau.store.segments`),
  outlet and province, for all places (``*``) and per kab/kota: 40 outlets make ~120 rows a
  segment where the window held ~4,000 mentions.
- ``segment_places``: mentions per day segment, kab/kota or kecamatan and province, for all
  issues (``0``) and per issue, so the places and their issue counts add up segment rows.
- ``ix_mentions_analysis``: the mentions' time, author, reach and the columns the page filters
  on, in one index. Authors do not shrink when pre-counted: the benchmark's 233,000 mentions
  of a week come from 49,500 authors, so a per-segment author count would hold ~1 row per
  mention (measured: 230,000 (segment, author) pairs in a week); reading them from this index
  is the same walk without a second table to keep. The hours at a window's edges, outside
  whole segments, are read from it too (see :mod:`pantau.reports.analysis_segments`).

SQLite keeps both tables with row triggers; PostgreSQL with statement triggers over the
transition tables, each key's net change upserted in key order (the pattern of
``0010_scale3_rollup_per_statement``). The stored mentions are counted here once.

Revision ID: 0013_anal4_analysis_segments
Revises: 0013_owner4_cluster_pending
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql, sqlite

from pantau.store.segments import segment_start_sql

revision = "0013_anal4_analysis_segments"
down_revision = "0013_owner4_cluster_pending"
branch_labels = None
depends_on = None

#: The tables' keys, in the order their rows are written (and locked) on PostgreSQL.
_OUTLET_KEY = "region, segment, outlet, tenant"
_PLACE_KEY = "segment, place, issue_id, tenant"
#: What a mention's outlet and place counts depend on: an UPDATE of anything else counts nothing.
_COUNTED = "published_at, outlet, regions, issue_id, tenant"
#: Kab/kota ("64.72") and kecamatan ("64.72.01") code lengths: a place is a code cut to these.
_KABKOTA, _KECAMATAN = 5, 8
#: The index of voices and edges: key columns on SQLite; on PostgreSQL the JSON places cannot be
#: a b-tree key, so everything after the time is carried as INCLUDE columns.
_VOICE_COLUMNS = [
    "author",
    "author_followers",
    "likes",
    "shares",
    "comments",
    "outlet",
    "issue_id",
    "channel",
    "noise",
    "tenant",
    "regions",
]
VOICE_INDEX = "ix_mentions_analysis"


def _segment(dialect: str, column: str) -> str:
    """The segment start of ``column`` as literal SQL (the expression the reads agree with)."""
    expr = segment_start_sql(dialect, sa.literal_column(column))
    compiler = sqlite.dialect() if dialect == "sqlite" else postgresql.dialect()
    return str(expr.compile(dialect=compiler, compile_kwargs={"literal_binds": True}))


def _code(dialect: str) -> str:
    """The place code of region element ``j`` (a code, or an object with a code), as
    :func:`pantau.reports.timeseries.place_codes` reads it; NULL for anything else."""
    if dialect == "sqlite":
        return (
            "(CASE WHEN j.type = 'text' THEN j.value WHEN j.type = 'object' "
            "AND json_type(j.value, '$.code') = 'text' THEN json_extract(j.value, '$.code') END)"
        )
    return (
        "(CASE json_typeof(j.value) WHEN 'string' THEN j.value#>>'{}' WHEN 'object' THEN "
        "(CASE WHEN json_typeof(j.value->'code') = 'string' THEN j.value->>'code' END) END)"
    )


def _elements(dialect: str, row: str) -> str:
    """The elements ``j`` of mention ``row``'s regions (none unless they are a JSON array)."""
    if dialect == "sqlite":
        return (
            f"json_each(CASE WHEN json_type({row}.regions) = 'array' "
            f"THEN {row}.regions ELSE '[]' END) AS j"
        )
    return (
        f"json_array_elements(CASE WHEN json_typeof({row}.regions) = 'array' "
        f"THEN {row}.regions ELSE '[]'::json END) AS j"
    )


def _from(src: str | None, row: str, *more: str) -> str:
    """FROM ``src`` AS ``row`` and ``more``; a SQLite trigger's row (``src`` None) has no table."""
    items = ([f"{src} AS {row}"] if src else []) + list(more)
    return f"FROM {', '.join(items)}" if items else ""


def _outlet_parts(dialect: str, src: str | None, row: str, sign: str) -> list[str]:
    """Selects of (region, segment, outlet, tenant, d): the outlet counts of mention(s) ``row``
    (``src`` the table they are in), each counted ``sign``: once for all places (``*``) and
    once for each distinct kab/kota it names."""
    seg = _segment(dialect, f"{row}.published_at")
    tenant = f"coalesce({row}.tenant, '')"
    where = f"WHERE {row}.published_at IS NOT NULL AND {row}.outlet IS NOT NULL"
    code = _code(dialect)
    each = (
        f"SELECT DISTINCT {row}.id, substr({code}, 1, {_KABKOTA}) AS region, {seg} AS segment, "
        f"{row}.outlet AS outlet, {tenant} AS tenant "
        f"{_from(src, row, _elements(dialect, row))} {where} AND length({code}) >= {_KABKOTA}"
    )
    return [
        f"SELECT '*' AS region, {seg} AS segment, {row}.outlet AS outlet, {tenant} AS tenant, "
        f"{sign} AS d {_from(src, row)} {where}",
        f"SELECT region, segment, outlet, tenant, {sign} AS d FROM ({each}) AS x",
    ]


def _place_parts(dialect: str, src: str | None, row: str, sign: str) -> list[str]:
    """Selects of (segment, place, issue_id, tenant, d): the place counts of mention(s)
    ``row``: each distinct kab/kota and kecamatan it names, for all issues (0) and its own."""
    seg = _segment(dialect, f"{row}.published_at")
    code = _code(dialect)
    levels = " UNION ".join(
        f"SELECT {row}.id AS id, {seg} AS segment, substr({code}, 1, {chars}) AS place, "
        f"coalesce({row}.tenant, '') AS tenant, {row}.issue_id AS issue "
        f"{_from(src, row, _elements(dialect, row))} "
        f"WHERE {row}.published_at IS NOT NULL AND length({code}) >= {chars}"
        for chars in (_KABKOTA, _KECAMATAN)
    )
    return [
        f"SELECT segment, place, 0 AS issue_id, tenant, {sign} AS d FROM ({levels}) AS x",
        f"SELECT segment, place, issue AS issue_id, tenant, {sign} AS d FROM ({levels}) AS x "
        "WHERE issue IS NOT NULL",
    ]


def _upsert_sqlite(table: str, key: str, parts: list[str]) -> str:
    # "WHERE true" tells SQLite's parser the ON CONFLICT belongs to the INSERT
    return f"""INSERT INTO {table}({key}, n)
            SELECT {key}, d FROM ({" UNION ALL ".join(parts)}) WHERE true
            ON CONFLICT({key}) DO UPDATE SET n = n + excluded.n;"""


def _sqlite_upserts(row: str, sign: int) -> str:
    """SQLite trigger body: add ``sign`` to the counts of the mention ``row`` (new/old)."""
    return _upsert_sqlite(
        "segment_outlets", _OUTLET_KEY, _outlet_parts("sqlite", None, row, str(sign))
    ) + _upsert_sqlite("segment_places", _PLACE_KEY, _place_parts("sqlite", None, row, str(sign)))


_SQLITE_TRIGGERS = {
    "mentions_segments_ai": ("AFTER INSERT", [("new", 1)]),
    "mentions_segments_ad": ("AFTER DELETE", [("old", -1)]),
    "mentions_segments_au": (f"AFTER UPDATE OF {_COUNTED}", [("old", -1), ("new", 1)]),
}


def _pg_apply(table: str, key: str, parts: list[str]) -> str:
    """Upsert the net change of each key of ``parts``, keys in key order (see the docstring)."""
    return f"""INSERT INTO {table} ({key}, n)
        SELECT {key}, sum(d) FROM ({" UNION ALL ".join(parts)}) AS delta
        GROUP BY {key} HAVING sum(d) <> 0 ORDER BY {key}
        ON CONFLICT ({key}) DO UPDATE SET n = {table}.n + EXCLUDED.n;"""


def _pg_both(rows: list[tuple[str, str]]) -> str:
    """Both tables' upserts for transition tables ``rows`` ((table, sign) pairs)."""
    outlets = [p for t, sign in rows for p in _outlet_parts("postgresql", t, "m", sign)]
    places = [p for t, sign in rows for p in _place_parts("postgresql", t, "m", sign)]
    return _pg_apply("segment_outlets", _OUTLET_KEY, outlets) + _pg_apply(
        "segment_places", _PLACE_KEY, places
    )


_PG_FUNCTION = f"""CREATE OR REPLACE FUNCTION mention_segments_statement() RETURNS trigger AS $$
    BEGIN
        IF TG_OP = 'INSERT' THEN
            {_pg_both([("new_rows", "1")])}
        ELSIF TG_OP = 'DELETE' THEN
            {_pg_both([("old_rows", "-1")])}
        ELSE
            {_pg_both([("old_rows", "-1"), ("new_rows", "1")])}
        END IF;
        RETURN NULL;
    END $$ LANGUAGE plpgsql"""
_PG_TRIGGERS = {
    "mentions_segments_insert": "INSERT ON mentions REFERENCING NEW TABLE AS new_rows",
    "mentions_segments_update": "UPDATE ON mentions REFERENCING OLD TABLE AS old_rows "
    "NEW TABLE AS new_rows",
    "mentions_segments_delete": "DELETE ON mentions REFERENCING OLD TABLE AS old_rows",
}


def backfill(dialect: str) -> list[str]:
    """Count the mentions already stored, the way the triggers count new ones."""
    out = []
    for table, key, parts in (
        ("segment_outlets", _OUTLET_KEY, _outlet_parts(dialect, "mentions", "m", "1")),
        ("segment_places", _PLACE_KEY, _place_parts(dialect, "mentions", "m", "1")),
    ):
        union = " UNION ALL ".join(parts)
        out.append(
            f"INSERT INTO {table} ({key}, n) SELECT {key}, sum(d) FROM ({union}) AS rows "
            f"GROUP BY {key}"
        )
    return out


def _tables(dialect: str) -> None:
    rowid = {"sqlite_with_rowid": False}
    op.create_table(
        "segment_outlets",
        sa.Column("region", sa.String(length=16), nullable=False),
        sa.Column("segment", sa.DateTime(), nullable=False),
        sa.Column("outlet", sa.String(length=200), nullable=False),
        sa.Column("tenant", sa.String(length=2), nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint(*_OUTLET_KEY.split(", "), name=op.f("pk_segment_outlets")),
        **rowid,
    )
    op.create_table(
        "segment_places",
        sa.Column("segment", sa.DateTime(), nullable=False),
        sa.Column("place", sa.String(length=16), nullable=False),
        sa.Column("issue_id", sa.BigInteger(), nullable=False),
        sa.Column("tenant", sa.String(length=2), nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint(*_PLACE_KEY.split(", "), name=op.f("pk_segment_places")),
        **rowid,
    )
    # the place counts (issue 0) of a span without walking its per-issue rows
    op.create_index(
        "ix_segment_places_count",
        "segment_places",
        ["issue_id", "segment", "place", "tenant", "n"],
    )


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    _tables(dialect)
    for sql in backfill(dialect):
        op.execute(sql)
    if dialect == "sqlite":
        op.execute(
            f"CREATE INDEX {VOICE_INDEX} ON mentions (published_at, {', '.join(_VOICE_COLUMNS)})"
        )
        for name, (event, rows) in _SQLITE_TRIGGERS.items():
            body = " ".join(_sqlite_upserts(row, sign) for row, sign in rows)
            op.execute(f"CREATE TRIGGER {name} {event} ON mentions BEGIN {body} END")
        return
    # IF NOT EXISTS: a downgrade of 0009 carries every index of mentions over
    op.execute(
        f"CREATE INDEX IF NOT EXISTS {VOICE_INDEX} ON mentions (published_at) "
        f"INCLUDE ({', '.join(_VOICE_COLUMNS)})"
    )
    op.execute(_PG_FUNCTION)
    for name, event in _PG_TRIGGERS.items():
        op.execute(f"DROP TRIGGER IF EXISTS {name} ON mentions")
        op.execute(
            f"CREATE TRIGGER {name} AFTER {event} "
            "FOR EACH STATEMENT EXECUTE FUNCTION mention_segments_statement()"
        )


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for name in _SQLITE_TRIGGERS:
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
    else:
        for name in _PG_TRIGGERS:
            op.execute(f"DROP TRIGGER IF EXISTS {name} ON mentions")
        op.execute("DROP FUNCTION IF EXISTS mention_segments_statement()")
    op.execute(f"DROP INDEX IF EXISTS {VOICE_INDEX}")
    op.drop_table("segment_places")
    op.drop_table("segment_outlets")
