"""The analysis page's range counts per province, and its authors per kab/kota.

Two views of ``/analisis`` still read a whole window of mentions at 1,000,000 benchmark
mentions, because the range counts of ``0015_anal5_range_counts`` are national and have no place:

- the kecamatan view of one kab/kota, whose top authors were one grouped pass over the window's
  mentions naming it (PostgreSQL ~150 of its 308-358 ms p95 at load 3-4);
- any page of a provincial user, whose places and authors were read from the mentions.

So, kept by the same statement (PostgreSQL) and row (SQLite) triggers and slid with the ranges
(:mod:`pantau.store.range_counts`):

- ``range_places`` gains the mentions' province, ``tenant`` (``''`` for a national mention), in
  its key, as the day segments keep it: a provincial page adds up its own rows (the tenancy
  guard narrows them like any table with a ``tenant``); a national one reads the rows kept
  for all provinces together (``*``), as it read 0015's.
- ``author_scopes`` counts each author's mentions since each range's start per *scope*: each
  distinct kab/kota (``"64.72"``) a mention names, and its province (``"64"``, none for a
  national mention). A kab/kota's busiest authors, or a province's, are then an index read of
  ``(hours, scope, n)``, as ``author_counts`` gives the nation's.

Revision ID: 0016_pg7_range_tenants
Revises: 0015_anal5_range_counts
Create Date: 2026-12-08
"""

from __future__ import annotations

import importlib.util
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from types import ModuleType

import sqlalchemy as sa
from alembic import op

from pantau.store.trigger_guard import guarded

revision = "0016_pg7_range_tenants"
down_revision = "0015_anal5_range_counts"
branch_labels = None
depends_on = None


