"""PostgreSQL: ``mentions`` partitioned by month of ``published_at``; SQLite unchanged.

The plain table is converted in one transaction under an ACCESS EXCLUSIVE lock (writers wait,
nothing is lost): every month of the stored mentions gets its partition, undated ones go to the
default partition ``mentions_undated``, ids and the id sequence are kept, and the indexes,
foreign keys to other tables and triggers (the rollup) the plain table had are made again on
the partitioned one. Because PostgreSQL cannot enforce a unique key without the partition key,
the (source, external id) identity moves to ``mention_keys`` and the foreign keys that pointed at
``mentions.id`` are dropped: see :mod:`pantau.store.partitions` for what replaces them. Plan the
time on a large store: the copy rewrites every row and rebuilds every index (measured figures
in docs/capacity.md).

Downgrade: converts back to one plain table with its primary key, unique key, indexes,
triggers and the foreign keys the models declare. It fails (and changes nothing) if retention
already dropped mentions that other rows still name; restoring the pre-upgrade backup
(``pantau backup``) is the other way back.

Revision ID: 0009_scalepg_mention_partitions
Revises: every other head of 2026-12-07 (it runs last; the store has one head after it)
Create Date: 2026-12-07
"""

from __future__ import annotations

from datetime import UTC, datetime

from alembic import op
from sqlalchemy import Connection, text

from pantau.store.partitions import (
    DEFAULT_PARTITION,
    KEYS_TABLE,
    create_month,
    ensure,
    references,
)

revision = "0009_scalepg_mention_partitions"
down_revision = (  # last: every other head, so the partitioned table carries every column
    "0003_pii",
    "0003_pipeline",
    "0004_layers_alert_addresses",
    "0007_daily_tool_saved_searches",
    "0007_harden_access",
    "0010_learning2_key_messages",
    "0010_newsroom2_press_events",
    "0010_tenants_rollup",
    "0011_daily2_agency_letterhead",
)
branch_labels = None
depends_on = None

#: Months made ahead by the migration; ``pantau run`` keeps ``mention_partitions_ahead`` after.
_AHEAD = 3

_KEY_TRIGGERS = [
    f"""CREATE FUNCTION mention_keys_claim() RETURNS trigger AS $$
    BEGIN
        INSERT INTO {KEYS_TABLE} (source_id, external_id, mention_id)
        VALUES (NEW.source_id, NEW.external_id, NEW.id)
        ON CONFLICT (source_id, external_id) DO NOTHING;
        IF NOT FOUND AND NOT EXISTS (SELECT 1 FROM {KEYS_TABLE} k WHERE k.mention_id = NEW.id
                AND k.source_id = NEW.source_id AND k.external_id = NEW.external_id) THEN
            RAISE unique_violation USING
                MESSAGE = format('mention (source %s, external id %s) already stored',
                                 NEW.source_id, NEW.external_id),
                CONSTRAINT = 'pk_{KEYS_TABLE}';
        END IF;
        RETURN NULL;
    END $$ LANGUAGE plpgsql""",
    # a DELETE that is half of a move between partitions keeps the key: the row still exists
    f"""CREATE FUNCTION mention_keys_follow() RETURNS trigger AS $$
    BEGIN
        IF TG_OP = 'DELETE' THEN
            DELETE FROM {KEYS_TABLE} k WHERE k.mention_id = OLD.id
                AND NOT EXISTS (SELECT 1 FROM mentions m WHERE m.id = OLD.id);
        ELSIF (NEW.source_id, NEW.external_id) IS DISTINCT FROM (OLD.source_id, OLD.external_id)
        THEN
            UPDATE {KEYS_TABLE} SET source_id = NEW.source_id, external_id = NEW.external_id
            WHERE mention_id = NEW.id;
        END IF;
        RETURN NULL;
    END $$ LANGUAGE plpgsql""",
    "CREATE TRIGGER mentions_keys_claim AFTER INSERT ON mentions "
    "FOR EACH ROW EXECUTE FUNCTION mention_keys_claim()",
    "CREATE TRIGGER mentions_keys_follow AFTER DELETE OR UPDATE OF source_id, external_id "
    "ON mentions FOR EACH ROW EXECUTE FUNCTION mention_keys_follow()",
]
_KEY_TRIGGER_NAMES = ("mentions_keys_claim", "mentions_keys_follow")


def _carried(conn: Connection) -> dict[str, list[str]]:
    """What ``mentions`` carries besides its rows and keys: indexes, outgoing foreign keys and
    triggers, as the SQL that makes them again (so other stages' additions come along)."""
    indexes = conn.scalars(
        text(
            "SELECT pg_get_indexdef(i.indexrelid) FROM pg_index i "
            "WHERE i.indrelid = 'mentions'::regclass AND NOT i.indisunique ORDER BY 1"
        )
    )
    foreign = conn.execute(
        text(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid = 'mentions'::regclass AND contype = 'f' "
            "AND confrelid <> 'mentions'::regclass AND conparentid = 0 ORDER BY 1"
        )
    )
    names = ", ".join(f"'{n}'" for n in _KEY_TRIGGER_NAMES)
    triggers = conn.scalars(
        text(
            "SELECT pg_get_triggerdef(oid) FROM pg_trigger WHERE tgrelid = 'mentions'::regclass "
            f"AND NOT tgisinternal AND tgparentid = 0 AND tgname NOT IN ({names}) ORDER BY tgname"
        )
    )
    return {
        "indexes": list(indexes),
        "foreign": [f"ALTER TABLE mentions ADD CONSTRAINT {n} {d}" for n, d in foreign],
        "triggers": list(triggers),
    }


