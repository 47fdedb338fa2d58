"""The connector plugin interface: what a source kind must provide to bring mentions in.

Two shapes exist. A :class:`PollingConnector` (RSS/Atom, sitemaps) is asked on a schedule for
what is new since its saved ``state``; a :class:`FileConnector` (platform exports, SP4N-LAPOR!,
mapped CSV/JSONL) turns one file into a stream of mentions and quarantine items, in file order.
Both are pure with respect to the store: they return records, the sink writes them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

from pantau.ingest.fetch import SafeFetcher
from pantau.records import MentionIn, QuarantineItem
from pantau.settings import Settings

__all__ = [
    "FileConnector",
    "ParsedItem",
    "PollContext",
    "PollResult",
    "PollingConnector",
    "RecordError",
    "SourceSpec",
]

ParsedItem = MentionIn | QuarantineItem


class RecordError(ValueError):
    """One record that cannot become a mention; ``field`` names the offending part."""

    def __init__(self, reason: str, field: str | None = None, payload: str = "") -> None:
        super().__init__(f"{field}: {reason}" if field else reason)
        self.reason = reason
        self.field = field
        self.payload = payload  # the raw text when the record could not even be decoded


@dataclass
class SourceSpec:
    """A configured source as connectors see it (a plain copy of the store's row)."""

    name: str
    kind: str
    url: str | None = None
    channel: str = "news"
    outlet: str | None = None
    outlet_tier: str | None = None
    config: dict[str, Any] = field(default_factory=dict)
    state: dict[str, Any] = field(default_factory=dict)


@dataclass
class PollContext:
    """What a poll may use: the safe fetcher, settings, the clock and the store's memory."""

    fetcher: SafeFetcher
    settings: Settings
    seen: Callable[[str], bool] = lambda _url: False  # canonical URL already stored?
    now: datetime = field(default_factory=lambda: datetime.now(UTC))
    #: Takes each mention as soon as it is read (the runner writes them in batches while a slow
    #: poll goes on); without it mentions are collected in ``PollResult.mentions``.
    emit: Callable[[MentionIn], None] | None = None


@dataclass
class PollResult:
    """What one poll brought: new mentions, quarantined records, the state to keep, any error."""

    mentions: list[MentionIn] = field(default_factory=list)
    quarantine: list[QuarantineItem] = field(default_factory=list)
    state: dict[str, Any] = field(default_factory=dict)
    error: str | None = None
    not_modified: bool = False
    notes: list[str] = field(default_factory=list)


@runtime_checkable
class PollingConnector(Protocol):
    """A source kind polled on a schedule (``kind = "poll"``)."""

    name: str
    kind: str

    def poll(self, source: SourceSpec, ctx: PollContext) -> PollResult:
        """Fetch what is new for ``source`` since ``source.state``."""
        ...


@runtime_checkable
class FileConnector(Protocol):
    """A source kind read from an export file (``kind = "file"``)."""

    name: str
    kind: str
    channel: str

    def parse(self, path: Path, options: dict[str, Any]) -> Iterator[ParsedItem]:
        """Yield one mention or quarantine item per record of ``path``, in file order."""
        ...

    def retry(self, payload: str, options: dict[str, Any]) -> Iterator[ParsedItem]:
        """Convert one quarantined payload again (after a fix in the file, mapping or code)."""
        ...
