"""Plain records of the writing desk: a finding of the linter and a composed draft."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

__all__ = ["KINDS", "NEWS_KINDS", "Draft", "Finding", "Severity"]

#: Document kinds the composer knows, each with a template file ``<kind>.j2``.
KINDS: tuple[str, ...] = (
    "siaran_pers",
    "holding_statement",
    "klarifikasi",
    "kontra_narasi",
    "undangan_peliputan",
)

#: Kinds written as news (headline, dateline, lead); the media advisory is a letter instead.
NEWS_KINDS: frozenset[str] = frozenset(KINDS) - {"undangan_peliputan"}


class Severity(StrEnum):
    """How much a finding matters: errors block approval, warnings and info advise."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


@dataclass(frozen=True)
class Finding:
    """One problem the linter found in a text, with character offsets ``[start, end)``.

    ``fix`` is the replacement text when the rule judges the change safe to apply without a
    person looking (``None`` otherwise); ``suggestion`` is what a person is shown.

    >>> f = Finding("eyd.rupiah", Severity.ERROR, 0, 3, "Tulis Rp tanpa spasi.", "Rp")
    >>> f.to_dict()["end"]
    3
    """

    rule: str
    severity: Severity
    start: int
    end: int
    message: str
    suggestion: str
    fix: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """The public JSON shape of ``pantau lint --format json`` (DESIGN.md contract)."""
        return {
            "rule": self.rule,
            "severity": str(self.severity),
            "start": self.start,
            "end": self.end,
            "message": self.message,
            "suggestion": self.suggestion,
        }


@dataclass(frozen=True)
class Draft:
    """A composed document: its kind, headline and full plain text (paragraph per line)."""

    kind: str
    headline: str
    text: str
    meta: dict[str, Any] = field(default_factory=dict)
