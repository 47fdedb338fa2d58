"""Plain typed records that the stages hand to each other (never ORM objects).

A :class:`MentionIn` is what every connector produces and the store accepts; the ``text`` stage
adds an :class:`Enrichment`; the ``issues`` stage reads both.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

__all__ = ["CHANNELS", "Channel", "Enrichment", "MentionIn", "QuarantineItem"]

Channel = Literal["news", "social", "complaint", "official"]
CHANNELS: tuple[str, ...] = ("news", "social", "complaint", "official")


@dataclass
class MentionIn:
    """One mention as a connector delivers it, before enrichment.

    ``published_at`` and ``fetched_at`` are timezone-aware UTC datetimes.
    """

    external_id: str
    text: str
    channel: str = "social"
    url: str | None = None
    title: str | None = None
    author: str | None = None
    author_followers: int | None = None
    outlet: str | None = None
    outlet_tier: str | None = None  # "national" | "local"
    published_at: datetime | None = None
    fetched_at: datetime | None = None
    likes: int = 0
    shares: int = 0
    comments: int = 0
    views: int = 0
    lang: str | None = None
    platform: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)  # e.g. "text cut at 100000 characters"


@dataclass
class Enrichment:
    """What the ``text`` stage learns about a mention."""

    lang: str
    sentiment: str  # positive | neutral | negative
    sentiment_score: float
    regions: list[str] = field(default_factory=list)  # Kemendagri codes
    watch: list[str] = field(default_factory=list)
    dup_of: str | None = None
    normalized: str = ""


@dataclass
class QuarantineItem:
    """A record that failed validation: kept with its reason and where it came from."""

    source: str
    reason: str
    payload: str
    line: int | None = None
    field: str | None = None
