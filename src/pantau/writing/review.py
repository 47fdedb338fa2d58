"""Versions and the review flow of a draft: draf -> ditinjau -> disetujui -> diterbitkan.

Pure records and transitions; the web app stores them. Rules an editor relies on:

- every save is a new numbered version; nothing is overwritten;
- only a draft is edited; editing a text under review or approved sends it back to draft;
- a version with error-level findings cannot be approved;
- approving and publishing need a different person from the last author (four-eyes rule).

>>> from datetime import datetime
>>> at = datetime(2024, 9, 24, 9, 0)
>>> doc = Manuscript.start("siaran_pers", "Judul\\nSAMARINDA - ...", "rina", at, issue_id=7)
>>> doc = doc.transition(ReviewStatus.REVIEW, "rina", at)
>>> doc.status, doc.latest.number
(<ReviewStatus.REVIEW: 'ditinjau'>, 1)
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from enum import StrEnum

from pantau.writing.linter import lint
from pantau.writing.model import Severity

__all__ = ["TRANSITIONS", "Event", "Manuscript", "ReviewError", "ReviewStatus", "Version"]


class ReviewStatus(StrEnum):
    """Where a draft stands in the review flow."""

    DRAFT = "draf"
    REVIEW = "ditinjau"
    APPROVED = "disetujui"
    PUBLISHED = "diterbitkan"


#: Allowed moves; a published text is final (a correction is a new manuscript).
TRANSITIONS: dict[ReviewStatus, frozenset[ReviewStatus]] = {
    ReviewStatus.DRAFT: frozenset({ReviewStatus.REVIEW}),
    ReviewStatus.REVIEW: frozenset({ReviewStatus.DRAFT, ReviewStatus.APPROVED}),
    ReviewStatus.APPROVED: frozenset({ReviewStatus.DRAFT, ReviewStatus.PUBLISHED}),
    ReviewStatus.PUBLISHED: frozenset(),
}
#: Moves that need someone other than the author of the latest version.
_FOUR_EYES = frozenset({ReviewStatus.APPROVED, ReviewStatus.PUBLISHED})


class ReviewError(ValueError):
    """A move the review flow does not allow; the message says why in Indonesian."""


@dataclass(frozen=True)
class Version:
    """One saved text."""

    number: int
    text: str
    author: str
    created_at: datetime
    note: str = ""


@dataclass(frozen=True)
class Event:
    """One move in the review flow, kept for the audit trail."""

    status: ReviewStatus
    actor: str
    at: datetime
    note: str = ""


@dataclass(frozen=True)
class Manuscript:
    """A document under review: its kind, linked issue, versions and history."""

    kind: str
    versions: tuple[Version, ...]
    status: ReviewStatus = ReviewStatus.DRAFT
    issue_id: int | None = None
    history: tuple[Event, ...] = field(default_factory=tuple)

    @classmethod
    def start(
        cls, kind: str, text: str, author: str, at: datetime, *, issue_id: int | None = None
    ) -> Manuscript:
        """A new manuscript with its first version, in draft."""
        first = Version(1, text, author, at)
        return cls(
            kind, (first,), issue_id=issue_id, history=(Event(ReviewStatus.DRAFT, author, at),)
        )

    @property
    def latest(self) -> Version:
        """The newest version."""
        return self.versions[-1]

    def edit(self, text: str, author: str, at: datetime, note: str = "") -> Manuscript:
        """Save ``text`` as a new version; a text under review or approved returns to draft."""
        if self.status == ReviewStatus.PUBLISHED:
            raise ReviewError("Naskah yang sudah diterbitkan tidak dapat diubah; buat naskah baru.")
        if text == self.latest.text:
            return self
        version = Version(self.latest.number + 1, text, author, at, note)
        history = self.history
        if self.status != ReviewStatus.DRAFT:
            history += (Event(ReviewStatus.DRAFT, author, at, "diubah setelah diajukan"),)
        return replace(
            self, versions=(*self.versions, version), status=ReviewStatus.DRAFT, history=history
        )

    def transition(
        self, to: ReviewStatus, actor: str, at: datetime, note: str = "", *, timezone: str = ""
    ) -> Manuscript:
        """Move to ``to`` if the flow, the four-eyes rule and the linter allow it."""
        if to not in TRANSITIONS[self.status]:
            raise ReviewError(f"Status {self.status} tidak dapat berpindah ke {to}.")
        if to in _FOUR_EYES and actor == self.latest.author:
            raise ReviewError(f"{actor} menulis versi terakhir; persetujuan harus oleh orang lain.")
        if to == ReviewStatus.APPROVED:
            options = {"timezone": timezone} if timezone else {}
            errors = [
                f
                for f in lint(self.latest.text, kind=self.kind, **options)
                if f.severity == Severity.ERROR
            ]
            if errors:
                rules = ", ".join(sorted({f.rule for f in errors}))
                raise ReviewError(
                    f"Versi {self.latest.number} masih memiliki {len(errors)} galat ({rules}); "
                    "perbaiki sebelum disetujui."
                )
        return replace(self, status=to, history=(*self.history, Event(to, actor, at, note)))
