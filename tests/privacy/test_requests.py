"""Retention and a data subject's requests: find one person's data, erase it, audited."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

import pytest
from click.testing import Result
from sqlalchemy import func, select
from typer.testing import CliRunner

from pantau.cli import _load, app
from pantau.ingest.sink import write_mentions, write_quarantine
from pantau.privacy import reveal, vault_of
from pantau.privacy.erasure import erase_person, find_person
from pantau.privacy.retention import Expired, RetentionTask, expire
from pantau.records import MentionIn, QuarantineItem
from pantau.settings import Settings
from pantau.store import AuditEntry, Database, Mention, Quarantine, Source
from pantau.store.privacy_models import PersonalDatum
from pantau.workflow.users import create_user
from tests.conftest import PASSWORD
from tests.privacy.conftest import EMAIL, NIK, PHONE, POST

OTHER_NIK = "6471014506880002"  # another citizen of Balikpapan


def _write(db: Database, posts: list[MentionIn], quarantine: Sequence[str] = ()) -> None:
    with db.writer() as s:
        source = Source(name="warga", kind="push", channel="social")
        s.add(source)
        s.flush()
        write_mentions(s, source, posts)
        items = [
            QuarantineItem("api", "teks kosong", p, i, "text") for i, p in enumerate(quarantine)
        ]
        write_quarantine(s, source, items)


def _texts(db: Database) -> dict[str, str]:
    with db.session() as s:
        mentions = list(s.scalars(select(Mention)))
        shown = reveal(s, mentions)
        return {m.external_id: shown[m.id].text if m.id in shown else m.text for m in mentions}


def test_retention_deletes_old_originals_and_keeps_the_masked_text(pii_db: Database) -> None:
    now = datetime.now(UTC)
    old = MentionIn("old", POST, fetched_at=now - timedelta(days=91))
    new = MentionIn("new", POST, fetched_at=now - timedelta(days=1))
    _write(pii_db, [old, new], [json.dumps({"text": f"NIK {NIK}", "id": ""})])
    with pii_db.writer() as s:
        q = s.scalar(select(Quarantine))
        assert q is not None
        q.created_at = now - timedelta(days=100)
        assert expire(s, 0) == expire(s, 365) == Expired(0, 0)  # 0 keeps, nothing is a year old
        done = expire(s, 90)
    assert (done.pieces, done.quarantined) == (3, 1)
    texts = _texts(pii_db)
    assert texts["new"] == POST and NIK not in texts["old"] and "6472********0001" in texts["old"]
    with pii_db.session() as s:
        assert NIK not in (s.scalar(select(Quarantine.payload)) or "")
        audit = s.scalars(select(AuditEntry).where(AuditEntry.action == "pii.expire")).one()
        assert audit.after["pieces"] == 3
    task = RetentionTask(pii_db, 90)
    assert task() == Expired(0, 0) and task() is None  # not due again within the hour


def test_one_person_is_found_and_erased_everywhere(pii_db: Database) -> None:
    posts = [
        MentionIn("a1", POST),
        MentionIn("a2", f"Lagi: hubungi +62 812 3456 5678, NIK {OTHER_NIK}"),
        MentionIn("b1", f"NIK {OTHER_NIK} saja"),
    ]
    _write(pii_db, posts, [json.dumps({"text": f"wa 62812-3456-5678 atau NIK {OTHER_NIK}"})])
    with pii_db.writer() as s:
        vault = vault_of(s)
        assert vault is not None
        search = find_person(s, vault, "phone", "0812 3456 5678")
        ids = dict(s.execute(select(Mention.external_id, Mention.id)).all())
        assert search.mentions == sorted([ids["a1"], ids["a2"]]) and len(search.quarantine) == 1
        done = erase_person(s, vault, "phone", "08123456-5678", actor="admin", actor_id=None)
    assert (done.pieces, done.mentions, done.quarantined) == (2, 2, 1)
    texts = _texts(pii_db)
    assert PHONE not in texts["a1"] and NIK in texts["a1"] and EMAIL in texts["a1"]
    assert "0812****5678" in texts["a2"] and OTHER_NIK in texts["a2"]
    with pii_db.session() as s:
        payload = s.scalar(select(Quarantine.payload)) or ""
        assert "0812****5678" in payload and OTHER_NIK in payload  # only that person's data
        audit = s.scalars(select(AuditEntry).where(AuditEntry.action == "pii.erase")).one()
        assert audit.object_id == "0812****5678" and "3456" not in json.dumps(audit.after)
        vault = vault_of(s)
        assert vault is not None
        assert find_person(s, vault, "phone", PHONE).holdings == []
        assert len(find_person(s, vault, "nik", OTHER_NIK).mentions) == 2


@pytest.fixture
def cli_env(pii_settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Database:
    monkeypatch.setenv("PANTAU_DATABASE_URL", pii_settings.database_url)
    monkeypatch.setenv("PANTAU_DATA_DIR", pii_settings.data_dir)
    monkeypatch.setenv("PANTAU_SECRET_KEY", str(pii_settings.secret_key))
    _load()
    db = Database(pii_settings.database_url)
    db.upgrade()
    from pantau.privacy import attach

    attach(db, pii_settings)
    with db.writer() as s:
        create_user(s, username="admin", password=PASSWORD, role="admin")
        create_user(s, username="pimpinan", password=PASSWORD, role="pimpinan")
    _write(db, [MentionIn("a1", POST), MentionIn("b1", f"NIK {OTHER_NIK}")])
    return db


def test_pdp_commands(cli_env: Database) -> None:
    def pantau(*args: str) -> Result:
        return CliRunner().invoke(app, ["pdp", *args], input="y\n")

    found = pantau("find", "--nik", NIK, "--as", "admin")
    assert found.exit_code == 0, found.output
    rows = [json.loads(line) for line in found.stdout.splitlines()]
    assert [(r["table"], r["kind"], r["field"]) for r in rows] == [("mentions", "nik", "text")]
    refused = pantau("find", "--nik", NIK, "--as", "pimpinan")
    assert refused.exit_code == 2 and "pii.view" in refused.output
    assert pantau("find", "--nik", NIK, "--email", EMAIL, "--as", "admin").exit_code == 2
    assert pantau("find", "--nik", "123", "--as", "admin").exit_code == 2
    erased = pantau("erase", "--nik", NIK, "--as", "admin")
    assert erased.exit_code == 0 and "6472********0001 dihapus" in erased.output
    assert pantau("find", "--nik", NIK, "--as", "admin").stdout == ""
    expired = pantau("expire", "--days", "0")
    assert expired.exit_code == 0 and "0 data asli dihapus" in expired.output
    assert pantau("protect").exit_code == 0
    with cli_env.session() as s:
        actions = s.scalars(select(AuditEntry.action).where(AuditEntry.action.like("pii.%")))
        assert list(actions) == ["pii.find", "pii.erase", "pii.find"]
        assert (
            s.scalar(select(func.count()).select_from(PersonalDatum)) == 3
        )  # phone, e-mail, other NIK


def test_the_first_command_after_the_upgrade_masks_older_mentions_once(
    pii_settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sqlalchemy import update

    monkeypatch.setenv("PANTAU_DATABASE_URL", pii_settings.database_url)
    monkeypatch.setenv("PANTAU_DATA_DIR", pii_settings.data_dir)
    monkeypatch.setenv("PANTAU_SECRET_KEY", str(pii_settings.secret_key))
    _load()
    db = Database(pii_settings.database_url)  # no vault: as an older pantau wrote it
    db.upgrade()
    _write(db, [MentionIn("old", "bansos belum cair")])
    with db.writer() as s:
        s.execute(update(Mention).values(text=POST))

    def export() -> Result:
        return CliRunner().invoke(app, ["export", "--format", "jsonl"])

    first = export()
    assert first.exit_code == 0 and "Data pribadi pada 1 sebutan lama disensor" in first.output
    assert NIK not in first.stdout and "6472********0001" in first.stdout
    with db.writer() as s:  # stored in clear behind pantau's back: not rescanned every time
        s.execute(update(Mention).values(text=POST))
    again = export()
    assert again.exit_code == 0 and "disensor" not in again.output
    db.dispose()
