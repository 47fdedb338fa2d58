"""The store on both backends: migrations, region load, seeding, FTS, append-only audit."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError, IntegrityError

from pantau.store import Agency, AuditEntry, Database, Mention, Region, Source, search
from pantau.store.all_models import Base
from pantau.store.audit import record, record_by
from pantau.store.regions import load_regions
from pantau.store.search import (
    HIT_END,
    HIT_START,
    MentionFilter,
    SearchQueryError,
    count_mentions,
    search_mentions,
)
from pantau.store.seed import seed_province

T0 = datetime(2026, 11, 20, 3, 0, tzinfo=UTC)


def _mention(source_id: int, ext: str, body: str, **kw: object) -> Mention:
    return Mention(
        source_id=source_id,
        external_id=ext,
        text=body,
        channel="social",
        published_at=kw.pop("published_at", T0),
        **kw,
    )


def test_migrations_create_every_model_table(db: Database) -> None:
    tables = set(db.table_names())
    assert set(Base.metadata.tables) <= tables
    assert db.current_revision() == db.upgrade()  # upgrading again is a no-op


def test_sqlite_runs_in_wal_mode(tmp_path) -> None:
    database = Database(f"sqlite:///{tmp_path / 'w.db'}")
    database.upgrade()
    with database.engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"


@pytest.mark.slow
def test_regions_load_and_province_seed(db: Database) -> None:
    with db.writer() as s:
        added = load_regions(s)
        assert added == 91_599
        assert load_regions(s) == 0
        result = seed_province(s, "64")
    assert result.created == 11  # provincial Diskominfo + 10 kab/kota
    with db.session() as s:
        assert s.get(Region, "64.72").name == "Kota Samarinda"
        names = set(s.scalars(select(Agency.short_name)))
        assert {"Diskominfo Samarinda", "Diskominfo Kutai Kartanegara"} <= names
        kota = s.scalar(select(Agency).where(Agency.region_code == "64.71"))
        assert kota.level == "kota" and kota.parent.level == "provinsi"
    with db.writer() as s:
        again = seed_province(s, "64")
    assert (again.created, again.existing) == (0, 11)


@pytest.mark.slow
def test_seed_rejects_unknown_province(db: Database) -> None:
    with db.writer() as s:
        load_regions(s)
        with pytest.raises(ValueError, match="kode provinsi '99'"):
            seed_province(s, "99")
        with pytest.raises(ValueError, match=r"64\.72"):
            seed_province(s, "64.72")


def test_mentions_are_unique_per_source_and_external_id(db: Database) -> None:
    with db.writer() as s:
        src = Source(name="x", kind="import", channel="social")
        s.add(src)
        s.flush()
        s.add(_mention(src.id, "1", "a"))
    with pytest.raises(IntegrityError), db.writer() as s:
        s.add(_mention(src.id, "1", "b"))


def test_datetimes_come_back_aware_utc(db: Database) -> None:
    with db.writer() as s:
        src = Source(name="x", kind="import")
        s.add(src)
        s.flush()
        s.add(_mention(src.id, "1", "a"))
    with db.session() as s:
        got = s.scalar(select(Mention.published_at))
    assert got == T0 and got.tzinfo is not None


def test_full_text_search_finds_highlights_and_filters(db: Database) -> None:
    with db.writer() as s:
        src = Source(name="feed", kind="rss", channel="news")
        s.add(src)
        s.flush()
        s.add_all(
            [
                _mention(src.id, "1", "Banjir merendam Jalan Pahlawan di Samarinda sejak pagi"),
                _mention(src.id, "2", "Harga cabai naik di Pasar Segiri"),
                _mention(
                    src.id,
                    "3",
                    "Warga mengeluhkan banjir dan jalan rusak di Sempaja",
                    published_at=T0 + timedelta(hours=2),
                ),
            ]
        )
    with db.session() as s:
        hits = search_mentions(s, MentionFilter(q="banjir"))
        assert [h.id for h in hits] == [3, 1]  # newest first
        assert all(HIT_START in h.snippet for h in hits)
        assert count_mentions(s, MentionFilter(q="banjir")) == 2
        assert count_mentions(s, MentionFilter(q='"jalan rusak"')) == 1
        assert count_mentions(s, MentionFilter(q="cabai OR sempaja")) == 2
        assert count_mentions(s, MentionFilter(q="banjir", since=T0 + timedelta(hours=1))) == 1
        # FTS syntax and SQL in a query are words or a named error, never an FTS or SQL error
        assert count_mentions(s, MentionFilter(q="banjir NEAR -- ; DROP")) == 0
        with pytest.raises(SearchQueryError, match="column 7: the quotation mark is not closed"):
            count_mentions(s, MentionFilter(q='banjir" NEAR( -- ;'))
    with db.writer() as s:  # updates reindex
        m = s.scalar(select(Mention).where(Mention.external_id == "2"))
        m.text = "Harga bawang turun"
    with db.session() as s:
        assert count_mentions(s, MentionFilter(q="cabai")) == 0
        assert count_mentions(s, MentionFilter(q="bawang")) == 1


def test_search_pages_run_newest_first_then_undated_across_page_boundaries(db: Database) -> None:
    """Dated mentions newest first, then undated ones newest id first; every page size and
    offset gives each mention exactly once (dated and undated are read apart, by index)."""
    with db.writer() as s:
        src = Source(name="feed", kind="rss", channel="news")
        s.add(src)
        s.flush()
        for i in range(7):  # ids 1..7; 2 and 5 undated
            when = None if i in (1, 4) else T0 + timedelta(hours=(i * 5) % 7)
            s.add(_mention(src.id, str(i), f"banjir laporan {i}", published_at=when))
    with db.session() as s:
        rows = s.execute(select(Mention.id, Mention.published_at)).all()
        dated = sorted((r for r in rows if r[1]), key=lambda r: (r[1], r[0]), reverse=True)
        want = [r[0] for r in dated] + sorted((r[0] for r in rows if not r[1]), reverse=True)
        for f in (MentionFilter(), MentionFilter(q="banjir")):
            for size in (1, 2, 3, 5, 7, 10):
                got: list[int] = []
                for offset in range(0, 9, size):
                    got += [h.id for h in search_mentions(s, f, limit=size, offset=offset)]
                assert got == want, (f.q, size)


def test_audit_log_is_append_only(db: Database) -> None:
    with db.writer() as s:
        record(s, actor="admin", action="test", object_type="x", object_id=1, after={"a": 1})
    with pytest.raises(DBAPIError, match="append-only"), db.writer() as s:
        s.execute(text("UPDATE audit_log SET actor = 'eve'"))
    with pytest.raises(DBAPIError, match="append-only"), db.writer() as s:
        s.execute(text("DELETE FROM audit_log"))
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(AuditEntry)) == 1
        assert s.scalar(select(AuditEntry.actor)) == "admin"


def test_an_entry_by_a_principal_carries_their_name_and_id(db: Database) -> None:
    from pantau.workflow.permissions import Principal

    rina = Principal(id=7, username="rina", role="analis", agency_id=3)
    with db.writer() as s:
        record_by(s, rina, action="issue.claim", object_type="issue", object_id=5)
    with db.session() as s:
        entry = s.scalars(select(AuditEntry)).one()
        assert (entry.actor, entry.actor_id, entry.object_id) == ("rina", 7, "5")


def test_migrations_match_the_models(db: Database) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    with db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)

    def ours(op: object) -> bool:  # FTS shadow tables, the generated tsvector, the symbol
        text_ = repr(op)  # index (pantau.store.symbols) and the analysis index (key columns on
        return (  # SQLite, INCLUDE on PostgreSQL: migration 0013_anal4) are not models
            "mention_fts" not in text_
            and "'search'" not in text_
            and "ix_mentions_search" not in text_
            and "mention_symbols" not in text_
            and "ix_mentions_symbols" not in text_
            and "ix_mentions_analysis" not in text_
            and not partitioning(op)
        )

    def partitioning(op: object) -> bool:
        """What PostgreSQL's monthly partitions of mentions change, by design (see
        pantau.store.partitions): the partitions and mention_keys are not models, the
        (source, external id) key lives in mention_keys, and nothing can refer to mentions.id."""
        if db.dialect != "postgresql" or not isinstance(op, tuple):
            return False
        kind, obj = op[0], op[-1]
        table = getattr(obj, "table", obj)
        name = getattr(table, "name", "")
        if name == "mention_keys" or name.startswith(("mentions_y", "mentions_undated")):
            return True
        if kind == "add_fk":
            return {fk.column.table.name for fk in obj.elements} == {"mentions"}
        cols = [c.name for c in getattr(obj, "columns", ())]
        return (
            kind == "add_constraint"
            and name == "mentions"
            and cols
            == [
                "source_id",
                "external_id",
            ]
        )

    assert [op for op in diff if ours(op)] == []


@pytest.mark.slow
def test_concurrent_upgrades_from_two_processes(store_url: str) -> None:
    import subprocess
    import sys

    code = "import sys; from pantau.store import Database; Database(sys.argv[1]).upgrade()"
    procs = [
        subprocess.Popen([sys.executable, "-c", code, store_url], stderr=subprocess.PIPE)
        for _ in range(3)
    ]
    errors = [p.communicate(timeout=120)[1].decode() for p in procs]
    assert [p.returncode for p in procs] == [0, 0, 0], errors
    assert Database(store_url).current_revision() is not None


@pytest.mark.parametrize("broad", [False, True], ids=["sorted", "walked"])
def test_search_excludes_with_not_and_minus_and_finds_emoji(
    db: Database, broad: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Both SQLite plans (few matches read by id, many walked by date) give the same hits."""
    if broad:
        monkeypatch.setattr(search, "BROAD_MATCHES", 0)
    with db.writer() as s:
        src = Source(name="feed", kind="rss", channel="news")
        s.add(src)
        s.flush()
        texts = [
            "Banjir lagi di Sempaja, air PDAM keruh",  # 1
            "Banjir setinggi lutut di Jalan Pahlawan 😷",  # 2
            "Masker wajib di puskesmas 😷😷",  # 3
            "Jalan rusak di Loa Janan",  # 4
            "Air PDAM mati sejak pagi, warga mengeluh",  # 5
        ]
        for i, body in enumerate(texts, 1):
            s.add(_mention(src.id, str(i), body, published_at=T0 + timedelta(minutes=i)))
    with db.session() as s:

        def ids(q: str) -> list[int]:
            found = search_mentions(s, MentionFilter(q=q))
            assert count_mentions(s, MentionFilter(q=q)) == len(found)
            return sorted(h.id for h in found)

        assert ids("banjir -pdam") == [2]
        assert ids("banjir NOT pdam") == [2]
        assert ids("-pdam") == [2, 3, 4]
        assert ids("😷") == [2, 3]
        assert ids("banjir 😷") == [2]
        assert ids("-😷 jalan") == [4]
        assert ids("(banjir OR masker) -😷") == [1]
        assert ids('"jalan rusak" OR -banjir') == [3, 4, 5]
        assert ids("pdam*") == [1, 5]
        [hit] = search_mentions(s, MentionFilter(q="banjir -pdam"))
        assert f"{HIT_START}Banjir{HIT_END}" in hit.snippet and "PDAM" not in hit.snippet
        [emoji] = search_mentions(s, MentionFilter(q="masker 😷"))
        assert "😷" in emoji.snippet