def _sibling(name: str) -> ModuleType:
    """Another migration of this folder (the SQL it counts with)."""
    path = Path(__file__).with_name(f"{name}.py")
    spec = importlib.util.spec_from_file_location(f"pantau_migration_{name}", path)
    if spec is None or spec.loader is None:
        raise RuntimeError(f"migration {name} not found beside {Path(__file__).name}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


_RANGES = _sibling("0015_anal5_range_counts")
_SEGMENTS = _sibling("0013_anal4_analysis_segments")
#: The rollups' transaction lock, which every range-count write takes first.
_ROLLUP_LOCK = _sibling("0013_agg4_mention_segments").ROLLUP_LOCK
#: Kab/kota ("64.72") and kecamatan ("64.72.01") code lengths: a place is a code cut to these.
PLACE_CHARS = (5, 8)
#: A kab/kota code's length: the authors' places (the kecamatan view filters on one kab/kota).
KABKOTA_CHARS = 5
#: A national mention's tenant in the keys (a key column cannot be NULL), as the segments keep it.
NATIONAL = "''"
#: The tenant of the rows counted for every province together: a national page reads them as
#: 0015's national rows, a range of the key (adding up the provinces' rows and counting each
#: (place, issue) pair once across them sorted the 135,000 pairs of the 30 days' range at
#: 1,000,000 benchmark mentions: +50-120 ms on PostgreSQL). No province is ``*``: a provincial
#: principal never sees them.
ALL_TENANTS = "*"
#: Province first, then issue: a page's place totals (issue 0) and its (place, issue) pairs are
#: each one range of the key.
_PLACE_KEY = "hours, tenant, issue_id, place"
_SCOPE_KEY = "hours, scope, author"
#: What a mention's counts here depend on: an UPDATE of anything else counts nothing.
_COUNTED = "author, published_at, regions, issue_id, tenant"


def _levels(dialect: str, src: str | None, row: str, chars: tuple[int, ...], where: str) -> str:
    """A UNION of (id, at, place, issue, tenant, author): each distinct place of ``chars``
    code characters that mention(s) ``row`` name (``src`` their table)."""
    code = _SEGMENTS._code(dialect)
    elements = _SEGMENTS._elements(dialect, row)
    return " UNION ".join(
        f"SELECT {row}.id AS id, {row}.published_at AS at, substr({code}, 1, {n}) AS place, "
        f"{row}.issue_id AS issue, coalesce({row}.tenant, {NATIONAL}) AS tenant, "
        f"{row}.author AS author {_SEGMENTS._from(src, row, elements)} "
        f"WHERE {row}.published_at IS NOT NULL AND length({code}) >= {n} {where}"
        for n in chars
    )


def place_parts(dialect: str, src: str | None, row: str, sign: str, where: str = "") -> list[str]:
    """Selects of (at, place, issue_id, tenant, d): each distinct kab/kota and kecamatan
    mention(s) ``row`` name, for all issues (0) and for its own, counted ``sign``, under
    their province and under every province (:data:`ALL_TENANTS`)."""
    levels = _levels(dialect, src, row, PLACE_CHARS, where)
    issues = ("0 AS issue_id", "issue AS issue_id")
    tenants = ("tenant", f"'{ALL_TENANTS}' AS tenant")
    return [
        f"SELECT at, place, {issue}, {tenant}, {sign} AS d FROM ({levels}) AS x"
        + (" WHERE issue IS NOT NULL" if issue != issues[0] else "")
        for issue in issues
        for tenant in tenants
    ]


def scope_parts(dialect: str, src: str | None, row: str, sign: str, where: str = "") -> list[str]:
    """Selects of (at, scope, author, d): the author of mention(s) ``row`` once for each
    distinct kab/kota they name and once for their province, counted ``sign``."""
    code = _SEGMENTS._code(dialect)
    elements = _SEGMENTS._elements(dialect, row)
    when = f"WHERE {row}.published_at IS NOT NULL AND {row}.author IS NOT NULL {where}"
    places = (
        f"SELECT {row}.id AS id, {row}.published_at AS at, "
        f"substr({code}, 1, {KABKOTA_CHARS}) AS scope, {row}.author AS author "
        f"{_SEGMENTS._from(src, row, elements)} {when} AND length({code}) >= {KABKOTA_CHARS}"
    )
    province = (
        f"SELECT {row}.id, {row}.published_at, {row}.tenant, {row}.author "
        f"{_SEGMENTS._from(src, row)} {when} AND {row}.tenant IS NOT NULL"
    )
    # a kab/kota ("64.72") is never a province ("64"): the UNION keeps one row of each per mention
    return [f"SELECT at, scope, author, {sign} AS d FROM ({places} UNION {province}) AS x"]


def _apply(table: str, key: str, parts: list[str], conflict: str) -> str:
    """Add the counts of ``parts`` (with the key's columns but ``hours``) to every range whose
    start they lie at or after, keys in key order (writers lock rows in the same order)."""
    columns = key.removeprefix("hours, ")
    picked = ", ".join(f"x.{c}" for c in columns.split(", "))
    return f"""INSERT INTO {table} ({key}, n)
        SELECT s.hours, {picked}, sum(x.d) FROM ({" UNION ALL ".join(parts)}) AS x
        JOIN range_starts AS s ON x.at >= s.start WHERE true
        GROUP BY s.hours, {picked} HAVING sum(x.d) <> 0 ORDER BY s.hours, {picked}
        ON CONFLICT ({key}) DO UPDATE SET n = {conflict} + excluded.n;"""


def _pg_apply(rows: list[tuple[str, str]]) -> str:
    """Every range count's upserts for transition tables ``rows`` ((table, sign) pairs)."""
    places = [p for t, sign in rows for p in place_parts("postgresql", t, "m", sign)]
    scopes = [p for t, sign in rows for p in scope_parts("postgresql", t, "m", sign)]
    return (
        _RANGES._pg_authors(rows)
        + _apply("range_places", _PLACE_KEY, places, "range_places.n")
        + _apply("author_scopes", _SCOPE_KEY, scopes, "author_scopes.n")
    )


def _pg_function(lock: int) -> str:
    return str(_RANGES._pg_function(lock, _pg_apply))


def _sqlite_counts(row: str, sign: int) -> str:
    return _apply(
        "range_places", _PLACE_KEY, place_parts("sqlite", None, row, str(sign)), "n"
    ) + _apply("author_scopes", _SCOPE_KEY, scope_parts("sqlite", None, row, str(sign)), "n")


#: The row triggers of 0015's places, replaced here by those of the places and the scopes.
_OLD_SQLITE = ("mentions_places_ai", "mentions_places_ad", "mentions_places_au")
_SQLITE_TRIGGERS = {
    "mentions_ranges_ai": ("AFTER INSERT", _sqlite_counts("new", 1)),
    "mentions_ranges_ad": ("AFTER DELETE", _sqlite_counts("old", -1)),
    "mentions_ranges_au": (
        "AFTER UPDATE OF published_at, regions, issue_id, tenant, author",
        _sqlite_counts("old", -1) + _sqlite_counts("new", 1),
    ),
}


def _counting(table: str, key: str, parts: list[str], hours: int) -> str:
    columns = key.removeprefix("hours, ")
    return f"""INSERT INTO {table} ({key}, n)
        SELECT {hours}, {columns}, count(*) FROM ({" UNION ALL ".join(parts)}) AS x
        GROUP BY {columns}"""


def count_places(dialect: str, hours: int, since: str, until: str) -> str:
    """SQL counting the places of the mentions published in ``[:since, :until)`` (bound
    parameters of those names) into range ``hours``, which holds none of them yet."""
    where = f"AND m.published_at >= :{since} AND m.published_at < :{until}"
    return _counting(
        "range_places", _PLACE_KEY, place_parts(dialect, "mentions", "m", "1", where), hours
    )


def count_scopes(dialect: str, hours: int, since: str, until: str) -> str:
    """As :func:`count_places`, for the authors per scope."""
    where = f"AND m.published_at >= :{since} AND m.published_at < :{until}"
    return _counting(
        "author_scopes", _SCOPE_KEY, scope_parts(dialect, "mentions", "m", "1", where), hours
    )


def _passed(parts: list[str], key: str) -> str:
    columns = key.removeprefix("hours, ")
    return (
        f"SELECT {columns}, count(*) AS n FROM ({' UNION ALL '.join(parts)}) AS x "
        f"GROUP BY {columns}"
    )


def places_passed(dialect: str) -> str:
    """SQL of (tenant, issue_id, place, n): the places of the mentions published in ``[:a, :b)``."""
    where = "AND m.published_at >= :a AND m.published_at < :b"
    return _passed(place_parts(dialect, "mentions", "m", "1", where), _PLACE_KEY)


def scopes_passed(dialect: str) -> str:
    """SQL of (scope, author, n): the authors per scope of the mentions in ``[:a, :b)``."""
    where = "AND m.published_at >= :a AND m.published_at < :b"
    return _passed(scope_parts(dialect, "mentions", "m", "1", where), _SCOPE_KEY)


def _recount(count: Callable[[str, int, str, str], str]) -> None:
    """Count every range afresh from its stored start with ``count`` (:func:`count_places`,
    :func:`count_scopes`)."""
    bind = op.get_bind()
    for hours, start in bind.execute(sa.text("SELECT hours, start FROM range_starts")).all():
        since = datetime.fromisoformat(start) if isinstance(start, str) else start
        op.execute(
            sa.text(count(bind.dialect.name, int(hours), "a", "b")).bindparams(
                sa.bindparam("a", since, type_=sa.DateTime()),
                sa.bindparam("b", datetime.max, type_=sa.DateTime()),
            )
        )


def _places_table(*, tenant: bool) -> None:
    """``range_places`` as 0015 made it, or with the mentions' province in its key."""
    key = (_PLACE_KEY if tenant else _RANGES._PLACE_KEY).split(", ")
    op.create_table(
        "range_places",
        sa.Column("hours", sa.Integer(), nullable=False),
        sa.Column("place", sa.String(length=16), nullable=False),
        sa.Column("issue_id", sa.BigInteger(), nullable=False),
        *([sa.Column("tenant", sa.String(length=2), nullable=False)] if tenant else []),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint(*key, name=op.f("pk_range_places")),
        sqlite_with_rowid=False,
    )


def _lock() -> None:
    """PostgreSQL: the rollups' lock, so that no write or slide counts while the tables move."""
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"SELECT pg_advisory_xact_lock({_ROLLUP_LOCK})")


