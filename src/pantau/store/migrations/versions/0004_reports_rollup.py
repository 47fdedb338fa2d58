"""Reports stage: hourly mention counts kept by triggers, so the overview reads thousands of rows.

``mention_rollup`` holds, per UTC hour, channel, sentiment, kab/kota and issue, how many mentions
there are. ``region = '*'`` counts every mention once (whatever its regions) and ``issue_id = 0``
counts every issue. Triggers on ``mentions`` keep it exact on INSERT, DELETE and on UPDATEs of
the counted columns (the text stage sets sentiment and regions later, the issues stage
issue_id). Existing mentions are counted once when the migration runs.

Revision ID: 0004_reports_rollup
Revises: 0003_reports
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004_reports_rollup"
down_revision = "0003_reports"
branch_labels = None
depends_on = None

_COLUMNS = "published_at, channel, sentiment, regions, issue_id"


def _sqlite_rows(row: str, sign: int) -> str:
    """SQLite: the rollup rows of the mention ``row`` (new/old), each counted ``sign``."""
    return f"""INSERT INTO mention_rollup(bucket, channel, sentiment, region, issue_id, n)
        SELECT strftime('%Y-%m-%d %H:00:00.000000', {row}.published_at), {row}.channel,
               coalesce({row}.sentiment, ''), r.code, i.id, {sign}
        FROM (SELECT '*' AS code UNION
              SELECT substr(CASE WHEN j.type = 'object' THEN json_extract(j.value, '$.code')
                                 ELSE j.value END, 1, 5)
              FROM json_each(coalesce({row}.regions, '[]')) AS j) AS r,
             (SELECT 0 AS id UNION SELECT {row}.issue_id WHERE {row}.issue_id IS NOT NULL) AS i
        WHERE {row}.published_at IS NOT NULL AND r.code IS NOT NULL AND r.code != ''
        ON CONFLICT(bucket, channel, sentiment, region, issue_id) DO UPDATE
        SET n = n + excluded.n;"""


_SQLITE_UP = [
    f"""CREATE TRIGGER mentions_rollup_ai AFTER INSERT ON mentions BEGIN
        {_sqlite_rows("new", 1)}
    END""",
    f"""CREATE TRIGGER mentions_rollup_ad AFTER DELETE ON mentions BEGIN
        {_sqlite_rows("old", -1)}
    END""",
    f"""CREATE TRIGGER mentions_rollup_au AFTER UPDATE OF {_COLUMNS} ON mentions BEGIN
        {_sqlite_rows("old", -1)}
        {_sqlite_rows("new", 1)}
    END""",
]

_PG_UP = [
    """CREATE FUNCTION mention_rollup_apply(b timestamp, ch text, s text, regs json,
                                           issue bigint, d integer) RETURNS void AS $$
    BEGIN
        IF b IS NULL THEN RETURN; END IF;
        INSERT INTO mention_rollup(bucket, channel, sentiment, region, issue_id, n)
        SELECT date_trunc('hour', b), ch, coalesce(s, ''), r.code, i.id, d
        FROM (SELECT '*' AS code UNION
              SELECT substr(CASE WHEN json_typeof(e) = 'object' THEN e->>'code'
                                 ELSE e#>>'{}' END, 1, 5)
              FROM json_array_elements(CASE WHEN json_typeof(regs) = 'array' THEN regs
                                            ELSE '[]'::json END) AS e) AS r,
             (SELECT 0::bigint AS id UNION SELECT issue WHERE issue IS NOT NULL) AS i
        WHERE r.code IS NOT NULL AND r.code <> ''
        ON CONFLICT (bucket, channel, sentiment, region, issue_id) DO UPDATE
        SET n = mention_rollup.n + EXCLUDED.n;
    END $$ LANGUAGE plpgsql""",
    """CREATE FUNCTION mention_rollup_trigger() RETURNS trigger AS $$
    BEGIN
        IF TG_OP IN ('UPDATE', 'DELETE') THEN
            PERFORM mention_rollup_apply(OLD.published_at, OLD.channel, OLD.sentiment,
                                         OLD.regions, OLD.issue_id, -1);
        END IF;
        IF TG_OP IN ('UPDATE', 'INSERT') THEN
            PERFORM mention_rollup_apply(NEW.published_at, NEW.channel, NEW.sentiment,
                                         NEW.regions, NEW.issue_id, 1);
        END IF;
        RETURN NULL;
    END $$ LANGUAGE plpgsql""",
    f"""CREATE TRIGGER mentions_rollup AFTER INSERT OR DELETE OR UPDATE OF {_COLUMNS}
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


def _backfill(dialect: str) -> list[str]:
    """Count the mentions already stored, the same way the triggers count new ones."""
    bucket, code, elements = _BUCKET[dialect], _CODE[dialect], _ELEMENTS[dialect]
    head = "INSERT INTO mention_rollup(bucket, channel, sentiment, region, issue_id, n) SELECT"
    cols = f"{bucket}, m.channel, coalesce(m.sentiment, '')"
    group = f"GROUP BY {bucket}, m.channel, coalesce(m.sentiment, '')"
    where = "WHERE m.published_at IS NOT NULL"
    regional = f"FROM mentions AS m, {elements} {where} AND {code} IS NOT NULL AND {code} <> ''"
    return [
        f"{head} {cols}, '*', 0, count(*) FROM mentions AS m {where} {group}",
        f"{head} {cols}, '*', m.issue_id, count(*) FROM mentions AS m {where} "
        f"AND m.issue_id IS NOT NULL {group}, m.issue_id",
        f"{head} {cols}, {code}, 0, count(DISTINCT m.id) {regional} {group}, {code}",
        f"{head} {cols}, {code}, m.issue_id, count(DISTINCT m.id) {regional} "
        f"AND m.issue_id IS NOT NULL {group}, {code}, m.issue_id",
    ]


def upgrade() -> None:
    op.create_table(
        "mention_rollup",
        sa.Column("bucket", sa.DateTime(), nullable=False),
        sa.Column("channel", sa.String(length=20), nullable=False),
        sa.Column("sentiment", sa.String(length=10), nullable=False),
        sa.Column("region", sa.String(length=16), nullable=False),
        sa.Column("issue_id", sa.BigInteger(), nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint(
            "bucket", "channel", "sentiment", "region", "issue_id", name=op.f("pk_mention_rollup")
        ),
    )
    # one issue (or all: 0) and one region (or all: '*') over a time range: the dashboard's reads
    op.create_index("ix_mention_rollup_issue", "mention_rollup", ["issue_id", "region", "bucket"])
    # which issues have mentions in a kab/kota in a time range (the region and agency filters)
    op.create_index("ix_mention_rollup_region", "mention_rollup", ["region", "bucket"])
    # every kab/kota of one issue (or all) over a time range: the regions breakdown
    op.create_index("ix_mention_rollup_time", "mention_rollup", ["issue_id", "bucket"])
    # the newest crossovers, without reading every issue
    op.create_index("ix_issues_crossover_news", "issues", ["crossover", "first_news_at"])
    dialect = op.get_bind().dialect.name
    for sql in _backfill(dialect):
        op.execute(sql)
    for sql in _SQLITE_UP if dialect == "sqlite" else _PG_UP:
        op.execute(sql)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for name in ("mentions_rollup_au", "mentions_rollup_ad", "mentions_rollup_ai"):
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
    else:
        op.execute("DROP TRIGGER IF EXISTS mentions_rollup ON mentions")
        op.execute("DROP FUNCTION IF EXISTS mention_rollup_trigger()")
        op.execute(
            "DROP FUNCTION IF EXISTS "
            "mention_rollup_apply(timestamp, text, text, json, bigint, integer)"
        )
    op.drop_index("ix_issues_crossover_news", table_name="issues")
    op.drop_index("ix_mention_rollup_time", table_name="mention_rollup")
    op.drop_index("ix_mention_rollup_region", table_name="mention_rollup")
    op.drop_index("ix_mention_rollup_issue", table_name="mention_rollup")
    op.drop_table("mention_rollup")
