"""Publishing from the workflow: approve -> publish (now or under embargo) -> correct -> withdraw.

Every step goes through :func:`pantau.workflow.permissions.authorize` with ``document.publish``
and the document's agency, and leaves an audit entry. Publishing moves the writing-desk document
to ``diterbitkan`` through the review flow of :class:`pantau.writing.Manuscript` (so the
four-eyes rule holds here too). A release whose time has come enters monitoring as one mention on
the ``official`` channel, linked to the document's issue: the "Kanal resmi" count is the
agency's own voice in the conversation.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pantau.newsroom.releases import (
    PUBLISHED,
    WITHDRAWN,
    ReleaseNotFound,
    ReleaseView,
    slugify,
    view_of,
)
from pantau.settings import Settings
from pantau.store.audit import record
from pantau.store.models import Agency, Mention, Source
from pantau.store.newsroom_models import Release, ReleaseVersion
from pantau.store.types import utcnow
from pantau.store.writing_models import Document
from pantau.workflow.permissions import Principal, authorize
from pantau.writing import Manuscript, ReviewError, ReviewStatus, Version
from pantau.writing.document import parse

__all__ = [
    "OFFICIAL_SOURCE",
    "PublishError",
    "audit",
    "correct",
    "enter_due",
    "official_source",
    "publish",
    "withdraw",
]

logger = logging.getLogger(__name__)

#: The source every published release is stored under, on the ``official`` channel.
OFFICIAL_SOURCE = "Newsroom pantau (rilis resmi)"
#: Shortest correction note or withdrawal reason: readers must be told what changed and why.
MIN_REASON_CHARS = 10


class PublishError(ValueError):
    """A publishing step that cannot be done; ``field`` names the form field at fault."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class _Text:
    title: str
    text: str
    city: str


def _text_of(doc: Document) -> _Text:
    text = doc.versions[-1].text
    parsed = parse(text)
    title = parsed.headline.text(text).strip() if parsed.headline else doc.title
    return _Text(title=title[:300] or doc.title, text=text, city=(parsed.city or "").title())


def audit(
    s: Session,
    principal: Principal,
    action: str,
    object_type: str,
    object_id: int,
    after: dict[str, Any],
    before: dict[str, Any] | None = None,
) -> None:
    """One audit entry of a newsroom step, by ``principal``."""
    record(
        s,
        actor=principal.username,
        actor_id=principal.id,
        action=action,
        object_type=object_type,
        object_id=object_id,
        before=before,
        after=after,
    )


def _audit(
    s: Session, principal: Principal, action: str, release: Release, after: dict[str, Any]
) -> None:
    base = {"document_id": release.document_id, "slug": release.slug}
    audit(s, principal, action, "release", release.id, {**base, **after})


def _aware(at: datetime) -> datetime:
    return at if at.tzinfo else at.replace(tzinfo=UTC)


def publish(
    s: Session,
    principal: Principal,
    doc_id: int,
    settings: Settings,
    *,
    at: datetime | None = None,
    now: datetime | None = None,
) -> ReleaseView:
    """Publish the approved document ``doc_id`` now, or at ``at`` (an embargo) when later."""
    now = now or utcnow()
    doc = s.get(Document, doc_id)
    if doc is None:
        raise PublishError("document", f"Dokumen #{doc_id} tidak ditemukan.")
    authorize(principal, "document.publish", agency_id=doc.agency_id)
    if doc.status != ReviewStatus.APPROVED:
        raise PublishError(
            "document",
            f"Dokumen #{doc_id} berstatus {doc.status!r}; hanya dokumen 'disetujui' yang terbit.",
        )
    manuscript = Manuscript(
        doc.kind,
        tuple(Version(v.number, v.text, v.author, v.created_at, v.note) for v in doc.versions),
        ReviewStatus(doc.status),
        doc.issue_id,
    )
    try:
        moved = manuscript.transition(
            ReviewStatus.PUBLISHED, principal.username, now, timezone=settings.timezone
        )
    except ReviewError as exc:
        raise PublishError("document", str(exc)) from exc
    when = _aware(at) if at is not None else now
    if when < now:
        raise PublishError("at", "Waktu terbit tidak boleh di masa lalu.")
    content = _text_of(doc)
    release = Release(
        document_id=doc.id,
        slug=f"rilis-{doc.id}-sementara",
        state=PUBLISHED,
        category=doc.kind,
        agency_id=doc.agency_id,
        issue_id=doc.issue_id,
        title=content.title,
        text=content.text,
        city=content.city,
        published_at=when,
        updated_at=now,
    )
    s.add(release)
    s.flush()
    release.slug = slugify(content.title, release.id)
    s.add(
        ReleaseVersion(
            release_id=release.id,
            number=1,
            title=content.title,
            text=content.text,
            actor=principal.username,
            created_at=now,
        )
    )
    doc.status = str(moved.status)
    embargo = when > now
    _audit(
        s,
        principal,
        "release.publish",
        release,
        {"published_at": when.isoformat(), "embargo": embargo},
    )
    if not embargo:
        _enter_monitoring(s, release, settings)
    s.flush()
    return view_of(s, release, with_versions=True)


