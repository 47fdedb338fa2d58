"""Public releases as plain records, and the reads the newsroom pages make.

:class:`ReleaseView` is what pages, feeds and the CLI get (never ORM objects). A release is
*visible* when it is published (not withdrawn) and its time has come: a release under embargo
exists from the moment it is scheduled but nobody outside sees it before ``published_at``.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, func, or_, select
from sqlalchemy.orm import Session

from pantau.store.models import Agency
from pantau.store.newsroom_models import Release, ReleaseVersion
from pantau.store.types import utcnow
from pantau.writing.document import parse

__all__ = [
    "PUBLISHED",
    "WITHDRAWN",
    "ReleaseNotFound",
    "ReleaseVersionView",
    "ReleaseView",
    "find_release",
    "get_release",
    "public_releases",
    "related_releases",
    "slugify",
    "view_of",
]

PUBLISHED = "terbit"
WITHDRAWN = "ditarik"

#: Longest slug kept from a title (the id is appended, so slugs stay unique and stable).
SLUG_CHARS = 80


class ReleaseNotFound(LookupError):
    """No (visible) release with that id or slug."""


@dataclass(frozen=True)
class ReleaseVersionView:
    """One public text of a release."""

    number: int
    title: str
    note: str
    actor: str
    created_at: datetime


@dataclass(frozen=True)
class ReleaseView:
    """A release as the public pages and feeds show it."""

    id: int
    document_id: int
    slug: str
    state: str
    category: str
    agency_id: int | None
    agency: str
    agency_short: str
    issue_id: int | None
    title: str
    text: str
    city: str
    published_at: datetime
    updated_at: datetime
    correction: str
    withdrawn_reason: str
    versions: tuple[ReleaseVersionView, ...] = ()

    def visible(self, now: datetime | None = None) -> bool:
        """Published, not withdrawn, and past its embargo."""
        return self.state == PUBLISHED and self.published_at <= (now or utcnow())

    @property
    def body(self) -> list[str]:
        """The paragraphs after the headline (markers and the headline are the page's header)."""
        doc = parse(self.text)
        start = doc.headline.end if doc.headline else 0
        return [p.strip() for p in self.text[start:].split("\n") if p.strip()]

    @property
    def summary(self) -> str:
        """The lead paragraph without its dateline, for feeds, cards and social previews."""
        doc = parse(self.text)
        if doc.lead is None:
            return (self.body[0] if self.body else "")[:300]
        start = doc.dateline.end if doc.dateline else doc.lead.start
        return self.text[start : doc.lead.end].strip()[:300]


def slugify(title: str, release_id: int) -> str:
    """A URL-safe ASCII slug ending in the id.

    >>> slugify("Banjir Sempaja: Posko Dibuka 24 Jam!", 7)
    'banjir-sempaja-posko-dibuka-24-jam-7'
    """
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    words = re.sub(r"[^a-z0-9]+", "-", ascii_title.lower()).strip("-")[:SLUG_CHARS].strip("-")
    return f"{words}-{release_id}" if words else f"rilis-{release_id}"


def view_of(s: Session, r: Release, *, with_versions: bool = False) -> ReleaseView:
    agency = s.get(Agency, r.agency_id) if r.agency_id is not None else None
    versions: tuple[ReleaseVersionView, ...] = ()
    if with_versions:
        rows = s.scalars(
            select(ReleaseVersion)
            .where(ReleaseVersion.release_id == r.id)
            .order_by(ReleaseVersion.number)
        )
        versions = tuple(
            ReleaseVersionView(v.number, v.title, v.note, v.actor, v.created_at) for v in rows
        )
    return ReleaseView(
        id=r.id,
        document_id=r.document_id,
        slug=r.slug,
        state=r.state,
        category=r.category,
        agency_id=r.agency_id,
        agency=agency.name if agency else "",
        agency_short=(agency.short_name or agency.name) if agency else "",
        issue_id=r.issue_id,
        title=r.title,
        text=r.text,
        city=r.city,
        published_at=r.published_at,
        updated_at=r.updated_at,
        correction=r.correction,
        withdrawn_reason=r.withdrawn_reason,
        versions=versions,
    )


def _visible(now: datetime) -> ColumnElement[bool]:
    return and_(Release.state == PUBLISHED, Release.published_at <= now)


def public_releases(
    s: Session,
    *,
    agency_id: int | None = None,
    category: str | None = None,
    q: str | None = None,
    limit: int = 20,
    offset: int = 0,
    now: datetime | None = None,
) -> list[ReleaseView]:
    """Visible releases, newest first, of one agency / category, matching every word of ``q``."""
    query = select(Release).where(_visible(now or utcnow()))
    if agency_id is not None:
        query = query.where(Release.agency_id == agency_id)
    if category:
        query = query.where(Release.category == category)
    for word in (q or "").split()[:8]:
        like = f"%{word.lower()}%"
        query = query.where(
            or_(func.lower(Release.title).like(like), func.lower(Release.text).like(like))
        )
    query = query.order_by(Release.published_at.desc(), Release.id.desc())
    return [view_of(s, r) for r in s.scalars(query.limit(limit).offset(offset))]


def find_release(s: Session, slug: str, now: datetime | None = None) -> ReleaseView:
    """The visible release at ``slug``, with its version history."""
    r = s.scalar(select(Release).where(Release.slug == slug, _visible(now or utcnow())))
    if r is None:
        raise ReleaseNotFound(f"Rilis {slug!r} tidak ditemukan.")
    return view_of(s, r, with_versions=True)


def get_release(s: Session, release_id: int) -> ReleaseView:
    """Any release by id, visible or not (for the agency's own pages)."""
    r = s.get(Release, release_id)
    if r is None:
        raise ReleaseNotFound(f"Rilis #{release_id} tidak ditemukan.")
    return view_of(s, r, with_versions=True)


def related_releases(
    s: Session, release: ReleaseView, limit: int = 4, now: datetime | None = None
) -> list[ReleaseView]:
    """Other visible releases on the same issue first, then of the same agency, newest first."""
    near: list[ColumnElement[bool]] = [Release.agency_id == release.agency_id]
    order: list[ColumnElement[Any]] = [Release.published_at.desc(), Release.id.desc()]
    if release.issue_id is not None:
        same_issue = Release.issue_id == release.issue_id
        near.append(same_issue)
        order.insert(0, same_issue.desc())
    query = (
        select(Release)
        .where(_visible(now or utcnow()), Release.id != release.id, or_(*near))
        .order_by(*order)
    )
    return [view_of(s, r) for r in s.scalars(query.limit(limit))]
