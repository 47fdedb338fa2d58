"""Plain records the ``issues`` stage reads and writes: mentions in, assignments and alerts out.

>>> from datetime import datetime, timezone
>>> m = Mention.from_dict({"id": "1", "text": "Jalan", "published_at": "2025-01-02T03:04:05Z"})
>>> m.published_at == datetime(2025, 1, 2, 3, 4, 5, tzinfo=timezone.utc)
True
>>> m.channel
'social'
"""

from __future__ import annotations

import logging
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import Any, Protocol

from pantau.issues.features import has_link
from pantau.records import Enrichment

__all__ = ["Alert", "Assignment", "Mention", "MentionError", "StoredMention", "parse_time"]

logger = logging.getLogger(__name__)

#: Channels known to the project (see DESIGN.md); anything else is read as ``social``.
KNOWN_CHANNELS = frozenset({"news", "social", "complaint", "official"})


class MentionError(ValueError):
    """A stream record cannot be used; the message names the field and what to do."""


def parse_time(raw: Any) -> datetime | None:
    """Read an ISO 8601 time (``Z`` allowed) or a datetime as an aware UTC datetime."""
    if raw is None or raw == "":
        return None
    if isinstance(raw, datetime):
        value = raw
    elif isinstance(raw, str):
        try:
            value = datetime.fromisoformat(raw.strip().replace("Z", "+00:00"))
        except ValueError as exc:
            raise MentionError(
                f"published_at {raw!r} bukan waktu ISO 8601 (contoh 2025-01-31T08:00:00Z)"
            ) from exc
    else:
        raise MentionError(f"published_at harus teks ISO 8601, bukan {type(raw).__name__}")
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def _int(raw: Any, name: str) -> int:
    if raw is None or raw == "":
        return 0
    try:
        return int(raw)
    except (TypeError, ValueError) as exc:
        raise MentionError(f"{name} harus bilangan bulat, bukan {raw!r}") from exc


def _noise(data: dict[str, Any], text: str) -> str | None:
    """The record's noise kind. A record that was never analyzed (no ``noise`` key at all) is
    checked for the one kind that needs no language, a check-in app's template: the other kinds
    are Indonesian vocabulary, read with the analyzer's record (on an English headline "halo" is
    a game, not a greeting), so a replayed raw stream in any language meets only that rule."""
    if "noise" not in data:
        # imported here: the issues stage does not load the text stage (scipy, the models) unless
        # a raw line needs it
        from pantau.text.noise import is_checkin

        return "checkin" if is_checkin(text) else None
    return str(data["noise"]) if data["noise"] else None


