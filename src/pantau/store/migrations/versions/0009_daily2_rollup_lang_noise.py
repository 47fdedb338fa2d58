"""Reports stage: the hourly rollup also counts by language and noise kind.

The overview filters by language and hides (or shows only) noise posts: gambling spam, ads,
job offers, greetings. Both match most of a window's mentions, so counting them from
``mentions`` reads every row of the window (233,000 for a week of the 1,000,000-mention
benchmark); as two more dimensions of ``mention_rollup`` they cost a few hundred rows, because
a kab/kota's hour holds few languages and noise kinds. ``mentions.noise`` keeps the text stage's
noise kind (it was computed and dropped). The table is rebuilt with the new key, the three
covering indexes take the two columns before ``n``, and the triggers count them.

Revision ID: 0009_daily2_rollup_lang_noise
Revises: 0008_learning_playbook_versions
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009_daily2_rollup_lang_noise"
down_revision = "0008_learning_playbook_versions"
branch_labels = None
depends_on = None

_KEY = ["bucket", "channel", "sentiment", "lang", "noise", "region", "issue_id"]
_INDEXES = {
    "ix_mention_rollup_cover": ["issue_id", "region", "bucket", "channel", "sentiment"],
    "ix_mention_rollup_span": ["issue_id", "bucket", "region", "channel", "sentiment"],
    "ix_mention_rollup_place": ["region", "bucket", "issue_id", "channel", "sentiment"],
}
_COUNTED = "published_at, channel, sentiment, lang, noise, regions, issue_id"
_INSERT = "INSERT INTO mention_rollup(bucket, channel, sentiment, lang, noise, region, issue_id, n)"


def _sqlite_rows(row: str, sign: int) -> str:
    """SQLite: the rollup rows of the mention ``row`` (new/old), each counted ``sign``."""
    return f"""{_INSERT}
        SELECT strftime('%Y-%m-%d %H:00:00.000000', {row}.published_at), {row}.channel,
               coalesce({row}.sentiment, ''), coalesce({row}.lang, ''),
               coalesce({row}.noise, ''), r.code, i.id, {sign}
        FROM (SELECT '*' AS code UNION
              SELECT substr(CASE WHEN j.type = 'object' THEN json_extract(j.value, '$.code')
                                 ELSE j.value END, 1, 5)
              FROM json_each(coalesce({row}.regions, '[]')) AS j) AS r,
             (SELECT 0 AS id UNION SELECT {row}.issue_id WHERE {row}.issue_id IS NOT NULL) AS i
        WHERE {row}.published_at IS NOT NULL AND r.code IS NOT NULL AND r.code != ''
        ON CONFLICT({", ".join(_KEY)}) DO UPDATE
        SET n = n + excluded.n;"""


_SQLITE_UP = [
    f"CREATE TRIGGER mentions_rollup_ai AFTER INSERT ON mentions BEGIN "
    f"{_sqlite_rows('new', 1)} END",
    f"CREATE TRIGGER mentions_rollup_ad AFTER DELETE ON mentions BEGIN "
    f"{_sqlite_rows('old', -1)} END",
    f"CREATE TRIGGER mentions_rollup_au AFTER UPDATE OF {_COUNTED} ON mentions BEGIN "
    f"{_sqlite_rows('old', -1)} {_sqlite_rows('new', 1)} END",
]


_PG_UP = [
    f"""CREATE FUNCTION mention_rollup_count(b timestamp, ch text, s text, lg text, nz text,
                                            regs json, issue bigint, d integer)
    RETURNS void AS $$
    BEGIN
        IF b IS NULL THEN RETURN; END IF;
        {_INSERT}
        SELECT date_trunc('hour', b), ch, coalesce(s, ''), coalesce(lg, ''), coalesce(nz, ''),
               r.code, i.id, d
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
            PERFORM mention_rollup_count(OLD.published_at, OLD.channel, OLD.sentiment,
                                         OLD.lang, OLD.noise, OLD.regions, OLD.issue_id, -1);
        END IF;
        IF TG_OP IN ('UPDATE', 'INSERT') THEN
            PERFORM mention_rollup_count(NEW.published_at, NEW.channel, NEW.sentiment,
                                         NEW.lang, NEW.noise, NEW.regions, NEW.issue_id, 1);
        END IF;
        RETURN NULL;
    END $$ LANGUAGE plpgsql""",
    f"""CREATE TRIGGER mentions_rollup AFTER INSERT OR DELETE OR UPDATE OF {_COUNTED}
        ON mentions FOR EACH ROW EXECUTE FUNCTION mention_rollup_trigger()""",
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
    dims = "m.channel, coalesce(m.sentiment, ''), coalesce(m.lang, ''), coalesce(m.noise, '')"
    cols = f"{bucket}, {dims}"
    group = f"GROUP BY {bucket}, {dims}"
    where = "WHERE m.published_at IS NOT NULL"
    regional = f"FROM mentions AS m, {elements} {where} AND {code} IS NOT NULL AND {code} <> ''"
    return [
        f"{_INSERT} SELECT {cols}, '*', 0, count(*) FROM mentions AS m {where} {group}",
        f"{_INSERT} SELECT {cols}, '*', m.issue_id, count(*) FROM mentions AS m {where} "
        f"AND m.issue_id IS NOT NULL {group}, m.issue_id",
        f"{_INSERT} SELECT {cols}, {code}, 0, count(DISTINCT m.id) {regional} {group}, {code}",
        f"{_INSERT} SELECT {cols}, {code}, m.issue_id, count(DISTINCT m.id) {regional} "
        f"AND m.issue_id IS NOT NULL {group}, {code}, m.issue_id",
    ]


def _drop_counting(dialect: str) -> None:
    if dialect == "sqlite":
        for name in ("mentions_rollup_au", "mentions_rollup_ad", "mentions_rollup_ai"):
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
    else:
        op.execute("DROP TRIGGER IF EXISTS mentions_rollup ON mentions")
        op.execute(
            "DROP FUNCTION IF EXISTS "
            "mention_rollup_apply(timestamp, text, text, json, bigint, integer)"
        )


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    _drop_counting(dialect)
    op.add_column("mentions", sa.Column("noise", sa.String(length=20), nullable=True))
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
        sa.Column("n", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint(*_KEY, name=op.f("pk_mention_rollup")),
    )
    for name, columns in _INDEXES.items():
        op.create_index(name, "mention_rollup", [*columns, "lang", "noise", "n"])
    for sql in backfill(dialect):
        op.execute(sql)
    for sql in _SQLITE_UP if dialect == "sqlite" else _PG_UP:
        op.execute(sql)


def downgrade() -> None:
    raise NotImplementedError("the rollup keeps no history: restore a backup to go back")
