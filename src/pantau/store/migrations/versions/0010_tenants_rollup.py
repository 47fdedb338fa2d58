"""Provinces as tenants: the hourly mention counts are kept per province, language and noise.

The overview adds up ``mention_rollup`` rows; with several provinces in one store, a provincial
user's overview must add up its province's rows only, so each row now carries the mentions'
``tenant`` ('' for mentions of no province) in its key. The overview also filters by language and
hides (or shows only) noise posts; both match most of a window's mentions, so counting them from
``mentions`` reads every row of the window (233,000 for a week of the 1,000,000-mention
benchmark), while as two more key columns they cost a few hundred rows, because a kab/kota's hour
holds few languages and noise kinds (``mentions.noise`` comes from
``0009_daily2_rollup_lang_noise``). The triggers count each mention under all three, moving it
when the text stage places it in another province. The table is rebuilt and counted once from
the mentions, as the triggers count new ones; the covering indexes end with the counted
columns, so the overview still reads them alone.

Revision ID: 0010_tenants_rollup
Revises: 0009_tenants_province, 0009_daily2_rollup_lang_noise
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010_tenants_rollup"
down_revision = ("0009_tenants_province", "0009_daily2_rollup_lang_noise")
branch_labels = None
depends_on = None

_KEY = ["bucket", "channel", "sentiment", "lang", "noise", "region", "issue_id", "tenant"]
#: The covering indexes of migrations 0005 and 0006: key, then every counted column.
_INDEXES = {
    "ix_mention_rollup_cover": ["issue_id", "region", "bucket"],
    "ix_mention_rollup_span": ["issue_id", "bucket", "region"],
    "ix_mention_rollup_place": ["region", "bucket", "issue_id"],
}
_COVERED = ["channel", "sentiment", "lang", "noise", "n", "tenant"]
_COUNTED = "published_at, channel, sentiment, lang, noise, regions, issue_id, tenant"
_INSERT = (
    "INSERT INTO mention_rollup(bucket, channel, sentiment, lang, noise, region, issue_id, "
    "tenant, n)"
)
_DIMS = "coalesce({r}.sentiment, ''), coalesce({r}.lang, ''), coalesce({r}.noise, '')"


def _sqlite_rows(row: str, sign: int) -> str:
    """SQLite: the rollup rows of the mention ``row`` (new/old), each counted ``sign``."""
    return f"""{_INSERT}
        SELECT strftime('%Y-%m-%d %H:00:00.000000', {row}.published_at), {row}.channel,
               {_DIMS.format(r=row)}, r.code, i.id, coalesce({row}.tenant, ''), {sign}
        FROM (SELECT '*' AS code UNION
              SELECT substr(CASE WHEN j.type = 'object' THEN json_extract(j.value, '$.code')
                                 ELSE j.value END, 1, 5)
              FROM json_each(coalesce({row}.regions, '[]')) AS j) AS r,
             (SELECT 0 AS id UNION SELECT {row}.issue_id WHERE {row}.issue_id IS NOT NULL) AS i
        WHERE {row}.published_at IS NOT NULL AND r.code IS NOT NULL AND r.code != ''
        ON CONFLICT({", ".join(_KEY)}) DO UPDATE SET n = n + excluded.n;"""


_SQLITE_UP = [
    f"CREATE TRIGGER mentions_rollup_ai AFTER INSERT ON mentions BEGIN "
    f"{_sqlite_rows('new', 1)} END",
    f"CREATE TRIGGER mentions_rollup_ad AFTER DELETE ON mentions BEGIN "
    f"{_sqlite_rows('old', -1)} END",
    f"CREATE TRIGGER mentions_rollup_au AFTER UPDATE OF {_COUNTED} ON mentions BEGIN "
    f"{_sqlite_rows('old', -1)} {_sqlite_rows('new', 1)} END",
]

_PG_UP = [
    f"""CREATE FUNCTION mention_rollup_apply(b timestamp, ch text, s text, lg text, nz text,
                                            regs json, issue bigint, t text, d integer)
    RETURNS void AS $$
    BEGIN
        IF b IS NULL THEN RETURN; END IF;
        {_INSERT}
        SELECT date_trunc('hour', b), ch, coalesce(s, ''), coalesce(lg, ''), coalesce(nz, ''),
               r.code, i.id, coalesce(t, ''), d
        FROM (SELECT '*' AS code UNION
              SELECT substr(CASE WHEN json_typeof(e) = 'object' THEN e->>'code'
                                 ELSE e#>>'{{}}' END, 1, 5)
              FROM json_array_elements(CASE WHEN json_typeof(regs) = 'array' THEN regs
                                            ELSE '[]'::json END) AS e) AS r,
             (SELECT 0::bigint AS id UNION SELECT issue WHERE issue IS NOT NULL) AS i
        WHERE r.code IS NOT NULL AND r.code <> ''
        ON CONFLICT ({", ".join(_KEY)}) DO UPDATE
        SET n = mention_rollup.n + EXCLUDED.n;
    END $$ LANGUAGE plpgsql""",
    """CREATE OR REPLACE FUNCTION mention_rollup_trigger() RETURNS trigger AS $$
    BEGIN
        IF TG_OP IN ('UPDATE', 'DELETE') THEN
            PERFORM mention_rollup_apply(OLD.published_at, OLD.channel, OLD.sentiment, OLD.lang,
                                         OLD.noise, OLD.regions, OLD.issue_id, OLD.tenant, -1);
        END IF;
        IF TG_OP IN ('UPDATE', 'INSERT') THEN
            PERFORM mention_rollup_apply(NEW.published_at, NEW.channel, NEW.sentiment, NEW.lang,
                                         NEW.noise, NEW.regions, NEW.issue_id, NEW.tenant, 1);
        END IF;
        RETURN NULL;
    END $$ LANGUAGE plpgsql""",
    f"""CREATE TRIGGER mentions_rollup AFTER INSERT OR DELETE OR UPDATE OF {_COUNTED}
        ON mentions FOR EACH ROW EXECUTE FUNCTION mention_rollup_trigger()""",
]
_PG_DROP = [
    "DROP TRIGGER IF EXISTS mentions_rollup ON mentions",
    "DROP FUNCTION IF EXISTS mention_rollup_apply(timestamp, text, text, json, bigint, integer)",
]

_BUCKET = {
    "sqlite": "strftime('%Y-%m-%d %H:00:00.000000', m.published_at)",
    "postgresql": "date_trunc('hour', m.published_at)",
}
_CODE = {
    "sqlite": "substr(CASE WHEN j.type = 'object' THEN json_extract(j.value, '$.code') "
    "ELSE j.value END, 1, 5)",
    "postgresql": "substr(CASE WHEN json_typeof(j.value) = 'object' THEN j.value->>'code' "
    "ELSE j.value#>>'{}' END, 1, 5)",
}
_ELEMENTS = {
    "sqlite": "json_each(coalesce(m.regions, '[]')) AS j",
    "postgresql": "json_array_elements(CASE WHEN json_typeof(m.regions) = 'array' "
    "THEN m.regions ELSE '[]'::json END) AS j",
}


def backfill(dialect: str) -> list[str]:
    """Count the mentions already stored, the same way the triggers count new ones."""
    bucket, code, elements = _BUCKET[dialect], _CODE[dialect], _ELEMENTS[dialect]
    dims = f"m.channel, {_DIMS.format(r='m')}"
    tenant = "coalesce(m.tenant, '')"
    cols = f"{bucket}, {dims}"
    group = f"GROUP BY {bucket}, {dims}, {tenant}"
    where = "WHERE m.published_at IS NOT NULL"
    regional = f"FROM mentions AS m, {elements} {where} AND {code} IS NOT NULL AND {code} <> ''"
    issued = "AND m.issue_id IS NOT NULL"
    return [
        f"{_INSERT} SELECT {cols}, '*', 0, {tenant}, count(*) FROM mentions AS m {where} {group}",
        f"{_INSERT} SELECT {cols}, '*', m.issue_id, {tenant}, count(*) FROM mentions AS m "
        f"{where} {issued} {group}, m.issue_id",
        f"{_INSERT} SELECT {cols}, {code}, 0, {tenant}, count(DISTINCT m.id) {regional} "
        f"{group}, {code}",
        f"{_INSERT} SELECT {cols}, {code}, m.issue_id, {tenant}, count(DISTINCT m.id) "
        f"{regional} {issued} {group}, {code}, m.issue_id",
    ]


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for name in ("mentions_rollup_au", "mentions_rollup_ad", "mentions_rollup_ai"):
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
    else:
        for sql in _PG_DROP:
            op.execute(sql)
    op.drop_table("mention_rollup")  # its indexes go with it
    op.create_table(
        "mention_rollup",
        sa.Column("bucket", sa.DateTime(), nullable=False),
        sa.Column("channel", sa.String(length=20), nullable=False),
        sa.Column("sentiment", sa.String(length=10), nullable=False),
        sa.Column("lang", sa.String(length=8), nullable=False),
        sa.Column("noise", sa.String(length=20), nullable=False),
        sa.Column("region", sa.String(length=16), nullable=False),
        sa.Column("issue_id", sa.BigInteger(), nullable=False),
        sa.Column("tenant", sa.String(length=2), nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint(*_KEY, name=op.f("pk_mention_rollup")),
    )
    for name, columns in _INDEXES.items():
        op.create_index(name, "mention_rollup", [*columns, *_COVERED])
    for sql in backfill(dialect):
        op.execute(sql)
    for sql in _SQLITE_UP if dialect == "sqlite" else _PG_UP:
        op.execute(sql)


def downgrade() -> None:
    raise NotImplementedError(
        "0010_tenants_rollup: restore the backup taken before the upgrade (pantau backup); "
        "the per-province counts cannot be folded back into 0004's triggers here"
    )
