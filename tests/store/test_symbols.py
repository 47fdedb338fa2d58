"""The symbol index: emoji searches read it, give what a substring test gives, and follow edits."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import insert, select, text
from sqlalchemy.orm import Session
from tests.support.migrations import upgrade_below

from pantau.store import Database, Mention, Source, search
from pantau.store.search import MentionFilter, count_mentions, filter_select, search_mentions
from pantau.store.search_query import Symbol, parse_query

T0 = datetime(2026, 11, 20, 3, 0, tzinfo=UTC)
MIGRATION = "0010_daily3_mention_symbols"
#: (title, text): emoji with modifiers and joiners, repeats, flags, symbols in titles only,
#: typographic punctuation, letters outside ASCII (never symbols) and plain text.
BODIES = [
    (None, "Banjir setinggi lutut di Jalan Pahlawan 😷"),
    (None, "Masker wajib di puskesmas 😷😷"),
    ("Antrean BBM 😡", "Antrean panjang di SPBU Sempaja"),
    (None, "Mantap 👍🏽 pelayanan cepat"),
    (None, "Dirgahayu 🇮🇩 Kalimantan Timur ❤️"),
    (None, "Aku ❤ Samarinda"),
    (None, "Keluarga 👨‍👩‍👧 mengungsi… air naik — posko penuh"),
    ("Café “Tepian”", "Harga naik di kafe tepian"),
    (None, "Jalan rusak di Loa Janan"),
]
QUERIES = ["😷", "😷😷", "😡", "👍🏽", "👍", "🏽", "🇮🇩", "❤️", "❤", "👨‍👩‍👧", "…", "—", "“",
           "😷 banjir", "-😷 jalan", "😡 OR ❤", "🐟"]  # fmt: skip


def _add(db: Database, bodies: list[tuple[str | None, str]]) -> list[int]:
    with db.writer() as s:
        src = s.scalar(select(Source).where(Source.name == "feed"))
        if src is None:
            src = Source(name="feed", kind="rss", channel="social")
            s.add(src)
            s.flush()
        # Core, not the ORM: a store below a migration lacks the columns later ones add, and an
        # ORM insert names every column of the model (Core only those given or defaulted)
        table = Mention.__table__
        return [
            int(
                s.execute(
                    insert(table)
                    .values(
                        source_id=src.id,
                        external_id=f"{title}|{body}",
                        title=title,
                        text=body,
                        channel="social",
                        published_at=T0 + timedelta(minutes=i),
                    )
                    .returning(table.c.id)
                ).scalar_one()
            )
            for i, (title, body) in enumerate(bodies)
        ]


def _ids(s: Session, q: str) -> list[int]:
    found = search_mentions(s, MentionFilter(q=q))
    assert count_mentions(s, MentionFilter(q=q)) == len(found)
    return sorted(h.id for h in found)


def _substring(s: Session, q: str) -> list[int]:
    """What the search gave before the index: each symbol a substring of title or text."""
    node = parse_query(q)

    def holds(node: object, title: str, body: str) -> bool:
        if isinstance(node, Symbol):
            return node.text in title or node.text in body
        kind = type(node).__name__
        if kind == "Not":
            return not holds(node.child, title, body)  # type: ignore[attr-defined]
        if kind == "And":
            return all(holds(c, title, body) for c in node.children)  # type: ignore[attr-defined]
        if kind == "Or":
            return any(holds(c, title, body) for c in node.children)  # type: ignore[attr-defined]
        return node.text in f"{title} {body}".lower()  # type: ignore[attr-defined]

    rows = s.execute(select(Mention.id, Mention.title, Mention.text)).all()
    return sorted(i for i, title, body in rows if holds(node, title or "", body))


def test_symbol_searches_find_exactly_the_substring_matches(db: Database) -> None:
    ids = _add(db, BODIES)
    with db.session() as s:
        for q in QUERIES:
            assert _ids(s, q) == _substring(s, q), q
        assert _ids(s, "😷") == ids[:2] and _ids(s, "😷😷") == [ids[1]]
        assert _ids(s, "❤️") == [ids[4]] and _ids(s, "😡") == [ids[2]]  # in a title
        assert _ids(s, "🐟") == []


def test_a_common_symbol_walks_the_newest_mentions_and_finds_the_same(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Above BROAD_MATCHES ids a symbol alone is found by walking the date index (SQLite):
    the same hits, newest first."""
    _add(db, BODIES)
    with db.session() as s:
        expected = {q: _ids(s, q) for q in QUERIES}
        monkeypatch.setattr(search, "BROAD_MATCHES", 0)
        for q in QUERIES:
            assert _ids(s, q) == expected[q], q
        if db.dialect == "sqlite":
            page = _plan(s, "😷", newest=True)
            assert "SEARCH mentions USING INTEGER PRIMARY KEY" not in page, page
            assert "SEARCH mention_symbols USING PRIMARY KEY (symbol=?)" in page, page
            count = _plan(s, "😷")  # a capped count reads the first ids it finds
            assert "SEARCH mentions USING INTEGER PRIMARY KEY" in count, count


