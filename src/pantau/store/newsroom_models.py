"""Tables of the public newsroom: published releases, their versions, comments and pick-ups.

A :class:`Release` is the public face of an approved writing-desk document: its own slug,
publication time (a future one is an embargo), state and correction history. Every public
change is a new :class:`ReleaseVersion`; comments wait for moderation; pick-ups link the news
mentions that reproduce a release. A :class:`PressEvent` is a press conference the agency
invites its media lists to; each :class:`PressInvitation` holds one journalist's answer.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from pantau.store.models import Base
from pantau.store.types import utcnow

__all__ = [
    "MediaContact",
    "MediaList",
    "MediaListMember",
    "PressEvent",
    "PressInvitation",
    "Release",
    "ReleaseComment",
    "ReleasePhoto",
    "ReleasePickup",
    "ReleaseVersion",
]

_MENTION_ID = BigInteger().with_variant(Integer, "sqlite")


class Release(Base):
    """A published (or scheduled, or withdrawn) release of one document."""

    __tablename__ = "releases"
    __table_args__ = (Index("ix_releases_state_published", "state", "published_at"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"), unique=True)
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    state: Mapped[str] = mapped_column(String(20))  # terbit | ditarik
    category: Mapped[str] = mapped_column(String(30), index=True)
    agency_id: Mapped[int | None] = mapped_column(ForeignKey("agencies.id"), index=True)
    issue_id: Mapped[int | None] = mapped_column(ForeignKey("issues.id"), index=True)
    title: Mapped[str] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text)
    city: Mapped[str] = mapped_column(String(80), default="")
    published_at: Mapped[datetime]  # in the future: under embargo until then
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    correction: Mapped[str] = mapped_column(Text, default="")
    withdrawn_reason: Mapped[str] = mapped_column(Text, default="")
    mention_id: Mapped[int | None] = mapped_column(_MENTION_ID, ForeignKey("mentions.id"))


class ReleaseVersion(Base):
    """One public text of a release: the first publication, then each correction."""

    __tablename__ = "release_versions"
    __table_args__ = (UniqueConstraint("release_id", "number"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    release_id: Mapped[int] = mapped_column(ForeignKey("releases.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text)
    note: Mapped[str] = mapped_column(Text, default="")
    actor: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ReleaseComment(Base):
    """A citizen's comment (held until a moderator approves it) or the agency's official reply."""

    __tablename__ = "release_comments"
    __table_args__ = (
        Index("ix_release_comments_release_status", "release_id", "status"),
        Index("ix_release_comments_address_at", "address", "created_at"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    release_id: Mapped[int] = mapped_column(ForeignKey("releases.id"))
    name: Mapped[str] = mapped_column(String(80))
    text: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20))  # menunggu | ditahan | tampil | ditolak
    reason: Mapped[str] = mapped_column(String(200), default="")
    official: Mapped[bool] = mapped_column(Boolean, default=False)
    reply_to_id: Mapped[int | None] = mapped_column(ForeignKey("release_comments.id"))
    address: Mapped[str] = mapped_column(String(64))  # keyed hash of the client address
    moderator: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ReleasePickup(Base):
    """A news mention that reproduces a release: how much of it, and how soon."""

    __tablename__ = "release_pickups"
    __table_args__ = (UniqueConstraint("release_id", "mention_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    release_id: Mapped[int] = mapped_column(ForeignKey("releases.id"), index=True)
    mention_id: Mapped[int] = mapped_column(_MENTION_ID, ForeignKey("mentions.id"))
    outlet: Mapped[str] = mapped_column(String(200))
    containment: Mapped[float] = mapped_column(Float)  # share of the release's shingles carried
    changed: Mapped[float] = mapped_column(Float)  # share of the article not from the release
    lag_seconds: Mapped[float | None] = mapped_column(Float)
    found_at: Mapped[datetime] = mapped_column(default=utcnow)


class MediaContact(Base):
    """A journalist or newsroom an agency sends releases to, kept only with their consent."""

    __tablename__ = "media_contacts"
    __table_args__ = (UniqueConstraint("agency_id", "email"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    agency_id: Mapped[int | None] = mapped_column(ForeignKey("agencies.id"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    outlet: Mapped[str] = mapped_column(String(200))
    beat: Mapped[str] = mapped_column(String(120), default="")
    region: Mapped[str] = mapped_column(String(120), default="")
    email: Mapped[str] = mapped_column(String(200))
    phone: Mapped[str] = mapped_column(String(40), default="")
    preferred_channel: Mapped[str] = mapped_column(String(20), default="email")
    consent_at: Mapped[datetime]  # when they agreed to receive releases (none: not stored)
    consent_note: Mapped[str] = mapped_column(String(300), default="")
    unsubscribed_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class MediaList(Base):
    """An agency's distribution list (for example "Media Samarinda" or "Desk ekonomi")."""

    __tablename__ = "media_lists"
    __table_args__ = (UniqueConstraint("agency_id", "name"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    agency_id: Mapped[int | None] = mapped_column(ForeignKey("agencies.id"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class MediaListMember(Base):
    """A contact on a list."""

    __tablename__ = "media_list_members"
    list_id: Mapped[int] = mapped_column(ForeignKey("media_lists.id"), primary_key=True)
    contact_id: Mapped[int] = mapped_column(ForeignKey("media_contacts.id"), primary_key=True)


class ReleasePhoto(Base):
    """A photo published with a release: re-encoded JPEG (resized, no EXIF) and its alt text."""

    __tablename__ = "release_photos"
    id: Mapped[int] = mapped_column(primary_key=True)
    release_id: Mapped[int] = mapped_column(ForeignKey("releases.id"), index=True)
    data: Mapped[bytes] = mapped_column(LargeBinary)
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    alt: Mapped[str] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class PressEvent(Base):
    """A press conference: when, where, what about, who speaks, and its invitation text."""

    __tablename__ = "press_events"
    __table_args__ = (Index("ix_press_events_agency_starts", "agency_id", "starts_at"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    agency_id: Mapped[int | None] = mapped_column(ForeignKey("agencies.id"))
    issue_id: Mapped[int | None] = mapped_column(ForeignKey("issues.id"))
    headline: Mapped[str] = mapped_column(String(300))
    topic: Mapped[str] = mapped_column(Text)
    starts_at: Mapped[datetime] = mapped_column(index=True)
    place: Mapped[str] = mapped_column(String(300))
    speakers: Mapped[str] = mapped_column(Text, default="")  # one a line
    text: Mapped[str] = mapped_column(Text)  # the composed undangan peliputan
    created_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class PressInvitation(Base):
    """One contact invited to a press conference, and their answer (empty until they give it)."""

    __tablename__ = "press_invitations"
    __table_args__ = (UniqueConstraint("event_id", "contact_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("press_events.id"), index=True)
    contact_id: Mapped[int] = mapped_column(ForeignKey("media_contacts.id"))
    answer: Mapped[str] = mapped_column(String(20), default="")  # hadir | tidak_hadir | wakil
    delegate: Mapped[str] = mapped_column(String(120), default="")  # who comes instead (wakil)
    invited_at: Mapped[datetime] = mapped_column(default=utcnow)
    answered_at: Mapped[datetime | None]
    reminded_at: Mapped[datetime | None]
