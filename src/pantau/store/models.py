"""SQLAlchemy 2 models of pantau's core domain.

Regions, agencies and users; sources and their mentions; issues, alerts and watchlists; the
quarantine for records that failed validation; and the append-only audit log. Migrations in
``pantau/store/migrations`` create exactly these tables (a test compares them).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    ColumnElement,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    and_,
)
from sqlalchemy import (
    text as sql_text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from pantau.store.types import UTCDateTime, utcnow

__all__ = [
    "AGENCY_LEVELS",
    "ROLES",
    "Agency",
    "AgencyRegion",
    "Alert",
    "AuditEntry",
    "Base",
    "Issue",
    "LoginFailure",
    "Mention",
    "Quarantine",
    "Region",
    "Source",
    "StageState",
    "User",
    "Watchlist",
]

AGENCY_LEVELS = ("provinsi", "kabupaten", "kota", "opd", "instansi_vertikal")
ROLES = ("admin", "koordinator", "analis", "pimpinan")

_NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=_NAMING)
    type_annotation_map = {datetime: UTCDateTime(), dict[str, Any]: JSON, list[Any]: JSON}


class Region(Base):
    """A Kemendagri region: province (1), kab/kota (2), kecamatan (3), desa/kelurahan (4)."""

    __tablename__ = "regions"
    code: Mapped[str] = mapped_column(String(16), primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    level: Mapped[int] = mapped_column(Integer, index=True)
    parent_code: Mapped[str | None] = mapped_column(String(16), index=True)


class Agency(Base):
    """A public-relations office: provincial/regency Diskominfo, an OPD or a vertical agency."""

    __tablename__ = "agencies"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    short_name: Mapped[str | None] = mapped_column(String(60))
    level: Mapped[str] = mapped_column(String(20))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("agencies.id"))
    region_code: Mapped[str | None] = mapped_column(ForeignKey("regions.code"))
    #: The province (tenant) it serves, a Kemendagri code; ``None`` for a national agency,
    #: whose people see every province (see :mod:`pantau.store.tenancy`).
    province: Mapped[str | None] = mapped_column(String(2), index=True)
    boilerplate: Mapped[str | None] = mapped_column(Text)
    # the letterhead (kop) on its releases and reports; the logo as cleaned PNG bytes
    letterhead_address: Mapped[str | None] = mapped_column(String(300))
    letterhead_phone: Mapped[str | None] = mapped_column(String(60))
    letterhead_web: Mapped[str | None] = mapped_column(String(200))
    logo_png: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    parent: Mapped[Agency | None] = relationship(remote_side="Agency.id")
    regions: Mapped[list[AgencyRegion]] = relationship(cascade="all, delete-orphan")


class AgencyRegion(Base):
    """A region an agency's mandate covers."""

    __tablename__ = "agency_regions"
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"), primary_key=True)
    region_code: Mapped[str] = mapped_column(ForeignKey("regions.code"), primary_key=True)


class User(Base):
    """A person who logs in; the role decides what they may do, the agency where."""

    __tablename__ = "users"
    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    full_name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(20))
    agency_id: Mapped[int | None] = mapped_column(ForeignKey("agencies.id"), index=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    locale: Mapped[str | None] = mapped_column(String(8))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_login_at: Mapped[datetime | None]

    agency: Mapped[Agency | None] = relationship()


class LoginFailure(Base):
    """One failed login, kept a day to throttle guessing per user name, address and device."""

    __tablename__ = "login_failures"
    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), index=True)
    address: Mapped[str] = mapped_column(String(64), index=True)
    device: Mapped[str | None] = mapped_column(String(64))  # known-device id, when one was shown
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)


