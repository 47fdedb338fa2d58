"""Documents and versions on a real SQLite file and a real PostgreSQL database."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from pantau.settings import Settings
from pantau.store import Agency, AuditEntry, Database
from pantau.store.writing_models import Document, DocumentVersion
from pantau.workflow.users import create_user, principal_of
from pantau.writing import desk
from tests.writing_web.desk_fixtures import complete_facts


@pytest.mark.slow
def test_versions_review_and_audit_on_both_backends(store_url: str) -> None:
    db = Database(store_url)
    db.upgrade()
    settings = Settings.from_env({}, database_url=store_url)
    with db.writer() as s:
        agency = Agency(name="Diskominfo Uji", short_name="Uji", level="kota")
        s.add(agency)
        s.flush()
        author = principal_of(
            create_user(
                s, username="penulis", password="x" * 12, role="analis", agency_id=agency.id
            )
        )
        editor = principal_of(
            create_user(s, username="penyunting", password="x" * 12, role="koordinator")
        )
    with db.writer() as s:
        doc = desk.create_document(s, author, "siaran_pers", complete_facts(), settings)
    assert doc.agency_id == author.agency_id and doc.latest.number == 1
    with db.writer() as s:
        desk.save_version(s, author, doc.id, doc.latest.text + "\nTambahan fakta.\n", "fakta")
        desk.transition(s, author, doc.id, "ditinjau", settings)
    with db.writer() as s:
        approved = desk.transition(s, editor, doc.id, "disetujui", settings)
    assert approved.status == "disetujui"
    assert [v.author for v in approved.versions] == ["penulis", "penulis"]
    with db.session() as s:
        assert s.get(Document, doc.id).fields["headline"] == complete_facts()["headline"]
        audits = s.scalar(select(func.count()).where(AuditEntry.object_type == "document"))
        assert audits == 4
    with pytest.raises(IntegrityError), db.writer() as s:  # a version number is never reused
        s.add(DocumentVersion(document_id=doc.id, number=2, text="x", author="penulis"))
    db.dispose()
