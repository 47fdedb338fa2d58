"""The reports' samples officers read (the clarification list) are read by the precise tier:
a fast-path negative it reads as positive leaves the list, one it reads as neutral stays as
the fast path read it; its own and officers' readings stand."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from pantau.reports.documents import clarification_items
from pantau.store import Database, Mention, Source

T0 = datetime(2026, 11, 20, 1, tzinfo=UTC)
#: (external id, text, stored tier): every one stored as negative, as the fast path read it
ROWS = [
    ("bad", "Warga kecewa berat, jalan poros rusak parah dan pemerintah diam saja", "fast"),
    ("good", "Terima kasih pak wali, taman kota sekarang bersih, indah dan nyaman sekali", "fast"),
    ("kept", "Terima kasih atas bantuannya, sangat membantu warga", "officer"),
    # a complaint in plain words: the tier reads it as neutral, the list keeps it
    ("plain", "Air PDAM di Sempaja mati sejak pagi, warga menunggu kabar", "fast"),
]


@pytest.fixture
def db(store_url: str) -> Iterator[Database]:
    database = Database(store_url)
    database.upgrade()
    with database.writer() as s:
        src = Source(name="uji", kind="rss", channel="news")
        s.add(src)
        s.flush()
        for k, (ext, body, tier) in enumerate(ROWS):
            s.add(
                Mention(
                    source_id=src.id,
                    external_id=ext,
                    channel="news",
                    title=body,
                    text=body,
                    published_at=T0 + timedelta(minutes=k),
                    sentiment="negative",
                    sentiment_tier=tier,
                    likes=10 - k,
                )
            )
    yield database
    database.dispose()


def test_the_clarification_list_is_read_by_the_precise_tier(db: Database) -> None:
    with db.session() as s:
        items = clarification_items(s, T0, T0 + timedelta(hours=1))
    shown = {i.title.split()[0]: i.sentiment_tier for i in items}
    assert shown == {"Warga": "precise", "Terima": "officer", "Air": "fast"}
    assert items[0].title.startswith("Warga")  # the most engaged-with first