class Source(Base):
    """Where mentions come from: a feed, a sitemap, an import, the push API, a complaint channel."""

    __tablename__ = "sources"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[str] = mapped_column(String(40))  # connector name in the registry
    url: Mapped[str | None] = mapped_column(Text)
    channel: Mapped[str] = mapped_column(String(20), default="news")
    outlet: Mapped[str | None] = mapped_column(String(200))
    outlet_tier: Mapped[str | None] = mapped_column(String(20))
    #: The province (tenant) whose posts it brings; ``None`` for a national source, whose posts
    #: each go to the province they name.
    province: Mapped[str | None] = mapped_column(String(2), index=True)
    config: Mapped[dict[str, Any]] = mapped_column(default=dict)
    state: Mapped[dict[str, Any]] = mapped_column(default=dict)  # ETag, Last-Modified, cursors
    interval_seconds: Mapped[int] = mapped_column(Integer, default=900)
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    api_token_hash: Mapped[str | None] = mapped_column(String(255))
    last_polled_at: Mapped[datetime | None]
    last_success_at: Mapped[datetime | None]
    last_item_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(Text)
    error_streak: Mapped[int] = mapped_column(Integer, default=0)
    health: Mapped[str] = mapped_column(String(20), default="unknown")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Mention(Base):
    """One piece of content: a news article, a post, a comment or a complaint."""

    __tablename__ = "mentions"
    __table_args__ = (
        UniqueConstraint("source_id", "external_id"),
        Index("ix_mentions_published", "published_at"),
        Index("ix_mentions_channel_published", "channel", "published_at"),
        Index("ix_mentions_issue_published", "issue_id", "published_at"),
        Index("ix_mentions_outlet_published", "outlet", "published_at"),
        Index("ix_mentions_pending", "analyzed_at", "id"),
        Index("ix_mentions_tenant_published", "tenant", "published_at"),
        # only the few mentions waiting for their province's owner are in it
        Index(
            "ix_mentions_cluster_pending",
            "tenant",
            "id",
            postgresql_where=sql_text("cluster_pending IS NOT NULL"),
            sqlite_where=sql_text("cluster_pending IS NOT NULL"),
        ),
    )
    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id"))
    external_id: Mapped[str] = mapped_column(String(255))
    url: Mapped[str | None] = mapped_column(Text)
    canonical_url: Mapped[str | None] = mapped_column(String(2048), index=True)
    author: Mapped[str | None] = mapped_column(String(255), index=True)
    author_followers: Mapped[int | None] = mapped_column(BigInteger)
    channel: Mapped[str] = mapped_column(String(20))
    platform: Mapped[str | None] = mapped_column(String(40))
    outlet: Mapped[str | None] = mapped_column(String(200))
    outlet_tier: Mapped[str | None] = mapped_column(String(20))
    published_at: Mapped[datetime | None]
    fetched_at: Mapped[datetime] = mapped_column(default=utcnow)
    title: Mapped[str | None] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text)
    likes: Mapped[int] = mapped_column(BigInteger, default=0)
    shares: Mapped[int] = mapped_column(BigInteger, default=0)
    comments: Mapped[int] = mapped_column(BigInteger, default=0)
    views: Mapped[int] = mapped_column(BigInteger, default=0)
    lang: Mapped[str | None] = mapped_column(String(8))
    #: The province (tenant) it belongs to: its source's on arrival, its place's once analyzed
    #: (:func:`pantau.store.tenancy.mention_tenant`); ``None`` is national.
    tenant: Mapped[str | None] = mapped_column(String(2))
    # filled by the text stage
    sentiment: Mapped[str | None] = mapped_column(String(10))
    sentiment_score: Mapped[float | None] = mapped_column(Float)
    #: Which tier read ``sentiment``: "fast" (every mention) or "precise" (the sentence encoder,
    #: for mentions of issues at stage emerging or hotter); ``None`` before it was recorded.
    sentiment_tier: Mapped[str | None] = mapped_column(String(10))
    #: The fast path's reading, kept beside a precise one that replaced it.
    sentiment_fast: Mapped[str | None] = mapped_column(String(10))
    sentiment_fast_score: Mapped[float | None] = mapped_column(Float)
    regions: Mapped[list[Any]] = mapped_column(default=list)
    watch: Mapped[list[Any]] = mapped_column(default=list)
    dup_of_id: Mapped[int | None] = mapped_column(ForeignKey("mentions.id"))
    coordinated: Mapped[bool] = mapped_column(Boolean, default=False)
    #: The text stage's noise kind ("judi", "iklan", ...), None for a genuine post.
    noise: Mapped[str | None] = mapped_column(String(20))
    analyzed_at: Mapped[datetime | None]
    #: Analyzed, waiting for its province's clustering owner (another worker than the text
    #: stage's, :mod:`pantau.flow.share`): ``True`` until clustered, else ``None``, never False.
    cluster_pending: Mapped[bool | None] = mapped_column(Boolean)
    # filled by the issues stage
    issue_id: Mapped[int | None] = mapped_column(ForeignKey("issues.id"))
    #: Placed by a person (moved, split off, or taken out as noise): the tracker follows it.
    placed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    extra: Mapped[dict[str, Any]] = mapped_column(default=dict)
    notes: Mapped[list[Any]] = mapped_column(default=list)

    source: Mapped[Source] = relationship()