def test_the_index_follows_edits_and_deletes(db: Database) -> None:
    first, second, third = _add(db, BODIES[:3])
    with db.writer() as s:
        s.get(Mention, first).text = "Banjir sudah surut 🙏"
        s.get(Mention, second).title = "Masker 🙏"
    with db.session() as s:
        assert _ids(s, "😷") == [second]  # still in its text
        assert _ids(s, "🙏") == [first, second]
    with db.writer() as s:
        s.delete(s.get(Mention, second))
    with db.session() as s:
        assert _ids(s, "😷") == [] and _ids(s, "🙏") == [first]
        if db.dialect == "sqlite":
            rows = s.execute(text("SELECT symbol, mention_id FROM mention_symbols")).all()
            assert sorted(rows) == sorted([("🙏", first), ("😡", third)])


def _plan(s: Session, q: str, *, newest: bool = False) -> str:
    """The plan of a count's selection, or (``newest``) of a page of the newest matches."""
    if newest:
        stmt = search._match(s, select(Mention.id), q, newest=True)[0]
        stmt = stmt.order_by(Mention.published_at.desc()).limit(50)
    else:
        stmt = filter_select(s, select(Mention.id), MentionFilter(q=q))
    compiled = stmt.compile(s.get_bind())
    conn = s.connection()
    if s.get_bind().dialect.name == "sqlite":
        params = tuple(compiled.params[k] for k in compiled.positiontup or ())
        rows = conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {compiled}", params).all()
        return "\n".join(str(r[-1]) for r in rows)
    conn.exec_driver_sql("SET LOCAL enable_seqscan = off")  # a few rows: is the index usable?
    rows = conn.exec_driver_sql(f"EXPLAIN {compiled}", compiled.params).all()
    return "\n".join(r[0] for r in rows)


def test_a_symbol_is_looked_up_in_the_index_not_scanned(db: Database) -> None:
    _add(db, BODIES)
    with db.session() as s:
        plan = _plan(s, "banjir 😷")
        if db.dialect == "sqlite":
            assert "SEARCH mention_symbols USING PRIMARY KEY (symbol=?)" in plan, plan
            assert "SCAN mentions" not in plan, plan
            # the word's ids and the symbol's are intersected before a mention row is read
            assert "INTERSECT USING TEMP B-TREE" in plan, plan
        else:
            # each partition's copy of ix_mentions_symbols answers the symbol
            assert "Index Cond: (regexp_split_to_array(" in plan, plan
            assert "Seq Scan" not in plan, plan


def test_the_migration_indexes_the_mentions_already_stored(store_url: str) -> None:
    db = Database(store_url)
    upgrade_below(db, MIGRATION)
    ids = _add(db, BODIES)
    db.upgrade()
    with db.session() as s:
        assert _ids(s, "😷") == ids[:2]
        assert _ids(s, "❤") == [ids[4], ids[5]]
        for q in QUERIES:
            assert _ids(s, q) == _substring(s, q), q
    db.dispose()
