"""Publishing from the workflow on a real store: publish, embargo, correct, withdraw, audit."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from pantau.newsroom import (
    PublishError,
    ReleaseNotFound,
    correct,
    enter_due,
    find_release,
    public_releases,
    publish,
    withdraw,
)
from pantau.store import AuditEntry, Issue, Mention
from pantau.store.types import utcnow
from pantau.store.writing_models import Document
from pantau.workflow.permissions import PermissionDenied
from tests.conftest import AppEnv
from tests.newsroom.fixtures import HEADLINE, approved_document, principal, published_release
from tests.writing_web.desk_fixtures import add_issue


def test_publish_enters_monitoring_as_official_mention_of_its_issue(app_env: AppEnv) -> None:
    issue_id = add_issue(app_env)
    release = published_release(app_env, issue_id=issue_id)
    assert release.title == HEADLINE
    assert release.slug.startswith("pemkot-samarinda-buka-posko") and release.visible()
    assert release.city == "Samarinda" and [v.number for v in release.versions] == [1]
    with app_env.db.session() as s:
        assert s.get(Document, release.document_id).status == "diterbitkan"
        mention = s.scalar(select(Mention).where(Mention.channel == "official"))
        assert mention is not None and mention.issue_id == issue_id
        assert mention.url.endswith(f"/rilis/{release.slug}")
        actions = s.scalars(select(AuditEntry.action).where(AuditEntry.object_type == "release"))
        assert list(actions) == ["release.publish"]
        assert [r.id for r in public_releases(s)] == [release.id]
        assert s.get(Issue, issue_id) is not None


def test_only_an_approved_document_is_published_by_someone_allowed(app_env: AppEnv) -> None:
    issue_id = add_issue(app_env)
    with app_env.db.writer() as s:
        doc_id = approved_document(s, app_env.settings, issue_id=issue_id)
        with pytest.raises(PermissionDenied):  # an analyst may not publish
            publish(s, principal(s, "rina"), doc_id, app_env.settings)
        publish(s, principal(s, "koord"), doc_id, app_env.settings)
        with pytest.raises(PublishError, match="disetujui"):  # not twice
            publish(s, principal(s, "koord"), doc_id, app_env.settings)


def test_embargo_hides_the_release_until_its_time(app_env: AppEnv) -> None:
    later = utcnow() + timedelta(hours=2)
    release = published_release(app_env, at=later)
    assert not release.visible()
    with app_env.db.writer() as s:
        assert public_releases(s) == []
        with pytest.raises(ReleaseNotFound):
            find_release(s, release.slug)
        assert enter_due(s, app_env.settings) == []
        assert [r.id for r in public_releases(s, now=later)] == [release.id]
        assert len(enter_due(s, app_env.settings, now=later)) == 1
        assert enter_due(s, app_env.settings, now=later) == []  # idempotent
        count = select(func.count(Mention.id)).where(Mention.channel == "official")
        assert s.scalar(count) == 1


def test_correction_is_visible_versioned_and_withdrawal_needs_a_reason(app_env: AppEnv) -> None:
    release = published_release(app_env)
    fixed = release.text.replace("Samarinda", "Kota Samarinda", 1)
    with app_env.db.writer() as s:
        koord = principal(s, "koord")
        with pytest.raises(PublishError) as missing:
            correct(s, koord, release.id, fixed, "")
        assert missing.value.field == "note"
        corrected = correct(s, koord, release.id, fixed, "Nama kota dilengkapi.")
        assert corrected.correction == "Nama kota dilengkapi."
        assert [v.number for v in corrected.versions] == [1, 2]
        mention = s.scalar(select(Mention).where(Mention.channel == "official"))
        assert mention is not None and mention.text == fixed.strip()
        with pytest.raises(PublishError):
            withdraw(s, koord, release.id, "salah")
        gone = withdraw(s, koord, release.id, "Data korban belum terverifikasi.")
        assert gone.state == "ditarik" and not gone.visible()
        assert public_releases(s) == []
        actions = s.scalars(
            select(AuditEntry.action)
            .where(AuditEntry.object_type == "release")
            .order_by(AuditEntry.id)
        )
        assert list(actions) == ["release.publish", "release.correct", "release.withdraw"]