@dataclass
class Mention:
    """One mention as the tracker sees it; enrichment fields are optional and used when present."""

    id: str
    text: str
    published_at: datetime | None = None
    channel: str = "social"
    title: str | None = None
    author: str | None = None
    author_followers: int = 0
    outlet: str | None = None
    likes: int = 0
    shares: int = 0
    comments: int = 0
    views: int = 0
    normalized: str | None = None
    sentiment: str | None = None  # positive | neutral | negative
    sentiment_score: float | None = None
    regions: list[str] = field(default_factory=list)
    #: Names of the region codes when the analyzer gave them (``{code: name}``), for titles.
    region_names: dict[str, str] = field(default_factory=dict)
    coordinated: bool | None = None
    dup_of: str | None = None
    #: ``None`` for a genuine post, else the analyzer's kind of noise ("judi", "iklan", "loker",
    #: "sapaan", "obrolan"): such a post never joins or opens an issue.
    noise: str | None = None

    @property
    def linked(self) -> bool:
        """Whether the text carries a link: posts that report an event share sources."""
        return has_link(self.text)

    @property
    def engagement(self) -> int:
        """Likes, shares and comments together (views are reach, not engagement)."""
        return self.likes + self.shares + self.comments

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Mention:
        """Build from a JSON object (the ``pantau replay`` line format); raises MentionError."""
        if not isinstance(data, dict):
            raise MentionError("baris harus berupa objek JSON")
        text = data.get("text")
        if not isinstance(text, str) or not text.strip():
            raise MentionError("field 'text' wajib diisi dengan teks")
        if data.get("id") in (None, ""):
            raise MentionError("field 'id' wajib diisi")
        channel = str(data.get("channel") or "social").lower()
        if channel not in KNOWN_CHANNELS:
            channel = "social"
        sentiment = data.get("sentiment")
        score = data.get("sentiment_score")
        if isinstance(sentiment, dict):
            score = sentiment.get("score")
            sentiment = sentiment.get("label")
        regions = data.get("regions") or []
        codes = [str(r.get("code", "")) if isinstance(r, dict) else str(r) for r in regions]
        names = {
            str(r["code"]): str(r["name"])
            for r in regions
            if isinstance(r, dict) and r.get("code") and r.get("name")
        }
        return cls(
            id=str(data["id"]),
            text=text,
            published_at=parse_time(data.get("published_at")),
            channel=channel,
            title=data.get("title") or None,
            author=data.get("author") or None,
            author_followers=_int(data.get("author_followers"), "author_followers"),
            outlet=data.get("outlet") or None,
            likes=_int(data.get("likes"), "likes"),
            shares=_int(data.get("shares", data.get("retweets")), "shares"),
            comments=_int(data.get("comments", data.get("replies")), "comments"),
            views=_int(data.get("views"), "views"),
            normalized=data.get("normalized") or None,
            sentiment=str(sentiment) if sentiment else None,
            sentiment_score=float(score) if score is not None else None,
            regions=[c for c in codes if c],
            region_names=names,
            coordinated=data.get("coordinated"),
            dup_of=data.get("dup_of") or None,
            noise=_noise(data, text),
        )

    @classmethod
    def enriched(cls, stored: StoredMention, enrichment: Enrichment) -> Mention:
        """The tracker's record of a stored mention and what the ``text`` stage learned of it:
        the one place where the two meet, so a new field is added here and nowhere else."""
        return cls(
            id=str(stored.id),
            text=stored.text,
            published_at=stored.published_at,
            channel=stored.channel,
            title=stored.title,
            author=stored.author,
            author_followers=stored.author_followers or 0,
            outlet=stored.outlet,
            likes=stored.likes,
            shares=stored.shares,
            comments=stored.comments,
            views=stored.views,
            normalized=enrichment.normalized,
            sentiment=enrichment.sentiment,
            sentiment_score=enrichment.sentiment_score,
            regions=enrichment.region_codes,
            region_names={r["code"]: r["name"] for r in enrichment.regions if r.get("name")},
            coordinated=bool(enrichment.coordinated),
            dup_of=enrichment.dup_of,
            noise=enrichment.noise,
        )


class StoredMention(Protocol):
    """What the tracker reads of a stored mention (the store's row satisfies it)."""

    @property
    def id(self) -> int: ...
    @property
    def text(self) -> str: ...
    @property
    def published_at(self) -> datetime | None: ...
    @property
    def channel(self) -> str: ...
    @property
    def title(self) -> str | None: ...
    @property
    def author(self) -> str | None: ...
    @property
    def author_followers(self) -> int | None: ...
    @property
    def outlet(self) -> str | None: ...
    @property
    def likes(self) -> int: ...
    @property
    def shares(self) -> int: ...
    @property
    def comments(self) -> int: ...
    @property
    def views(self) -> int: ...


@dataclass(frozen=True)
class Assignment:
    """Where one mention went: its issue (``None`` for a noise post, which joins none), and
    whether that issue was opened by it."""

    id: str
    issue: str | None
    new_issue: bool
    score: float

    def to_dict(self) -> dict[str, Any]:
        """The ``{id, issue}`` line of the replay contract."""
        return {"id": self.id, "issue": self.issue}


@dataclass
class Alert:
    """An issue raised to people: its stage, risk score, and the reasons in words and numbers."""

    issue: str
    raised_at: datetime
    stage: str
    risk: float
    reasons: list[dict[str, Any]]
    first_seen: datetime
    size: int
    kind: str = "stage"  # "stage" (lifecycle step up) or "crossover"
    label: str = ""  # the issue's most representative post or headline, as written
    title: str = ""  # its short readable title (see :mod:`pantau.issues.titles`)

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe form with ISO 8601 times, as ``pantau replay --alerts`` writes it."""
        out = asdict(self)
        out["raised_at"] = self.raised_at.isoformat()
        out["first_seen"] = self.first_seen.isoformat()
        return out