def _load(s: Session, principal: Principal, release_id: int) -> Release:
    release = s.get(Release, release_id)
    if release is None:
        raise ReleaseNotFound(f"Rilis #{release_id} tidak ditemukan.")
    authorize(principal, "document.publish", agency_id=release.agency_id)
    return release


def correct(s: Session, principal: Principal, release_id: int, text: str, note: str) -> ReleaseView:
    """Replace the public text, with a correction note every reader sees, as a new version."""
    release = _load(s, principal, release_id)
    note = note.strip()
    if len(note) < MIN_REASON_CHARS:
        raise PublishError("note", "Tuliskan catatan koreksi: apa yang diubah dan mengapa.")
    text = text.replace("\r\n", "\n").strip()
    if not text:
        raise PublishError("text", "Teks rilis tidak boleh kosong.")
    if release.state != PUBLISHED:
        raise PublishError("text", "Rilis yang sudah ditarik tidak dapat dikoreksi.")
    parsed = parse(text)
    title = (parsed.headline.text(text).strip() if parsed.headline else release.title)[:300]
    last = s.scalar(
        select(func.max(ReleaseVersion.number)).where(ReleaseVersion.release_id == release.id)
    )
    number = (last or 0) + 1
    now = utcnow()
    s.add(
        ReleaseVersion(
            release_id=release.id,
            number=number,
            title=title,
            text=text,
            note=note,
            actor=principal.username,
            created_at=now,
        )
    )
    release.title, release.text, release.correction, release.updated_at = title, text, note, now
    if release.mention_id is not None:
        mention = s.get(Mention, release.mention_id)
        if mention is not None:
            mention.title, mention.text = title, text
    _audit(s, principal, "release.correct", release, {"version": number, "note": note})
    s.flush()
    return view_of(s, release, with_versions=True)


def withdraw(s: Session, principal: Principal, release_id: int, reason: str) -> ReleaseView:
    """Take a release off the public newsroom, keeping it (and why) for the record."""
    release = _load(s, principal, release_id)
    reason = reason.strip()
    if len(reason) < MIN_REASON_CHARS:
        raise PublishError("reason", "Tuliskan alasan penarikan rilis.")
    if release.state == WITHDRAWN:
        raise PublishError("reason", "Rilis ini sudah ditarik.")
    release.state, release.withdrawn_reason, release.updated_at = WITHDRAWN, reason, utcnow()
    _audit(s, principal, "release.withdraw", release, {"reason": reason})
    s.flush()
    return view_of(s, release, with_versions=True)


def official_source(s: Session) -> Source:
    """The newsroom's own source (made on first use): releases and their comments come from it."""
    source = s.scalar(select(Source).where(Source.name == OFFICIAL_SOURCE))
    if source is None:
        source = Source(name=OFFICIAL_SOURCE, kind="newsroom", channel="official", enabled=False)
        s.add(source)
        s.flush()
    return source


def _enter_monitoring(s: Session, release: Release, settings: Settings) -> None:
    if release.mention_id is not None:
        return
    agency = s.get(Agency, release.agency_id) if release.agency_id is not None else None
    # Stored analyzed and linked: the agency chose the issue it answers, so the clustering must
    # not move the statement to another cluster.
    mention = Mention(
        source_id=official_source(s).id,
        external_id=f"release-{release.id}",
        url=f"{settings.public_url}/rilis/{release.slug}",
        canonical_url=f"{settings.public_url}/rilis/{release.slug}",
        author=agency.name if agency else None,
        channel="official",
        platform="newsroom",
        outlet=agency.name if agency else None,
        published_at=release.published_at,
        title=release.title,
        text=release.text,
        lang="id",
        analyzed_at=utcnow(),
        issue_id=release.issue_id,
        extra={"release_id": release.id},
    )
    s.add(mention)
    s.flush()
    release.mention_id = mention.id
    logger.info("release %s entered monitoring as mention %s", release.id, mention.id)


def enter_due(s: Session, settings: Settings, now: datetime | None = None) -> list[int]:
    """Bring releases whose embargo has passed into monitoring; returns their ids."""
    due = s.scalars(
        select(Release).where(
            Release.state == PUBLISHED,
            Release.published_at <= (now or utcnow()),
            Release.mention_id.is_(None),
        )
    ).all()
    for release in due:
        _enter_monitoring(s, release, settings)
    return [release.id for release in due]
