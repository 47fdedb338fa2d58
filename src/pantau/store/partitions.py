"""Monthly partitions of ``mentions`` on PostgreSQL: made ahead, split out of the default, dropped.

On PostgreSQL ``mentions`` is partitioned by ``RANGE (published_at)``, one partition per UTC
month (``mentions_y2026m11``), so that the dashboard's time-window queries read only the months
they show and retention drops a month with one ``DROP TABLE`` instead of deleting millions of
rows. SQLite keeps one plain table.

Decisions, because a partitioned table cannot have a unique index without the partition key:

- **Identity** (source, external id) is kept by ``mention_keys``, a plain table with that primary
  key and the mention's id (unique). Writers claim keys there first (``ON CONFLICT DO NOTHING``,
  so two racing writers still store a mention once) and triggers keep it in step with any other
  INSERT, UPDATE or DELETE, raising ``unique_violation`` as the old constraint did.
- **Ids** come from the one ``mentions_id_seq``; each partition has a unique index on ``id``,
  and ``mention_keys`` makes them unique across partitions.
- **Foreign keys to mentions** cannot exist in the database any more. :func:`drop_before` does
  what they did: it deletes or nulls the rows that refer to a dropped month (read from the
  models' ``ForeignKey("mentions.id")``), before the month goes.
- **Pre-aggregates** (the hourly rollup, the day segments, the watchlist rollups, the analysis
  page's outlet and place counts) are kept by statement triggers, which a ``DROP TABLE`` does not
  fire: :func:`drop_before` subtracts the month's mentions from them first, with the SQL the
  triggers themselves run (:func:`forget_counts`), as a ``DELETE`` of those rows would have.
- **Undated mentions** and months that have no partition yet land in the default partition
  ``mentions_undated``; :func:`ensure` moves each dated month out of it into its own partition,
  so an import of last year's posts is never refused and never stays unpruned for long.
"""

from __future__ import annotations

import importlib.util
import logging
import re
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import Any

from sqlalchemy import Connection, MetaData, text

__all__ = [
    "DEFAULT_PARTITION",
    "KEYS_TABLE",
    "MaintenanceTask",
    "Partition",
    "Reference",
    "add_months",
    "create_month",
    "drop_before",
    "ensure",
    "is_partitioned",
    "list_partitions",
    "month_of",
    "partition_name",
    "references",
]

logger = logging.getLogger(__name__)

PARENT = "mentions"
DEFAULT_PARTITION = "mentions_undated"
KEYS_TABLE = "mention_keys"
#: Arbitrary constant naming the advisory lock that serializes partition changes between
#: several ``pantau run`` workers and a ``pantau partitions`` command.
PARTITION_LOCK_KEY = 7_261_746_176
_NAME = re.compile(r"^mentions_y(\d{4})m(\d{2})$")


@dataclass(frozen=True)
class Partition:
    """One partition: its month (``None`` for the default partition) and its row estimate."""

    name: str
    month: date | None
    rows: int


@dataclass(frozen=True)
class Reference:
    """A column that refers to ``mentions.id``: what a dropped mention does to its row."""

    table: str
    column: str
    cascade: bool  # the model says ON DELETE CASCADE
    nullable: bool

    @property
    def delete(self) -> bool:
        """Whether the referring row goes too (else its column is set to NULL)."""
        return self.table != PARENT and (self.cascade or not self.nullable)


def month_of(when: date | datetime) -> date:
    """The first day of ``when``'s month (UTC for an aware time).

    >>> month_of(datetime(2026, 11, 30, 23, 0, tzinfo=UTC))
    datetime.date(2026, 11, 1)
    """
    if isinstance(when, datetime) and when.tzinfo is not None:
        when = when.astimezone(UTC)
    return date(when.year, when.month, 1)


