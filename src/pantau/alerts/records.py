"""Plain records the alert stage exchanges: events, people, mandates, rules, targets, messages.

The store is read at the edge (:mod:`pantau.alerts.dispatch`) into these records; routing and
policy are pure functions of them, so they can be tested and replayed without a database.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

__all__ = ["AlertEvent", "Endpoint", "Mandate", "OutMessage", "Person", "Rule", "Target"]


@dataclass(frozen=True)
class AlertEvent:
    """An alert raised on an issue, with what routing needs to know about the issue."""

    alert_id: int
    issue_id: int
    kind: str  # stage | crossover | risk | escalation | system
    stage: str | None
    risk: float
    label: str
    raised_at: datetime
    reasons: tuple[dict[str, Any], ...] = ()
    regions: tuple[str, ...] = ()  # Kemendagri codes
    watchlists: tuple[str, ...] = ()  # watchlist names matched by the issue's mentions
    mention_channels: tuple[str, ...] = ()
    crossover: bool = False
    agency_id: int | None = None  # the agency the issue is assigned to
    tenant: str | None = None  # the issue's province (None: national), see pantau.store.tenancy


@dataclass(frozen=True)
class Person:
    """A user who can receive alerts, with addresses and preferences."""

    id: int
    username: str
    full_name: str
    role: str
    agency_id: int | None
    email: str | None = None
    telegram_chat_id: str | None = None
    channels: tuple[str, ...] = ()  # empty: whatever the rules say
    digest_only: bool = False
    #: The user's addresses on channels added as plugins, by channel name.
    addresses: Mapping[str, str] = field(default_factory=dict)
    #: The province whose alerts the user may receive; None for a national user (all of them).
    province: str | None = None


@dataclass(frozen=True)
class Endpoint:
    """A non-person recipient: a webhook URL or a Telegram group."""

    id: int
    name: str
    channel: str
    address: str
    agency_id: int | None = None
    #: Its agency's province: it hears of that province's issues only; None for all of them.
    province: str | None = None


@dataclass(frozen=True)
class Mandate:
    """What an agency is responsible for: region code prefixes and its watchlists."""

    agency_id: int
    level: str
    regions: tuple[str, ...] = ()
    watchlists: tuple[str, ...] = ()


@dataclass(frozen=True)
class Rule:
    """A routing rule: conditions on the alert, then an audience and channels (empty = any)."""

    name: str
    min_risk: float = 0.0
    stages: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    watchlists: tuple[str, ...] = ()
    mention_channels: tuple[str, ...] = ()
    crossover_only: bool = False
    audience: str = "mandated"  # mandated | agency | all
    agency_id: int | None = None
    roles: tuple[str, ...] = ()
    channels: tuple[str, ...] = ("inapp",)
    endpoint_ids: tuple[int, ...] = ()
    crisis: bool = False


@dataclass(frozen=True)
class Target:
    """One (recipient, channel) an alert goes to."""

    recipient: str  # user:5 | endpoint:2
    channel: str
    address: str
    user_id: int | None = None
    crisis: bool = False
    digest_only: bool = False


@dataclass
class OutMessage:
    """What a channel sends: subject, text, link and a JSON payload for machines."""

    key: str  # the delivery's unique key, also an idempotency key for receivers
    subject: str
    body: str
    link: str | None = None
    payload: dict[str, Any] = field(default_factory=dict)
    user_id: int | None = None
    issue_id: int | None = None
    delivery_id: int | None = None
