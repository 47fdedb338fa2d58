"""Monthly partitions of mentions on a real PostgreSQL server: the migration of a stored table,
identity without a unique key, months split out of the default, retention, pruned queries."""

from __future__ import annotations

import importlib.util
import json
import re
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from sqlalchemy import event, insert, select, text
from sqlalchemy.exc import IntegrityError
from tests.conftest import new_pg_database

from pantau.ingest.sink import write_mentions
from pantau.records import MentionIn
from pantau.reports.filters import DashFilter
from pantau.reports.overview import overview
from pantau.store import Database, Issue, Mention, Source
from pantau.store import partitions as parts
from pantau.store.all_models import Base
from pantau.store.privacy_models import PersonalDatum
from pantau.store.range_counts import slide
from pantau.store.workflow_models import MentionLabel

pytestmark = pytest.mark.postgres

MIGRATION = Path(parts.__file__).parent / "migrations/versions/0009_scalepg_mention_partitions.py"
T0 = datetime(2026, 11, 20, 3, 0, tzinfo=UTC)


def _migration() -> Any:
    spec = importlib.util.spec_from_file_location("partition_migration", MIGRATION)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _downgrade(db: Database, cfg: Any) -> None:
    """Run the migration's downgrade (alembic cannot walk down one step from a merge)."""
    from alembic.operations import Operations
    from alembic.runtime.migration import MigrationContext

    migration = _migration()
    command.downgrade(cfg, migration.revision)  # the later migrations first, one by one
    with db.engine.begin() as conn, Operations.context(MigrationContext.configure(conn)):
        migration.downgrade()
    command.stamp(cfg, list(migration.down_revision), purge=True)


@pytest.fixture
def pg_url(pg_server_url: str) -> str:
    return new_pg_database(pg_server_url)


@pytest.fixture
def db(pg_url: str) -> Iterator[Database]:
    database = Database(pg_url)
    database.upgrade()
    yield database
    database.dispose()


def _source(db: Database) -> int:
    with db.writer() as s:
        src = Source(name="impor", kind="import", channel="social")
        s.add(src)
        s.flush()
        return src.id


def _add(db: Database, source_id: int, ext: str, when: datetime | None, **kw: Any) -> int:
    """A mention written with the columns it names (and those with defaults) only: the store
    may be at a revision before later migrations added columns to the model."""
    values = {
        "source_id": source_id,
        "external_id": ext,
        "text": f"banjir rob di samarinda {ext}",
        "channel": "social",
        "published_at": when,
        "regions": [{"code": "64.72", "name": "Kota Samarinda"}],
        **kw,
    }
    table = Mention.__table__
    with db.writer() as s:
        return int(s.execute(insert(table).values(**values).returning(table.c.id)).scalar_one())


def _where(db: Database) -> dict[str, str]:
    """Each mention's external id -> the partition holding it."""
    with db.engine.connect() as conn:
        rows = conn.execute(text("SELECT external_id, tableoid::regclass::text FROM mentions"))
        return dict(rows.all())


def _rollup(db: Database) -> int:
    with db.engine.connect() as conn:
        return int(conn.scalar(text("SELECT coalesce(sum(n), 0) FROM mention_rollup")) or 0)


def _keys(db: Database) -> dict[str, int]:
    with db.engine.connect() as conn:
        rows = conn.execute(text("SELECT external_id, mention_id FROM mention_keys"))
        return dict(rows.all())


def test_the_migration_converts_a_stored_table_and_back(pg_url: str) -> None:
    db = Database(pg_url)
    cfg = db.alembic_config()
    for rev in _migration().down_revision:
        command.upgrade(cfg, rev)
    source_id = _source(db)
    ids = {
        "jan": _add(db, source_id, "jan", datetime(2025, 1, 3, tzinfo=UTC)),
        "feb": _add(db, source_id, "feb", datetime(2025, 2, 28, 23, 59, tzinfo=UTC)),
        "tanpa": _add(db, source_id, "tanpa", None),
    }
    with db.writer() as s:
        s.add(MentionLabel(mention_id=ids["jan"], field="sentiment", value="negative"))
    counted = _rollup(db)

    db.upgrade()

    assert _where(db) == {
        "jan": "mentions_y2025m01",
        "feb": "mentions_y2025m02",
        "tanpa": parts.DEFAULT_PARTITION,
    }
    assert _keys(db) == ids
    assert _rollup(db) == counted  # the copy counted nothing twice
    newer = _add(db, source_id, "baru", T0)
    assert newer > max(ids.values())  # the id sequence goes on
    with db.engine.connect() as conn:
        months = {p.month for p in parts.list_partitions(conn)}
        hits = conn.scalar(
            text("SELECT count(*) FROM mentions WHERE search @@ to_tsquery('indonesian', 'rob')")
        )
    assert {date(2025, 1, 1), date(2025, 2, 1)} <= months
    assert hits == 4  # the generated tsvector and its index came along
    counted = _rollup(db)

    _downgrade(db, cfg)
    with db.engine.connect() as conn:
        kind = conn.scalar(text("SELECT relkind FROM pg_class WHERE relname = 'mentions'"))
        foreign = conn.scalar(
            text("SELECT count(*) FROM pg_constraint WHERE confrelid = 'mentions'::regclass")
        )
        count = conn.scalar(text("SELECT count(*) FROM mentions"))
    assert (kind, count) == ("r", 4)
    assert foreign == len(parts.references(Base.metadata))
    with pytest.raises(IntegrityError):
        _add(db, source_id, "jan", T0)  # the unique key is back
    db.upgrade()
    assert _rollup(db) == counted
    db.dispose()


