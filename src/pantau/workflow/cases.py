"""Past cases: closed issues like this one, with what was done, what was learned, and why alike.

Every issue closed with ``selesai`` carries a lessons-learned note (the closing rule) and an action
log (holding statements, press releases, field checks, meetings). When a new issue rises, the
officer's first question is "have we had this before, and what worked?". :func:`similar_cases`
answers it: closed issues ranked by :func:`pantau.workflow.case_match.rank` over their words
(label, key phrases and the first mentions' text), kab/kota, category and hours to news, each with
the reason it is offered (and how it ended: "respons cepat, sentimen membaik dalam 24 jam"),
its lessons, the actions taken and the documents written for it.

The candidates are the most recently closed :data:`CANDIDATES` issues; a province closes a few
hundred issues a year, so this is every case for years and two indexed queries.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pantau.store.models import Agency, Issue, Mention
from pantau.store.regions import kab_kota_of, region_name
from pantau.store.workflow_models import IssueAction
from pantau.store.writing_models import Document
from pantau.text import tokens
from pantau.workflow.case_match import PROFILE_MENTIONS, CaseProfile, bag, rank
from pantau.workflow.categories import categorize
from pantau.workflow.lessons import Lessons, lessons_of
from pantau.workflow.outcome import Outcome, outcomes
from pantau.workflow.statuses import ACTION_KINDS, load_issue

__all__ = ["Case", "issue_profiles", "similar_cases"]

logger = logging.getLogger(__name__)

#: Closed issues considered, newest first (years of a province's cases; one indexed query).
CANDIDATES = 2000
#: Characters of each mention's text read into a profile: the opening says what it is about,
#: and 2,000 cases x 20 mentions stays a few megabytes per page load.
PROFILE_CHARS = 300
#: Cases shown; more than five is a list nobody reads during an unfolding issue.
SHOWN = 5


@dataclass
class Case:
    """One closed issue offered as experience for the issue at hand."""

    issue_id: int
    label: str
    score: float
    shared: list[str]
    closed_at: datetime | None
    agency: str | None
    #: Why it is offered, in the officer's words: "sama-sama banjir di Samarinda, ...".
    reason: str = ""
    #: Every lesson as a line to quote, "next time" first; ``learned`` has them by kind.
    lessons: list[str] = field(default_factory=list)
    learned: Lessons = field(default_factory=Lessons)
    actions: list[tuple[str, int]] = field(default_factory=list)  # (action label, how many)
    documents: list[tuple[int, str, str, str]] = field(
        default_factory=list
    )  # id, kind, title, status


def _places(regions: Sequence[Any] | None) -> dict[str, str]:
    codes = (str(r.get("code") if isinstance(r, dict) else r) for r in regions or [])
    return {k: region_name(k) for k in map(kab_kota_of, codes) if k}


def _first_texts(session: Session, ids: Sequence[int]) -> dict[int, list[str]]:
    """The first :data:`PROFILE_MENTIONS` mentions' title and text of each issue in ``ids``."""
    order = func.row_number().over(
        partition_by=Mention.issue_id, order_by=(Mention.published_at, Mention.id)
    )
    ranked = (
        select(
            Mention.issue_id,
            Mention.title,
            func.substr(Mention.text, 1, PROFILE_CHARS).label("text"),
            order.label("n"),
        )
        .where(Mention.issue_id.in_(ids))
        .subquery()
    )
    out: dict[int, list[str]] = {}
    rows = session.execute(
        select(ranked.c.issue_id, ranked.c.title, ranked.c.text).where(
            ranked.c.n <= PROFILE_MENTIONS
        )
    )
    for issue_id, title, text in rows:
        out.setdefault(int(issue_id), []).append(f"{title or ''} {text or ''}")
    return out


def issue_profiles(session: Session, issues: Sequence[Issue]) -> list[CaseProfile]:
    """Each issue as :func:`rank` sees it: words, kab/kota, category and hours to news."""
    texts = _first_texts(session, [i.id for i in issues]) if issues else {}
    out = []
    for issue in issues:
        heading = [issue.label or "", *(str(p) for p in issue.key_phrases or [])]
        words = bag([*heading, *texts.get(issue.id, [])])
        hours = None
        if issue.first_news_at is not None and issue.first_seen is not None:
            hours = max(0.0, (issue.first_news_at - issue.first_seen).total_seconds() / 3600)
        category = categorize(tokens(" ".join([*heading, *texts.get(issue.id, [])])))
        out.append(CaseProfile(issue.id, words, _places(issue.regions), category, hours))
    return out


def similar_cases(session: Session, issue_id: int, limit: int = SHOWN) -> list[Case]:
    """Closed issues most like ``issue_id``, with why, their lessons, actions and documents."""
    issue = load_issue(session, issue_id)
    (mine,) = issue_profiles(session, [issue])
    if not mine.words and mine.category is None:
        return []
    closed = list(
        session.scalars(
            select(Issue)
            .where(Issue.status == "selesai", Issue.id != issue.id, Issue.listed())
            .order_by(Issue.updated_at.desc())
            .limit(CANDIDATES)
        )
    )
    matches = rank(mine, issue_profiles(session, closed), limit=limit)
    ended = outcomes(session, [m.key for m in matches])
    return [
        _case(session, m.key, m.score, m.shared_words, _with_outcome(m.reason, ended.get(m.key)))
        for m in matches
    ]


def _with_outcome(reason: str, outcome: Outcome | None) -> str:
    """The reason it is alike, then how it ended: "..., respons cepat, sentimen membaik"."""
    said = outcome.phrase() if outcome is not None else ""
    return ", ".join(p for p in (reason, said) if p)


def _case(session: Session, issue_id: int, score: float, shared: list[str], reason: str) -> Case:
    issue = session.get(Issue, issue_id)
    assert issue is not None  # selected a moment ago in the same session
    agency = session.get(Agency, issue.agency_id) if issue.agency_id else None
    actions = list(
        session.scalars(
            select(IssueAction)
            .where(IssueAction.issue_id == issue_id)
            .order_by(IssueAction.at, IssueAction.id)
        )
    )
    learned = lessons_of(session, [issue_id]).get(issue_id, Lessons())
    closed = [a.at for a in actions if a.kind == "pelajaran"]
    done = Counter(ACTION_KINDS[a.kind] for a in actions if a.kind in ACTION_KINDS)
    docs = session.execute(
        select(Document.id, Document.kind, Document.title, Document.status)
        .where(Document.issue_id == issue_id)
        .order_by(Document.id)
    ).all()
    return Case(
        issue_id=issue_id,
        label=issue.label or f"Isu #{issue_id}",
        score=round(score, 3),
        shared=shared,
        reason=reason,
        closed_at=closed[-1] if closed else issue.updated_at,
        agency=agency.name if agency else None,
        lessons=learned.quoted(),
        learned=learned,
        actions=sorted(done.items(), key=lambda kv: (-kv[1], kv[0])),
        documents=[(int(d.id), str(d.kind), str(d.title), str(d.status)) for d in docs],
    )
