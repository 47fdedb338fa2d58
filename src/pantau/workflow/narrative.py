"""The single narrative (Inpres 9/2015): one set of key messages per issue, shared by every office.

When several agencies handle one issue, the public hears one story only if every office says
the same few things. An issue's key messages start as its playbook's (the place filled in,
version 0, not stored); the lead agency (whoever may handle the issue) edits them into numbered
versions; every agency involved sees them on the issue page and is notified of each change; and
the writing desk puts them into every draft about the issue, whichever agency writes it
(:func:`pantau.writing.narrative.with_key_messages`).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pantau.store.audit import record_by
from pantau.store.learning_models import KeyMessageVersion
from pantau.store.models import Agency, Issue, User
from pantau.store.regions import region_name
from pantau.store.workflow_models import IssueAction, IssueComment
from pantau.workflow.following import agency_members, followers, notify
from pantau.workflow.permissions import Principal
from pantau.workflow.playbook_versions import current_playbooks
from pantau.workflow.playbooks import playbook_for
from pantau.workflow.statuses import WorkflowError, authorize_on, load_issue

__all__ = [
    "MAX_MESSAGE",
    "MAX_MESSAGES",
    "Narrative",
    "fill_place",
    "involved_agencies",
    "issue_place",
    "key_messages",
    "narrative_history",
    "save_key_messages",
    "shared_messages",
]

logger = logging.getLogger(__name__)

#: Key messages are few by definition: a spokesperson remembers three to five.
MAX_MESSAGES = 7
#: One message is one or two sentences a journalist can quote.
MAX_MESSAGE = 400
#: Placeholders in a playbook's messages; ``{lokasi}`` is the issue's place, the rest are left
#: for the officer to complete.
_PLACEHOLDER = re.compile(r"\{(\w+)\}")


@dataclass(frozen=True)
class Narrative:
    """One version of an issue's key messages (number 0: its playbook's, not yet edited)."""

    issue_id: int
    number: int
    messages: list[str]
    author: str | None = None
    agency: str | None = None
    note: str = ""
    created_at: datetime | None = None
    playbook: str | None = None  # the playbook that pre-filled version 0


def fill_place(message: str, where: str) -> str:
    """A playbook message with ``{lokasi}`` filled and other placeholders marked to complete.

    >>> fill_place("Posko di {lokasi} dibuka; hubungi {telepon}.", "Kota Samarinda")
    'Posko di Kota Samarinda dibuka; hubungi [lengkapi: telepon].'
    """
    return _PLACEHOLDER.sub(
        lambda m: where if m.group(1) == "lokasi" else f"[lengkapi: {m.group(1)}]", message
    )


def issue_place(issue: Issue) -> str:
    """The issue's places as a message names them (the first three kab/kota)."""
    codes = [r for r in issue.regions or [] if isinstance(r, dict) and r.get("code")]
    return ", ".join(region_name(str(r["code"])) for r in codes[:3]) or "wilayah terdampak"


def _view(row: KeyMessageVersion, agencies: dict[int, str]) -> Narrative:
    return Narrative(
        issue_id=row.issue_id,
        number=row.number,
        messages=[str(m) for m in row.messages],
        author=row.author,
        agency=agencies.get(row.agency_id) if row.agency_id else None,
        note=row.note,
        created_at=row.created_at,
    )


def _agencies(session: Session) -> dict[int, str]:
    return {a.id: a.short_name or a.name for a in session.scalars(select(Agency))}


def _prefilled(session: Session, issue: Issue) -> Narrative:
    heading = [issue.label or "", *map(str, issue.key_phrases or [])]
    book = playbook_for(heading, current_playbooks(session))
    if book is None:
        return Narrative(issue.id, 0, [])
    where = issue_place(issue)
    return Narrative(issue.id, 0, [fill_place(m, where) for m in book.key_messages], None, None,
                     "", None, book.key)  # fmt: skip