def test_identity_holds_without_a_unique_key(db: Database) -> None:
    source_id = _source(db)
    _add(db, source_id, "a", T0)
    with pytest.raises(IntegrityError, match="already stored"):
        _add(db, source_id, "a", T0 + timedelta(days=40))  # another month, same identity
    with db.writer() as s:
        source = s.get(Source, source_id)
        assert source is not None
        batch = [
            MentionIn(external_id=e, text=f"jalan rusak {e}", channel="social", published_at=T0)
            for e in ("a", "b", "c")
        ]
        summary, rejected = write_mentions(s, source, batch)
    assert (summary.imported, summary.duplicates, rejected) == (2, 1, [])
    assert set(_keys(db)) == {"a", "b", "c"}


def test_a_month_without_partition_lands_in_the_default_then_moves_out(db: Database) -> None:
    source_id = _source(db)
    old = _add(db, source_id, "lama", datetime(2019, 6, 5, tzinfo=UTC))
    _add(db, source_id, "tanpa", None)
    assert _where(db)["lama"] == parts.DEFAULT_PARTITION
    counted = _rollup(db)

    with db.engine.begin() as conn:
        created = parts.ensure(conn, T0.date(), ahead=2)
    assert "mentions_y2019m06" in created
    assert _where(db) == {"lama": "mentions_y2019m06", "tanpa": parts.DEFAULT_PARTITION}
    assert _rollup(db) == counted  # a move is neither a delete nor an insert
    assert _keys(db)["lama"] == old

    with db.writer() as s:  # a new date moves the row between partitions: the key stays
        s.execute(text("UPDATE mentions SET published_at = :t WHERE id = :i"), {"t": T0, "i": old})
    assert _where(db)["lama"] == "mentions_y2026m11"
    assert _keys(db)["lama"] == old
    with db.writer() as s:
        s.execute(text("DELETE FROM mentions WHERE id = :i"), {"i": old})
    assert "lama" not in _keys(db)
    with db.engine.begin() as conn:
        assert parts.ensure(conn, T0.date(), ahead=2) == []  # idempotent


def test_retention_drops_old_months_and_what_refers_to_them(db: Database) -> None:
    source_id = _source(db)
    old = _add(db, source_id, "lama", datetime(2026, 6, 1, tzinfo=UTC))
    keep = _add(db, source_id, "baru", T0, dup_of_id=old)
    with db.writer() as s:
        s.add(MentionLabel(mention_id=old, field="sentiment", value="negative"))
        s.add(MentionLabel(mention_id=keep, field="sentiment", value="neutral"))
        s.add(
            PersonalDatum(
                mention_id=old, field="text", kind="phone", start=0, end=4, digest="d", sealed="s"
            )
        )
    with db.engine.begin() as conn:
        parts.ensure(conn, T0.date(), ahead=1)
        planned = parts.drop_before(conn, date(2026, 9, 1), [], dry_run=True)
        dropped = parts.drop_before(conn, date(2026, 9, 1), parts.references(Base.metadata))
    assert [p.name for p in planned] == [p.name for p in dropped] == ["mentions_y2026m06"]
    assert set(_where(db)) == {"baru"}
    assert set(_keys(db)) == {"baru"}
    with db.session() as s:
        assert s.scalars(select(MentionLabel.mention_id)).all() == [keep]
        assert s.scalars(select(PersonalDatum.id)).all() == []
        assert s.scalars(select(Mention.dup_of_id)).all() == [None]
    _add(db, source_id, "lama", T0)  # its identity is free again


_COUNTED = (
    "mention_rollup",
    "mention_segments",
    "mention_watch_rollup",
    "mention_watch_segments",
    "segment_outlets",
    "segment_places",
    "author_counts",
    "author_scopes",
    "range_places",
)


