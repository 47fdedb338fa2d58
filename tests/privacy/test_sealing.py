"""Stored mentions hold only masked personal data; the originals are sealed beside them."""

from __future__ import annotations

from sqlalchemy import delete, func, select, update

from pantau.privacy import protect_stored, reveal
from pantau.store import Database, Mention
from pantau.store.privacy_models import PersonalDatum
from pantau.store.search import MentionFilter, search_mentions
from tests.privacy.conftest import EMAIL, NIK, PHONE, POST, store_post

MASKED = (
    "Bansos belum cair. NIK 6472********0001, hubungi 0812****5678 atau w***@gmail.com kata Pak RT"
)


def test_the_store_holds_the_masked_text_and_sealed_originals(pii_db: Database) -> None:
    mention_id = store_post(pii_db)
    with pii_db.session() as s:
        m = s.get(Mention, mention_id)
        assert m is not None and m.text == MASKED
        rows = list(s.scalars(select(PersonalDatum).order_by(PersonalDatum.start)))
        assert [r.kind for r in rows] == ["nik", "phone", "email"]
        for row, value in zip(rows, (NIK, PHONE, EMAIL), strict=True):
            assert value not in row.sealed and value not in row.digest
        assert reveal(s, [m])[mention_id].text == POST


def test_search_finds_no_personal_data_in_clear(pii_db: Database) -> None:
    store_post(pii_db)
    with pii_db.session() as s:
        for q in (NIK, "34565678", "warga.samarinda", "081234565678"):
            assert search_mentions(s, MentionFilter(q=q)) == [], q
        assert len(search_mentions(s, MentionFilter(q="bansos"))) == 1


def test_mentions_stored_in_clear_are_protected_once(pii_db: Database) -> None:
    mention_id = store_post(pii_db, text="bansos belum cair")
    with pii_db.writer() as s:  # as if stored before masking existed
        s.execute(update(Mention).where(Mention.id == mention_id).values(text=POST))
    with pii_db.writer() as s:
        assert protect_stored(s) == 1
    with pii_db.writer() as s:
        assert protect_stored(s) == 0
        m = s.get(Mention, mention_id)
        assert m is not None and m.text == MASKED
        assert reveal(s, [m])[mention_id].text == POST
        assert search_mentions(s, MentionFilter(q=NIK)) == []


def test_a_half_protected_mention_is_masked_afresh_and_still_reveals(pii_db: Database) -> None:
    mention_id = store_post(pii_db, text=f"NIK {NIK} HP {PHONE}")
    with pii_db.writer() as s:  # as if the finder had missed the phone number then
        s.execute(delete(PersonalDatum).where(PersonalDatum.kind == "phone"))
        s.execute(
            update(Mention)
            .where(Mention.id == mention_id)
            .values(text=f"NIK 6472********0001 HP {PHONE}")
        )
    with pii_db.writer() as s:
        assert protect_stored(s) == 1
    with pii_db.session() as s:
        m = s.get(Mention, mention_id)
        assert m is not None and m.text == "NIK 6472********0001 HP 0812****5678"
        assert reveal(s, [m])[mention_id].text == f"NIK {NIK} HP {PHONE}"
        assert s.scalar(select(func.count()).select_from(PersonalDatum)) == 2


def test_a_changed_secret_key_leaves_the_text_masked(pii_db: Database) -> None:
    from pantau.privacy import Vault

    mention_id = store_post(pii_db)
    with pii_db.session() as s:
        s.info["vault"] = Vault("another-secret-key-" + "q" * 32)
        m = s.get(Mention, mention_id)
        assert m is not None and reveal(s, [m]) == {}


def test_vault_examples() -> None:
    import doctest

    import pantau.privacy.vault

    result = doctest.testmod(pantau.privacy.vault)
    assert result.attempted > 0 and result.failed == 0


def test_a_sender_known_by_phone_number_is_masked_as_author(pii_db: Database) -> None:
    mention_id = store_post(pii_db, text="Jalan rusak di Loa Janan", author="+62 812-3456-5678")
    with pii_db.session() as s:
        m = s.get(Mention, mention_id)
        assert m is not None and m.author == "0812****5678"
        [hit] = search_mentions(s, MentionFilter(q="jalan"))
        assert hit.author == "0812****5678"
        assert reveal(s, [m])[mention_id].author == "+62 812-3456-5678"
