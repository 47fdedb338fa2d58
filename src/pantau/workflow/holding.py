"""A holding statement in minutes: the playbook's statement, filled with the issue's facts.

One action on the issue page composes a ``holding_statement`` draft in the writing desk: the
issue's category picks the playbook; the issue's shared key messages (the playbook's with the
place filled in, until the lead agency edits them) become the body; the issue's agency speaks;
the next update is promised :data:`NEXT_UPDATE_HOURS` from now; and the best similar past
case's lessons ride along as the first version's note ("next time" items first: they are the
advice), where the officer editing sees them. The draft is composed by the desk's own composer,
so it passes the writing linter as composed.
"""

from __future__ import annotations

import logging
import re
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from pantau.settings import Settings
from pantau.store.models import Agency, User
from pantau.store.regions import region_name
from pantau.store.types import utcnow
from pantau.workflow.cases import similar_cases
from pantau.workflow.narrative import issue_place, key_messages
from pantau.workflow.permissions import Principal
from pantau.workflow.playbook_versions import current_playbooks
from pantau.workflow.playbooks import Playbook, playbook_for
from pantau.workflow.statuses import WorkflowError, load_issue
from pantau.writing.desk import DocumentView, create_document

__all__ = ["NEXT_UPDATE_HOURS", "holding_fields", "prepare_holding_statement"]

logger = logging.getLogger(__name__)

#: The promised next update: within the golden hours an unanswered public fills the silence
#: with rumours, so the first update comes soon after the first statement.
NEXT_UPDATE_HOURS = 3
#: Words kept lower-case inside a title-cased headline (EYD V).
_SMALL_WORDS = {"dan", "di", "ke", "dari", "yang", "untuk"}


def _title_case(text: str) -> str:
    words = text.split()
    return " ".join(
        w if i and w in _SMALL_WORDS else w[:1].upper() + w[1:] for i, w in enumerate(words)
    )


def holding_fields(
    book: Playbook,
    *,
    messages: list[str],
    speaker: str,
    where: str,
    city: str,
    contact: dict[str, str],
    when: datetime,
    now: datetime,
) -> dict[str, Any]:
    """The composer's facts for the playbook's holding statement (see :mod:`writing.composer`);
    the body is the issue's key ``messages`` (its playbook's until the lead agency edits them)."""
    lead_agency = book.agencies.split(",")[0].strip() or "instansi terkait"
    topic = book.title.split(" (")[0].lower()
    return {
        "headline": _title_case(f"pemerintah tangani {topic} di {city}")[:120],
        "city": city,
        "who": speaker,
        "what": f"menangani {topic} bersama {lead_agency}",
        "when": when.isoformat(),
        "where": where,
        "details": messages,
        "next_update": (now + timedelta(hours=NEXT_UPDATE_HOURS)).isoformat(),
        "contact": contact,
    }


def prepare_holding_statement(
    session: Session, principal: Principal, issue_id: int, settings: Settings
) -> DocumentView:
    """Compose the issue's holding statement draft from its playbook; :class:`WorkflowError`
    when no playbook matches the issue's category."""
    issue = load_issue(session, issue_id)
    heading = [issue.label or "", *map(str, issue.key_phrases or [])]
    book = playbook_for(heading, current_playbooks(session))
    if book is None:
        raise WorkflowError(
            "issue", f"isu #{issue_id}: tidak ada playbook untuk kategorinya; tulis manual"
        )
    tz = ZoneInfo(settings.timezone)
    agency_id = issue.agency_id or principal.agency_id
    agency = session.get(Agency, agency_id) if agency_id else None
    user = session.get(User, principal.id)
    codes = [r for r in issue.regions or [] if isinstance(r, dict) and r.get("code")]
    where = issue_place(issue)
    seat = region_name(str(codes[0]["code"])) if codes else region_name(settings.province)
    city = re.sub(r"^(Kota|Kabupaten|Kab\.|Provinsi)\s+", "", seat).title()
    contact = {
        "name": (user.full_name if user else "") or principal.username,
        "position": "Pranata Humas",
    }
    if user is not None and user.email:
        contact["email"] = user.email
    now = utcnow()
    data = holding_fields(
        book,
        messages=key_messages(session, issue_id).messages,
        speaker=agency.name if agency else "Pemerintah Daerah",
        where=where,
        city=city,
        contact=contact,
        when=(issue.first_seen or now).astimezone(tz),
        now=now.astimezone(tz),
    )
    best = similar_cases(session, issue_id, limit=1)
    note = ""
    if best and best[0].lessons:
        quoted = "; ".join(line.rstrip(".;") for line in best[0].lessons)
        note = f"Pelajaran kasus serupa #{best[0].issue_id} ({best[0].label}): {quoted}."
    return create_document(
        session, principal, "holding_statement", data, settings, issue_id=issue_id, note=note
    )