def _counted(db: Database) -> dict[str, tuple[int, int]]:
    """Each pre-aggregate's rows and the sum of the absolute values of its counts."""
    with db.engine.connect() as conn:
        return {
            t: tuple(
                conn.execute(text(f"SELECT count(*), coalesce(sum(abs(n)), 0) FROM {t}")).one()
            )
            for t in _COUNTED
        }


def test_retention_subtracts_the_dropped_month_from_every_pre_aggregate(db: Database) -> None:
    """A DROP TABLE fires no trigger: the month's mentions are subtracted from the rollups, the
    day segments, the watchlist rollups and the analysis counts as a DELETE would have, so that
    deleting every mention left afterwards brings each of them to nothing. Mentions sit at the
    months' edges, where a day segment holds hours of two months."""
    source_id = _source(db)
    watch = [{"name": "banjir", "terms": ["banjir"]}]
    places = [{"code": "64.72.01", "name": "Palaran"}, {"code": "64.72", "name": "Samarinda"}]
    stamps = [
        datetime(2026, 5, 31, 20, tzinfo=UTC),  # the segment [17.00, 15.00) across June 1st
        datetime(2026, 6, 1, 3, tzinfo=UTC),
        datetime(2026, 6, 15, 16, 30, tzinfo=UTC),
        datetime(2026, 6, 30, 18, tzinfo=UTC),  # the segment reaching into July
        datetime(2026, 7, 1, 2, tzinfo=UTC),
        T0,
    ]
    for i, when in enumerate(stamps):
        _add(
            db,
            source_id,
            f"m{i}",
            when,
            watch=watch,
            regions=places,
            outlet="kaltimpost.id",
            sentiment="negative",
            lang="id",
            author="akun1",
        )
    with db.writer() as s:
        s.add(Issue(id=7, key="isu-7", label="banjir rob"))
        slide(s, datetime(2026, 3, 1, tzinfo=UTC))  # the range counts start before May
    with db.engine.begin() as conn:
        parts.ensure(conn, T0.date(), ahead=1)
        conn.execute(text("UPDATE mentions SET issue_id = 7"))  # counted per issue too
    counted = _counted(db)
    assert all(n > 0 for _, n in counted.values()), counted
    with db.engine.begin() as conn:
        dropped = parts.drop_before(conn, date(2026, 7, 1), parts.references(Base.metadata))
    assert [p.name for p in dropped] == ["mentions_y2026m05", "mentions_y2026m06"]
    after = _counted(db)
    assert all(after[t][1] < counted[t][1] for t in _COUNTED), (counted, after)
    with db.engine.begin() as conn:
        conn.execute(text("DELETE FROM mentions"))
    assert {t: n for t, (_, n) in _counted(db).items()} == dict.fromkeys(_COUNTED, 0)


def test_the_dashboard_queries_read_only_the_months_they_show(db: Database) -> None:
    """EXPLAIN every query the overview sends to mentions: old months are pruned at plan time."""
    source_id = _source(db)
    for month in range(1, 12):
        _add(db, source_id, f"m{month}", datetime(2026, month, 10, tzinfo=UTC))
    with db.engine.begin() as conn:
        parts.ensure(conn, T0.date(), ahead=1)
        conn.execute(text("ANALYZE mentions"))
    seen: list[tuple[str, Any]] = []

    def capture(_conn: Any, _cur: Any, statement: str, params: Any, *_: Any) -> None:
        if re.search(r"\bmentions\b", statement) and "published_at >=" in statement:
            seen.append((statement, params))

    # a kecamatan is answered from the mentions themselves, not from the hourly rollup
    with db.session() as s:
        event.listen(db.engine, "before_cursor_execute", capture)
        try:
            overview(s, DashFilter(range="7d", region="64.72.01"), "Asia/Makassar", anchor=T0)
        finally:
            event.remove(db.engine, "before_cursor_execute", capture)
    assert seen  # one grouped read of the window and the one before (reports.timeseries)
    with db.engine.connect() as conn:
        raw: Any = conn.connection.dbapi_connection
        for statement, params in seen:
            with raw.cursor() as cur:
                cur.execute("EXPLAIN " + statement, params)
                plan = "\n".join(r[0] for r in cur.fetchall())
            read = set(re.findall(r"mentions_y\d{4}m\d{2}", plan))
            assert read and read <= {"mentions_y2026m10", "mentions_y2026m11"}, plan
            assert parts.DEFAULT_PARTITION not in plan, plan


