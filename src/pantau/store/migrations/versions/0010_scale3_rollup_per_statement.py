"""PostgreSQL: the hourly rollup counts a statement's rows at once, not one row at a time.

The row trigger of ``0010_tenants_rollup`` upserts every rollup row a mention touches, for every
mention an UPDATE changes: a 500-mention batch of ``pantau reanalyze`` (or of the live pipeline's
issue assignment) made about 4,000 single-row upserts, each taking the rollup row's lock until
commit, so two writers queued behind each other on the same hot rows (the province-wide hour)
and two ``reanalyze`` workers wrote slower than one. Here a statement-level trigger reads the
statement's transition tables, adds the -1 of each old row and the +1 of each new one per rollup
key, and upserts only the keys whose count changed: one statement per batch, and nothing at all
for an UPDATE that touched no counted column (``analyzed_at``, notes, a mention's issue set to
the same one).

PostgreSQL allows transition tables only on triggers without a column list and for one event,
so there are three triggers; the function is the row trigger's expansion of a mention (its
hour, each distinct kab/kota of its places plus the province-wide ``*``, its issue plus the
all-issues ``0``) written over a set. SQLite keeps its row triggers: it has no statement
triggers, and it has one writer anyway.

Revision ID: 0010_scale3_rollup_per_statement
Revises: 0009_scalepg_mention_partitions
Create Date: 2026-12-07
"""

from __future__ import annotations

from alembic import op

revision = "0010_scale3_rollup_per_statement"
down_revision = "0009_scalepg_mention_partitions"
branch_labels = None
depends_on = None

_KEY = "bucket, channel, sentiment, lang, noise, region, issue_id, tenant"


def _expanded(rows: str, sign: int) -> str:
    """The rollup keys of every mention in transition table ``rows``, each counted ``sign``."""
    return f"""SELECT date_trunc('hour', m.published_at) AS bucket, m.channel,
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


def _apply(*parts: str) -> str:
    """Upsert the net count of each key ``parts`` produce; keys that net to zero are skipped.

    The keys are written in key order, so two writers' batches lock the rows they share in the
    same order and wait for each other instead of deadlocking."""
    return f"""INSERT INTO mention_rollup ({_KEY}, n)
        SELECT {_KEY}, sum(d) FROM ({" UNION ALL ".join(parts)}) AS delta
        GROUP BY {_KEY} HAVING sum(d) <> 0 ORDER BY {_KEY}
        ON CONFLICT ({_KEY}) DO UPDATE SET n = mention_rollup.n + EXCLUDED.n;"""


_FUNCTION = f"""CREATE OR REPLACE FUNCTION mention_rollup_statement() RETURNS trigger AS $$
    BEGIN
        IF TG_OP = 'INSERT' THEN
            {_apply(_expanded("new_rows", 1))}
        ELSIF TG_OP = 'DELETE' THEN
            {_apply(_expanded("old_rows", -1))}
        ELSE
            {_apply(_expanded("old_rows", -1), _expanded("new_rows", 1))}
        END IF;
        RETURN NULL;
    END $$ LANGUAGE plpgsql"""

_TRIGGERS = {
    "mentions_rollup_insert": "INSERT ON mentions REFERENCING NEW TABLE AS new_rows",
    "mentions_rollup_update": "UPDATE ON mentions REFERENCING OLD TABLE AS old_rows "
    "NEW TABLE AS new_rows",
    "mentions_rollup_delete": "DELETE ON mentions REFERENCING OLD TABLE AS old_rows",
}
#: The row trigger this replaces, as ``0010_tenants_rollup`` made it (its functions stay).
_ROW_TRIGGER = """CREATE TRIGGER mentions_rollup AFTER INSERT OR DELETE OR UPDATE OF
    published_at, channel, sentiment, lang, noise, regions, issue_id, tenant
    ON mentions FOR EACH ROW EXECUTE FUNCTION mention_rollup_trigger()"""


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP TRIGGER IF EXISTS mentions_rollup ON mentions")
    op.execute(_FUNCTION)
    for name, event in _TRIGGERS.items():
        # idempotent: a downgrade of 0009 carries these triggers over to the plain table
        op.execute(f"DROP TRIGGER IF EXISTS {name} ON mentions")
        op.execute(
            f"CREATE TRIGGER {name} AFTER {event} "
            "FOR EACH STATEMENT EXECUTE FUNCTION mention_rollup_statement()"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for name in _TRIGGERS:
        op.execute(f"DROP TRIGGER IF EXISTS {name} ON mentions")
    op.execute("DROP FUNCTION IF EXISTS mention_rollup_statement()")
    op.execute(_ROW_TRIGGER)