def key_messages(session: Session, issue_id: int) -> Narrative:
    """The key messages in force: the newest saved version, else the playbook's."""
    issue = load_issue(session, issue_id)
    row = session.scalar(
        select(KeyMessageVersion)
        .where(KeyMessageVersion.issue_id == issue_id)
        .order_by(KeyMessageVersion.number.desc())
        .limit(1)
    )
    return _view(row, _agencies(session)) if row is not None else _prefilled(session, issue)


def shared_messages(session: Session, issue_id: int | None) -> list[str]:
    """The key messages a draft about ``issue_id`` carries (none without an issue, or an unknown
    one: the desk refuses that itself, naming the field)."""
    if issue_id is None or session.get(Issue, issue_id) is None:
        return []
    return key_messages(session, issue_id).messages


def narrative_history(session: Session, issue_id: int) -> list[Narrative]:
    """Every saved version, newest first, ending with the playbook's version 0."""
    issue = load_issue(session, issue_id)
    agencies = _agencies(session)
    rows = session.scalars(
        select(KeyMessageVersion)
        .where(KeyMessageVersion.issue_id == issue_id)
        .order_by(KeyMessageVersion.number.desc())
    )
    return [*(_view(r, agencies) for r in rows), _prefilled(session, issue)]


def involved_agencies(session: Session, issue: Issue) -> set[int]:
    """Every office handling the issue: the lead agency and any that acted or commented on it."""
    acted = session.scalars(
        select(IssueAction.agency_id).where(
            IssueAction.issue_id == issue.id, IssueAction.agency_id.is_not(None)
        )
    )
    commented = session.scalars(
        select(IssueComment.agency_id).where(
            IssueComment.issue_id == issue.id, IssueComment.agency_id.is_not(None)
        )
    )
    lead = {issue.agency_id} if issue.agency_id else set()
    return lead | {int(a) for a in [*acted, *commented]}


def _clean(messages: Sequence[str]) -> list[str]:
    out = [" ".join(str(m).split()) for m in messages]
    out = [m for m in out if m]
    if not out:
        raise WorkflowError("messages", "isi minimal satu pesan kunci")
    if len(out) > MAX_MESSAGES:
        raise WorkflowError("messages", f"pesan kunci maksimal {MAX_MESSAGES}; pilih yang utama")
    for n, m in enumerate(out, start=1):
        if len(m) > MAX_MESSAGE:
            raise WorkflowError(
                "messages", f"pesan kunci ke-{n} terlalu panjang (maksimal {MAX_MESSAGE} karakter)"
            )
    return out


def save_key_messages(
    session: Session, principal: Principal, issue_id: int, messages: Sequence[str], note: str = ""
) -> Narrative:
    """A new version of the issue's key messages by the lead agency; every office involved and
    every follower is notified. Saving the messages in force again changes nothing."""
    issue = load_issue(session, issue_id)
    authorize_on(principal, "issue.handle", issue)
    cleaned = _clean(messages)
    current = key_messages(session, issue_id)
    if current.number and current.messages == cleaned:
        return current
    number = (
        session.scalar(
            select(func.max(KeyMessageVersion.number)).where(KeyMessageVersion.issue_id == issue_id)
        )
        or 0
    ) + 1
    user = session.get(User, principal.id)
    row = KeyMessageVersion(
        issue_id=issue_id,
        number=number,
        messages=cleaned,
        author_id=principal.id,
        author=(user.full_name if user else "") or principal.username,
        agency_id=principal.agency_id,
        note=(note or "").strip()[:500],
    )
    session.add(row)
    session.flush()
    record_by(
        session,
        principal,
        action="issue.key_messages",
        object_type="issue",
        object_id=issue_id,
        before={"version": current.number, "messages": current.messages},
        after={"version": number, "messages": cleaned},
    )
    people = [
        uid for a in sorted(involved_agencies(session, issue)) for uid in agency_members(session, a)
    ]
    notify(
        session,
        [*people, *followers(session, issue_id)],
        title=f"Pesan kunci isu #{issue_id} diperbarui (versi {number})",
        body="; ".join(cleaned)[:300],
        issue_id=issue_id,
        exclude=principal.id,
    )
    return _view(row, _agencies(session))