def test_import_partitions_and_retention_commands(
    pg_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`pantau import` copies a file in (last year's reports land in the default partition),
    `pantau partitions` gives them their months, `pantau retention` drops those months."""
    from typer.testing import CliRunner

    from pantau.cli import _load, app

    monkeypatch.setenv("PANTAU_DATABASE_URL", pg_url)
    monkeypatch.setenv("PANTAU_DATA_DIR", str(tmp_path))
    _load()
    runner = CliRunner()

    def cli(*args: str) -> tuple[int, str, str]:
        result = runner.invoke(app, list(args))
        return result.exit_code, result.stdout, result.stderr

    export = Path(__file__).parents[1] / "ingest/fixtures/lapor_export.csv"
    code, out, err = cli("import", str(export), "--format", "lapor")
    assert code == 0, err
    assert json.loads(out) == {"imported": 3, "duplicates": 0, "quarantined": 1}
    assert "(baris 4)" in err  # the bad row is quarantined with its line
    code, out, _ = cli("import", str(export), "--format", "lapor")
    assert json.loads(out) == {"imported": 0, "duplicates": 3, "quarantined": 0}

    code, out, err = cli("partitions", "--today", "2026-11-20", "--ahead", "1")
    assert code == 0, err
    months = [line.split("\t")[1] for line in out.splitlines()]
    assert months[0] == "-" and {"2026-11", "2026-12"} <= set(months)
    db = Database(pg_url)
    placed = _where(db)
    assert len(placed) == 3 and parts.DEFAULT_PARTITION not in placed.values()

    code, out, err = cli("retention", "--months", "12", "--today", "2026-11-20", "--dry-run")
    assert code == 0 and len(_where(db)) == 3, err
    old = {name for name in placed.values()}
    assert {line.split("\t")[0] for line in out.splitlines()} >= old
    code, out, err = cli("retention", "--months", "12", "--today", "2026-11-20")
    assert code == 0, err
    assert _where(db) == {} and _keys(db) == {}
    code, out, _ = cli("import", str(export), "--format", "lapor")  # the identities are free
    assert json.loads(out)["imported"] == 3
    db.dispose()


def test_the_run_loop_task_keeps_partitions_ahead_and_drops_old_months(db: Database) -> None:
    source_id = _source(db)
    _add(db, source_id, "lama", datetime(2026, 1, 5, tzinfo=UTC))
    task = parts.MaintenanceTask(db, ahead=2, keep_months=6)
    today = date(2030, 3, 10)  # past every month the migration made, whatever the clock says
    changed = task.run(today)
    assert {"mentions_y2030m05", "mentions_y2026m01"} <= set(changed)
    with db.engine.connect() as conn:
        months = {p.month for p in parts.list_partitions(conn) if p.month}
    assert min(months) == date(2030, 3, 1) and max(months) == date(2030, 5, 1)
    assert _where(db) == {}
    assert task.run(today) == []


def test_sessions_never_jit_compile_a_plan(db: Database) -> None:
    # a LIMITed search over every month's partition is costed past jit_above_cost at 10M and
    # spent seconds compiling (pantau.store.db.POSTGRESQL_OPTIONS)
    with db.engine.connect() as conn:
        assert conn.scalar(text("SHOW jit")) == "off"


def test_sessions_plan_every_run_with_its_parameters(db: Database) -> None:
    # a generic plan of the overview's matching issues took ~21 s a run for one kab/kota's week
    # at 1M (pantau.store.db.POSTGRESQL_OPTIONS)
    with db.engine.connect() as conn:
        assert conn.scalar(text("SHOW plan_cache_mode")) == "force_custom_plan"


def test_a_reader_during_a_move_sees_every_row_once(db: Database) -> None:
    """A query planned while a month moves out of the default partition must count the moved
    rows: a reader that waited on the move's locks and planned with the partitions before it
    would find them deleted from the default and miss the new month (the flow's "nothing
    waits" check then counted a backlog of 120 unanalyzed mentions as done)."""
    import threading
    import time

    source_id = _source(db)
    for i in range(5):
        _add(db, source_id, f"lama{i}", datetime(2019, 6, 5, i, tzinfo=UTC))
    counts: list[int] = []
    with db.engine.connect() as mover:
        mover.begin()
        parts.ensure(mover, T0.date(), ahead=2)  # moved, not committed: its locks are held
        mover_pid = mover.scalar(text("SELECT pg_backend_pid()"))

        def read() -> None:
            with db.engine.connect() as reader:
                counts.append(int(reader.scalar(text("SELECT count(*) FROM mentions")) or 0))

        thread = threading.Thread(target=read)
        thread.start()
        with db.engine.connect() as watch:  # wait until the reader waits on the move's lock
            for _ in range(200):
                waiting = watch.scalar(
                    text(
                        "SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a USING (pid) "
                        "WHERE NOT l.granted AND a.pid <> :m AND a.query LIKE 'SELECT count(*)%'"
                    ),
                    {"m": mover_pid},
                )
                watch.rollback()
                if waiting:
                    break
                time.sleep(0.05)
            else:
                pytest.fail("the reader never waited on the move")
        mover.commit()
        thread.join(30)
    assert counts == [5]
