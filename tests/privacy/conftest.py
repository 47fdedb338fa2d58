"""A store on both backends with the personal-data vault attached, and a post that carries a
NIK, a phone number and an e-mail address (all invented: the NIK's serial, the phone's
subscriber number and the mailbox belong to no one)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from pantau.ingest.sink import write_mentions
from pantau.privacy import attach
from pantau.records import MentionIn
from pantau.settings import Settings
from pantau.store import Database, Source

NIK = "6472031208900001"
PHONE = "0812-3456-5678"
EMAIL = "warga.samarinda@gmail.com"
POST = f"Bansos belum cair. NIK {NIK}, hubungi {PHONE} atau {EMAIL} kata Pak RT"
SECRET = "test-secret-key-" + "p" * 32


@pytest.fixture
def pii_settings(tmp_path: Path, store_url: str) -> Settings:
    return Settings.from_env({}, database_url=store_url, data_dir=str(tmp_path), secret_key=SECRET)


@pytest.fixture
def pii_db(pii_settings: Settings) -> Iterator[Database]:
    db = Database(pii_settings.database_url)
    db.upgrade()
    attach(db, pii_settings)
    yield db
    db.dispose()


def store_post(db: Database, external_id: str = "post-1", text: str = POST) -> int:
    """Write one post through the ingest sink; returns its mention id."""
    from sqlalchemy import select

    from pantau.store import Mention

    with db.writer() as s:
        source = s.scalar(select(Source).where(Source.name == "warga"))
        if source is None:
            source = Source(name="warga", kind="push", channel="social")
            s.add(source)
            s.flush()
        when = datetime(2026, 12, 1, 9, tzinfo=UTC)
        write_mentions(s, source, [MentionIn(external_id, text, published_at=when)])
        return int(s.scalar(select(Mention.id).where(Mention.external_id == external_id)) or 0)
