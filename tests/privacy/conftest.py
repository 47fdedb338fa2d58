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
from tests.conftest import PASSWORD, AppEnv
from tests.reports.sample import fill

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


def store_post(
    db: Database, external_id: str = "post-1", text: str = POST, author: str | None = None
) -> int:
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
        post = MentionIn(external_id, text, published_at=when, author=author)
        write_mentions(s, source, [post])
        return int(s.scalar(select(Mention.id).where(Mention.external_id == external_id)) or 0)


class PiiApp(AppEnv):
    """The web app on a store of either backend holding the reports sample, whose banjir
    mentions all start with the post (its NIK, phone and e-mail), in the title too where there
    is one; stored in clear, then masked as an upgraded store is."""

    def __init__(self, settings: Settings) -> None:
        from sqlalchemy import select, update

        from pantau.privacy import protect_stored
        from pantau.store import Issue, Mention
        from pantau.web.app import create_app
        from pantau.workflow.users import create_user

        self.settings = settings
        self.db = Database(settings.database_url)
        self.db.upgrade()
        self.issue_ids = fill(self.db)
        with self.db.writer() as s:
            for username, role in (("admin", "admin"), ("koord", "koordinator")):
                create_user(s, username=username, password=PASSWORD, role=role)
            banjir = self.issue_ids["banjir"]
            s.execute(
                update(Mention)
                .where(Mention.issue_id == banjir)
                .values(text=POST + " " + Mention.text, title=POST + " " + Mention.title)
            )
            assert s.scalar(select(Issue.id).where(Issue.id == banjir))
        self.app = create_app(settings, self.db)  # attaches the vault
        with self.db.writer() as s:
            protect_stored(s)


@pytest.fixture
def pii_app(pii_settings: Settings) -> Iterator[PiiApp]:
    env = PiiApp(pii_settings)
    yield env
    env.db.dispose()
