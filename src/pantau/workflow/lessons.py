"""Lessons learned, structured: what worked, what did not, what to do next time.

An issue closes with its lessons (:func:`pantau.workflow.handling.set_status`); each item is
one row of ``issue_lessons``, so the case library searches them, the case brief prints them
under their heading, and the holding statement of the next similar issue quotes the best past
case's "next time" items first: they are the advice, the rest is its evidence. A free-text
note (the API's ``lessons`` field, a spreadsheet's ``pelajaran`` column, every note written
before lessons were structured) is kept as a ``note`` item and shown as it was written.

>>> learned = Lessons.from_text(worked="- posko dalam 1 jam\\n", next_time="templat siap")
>>> learned.quoted()
['Lain kali: templat siap', 'Berhasil: posko dalam 1 jam']
>>> learned.text()
'Berhasil: posko dalam 1 jam. Lain kali: templat siap.'
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from pantau.store.audit import record_by
from pantau.store.learning_models import IssueLesson
from pantau.store.types import utcnow
from pantau.workflow.permissions import Principal
from pantau.workflow.statuses import CLOSING_NOTE_MIN, WorkflowError, authorize_on, load_issue

__all__ = [
    "LESSON_KINDS",
    "MAX_ITEM",
    "Lessons",
    "add_lessons",
    "lessons_of",
    "record_lessons",
    "require_lessons",
]

logger = logging.getLogger(__name__)

#: The kinds of lesson with the heading each is shown under, in the order a case reads.
LESSON_KINDS: dict[str, str] = {
    "worked": "Yang berhasil",
    "failed": "Yang tidak berhasil",
    "next_time": "Lain kali",
    "note": "Catatan",
}
#: How a quoted item is introduced (a holding statement's note is one line of prose).
_QUOTE_PREFIX = {"worked": "Berhasil: ", "failed": "Tidak berhasil: ", "next_time": "Lain kali: "}
#: What a quote reads first: the advice for next time, then the evidence behind it.
QUOTE_ORDER = ("next_time", "worked", "failed", "note")
#: Longest single lesson: one or two sentences; a longer text belongs in a document.
MAX_ITEM = 1000
#: A list marker an officer types before an item ("- ", "* ", "1. ", "• ").
_MARKER = re.compile(r"^\s*(?:[-*•]|\d+[.)])\s+")


def _items(text: str) -> list[str]:
    """One lesson per non-empty line, list markers dropped."""
    return [_MARKER.sub("", line).strip() for line in (text or "").splitlines() if line.strip()]


@dataclass
class Lessons:
    """One issue's lessons, by kind."""

    worked: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    next_time: list[str] = field(default_factory=list)
    note: list[str] = field(default_factory=list)

    @classmethod
    def from_text(
        cls, *, worked: str = "", failed: str = "", next_time: str = "", note: str = ""
    ) -> Lessons:
        """Lessons typed in a form: one item per line of each box; a free note kept whole."""
        free = (note or "").strip()
        return cls(_items(worked), _items(failed), _items(next_time), [free] if free else [])

    def items(self, order: Sequence[str] = tuple(LESSON_KINDS)) -> list[tuple[str, str]]:
        """(kind, text) pairs in ``order`` of kinds."""
        return [(kind, text) for kind in order for text in getattr(self, kind)]

    def quoted(self) -> list[str]:
        """Every item as a line to quote, the "next time" items first."""
        return [_QUOTE_PREFIX.get(k, "") + t for k, t in self.items(QUOTE_ORDER)]

    def text(self) -> str:
        """The lessons as one paragraph (the action log's note); a lone note is unchanged."""
        parts = [
            _QUOTE_PREFIX[k] + "; ".join(getattr(self, k)).rstrip(".") + "."
            for k in ("worked", "failed", "next_time")
            if getattr(self, k)
        ]
        return " ".join([*parts, *self.note])

    def __bool__(self) -> bool:
        return any(getattr(self, k) for k in LESSON_KINDS)


def require_lessons(lessons: Lessons) -> None:
    """:class:`WorkflowError` unless the lessons say something and no item is too long."""
    for kind, text in lessons.items():
        if len(text) > MAX_ITEM:
            raise WorkflowError(
                kind, f"satu pelajaran maksimal {MAX_ITEM} karakter; pecah menjadi beberapa baris"
            )
    if sum(len(t) for _, t in lessons.items()) < CLOSING_NOTE_MIN:
        raise WorkflowError(
            "lessons",
            "menutup isu memerlukan pelajaran (yang berhasil, yang tidak, lain kali) minimal "
            f"{CLOSING_NOTE_MIN} karakter",
        )


def record_lessons(
    session: Session,
    issue_id: int,
    lessons: Lessons,
    *,
    principal: Principal | None = None,
    agency_id: int | None = None,
    at: datetime | None = None,
) -> list[IssueLesson]:
    """Store the items after those the issue already has (no permission check: callers did).

    ``principal`` is who wrote them (none for an imported case, whose ``agency_id`` and
    closing time ``at`` are given instead).
    """
    start = len(lessons_of(session, [issue_id]).get(issue_id, Lessons()).items())
    rows = [
        IssueLesson(
            issue_id=issue_id,
            kind=kind,
            position=start + n,
            text=text,
            user_id=principal.id if principal else None,
            agency_id=principal.agency_id if principal else agency_id,
            created_at=at or utcnow(),
        )
        for n, (kind, text) in enumerate(lessons.items())
    ]
    session.add_all(rows)
    session.flush()
    return rows


def add_lessons(session: Session, principal: Principal, issue_id: int, lessons: Lessons) -> Lessons:
    """Add lessons to a closed issue (what became clear after closing); all of them back."""
    issue = load_issue(session, issue_id)
    authorize_on(principal, "issue.close", issue)
    if issue.status != "selesai":
        raise WorkflowError("status", "pelajaran ditambahkan pada isu yang sudah selesai")
    require_lessons(lessons)
    rows = record_lessons(session, issue.id, lessons, principal=principal)
    record_by(
        session,
        principal,
        action="issue.lessons",
        object_type="issue",
        object_id=issue.id,
        after={"lesson_ids": [r.id for r in rows]},
    )
    return lessons_of(session, [issue.id])[issue.id]


def lessons_of(session: Session, ids: Iterable[int]) -> dict[int, Lessons]:
    """The lessons of each issue in ``ids`` that has any, items in the order written."""
    out: dict[int, Lessons] = {}
    wanted = list(ids)
    if not wanted:
        return out
    rows = session.execute(
        select(IssueLesson.issue_id, IssueLesson.kind, IssueLesson.text)
        .where(IssueLesson.issue_id.in_(wanted))
        .order_by(IssueLesson.issue_id, IssueLesson.position, IssueLesson.id)
    )
    for issue_id, kind, text in rows:
        if kind in LESSON_KINDS:
            getattr(out.setdefault(int(issue_id), Lessons()), kind).append(str(text))
    return out
