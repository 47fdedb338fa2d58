"""A province's own playbooks: edits saved as numbered versions over the shipped ones.

The shipped YAML is version 0 of each category; :func:`save_playbook` validates an edited text
(the same parser, so a broken SOP is refused with the field named) and stores it as the next
version, audited; :func:`current_playbooks` is what every page, report and draft uses: the
newest version of each category, else the shipped one.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from importlib import resources

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pantau.store.audit import record_by
from pantau.store.playbook_models import PlaybookVersion
from pantau.workflow.permissions import Principal
from pantau.workflow.playbooks import Playbook, PlaybookError, load_playbooks, parse_playbook

__all__ = [
    "PlaybookVersionView",
    "current_playbooks",
    "current_text",
    "playbook_history",
    "save_playbook",
]

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class PlaybookVersionView:
    """One saved version of a playbook (0: as shipped)."""

    number: int
    author: str
    note: str
    created_at: datetime | None


def _latest(session: Session) -> dict[str, PlaybookVersion]:
    newest = (
        select(PlaybookVersion.key, func.max(PlaybookVersion.number).label("n"))
        .group_by(PlaybookVersion.key)
        .subquery()
    )
    rows = session.scalars(
        select(PlaybookVersion).join(
            newest,
            (newest.c.key == PlaybookVersion.key) & (newest.c.n == PlaybookVersion.number),
        )
    )
    return {r.key: r for r in rows}


def current_playbooks(session: Session) -> dict[str, Playbook]:
    """Every category's playbook as the province has it now (edited, else shipped)."""
    books = dict(load_playbooks())
    for key, row in _latest(session).items():
        books[key] = parse_playbook(row.text, f"{key} v{row.number}")
    return books


def current_text(session: Session, key: str) -> str:
    """The YAML of the playbook in use for ``key`` (for export and as the start of an edit)."""
    row = _latest(session).get(key)
    if row is not None:
        return row.text
    return resources.files("pantau.data").joinpath("playbooks", f"{key}.yaml").read_text("utf-8")


def playbook_history(session: Session, key: str) -> list[PlaybookVersionView]:
    """Versions of ``key``, newest first, ending with the shipped version 0."""
    rows = session.scalars(
        select(PlaybookVersion)
        .where(PlaybookVersion.key == key)
        .order_by(PlaybookVersion.number.desc())
    )
    shipped = PlaybookVersionView(0, "pantau", "versi bawaan", None)
    return [PlaybookVersionView(r.number, r.author, r.note, r.created_at) for r in rows] + [shipped]


def save_playbook(
    session: Session, principal: Principal, key: str, text: str, note: str = ""
) -> int:
    """Validate ``text`` as the playbook of ``key`` and save it as the next version."""
    principal.require("playbook.manage")
    if key not in load_playbooks():
        raise PlaybookError(f"{key}: no such category; one of {sorted(load_playbooks())}")
    book = parse_playbook(text, f"{key}.yaml")
    if book.key != key:
        raise PlaybookError(f"{key}.yaml: field 'key' is {book.key!r}, expected {key!r}")
    last = session.scalar(
        select(func.max(PlaybookVersion.number)).where(PlaybookVersion.key == key)
    )
    number = int(last or 0) + 1
    session.add(
        PlaybookVersion(
            key=key,
            number=number,
            text=text,
            author_id=principal.id,
            author=principal.username,
            note=note[:500],
        )
    )
    record_by(
        session,
        principal,
        action="playbook.edit",
        object_type="playbook",
        object_id=key,
        after={"version": number, "note": note[:500]},
    )
    logger.info("playbook %s saved as version %d by %s", key, number, principal.username)
    return number
