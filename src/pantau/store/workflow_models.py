"""Models of the alerts and workflow stages: routing rules, the outbox, notifications, claims.

Alerts: routing rules, endpoints (webhook URLs, Telegram groups), per-user alert preferences, the
dispatch record of each alert (deduplication) and the outbox of deliveries, unique per
(alert, recipient, channel) through ``key``. Workflow: the claim on an issue (one row per issue,
so two people can never hold it at once), comments, the typed action log and subscriptions.
Migration ``0003_workflow`` creates these tables, and ``0009_newsroom2_bounces`` the hard
bounces of deliveries.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from pantau.store.models import Base
from pantau.store.types import utcnow

__all__ = [
    "AlertDelivery",
    "AlertDispatch",
    "AlertEndpoint",
    "AlertPreference",
    "DeliveryBounce",
    "IssueAction",
    "IssueClaim",
    "IssueComment",
    "IssueCorrection",
    "MentionLabel",
    "Notification",
    "RoutingRule",
    "Subscription",
]


class RoutingRule(Base):
    """Which alerts go to whom over which channels; empty lists mean "any"."""

    __tablename__ = "routing_rules"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    min_risk: Mapped[float] = mapped_column(Float, default=0.0)
    stages: Mapped[list[Any]] = mapped_column(default=list)
    regions: Mapped[list[Any]] = mapped_column(default=list)  # region code prefixes
    watchlists: Mapped[list[Any]] = mapped_column(default=list)  # watchlist names
    mention_channels: Mapped[list[Any]] = mapped_column(default=list)  # news, social, ...
    crossover_only: Mapped[bool] = mapped_column(Boolean, default=False)
    audience: Mapped[str] = mapped_column(String(20), default="mandated")  # mandated|agency|all
    agency_id: Mapped[int | None] = mapped_column(ForeignKey("agencies.id"))
    roles: Mapped[list[Any]] = mapped_column(default=list)
    channels: Mapped[list[Any]] = mapped_column(default=list)  # email, telegram, inapp, ...
    endpoint_ids: Mapped[list[Any]] = mapped_column(default=list)
    crisis: Mapped[bool] = mapped_column(Boolean, default=False)  # overrides quiet hours
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class AlertEndpoint(Base):
    """A non-person recipient: a webhook URL (e.g. a WhatsApp gateway) or a Telegram group."""

    __tablename__ = "alert_endpoints"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    channel: Mapped[str] = mapped_column(String(30))
    address: Mapped[str] = mapped_column(Text)
    agency_id: Mapped[int | None] = mapped_column(ForeignKey("agencies.id"))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class AlertPreference(Base):
    """A user's alert settings: Telegram chat, addresses on plugin channels, the channels they
    want, digest instead of pushes."""

    __tablename__ = "alert_preferences"
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    telegram_chat_id: Mapped[str | None] = mapped_column(String(64))
    #: channel -> the user's address there, for channels added as plugins (checked by each)
    addresses: Mapped[dict[str, Any] | None] = mapped_column(default=dict)
    channels: Mapped[list[Any]] = mapped_column(default=list)  # empty: what the rules say
    digest_only: Mapped[bool] = mapped_column(Boolean, default=False)


class AlertDispatch(Base):
    """That an alert was routed; ``dedup_key`` is unique so an issue's stage alerts once."""

    __tablename__ = "alert_dispatch"
    alert_id: Mapped[int] = mapped_column(ForeignKey("alerts.id"), primary_key=True)
    issue_id: Mapped[int] = mapped_column(ForeignKey("issues.id"), index=True)
    dedup_key: Mapped[str | None] = mapped_column(String(120), unique=True)
    duplicate_of: Mapped[int | None] = mapped_column(Integer)
    recipients: Mapped[int] = mapped_column(Integer, default=0)
    routed_at: Mapped[datetime] = mapped_column(default=utcnow)