def _create_triggers(triggers: dict[str, tuple[str, str]]) -> None:
    """SQLite: the row triggers ``triggers`` ((event, body) by name) on mentions."""
    for name, (event, body) in triggers.items():
        op.execute(f"CREATE TRIGGER {name} {event} ON mentions BEGIN {body} END")


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    _lock()
    if dialect == "sqlite":
        for name in _OLD_SQLITE:
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.drop_table("range_places")
    _places_table(tenant=True)
    op.create_table(
        "author_scopes",
        sa.Column("hours", sa.Integer(), nullable=False),
        sa.Column("scope", sa.String(length=16), nullable=False),
        sa.Column("author", sa.String(length=255), nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint(*_SCOPE_KEY.split(", "), name=op.f("pk_author_scopes")),
        sqlite_with_rowid=False,
    )
    # a scope's busiest authors first, read until no later one can reach the top
    op.create_index("ix_author_scopes_busiest", "author_scopes", ["hours", "scope", "n"])
    _recount(count_places)
    _recount(count_scopes)
    if dialect == "sqlite":
        _create_triggers(_SQLITE_TRIGGERS)
        return
    # the triggers of 0015 call the function by name: replacing it is enough
    op.execute(guarded(_pg_function(_ROLLUP_LOCK), _COUNTED))


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    _lock()
    if dialect == "sqlite":
        for name in _SQLITE_TRIGGERS:
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.drop_index("ix_author_scopes_busiest", table_name="author_scopes")
    op.drop_table("author_scopes")
    op.drop_table("range_places")
    _places_table(tenant=False)
    _recount(_RANGES.count_places)
    if dialect == "sqlite":
        _create_triggers({k: v for k, v in _RANGES._SQLITE_TRIGGERS.items() if k in _OLD_SQLITE})
        return
    counted = f"author, {_RANGES._PLACES_COUNTED}"
    op.execute(guarded(_RANGES._pg_function(_ROLLUP_LOCK), counted))