class Issue(Base):
    """A cluster of mentions about one matter of public concern, followed over time."""

    __tablename__ = "issues"
    __table_args__ = (
        Index("ix_issues_risk", "risk"),
        Index("ix_issues_last_seen", "last_seen"),
        Index("ix_issues_tenant_last_seen", "tenant", "last_seen"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    #: The province (tenant) whose mentions it clusters: each tenant is clustered apart.
    tenant: Mapped[str | None] = mapped_column(String(2))
    key: Mapped[str | None] = mapped_column(String(64), unique=True)  # the tracker's own id
    label: Mapped[str] = mapped_column(Text)
    key_phrases: Mapped[list[Any]] = mapped_column(default=list)
    regions: Mapped[list[Any]] = mapped_column(default=list)
    channels: Mapped[dict[str, Any]] = mapped_column(default=dict)
    first_seen: Mapped[datetime | None]
    last_seen: Mapped[datetime | None]
    first_social_at: Mapped[datetime | None]
    first_news_at: Mapped[datetime | None]
    crossover: Mapped[bool] = mapped_column(Boolean, default=False)
    lead_time_seconds: Mapped[float | None] = mapped_column(Float)
    #: What every page, count, report and API shows: "crisis" while escalated, else the detector's.
    stage: Mapped[str] = mapped_column(String(20), default="potential")
    #: The stage the detector computed, kept apart so that ending an escalation restores it.
    detected_stage: Mapped[str | None] = mapped_column(String(20))
    escalated_at: Mapped[datetime | None]
    #: A person named the issue: the tracker's label no longer overwrites it.
    label_locked: Mapped[bool] = mapped_column(Boolean, default=False)
    #: Dismissed as noise or spam by a person: off every list, count and report, never alerted.
    dismissed_at: Mapped[datetime | None]
    dismissed_reason: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), default="baru")
    risk: Mapped[float] = mapped_column(Float, default=0.0)
    risk_components: Mapped[dict[str, Any]] = mapped_column(default=dict)
    size: Mapped[int] = mapped_column(Integer, default=0)
    sentiment_mix: Mapped[dict[str, Any]] = mapped_column(default=dict)
    summary: Mapped[dict[str, Any]] = mapped_column(default=dict)  # timeline, actors, engagement
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("issues.id"))
    agency_id: Mapped[int | None] = mapped_column(ForeignKey("agencies.id"), index=True)
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    agency: Mapped[Agency | None] = relationship()

    @classmethod
    def listed(cls) -> ColumnElement[bool]:
        """Issues that lists, counts and reports show: not merged away, not dismissed."""
        return and_(cls.merged_into_id.is_(None), cls.dismissed_at.is_(None))


class Alert(Base):
    """An issue raised by the detector (stage change, crossover, risk jump) with its reasons."""

    __tablename__ = "alerts"
    id: Mapped[int] = mapped_column(primary_key=True)
    issue_id: Mapped[int] = mapped_column(ForeignKey("issues.id"), index=True)
    kind: Mapped[str] = mapped_column(String(30))  # stage | crossover | risk | system
    stage: Mapped[str | None] = mapped_column(String(20))
    risk: Mapped[float] = mapped_column(Float, default=0.0)
    reasons: Mapped[list[Any]] = mapped_column(default=list)
    raised_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)


class Watchlist(Base):
    """An agency's boolean keyword query."""

    __tablename__ = "watchlists"
    __table_args__ = (UniqueConstraint("agency_id", "name"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"))
    name: Mapped[str] = mapped_column(String(120))
    query: Mapped[str] = mapped_column(Text)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Quarantine(Base):
    """A record that failed validation, kept with its reason, line and field until retried."""

    __tablename__ = "quarantine"
    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[int | None] = mapped_column(ForeignKey("sources.id"), index=True)
    origin: Mapped[str] = mapped_column(String(255))  # file name, feed URL, "api"
    line: Mapped[int | None] = mapped_column(Integer)
    field: Mapped[str | None] = mapped_column(String(120))
    reason: Mapped[str] = mapped_column(Text)
    payload: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    retried_at: Mapped[datetime | None]
    resolved: Mapped[bool] = mapped_column(Boolean, default=False)


class AuditEntry(Base):
    """One change, append-only: database triggers refuse UPDATE and DELETE on this table."""

    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(Integer)
    actor: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(60))
    object_type: Mapped[str] = mapped_column(String(40))
    object_id: Mapped[str | None] = mapped_column(String(64))
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON)


class StageState(Base):
    """The saved state of a streaming stage (the issue tracker), written with each batch."""

    __tablename__ = "stage_state"
    name: Mapped[str] = mapped_column(String(60), primary_key=True)
    state: Mapped[dict[str, Any]] = mapped_column(default=dict)
    position: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer, "sqlite"), default=0
    )  # last mention id processed
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