def _drop_references(conn: Connection) -> None:
    for table, name in conn.execute(
        text(
            "SELECT conrelid::regclass::text, conname FROM pg_constraint "
            "WHERE confrelid = 'mentions'::regclass AND contype = 'f' AND conparentid = 0"
        )
    ):
        conn.execute(text(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"'))


def _columns(conn: Connection, table: str) -> str:
    return ", ".join(
        conn.scalars(
            text(
                "SELECT quote_ident(attname) FROM pg_attribute WHERE attrelid = to_regclass(:t) "
                "AND attnum > 0 AND NOT attisdropped AND attgenerated = '' ORDER BY attnum"
            ),
            {"t": table},
        )
    )


def _restore(conn: Connection, carried: dict[str, list[str]]) -> None:
    for sql in carried["indexes"] + carried["foreign"] + carried["triggers"]:
        conn.execute(text(sql))


#: The unique indexes the plain table may have: its key and its identity, both replaced.
_KNOWN_UNIQUE = {"pk_mentions", "uq_mentions_source_id"}


def upgrade() -> None:
    conn = op.get_bind()
    if conn.dialect.name != "postgresql":
        return
    conn.execute(text("LOCK TABLE mentions IN ACCESS EXCLUSIVE MODE"))
    unique = set(
        conn.scalars(
            text(
                "SELECT indexrelid::regclass::text FROM pg_index "
                "WHERE indrelid = 'mentions'::regclass AND indisunique"
            )
        )
    )
    if unique - _KNOWN_UNIQUE:
        raise RuntimeError(
            f"mentions has unique indexes {sorted(unique - _KNOWN_UNIQUE)} that a partitioned "
            "table cannot keep without published_at: make them part of mention_keys first"
        )
    carried = _carried(conn)
    _drop_references(conn)
    conn.execute(text("ALTER TABLE mentions RENAME TO mentions_unpartitioned"))
    conn.execute(
        text(
            "CREATE TABLE mentions (LIKE mentions_unpartitioned INCLUDING DEFAULTS "
            "INCLUDING GENERATED) PARTITION BY RANGE (published_at)"
        )
    )
    conn.execute(text("ALTER SEQUENCE mentions_id_seq OWNED BY mentions.id"))
    conn.execute(text(f"CREATE TABLE {DEFAULT_PARTITION} PARTITION OF mentions DEFAULT"))
    conn.execute(text(f"CREATE UNIQUE INDEX {DEFAULT_PARTITION}_id ON {DEFAULT_PARTITION} (id)"))
    for month in conn.scalars(
        text(
            "SELECT DISTINCT date_trunc('month', published_at)::date FROM mentions_unpartitioned "
            "WHERE published_at IS NOT NULL"
        )
    ):
        create_month(conn, month)
    ensure(conn, datetime.now(UTC).date(), _AHEAD)
    cols = _columns(conn, "mentions")
    conn.execute(text(f"INSERT INTO mentions ({cols}) SELECT {cols} FROM mentions_unpartitioned"))
    conn.execute(
        text(
            f"CREATE TABLE {KEYS_TABLE} (source_id integer NOT NULL, "
            "external_id varchar(255) NOT NULL, mention_id bigint NOT NULL, "
            f"CONSTRAINT pk_{KEYS_TABLE} PRIMARY KEY (source_id, external_id), "
            f"CONSTRAINT uq_{KEYS_TABLE}_mention_id UNIQUE (mention_id))"
        )
    )
    conn.execute(
        text(
            f"INSERT INTO {KEYS_TABLE} (source_id, external_id, mention_id) "
            "SELECT source_id, external_id, id FROM mentions_unpartitioned"
        )
    )
    conn.execute(text("DROP TABLE mentions_unpartitioned"))
    _restore(conn, carried)
    for sql in _KEY_TRIGGERS:
        conn.execute(text(sql))
    conn.execute(text("ANALYZE mentions"))


def downgrade() -> None:
    from pantau.store.all_models import Base

    conn = op.get_bind()
    if conn.dialect.name != "postgresql":
        return
    conn.execute(text("LOCK TABLE mentions IN ACCESS EXCLUSIVE MODE"))
    carried = _carried(conn)
    conn.execute(
        text("CREATE TABLE mentions_plain (LIKE mentions INCLUDING DEFAULTS INCLUDING GENERATED)")
    )
    cols = _columns(conn, "mentions")
    conn.execute(text(f"INSERT INTO mentions_plain ({cols}) SELECT {cols} FROM mentions"))
    conn.execute(text("ALTER SEQUENCE mentions_id_seq OWNED BY mentions_plain.id"))
    conn.execute(text("DROP TABLE mentions"))  # with its partitions
    conn.execute(text(f"DROP TABLE {KEYS_TABLE}"))
    conn.execute(text("DROP FUNCTION mention_keys_follow()"))
    conn.execute(text("DROP FUNCTION mention_keys_claim()"))
    conn.execute(text("ALTER TABLE mentions_plain RENAME TO mentions"))
    conn.execute(text("ALTER TABLE mentions ADD CONSTRAINT pk_mentions PRIMARY KEY (id)"))
    conn.execute(
        text(
            "ALTER TABLE mentions ADD CONSTRAINT uq_mentions_source_id "
            "UNIQUE (source_id, external_id)"
        )
    )
    _restore(conn, carried)
    for ref in references(Base.metadata):
        action = " ON DELETE CASCADE" if ref.cascade else ""
        conn.execute(
            text(
                f"ALTER TABLE {ref.table} ADD CONSTRAINT fk_{ref.table}_{ref.column}_mentions "
                f"FOREIGN KEY ({ref.column}) REFERENCES mentions (id){action}"
            )
        )