def add_months(month: date, n: int) -> date:
    """``month`` moved by ``n`` months (either way).

    >>> add_months(date(2026, 11, 1), 3), add_months(date(2026, 1, 1), -1)
    (datetime.date(2027, 2, 1), datetime.date(2025, 12, 1))
    """
    index = month.year * 12 + month.month - 1 + n
    return date(index // 12, index % 12 + 1, 1)


def partition_name(month: date) -> str:
    """The partition table of ``month``.

    >>> partition_name(date(2026, 11, 1))
    'mentions_y2026m11'
    """
    return f"{PARENT}_y{month.year:04d}m{month.month:02d}"


def is_partitioned(conn: Connection) -> bool:
    """Whether ``mentions`` is a partitioned table here (PostgreSQL after the migration)."""
    if conn.dialect.name != "postgresql":
        return False
    kind = conn.scalar(
        text("SELECT relkind FROM pg_class WHERE oid = to_regclass(:t)"), {"t": PARENT}
    )
    return kind == "p"


def list_partitions(conn: Connection) -> list[Partition]:
    """The partitions of ``mentions``, the default first, then by month."""
    rows = conn.execute(
        text(
            "SELECT c.relname, greatest(c.reltuples, 0)::bigint FROM pg_inherits i "
            "JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = to_regclass(:t)"
        ),
        {"t": PARENT},
    )
    out = []
    for name, estimate in rows:
        found = _NAME.match(name)
        month = date(int(found[1]), int(found[2]), 1) if found else None
        out.append(Partition(name, month, int(estimate)))
    return sorted(out, key=lambda p: (p.month is not None, p.month or date.min))


def _columns(conn: Connection) -> str:
    """The stored (not generated) columns of ``mentions``, in table order."""
    names = conn.scalars(
        text(
            "SELECT quote_ident(attname) FROM pg_attribute WHERE attrelid = to_regclass(:t) "
            "AND attnum > 0 AND NOT attisdropped AND attgenerated = '' ORDER BY attnum"
        ),
        {"t": PARENT},
    )
    return ", ".join(names)


#: Seconds a month's move out of the default partition waits for the readers in flight before
#: it gives up (and is tried again at the next check): every query on ``mentions`` queues behind
#: its lock, so a long report must not hold the dashboard up behind a move that can wait.
MOVE_LOCK_TIMEOUT = 10


def create_month(conn: Connection, month: date) -> int:
    """Create ``month``'s partition if missing, moving its rows out of the default partition.

    Returns how many rows moved. The rows are moved with the default partition's triggers off
    (the key and rollup triggers would count a move as a delete), inside the caller's
    transaction, whose lock on ``mentions`` keeps every writer waiting until it commits, and
    every reader too while rows move (see :data:`MOVE_LOCK_TIMEOUT`).
    """
    name = partition_name(month)
    if conn.scalar(text("SELECT to_regclass(:n)"), {"n": name}) is not None:
        return 0
    lo, hi = month.isoformat(), add_months(month, 1).isoformat()
    # ATTACH alone lets inserts run on; one that already routed a row to the default partition
    # would then fail its new constraint. Writers wait the few milliseconds instead.
    conn.execute(text(f"LOCK TABLE {PARENT} IN SHARE ROW EXCLUSIVE MODE"))
    default = conn.scalar(text("SELECT to_regclass(:n)"), {"n": DEFAULT_PARTITION}) is not None
    stray = default and conn.scalar(
        text(
            f"SELECT EXISTS (SELECT 1 FROM {DEFAULT_PARTITION} "
            "WHERE published_at >= :lo AND published_at < :hi)"
        ),
        {"lo": lo, "hi": hi},
    )
    if stray:
        # A reader that plans while the rows move keeps the partitions it saw before the
        # ATTACH and reads after the commit: the rows are gone from the default and the new
        # month is not in its plan, so it misses them (the flow took a backlog for done).
        # Readers wait for the move instead; they plan again once it commits.
        before = conn.scalar(text("SELECT current_setting('lock_timeout')"))
        conn.execute(text(f"SET LOCAL lock_timeout = '{MOVE_LOCK_TIMEOUT}s'"))
        conn.execute(text(f"LOCK TABLE {PARENT} IN ACCESS EXCLUSIVE MODE"))
        conn.execute(text("SELECT set_config('lock_timeout', :v, true)"), {"v": before})
    conn.execute(
        text(f"CREATE TABLE {name} (LIKE {PARENT} INCLUDING DEFAULTS INCLUDING GENERATED)")
    )
    moved = 0
    if default:
        cols = _columns(conn)
        conn.execute(text(f"ALTER TABLE {DEFAULT_PARTITION} DISABLE TRIGGER USER"))
        result: Any = conn.execute(
            text(
                f"WITH moved AS (DELETE FROM {DEFAULT_PARTITION} WHERE published_at >= :lo "
                f"AND published_at < :hi RETURNING {cols}) "
                f"INSERT INTO {name} ({cols}) SELECT {cols} FROM moved"
            ),
            {"lo": lo, "hi": hi},
        )
        moved = int(result.rowcount or 0)
        conn.execute(text(f"ALTER TABLE {DEFAULT_PARTITION} ENABLE TRIGGER USER"))
    conn.execute(text(f"CREATE UNIQUE INDEX {name}_id ON {name} (id)"))
    conn.execute(
        text(f"ALTER TABLE {PARENT} ATTACH PARTITION {name} FOR VALUES FROM ('{lo}') TO ('{hi}')")
    )
    # the planner estimates a month's scan from the month's own statistics (see the migration)
    for statement in migration(_STATISTICS).statistics(name):
        conn.execute(text(statement))
    logger.info(
        "partition %s created (%d mentions moved out of %s)", name, moved, DEFAULT_PARTITION
    )
    return moved


def ensure(conn: Connection, today: date, ahead: int) -> list[str]:
    """Partitions for this month and ``ahead`` more, and for every dated month in the default.

    Idempotent and safe beside other workers (an advisory lock serializes them); returns the
    partitions it created. The caller commits.
    """
    conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": PARTITION_LOCK_KEY})
    this = month_of(today)
    months = {add_months(this, n) for n in range(ahead + 1)}
    stray = conn.scalars(
        text(
            f"SELECT DISTINCT date_trunc('month', published_at)::date FROM {DEFAULT_PARTITION} "
            "WHERE published_at IS NOT NULL"
        )
    )
    months.update(stray)
    existing = {p.month for p in list_partitions(conn)}
    created = []
    for month in sorted(months - existing):
        create_month(conn, month)
        created.append(partition_name(month))
    return created


def references(metadata: MetaData) -> list[Reference]:
    """Every model column that refers to ``mentions.id``, and what a dropped mention does to it.

    The database cannot hold these foreign keys on a partitioned table, so they are read from
    the models, including those of stages added later.
    """
    out = []
    for table in metadata.sorted_tables:
        for fk in table.foreign_keys:
            if fk.column.table.name != PARENT or fk.column.name != "id":
                continue
            cascade = (fk.ondelete or "").upper() == "CASCADE"
            out.append(Reference(table.name, fk.parent.name, cascade, bool(fk.parent.nullable)))
    return out


#: The migration whose statistics objects every month's partition gets.
_STATISTICS = "0015_list5_mention_statistics"
#: The rollups' migration: its ``ROLLUP_LOCK`` is the transaction lock every rollup write takes,
#: so retention's subtraction queues with the writers' triggers like any other rollup write.
_ROLLUPS = "0013_agg4_mention_segments"
#: How each migration whose statement triggers define a pre-aggregate's counting (the newest
#: definition of each: a migration that changes a trigger's counting updates this) builds the
#: SQL that counts the rows of a table (a transition table in the trigger; here a month's
#: partition) with a sign.
_COUNTERS: tuple[tuple[str, Callable[[ModuleType, str], str]], ...] = (
    (_ROLLUPS, lambda m, table: m._pg_apply((table, -1))),
    ("0014_agg4_watch_rollup", lambda m, table: m._all("postgresql", [(table, "-1")])),
    ("0013_anal4_analysis_segments", lambda m, table: m._pg_both([(table, "-1")])),
    ("0016_pg7_range_tenants", lambda m, table: m._pg_apply([(table, "-1")])),
)
#: The pre-aggregates and their time column: a dropped month leaves keys counted to zero there,
#: which :func:`drop_before` removes (the readers add them up as nothing, but they take room).
_COUNTED_TABLES = (
    ("mention_rollup", "bucket"),
    ("mention_segments", "bucket"),
    ("mention_watch_rollup", "bucket"),
    ("mention_watch_segments", "bucket"),
    ("segment_outlets", "segment"),
    ("segment_places", "segment"),
)


@cache
def migration(name: str) -> ModuleType:
    """The module of migration ``name`` (for the SQL its triggers run)."""
    path = Path(__file__).with_name("migrations") / "versions" / f"{name}.py"
    spec = importlib.util.spec_from_file_location(f"pantau_migration_{name}", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def rollup_lock() -> int:
    """The transaction lock every pre-aggregate write takes on PostgreSQL (``ROLLUP_LOCK``)."""
    return int(migration(_ROLLUPS).ROLLUP_LOCK)


def forget_counts(table: str) -> list[str]:
    """The statements that subtract every mention of ``table`` (a month's partition) from the
    pre-aggregates, exactly as the triggers count a ``DELETE`` of them."""
    return [build(migration(name), table) for name, build in _COUNTERS]


def drop_before(
    conn: Connection, cutoff: date, refs: Iterable[Reference], *, dry_run: bool = False
) -> list[Partition]:
    """Drop every month partition that ends on or before ``cutoff`` (a month's first day).

    Rows elsewhere that refer to the dropped mentions are deleted or nulled first (see
    :func:`references`), then their identity keys, then its counts in the pre-aggregates
    (:func:`forget_counts`), then the partition. The default partition
    is never dropped: undated mentions have no age. Returns the partitions dropped (or that
    would be, with ``dry_run``).
    """
    conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": PARTITION_LOCK_KEY})
    old = [
        p for p in list_partitions(conn) if p.month is not None and add_months(p.month, 1) <= cutoff
    ]
    if dry_run:
        return old
    refs = list(refs)
    for part in old:
        ids = f"SELECT id FROM {part.name}"
        for ref in refs:
            if ref.delete:
                conn.execute(text(f"DELETE FROM {ref.table} WHERE {ref.column} IN ({ids})"))
            else:
                conn.execute(
                    text(
                        f"UPDATE {ref.table} SET {ref.column} = NULL WHERE {ref.column} IN ({ids})"
                    )
                )
        conn.execute(text(f"DELETE FROM {KEYS_TABLE} WHERE mention_id IN ({ids})"))
        conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": rollup_lock()})
        for statements in forget_counts(part.name):
            conn.exec_driver_sql(statements)
        # a segment may start up to a day before the month (and hold its first hours)
        month = part.month
        assert month is not None  # only dated months are dropped
        since = datetime.combine(month, datetime.min.time()) - timedelta(days=1)
        until = datetime.combine(add_months(month, 1), datetime.min.time())
        for table, column in _COUNTED_TABLES:
            conn.execute(
                text(f"DELETE FROM {table} WHERE n = 0 AND {column} >= :a AND {column} < :b"),
                {"a": since, "b": until},
            )
        conn.execute(text(f"DROP TABLE {part.name}"))
        logger.info("partition %s dropped (retention before %s)", part.name, cutoff)
    return old


#: How often ``pantau run`` checks the partitions: they are made months ahead and dropped by
#: the month, so an hourly check is far inside both promises and costs one catalog read.
CHECK_SECONDS = 3600


class MaintenanceTask:
    """Partitions made ahead and old months dropped, for a loop that calls it every round.

    A no-op on SQLite. A failure is logged and tried again at the next check, never raised:
    the default partition takes every mention meanwhile, so nothing is refused.
    """

    def __init__(self, db: Any, ahead: int, keep_months: int, every: float = CHECK_SECONDS):
        self.db = db
        self.ahead = ahead
        self.keep_months = keep_months
        self.every = every
        self._next = 0.0

    def __call__(self) -> list[str] | None:
        """Run if due; the partitions created and dropped, or None when not due."""
        if self.db.dialect != "postgresql" or time.monotonic() < self._next:
            return None
        self._next = time.monotonic() + self.every
        try:
            return self.run(datetime.now(UTC).date())
        except Exception:
            logger.exception("mention partition upkeep failed; retried in %ss", self.every)
            return None

    def run(self, today: date) -> list[str]:
        """Make the partitions due by ``today`` and drop the months past retention."""
        from pantau.store.all_models import Base

        with self.db.engine.begin() as conn:
            if not is_partitioned(conn):
                return []
            changed = ensure(conn, today, self.ahead)
            if self.keep_months > 0:
                cutoff = add_months(month_of(today), -self.keep_months)
                changed += [p.name for p in drop_before(conn, cutoff, references(Base.metadata))]
        return changed