class AlertDelivery(Base):
    """One message in the outbox; ``key`` makes (alert, recipient, channel) unique forever."""

    __tablename__ = "alert_deliveries"
    __table_args__ = (
        Index("ix_alert_deliveries_due", "status", "next_attempt_at"),
        Index("ix_alert_deliveries_recipient", "recipient", "channel", "created_at"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(160), unique=True)
    kind: Mapped[str] = mapped_column(String(10), default="alert")  # alert | digest
    alert_id: Mapped[int | None] = mapped_column(ForeignKey("alerts.id"), index=True)
    issue_id: Mapped[int | None] = mapped_column(ForeignKey("issues.id"))
    recipient: Mapped[str] = mapped_column(String(40))  # user:5 | endpoint:2
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    channel: Mapped[str] = mapped_column(String(30))
    address: Mapped[str] = mapped_column(Text)
    subject: Mapped[str] = mapped_column(Text)
    body: Mapped[str] = mapped_column(Text)
    link: Mapped[str | None] = mapped_column(Text)
    payload: Mapped[dict[str, Any]] = mapped_column(default=dict)
    crisis: Mapped[bool] = mapped_column(Boolean, default=False)
    # pending -> sent | dead; held -> digested (into a digest delivery)
    status: Mapped[str] = mapped_column(String(12), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    lease_until: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(Text)
    digest_id: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None]


class Notification(Base):
    """An in-app notification in a user's notification centre."""

    __tablename__ = "notifications"
    __table_args__ = (Index("ix_notifications_user_read", "user_id", "read_at"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    issue_id: Mapped[int | None] = mapped_column(ForeignKey("issues.id"))
    delivery_id: Mapped[int | None] = mapped_column(Integer, unique=True)
    title: Mapped[str] = mapped_column(Text)
    body: Mapped[str] = mapped_column(Text, default="")
    link: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    read_at: Mapped[datetime | None]


class IssueClaim(Base):
    """Who is handling an issue right now; the primary key allows one holder per issue."""

    __tablename__ = "issue_claims"
    issue_id: Mapped[int] = mapped_column(ForeignKey("issues.id"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    agency_id: Mapped[int | None] = mapped_column(ForeignKey("agencies.id"))
    claimed_at: Mapped[datetime] = mapped_column(default=utcnow)


class IssueComment(Base):
    """A comment on an issue, internal to the author's agency or shared with the network."""

    __tablename__ = "issue_comments"
    id: Mapped[int] = mapped_column(primary_key=True)
    issue_id: Mapped[int] = mapped_column(ForeignKey("issues.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    agency_id: Mapped[int | None] = mapped_column(ForeignKey("agencies.id"))
    visibility: Mapped[str] = mapped_column(String(10), default="shared")
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class IssueAction(Base):
    """One entry of an issue's action log: a step of issue management and a typed action."""

    __tablename__ = "issue_actions"
    id: Mapped[int] = mapped_column(primary_key=True)
    issue_id: Mapped[int] = mapped_column(ForeignKey("issues.id"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    agency_id: Mapped[int | None] = mapped_column(ForeignKey("agencies.id"))
    step: Mapped[str] = mapped_column(String(20))
    kind: Mapped[str] = mapped_column(String(30))
    note: Mapped[str] = mapped_column(Text, default="")
    data: Mapped[dict[str, Any]] = mapped_column(default=dict)
    at: Mapped[datetime] = mapped_column(default=utcnow)


class Subscription(Base):
    """A user following an issue or a watchlist (in-app notifications on changes)."""

    __tablename__ = "subscriptions"
    __table_args__ = (UniqueConstraint("user_id", "issue_id", "watchlist_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    issue_id: Mapped[int | None] = mapped_column(ForeignKey("issues.id"))
    watchlist_id: Mapped[int | None] = mapped_column(ForeignKey("watchlists.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class IssueCorrection(Base):
    """A person's correction of the machine's grouping, queued for the issue tracker.

    The store changes at once (the pages show it); the live pipeline applies the row to its
    tracker before its next batch (``applied_at``), so new mentions follow the correction.
    """

    __tablename__ = "issue_corrections"
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))  # merge | regroup | dismiss | restore
    issue_id: Mapped[int] = mapped_column(ForeignKey("issues.id"), index=True)
    target_id: Mapped[int | None] = mapped_column(ForeignKey("issues.id"))
    data: Mapped[dict[str, Any]] = mapped_column(default=dict)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    at: Mapped[datetime] = mapped_column(default=utcnow)
    applied_at: Mapped[datetime | None]


class MentionLabel(Base):
    """An officer's correction of what the text stage read in a mention (sentiment, regions).

    Kept as labelled data: ``pantau labels export`` writes them out for retraining.
    """

    __tablename__ = "mention_labels"
    id: Mapped[int] = mapped_column(primary_key=True)
    mention_id: Mapped[int] = mapped_column(ForeignKey("mentions.id"), index=True)
    field: Mapped[str] = mapped_column(String(20))  # sentiment | regions
    value: Mapped[Any] = mapped_column(JSON, nullable=True)
    before: Mapped[Any] = mapped_column(JSON, nullable=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    at: Mapped[datetime] = mapped_column(default=utcnow)


class DeliveryBounce(Base):
    """A delivery whose address the receiving mail server refused for good (a hard bounce).

    Written when the server answers 5xx at sending (``source`` smtp) or when a delivery status
    notification comes back later (``source`` dsn); one per delivery, so reading the same
    notification twice adds nothing.
    """

    __tablename__ = "delivery_bounces"
    id: Mapped[int] = mapped_column(primary_key=True)
    delivery_id: Mapped[int] = mapped_column(ForeignKey("alert_deliveries.id"), unique=True)
    address: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20))  # enhanced status (5.1.1) or reply code (550)
    reason: Mapped[str] = mapped_column(Text, default="")
    source: Mapped[str] = mapped_column(String(10))  # smtp | dsn
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
