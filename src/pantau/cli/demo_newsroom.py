"""The demo's published releases: written, reviewed, approved and published the ordinary way.

``pantau demo`` composes each release of ``data/demo/releases.toml`` on the writing desk as a
demo editor, has the demo coordinator approve and publish it through
:func:`pantau.newsroom.publish`, so the public newsroom, its feed and the official channel show
the same checked, audited path as a person's clicks.
"""

from __future__ import annotations

import logging
import secrets
import tomllib
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pantau.newsroom import publish
from pantau.settings import Settings
from pantau.store import Agency, Database, Issue, Mention, User
from pantau.workflow.permissions import Principal
from pantau.workflow.users import create_user, principal_of
from pantau.writing import desk, example_fields

__all__ = ["publish_demo_releases"]

logger = logging.getLogger(__name__)

#: Prefix of the demo editors, one per agency (the coordinator approves: four eyes).
EDITOR_PREFIX = "redaksi.demo."
#: How long after an issue's latest mention the demo's agencies publish their answer.
RESPONSE_DELAY = timedelta(minutes=90)


def _issue(s: Session, words: str | list[str]) -> Issue | None:
    words = [words] if isinstance(words, str) else words
    issues = s.scalars(
        select(Issue).where(Issue.merged_into_id.is_(None)).order_by(Issue.risk.desc())
    )
    return next(
        (i for i in issues if any(w.lower() in (i.label or "").lower() for w in words)), None
    )


def _facts(spec: dict[str, Any], issue: Issue | None, agency: Agency) -> dict[str, Any]:
    # Only the press contact comes from the composer's example: every fact is the spec's own.
    facts = {"contact": example_fields(spec["kind"])["contact"], **spec}
    for key in ("match", "kind"):
        facts.pop(key)
    facts["agency"] = agency.name
    if agency.boilerplate:
        facts["boilerplate"] = agency.boilerplate
    moment = (issue.last_seen if issue else None) or datetime.now(UTC)
    facts["when"] = moment.isoformat()
    return facts


def _editor(s: Session, agency: Agency) -> Principal:
    """The agency's demo editor (made on first use), who writes and submits its releases."""
    username = f"{EDITOR_PREFIX}{agency.id}"
    user = s.scalar(select(User).where(User.username == username))
    if user is None:
        user = create_user(
            s,
            username=username,
            password=secrets.token_urlsafe(16),
            role="analis",
            full_name=f"Redaksi {agency.short_name or agency.name}",
            agency_id=agency.id,
            actor="demo",
        )
    return principal_of(user)


def publish_demo_releases(db: Database, settings: Settings, publisher: str, spec: Path) -> int:
    """Publish every release in ``spec``; returns how many were published."""
    releases = tomllib.loads(spec.read_text(encoding="utf-8"))["release"]
    with db.session() as s:
        user = s.scalar(select(User).where(User.username == publisher))
        if user is None:
            raise LookupError(f"demo user {publisher!r} missing")
        chief = principal_of(user)
    for item in releases:
        with db.writer() as s:
            issue = _issue(s, item["match"])
            agency = s.scalar(select(Agency).where(Agency.short_name == item["agency"]))
            if agency is None:
                raise LookupError(f"{spec.name}: agency {item['agency']!r} is not seeded")
            editor = _editor(s, agency)
            # The editor writes for their own agency; an issue of another agency stays unlinked.
            own_issue = issue if issue and issue.agency_id in (None, agency.id) else None
            doc = desk.create_document(
                s,
                editor,
                item["kind"],
                _facts(item, own_issue, agency),
                settings,
                issue_id=own_issue.id if own_issue else None,
            )
            desk.transition(s, editor, doc.id, "ditinjau", settings)
            desk.transition(s, chief, doc.id, "disetujui", settings)
            # Published in the demo's own time (soon after the issue's latest mention, never after
            # the sample's newest one), so the overview's window stays on the sample.
            newest = s.scalar(select(func.max(Mention.published_at))) or datetime.now(UTC)
            seen = own_issue.last_seen if own_issue and own_issue.last_seen else newest
            publish(s, chief, doc.id, settings, now=min(seen + RESPONSE_DELAY, newest))
    return len(releases)
