"""The case library: every closed issue as a case to browse, search and read in full.

A case is an issue closed with ``selesai`` (so it carries a lessons-learned note). The library
answers two questions: which cases match a search (:func:`search_cases`: words, category,
kab/kota, agency, year) and what happened in one case (:func:`case_detail`: its timeline,
volumes, regions and crossover; the actions taken and the documents written with their
versions; how it ended; the lessons). Both return plain records; the web layer only renders them.
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pantau.store.models import Agency, Issue
from pantau.store.regions import kab_kota_of
from pantau.store.workflow_models import IssueAction
from pantau.store.writing_models import Document, DocumentVersion
from pantau.text import tokens
from pantau.workflow.case_match import bag
from pantau.workflow.categories import categorize, category_label
from pantau.workflow.lessons import Lessons, lessons_of
from pantau.workflow.outcome import Outcome, outcomes
from pantau.workflow.statuses import ACTION_KINDS, SYSTEM_KINDS, IssueNotFound

__all__ = [
    "CaseAction",
    "CaseDetail",
    "CaseDocument",
    "CaseQuery",
    "CaseSummary",
    "case_detail",
    "search_cases",
]

logger = logging.getLogger(__name__)

#: Closed issues a search looks through, newest first: a province closes a few hundred a year.
SEARCH_WINDOW = 5000


@dataclass(frozen=True)
class CaseQuery:
    """A search of the library; every field left empty matches every case."""

    q: str = ""
    category: str | None = None
    region: str | None = None  # a kab/kota code, "64.72"
    agency_id: int | None = None
    year: int | None = None
    limit: int = 50
    offset: int = 0


@dataclass(frozen=True)
class CaseSummary:
    """One case in a list: enough to pick it."""

    id: int
    label: str
    category: str | None
    category_label: str | None
    agency: str | None
    regions: list[str]
    first_seen: datetime | None
    closed_at: datetime | None
    size: int
    crossover: bool
    #: Every lesson as a line to quote, "next time" first; ``learned`` has them by kind.
    lessons: list[str]
    learned: Lessons


@dataclass(frozen=True)
class CaseAction:
    """One entry of what was done."""

    at: datetime
    kind: str
    label: str
    note: str


@dataclass(frozen=True)
class CaseDocument:
    """A document written for the case, with how many versions it went through."""

    id: int
    kind: str
    title: str
    status: str
    versions: int


@dataclass(frozen=True)
class CaseDetail:
    """A case in full: what happened, what was done, how it ended, what was learned."""

    case: CaseSummary
    key_phrases: list[str]
    timeline: dict[str, int]
    channels: dict[str, int]
    lead_time_hours: float | None
    stage: str
    risk: float
    sentiment: dict[str, int]
    #: Volume and sentiment a day before and after the first public statement (None: none made).
    outcome: Outcome | None = None
    actions: list[CaseAction] = field(default_factory=list)
    documents: list[CaseDocument] = field(default_factory=list)


def _closed_at(session: Session, ids: list[int]) -> dict[int, datetime]:
    rows = session.execute(
        select(IssueAction.issue_id, func.max(IssueAction.at))
        .where(IssueAction.issue_id.in_(ids), IssueAction.kind == "pelajaran")
        .group_by(IssueAction.issue_id)
    )
    return {int(i): at for i, at in rows}


def _region_names(regions: list[Any] | None) -> list[str]:
    return [str(r.get("name") or r.get("code")) for r in regions or [] if isinstance(r, dict)]


def _summaries(session: Session, issues: list[Issue]) -> list[CaseSummary]:
    ids = [i.id for i in issues]
    closed = _closed_at(session, ids)
    lessons = lessons_of(session, ids)
    agencies = {a.id: a.name for a in session.scalars(select(Agency))}
    return [
        CaseSummary(
            id=i.id,
            label=i.label or f"Isu #{i.id}",
            category=(cat := _category(i)),
            category_label=category_label(cat),
            agency=agencies.get(i.agency_id) if i.agency_id else None,
            regions=_region_names(i.regions),
            first_seen=i.first_seen,
            closed_at=closed.get(i.id, i.updated_at),
            size=i.size,
            crossover=i.crossover,
            lessons=lessons.get(i.id, Lessons()).quoted(),
            learned=lessons.get(i.id, Lessons()),
        )
        for i in issues
    ]


def _category(issue: Issue) -> str | None:
    return categorize(tokens(" ".join([issue.label or "", *map(str, issue.key_phrases or [])])))


def _matches(issue: Issue, query: CaseQuery, words: set[str], lessons: Lessons) -> bool:
    if query.category and _category(issue) != query.category:
        return False
    if query.region:
        codes = {
            kab_kota_of(str(r.get("code"))) for r in issue.regions or [] if isinstance(r, dict)
        }
        if kab_kota_of(query.region) not in codes:
            return False
    if words:
        said = [text for _, text in lessons.items()]
        mine = bag([issue.label or "", *map(str, issue.key_phrases or []), *said])
        return words <= mine.keys()
    return True


def search_cases(session: Session, query: CaseQuery) -> list[CaseSummary]:
    """Closed issues matching ``query``, the most recently closed first.

    Words must all occur (normalized) in the label, key phrases or lessons (what worked, what
    did not, next time, notes); category is read from the case's words like the similar-case
    ranking reads it.
    """
    stmt = select(Issue).where(Issue.status == "selesai", Issue.listed())
    if query.agency_id is not None:
        stmt = stmt.where(Issue.agency_id == query.agency_id)
    issues = list(session.scalars(stmt.order_by(Issue.updated_at.desc()).limit(SEARCH_WINDOW)))
    lessons = lessons_of(session, [i.id for i in issues])
    words = set(bag([query.q]))
    found = [i for i in issues if _matches(i, query, words, lessons.get(i.id, Lessons()))]
    out = _summaries(session, found)
    if query.year is not None:
        out = [c for c in out if c.closed_at is not None and c.closed_at.year == query.year]
    return out[query.offset : query.offset + query.limit]


def case_detail(session: Session, case_id: int) -> CaseDetail:
    """One closed issue in full; :class:`IssueNotFound` when there is no such case."""
    issue = session.get(Issue, case_id)
    if issue is None or issue.status != "selesai":
        raise IssueNotFound(f"kasus #{case_id} tidak ditemukan (hanya isu yang sudah selesai)")
    (summary,) = _summaries(session, [issue])
    actions = session.scalars(
        select(IssueAction).where(IssueAction.issue_id == case_id).order_by(IssueAction.at)
    )
    labels = {**SYSTEM_KINDS, **ACTION_KINDS}
    versions = Counter(
        session.scalars(
            select(DocumentVersion.document_id)
            .join(Document, Document.id == DocumentVersion.document_id)
            .where(Document.issue_id == case_id)
        )
    )
    documents = session.scalars(select(Document).where(Document.issue_id == case_id))
    lead = issue.lead_time_seconds
    return CaseDetail(
        case=summary,
        key_phrases=[str(p) for p in issue.key_phrases or []],
        timeline={str(k): int(v) for k, v in (issue.summary or {}).get("timeline", {}).items()},
        channels={str(k): int(v) for k, v in (issue.channels or {}).items()},
        lead_time_hours=round(lead / 3600, 1) if lead is not None else None,
        stage=issue.stage,
        risk=issue.risk,
        sentiment={str(k): int(v) for k, v in (issue.sentiment_mix or {}).items()},
        outcome=outcomes(session, [case_id]).get(case_id),
        actions=[
            CaseAction(a.at, a.kind, labels.get(a.kind, a.kind), a.note or "") for a in actions
        ],
        documents=[
            CaseDocument(d.id, d.kind, d.title, d.status, versions.get(d.id, 0)) for d in documents
        ],
    )
