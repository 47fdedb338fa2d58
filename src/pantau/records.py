"""Plain typed records that the stages hand to each other (never ORM objects).

A :class:`MentionIn` is what every connector produces and the store accepts; the ``text`` stage
adds an :class:`Enrichment`; the ``issues`` stage reads both.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal, TypedDict

__all__ = [
    "CHANNELS",
    "UNSTORABLE",
    "Channel",
    "Enrichment",
    "MentionIn",
    "QuarantineItem",
    "RegionTag",
    "WatchHit",
    "scrub",
]

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


class RegionTag(TypedDict):
    """A region named in a text: its Kemendagri code and official name."""

    code: str
    name: str


class WatchHit(TypedDict):
    """A watchlist that matched a text, with the terms that did."""

    name: str
    terms: list[str]


@dataclass
class Enrichment:
    """What the ``text`` stage learns about one mention; :meth:`to_dict` is its ``pantau
    analyze`` line.

    >>> e = Enrichment("7", "id", "negative", 0.91, [{"code": "64.72", "name": "Kota Samarinda"}])
    >>> e.region_codes, e.to_dict()["sentiment"]
    (['64.72'], {'label': 'negative', 'score': 0.91})
    """

    id: str | int | None  # echoed as the input gave it
    lang: str
    sentiment: str  # positive | neutral | negative
    sentiment_score: float
    regions: list[RegionTag] = field(default_factory=list)
    watch: list[WatchHit] = field(default_factory=list)
    dup_of: str | None = None
    normalized: str = ""
    coordinated: str | None = None  # the copy-paste burst's group id
    noise: str | None = None  # None for a genuine post, else its kind: judi, iklan, loker, ...
    notes: list[str] = field(default_factory=list)  # what was done to the input (a text cut)
    sentiment_tier: str = "fast"  # which tier read ``sentiment``: fast | precise
    sentiment_fast: str | None = None  # the fast reading, kept when the precise tier read it
    sentiment_fast_score: float | None = None

    @property
    def region_codes(self) -> list[str]:
        return [r["code"] for r in self.regions]

    def to_dict(self) -> dict[str, Any]:
        """The DESIGN.md ``pantau analyze`` contract, keys in their documented order; ``notes``
        only when something was done to the input."""
        item: dict[str, Any] = {
            "id": self.id,
            "lang": self.lang,
            "sentiment": {"label": self.sentiment, "score": self.sentiment_score},
            "regions": self.regions,
            "watch": self.watch,
            "dup_of": self.dup_of,
            "normalized": self.normalized,
            "coordinated": self.coordinated,
            "noise": self.noise,
        }
        if self.notes:
            item["notes"] = self.notes
        if self.sentiment_tier != "fast":  # pantau analyze --precise
            item["sentiment_tier"] = self.sentiment_tier
            item["sentiment_fast"] = {
                "label": self.sentiment_fast,
                "score": self.sentiment_fast_score,
            }
        return item


@dataclass
class QuarantineItem:
    """A record that failed validation: kept with its reason and where it came from."""

    source: str
    reason: str
    payload: str
    line: int | None = None
    field: str | None = None


#: What no store can keep: C0 control characters but tab, newline and carriage return (PostgreSQL
#: refuses NUL in text and JSON; XML, hence DOCX, refuses them all), DEL, and lone UTF-16
#: surrogates (half an emoji from a cut JSON string; UTF-8 cannot encode them).
UNSTORABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]+")


def _space_or_nothing(match: re.Match[str]) -> str:
    return " " if any(c.isspace() for c in match.group()) else ""  # a vertical tab still parts


def scrub(value: Any) -> Any:
    """``value`` (a string, or lists and dicts of them) without :data:`UNSTORABLE` characters;
    the very same object when it holds none (so callers test ``is``, not a deep ``==``)."""
    if isinstance(value, str):
        return UNSTORABLE.sub(_space_or_nothing, value) if UNSTORABLE.search(value) else value
    if isinstance(value, list):
        items = [scrub(v) for v in value]
        return value if all(a is b for a, b in zip(items, value, strict=True)) else items
    if isinstance(value, dict):
        pairs = [(scrub(k), scrub(v)) for k, v in value.items()]
        same = all(k is a and v is b for (k, v), (a, b) in zip(pairs, value.items(), strict=True))
        return value if same else dict(pairs)
    return value
