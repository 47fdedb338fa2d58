"""Past cases: closed issues like this one, with what was done and what was learned.

Every issue closed with ``selesai`` carries a lessons-learned note (the closing rule) and an action
log (holding statements, press releases, field checks, meetings). When a new issue rises, the
officer's first question is "have we had this before, and what worked?". :func:`similar_cases`
answers it: closed issues ranked by the cosine of their words (label and key phrases, normalized
and without stopwords, weighted by how rare each word is among closed issues) plus a bonus for
shared regions, each with its lessons, the actions taken and the documents written for it.

The candidates are the most recently closed :data:`CANDIDATES` issues; a province closes a few
hundred issues a year, so this is every case for years and one indexed query.
"""

from __future__ import annotations

import logging
import math
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from pantau.issues.features import stopwords
from pantau.store.models import Agency, Issue
from pantau.store.regions import kab_kota_of
from pantau.store.workflow_models import IssueAction
from pantau.store.writing_models import Document
from pantau.text import tokens
from pantau.workflow.statuses import ACTION_KINDS, load_issue

__all__ = ["Case", "similar_cases"]

logger = logging.getLogger(__name__)

#: Closed issues considered, newest first (years of a province's cases; one indexed query).
CANDIDATES = 2000
#: Cases shown; more than five is a list nobody reads during an unfolding issue.
SHOWN = 5
#: A case must share at least this cosine of weighted words to count as similar: below it the
#: only overlap is a common word such as the province's name.
MIN_SIMILARITY = 0.12
#: Added (times the Jaccard overlap of kab/kota codes) for cases in the same places.
REGION_BONUS = 0.15
#: Shortest word that carries a topic ("air", "api" and "bbm" are three letters).
MIN_WORD = 3


@dataclass
class Case:
    """One closed issue offered as experience for the issue at hand."""

    issue_id: int
    label: str
    score: float
    shared: list[str]
    closed_at: datetime | None
    agency: str | None
    lessons: list[str] = field(default_factory=list)
    actions: list[tuple[str, int]] = field(default_factory=list)  # (action label, how many)
    documents: list[tuple[int, str, str, str]] = field(
        default_factory=list
    )  # id, kind, title, status


def _words(issue_label: str | None, phrases: list[str] | None) -> Counter[str]:
    stop = stopwords()
    text = " ".join([issue_label or "", *(str(p) for p in phrases or [])])
    return Counter(w for w in tokens(text) if len(w) >= MIN_WORD and w.isalpha() and w not in stop)


def _kabkota(regions: list[object] | None) -> set[str]:
    codes = (str(r.get("code") if isinstance(r, dict) else r) for r in regions or [])
    return {k for k in map(kab_kota_of, codes) if k}


def _cosine(a: Counter[str], b: Counter[str], idf: dict[str, float]) -> float:
    dot = sum(a[w] * b[w] * idf[w] ** 2 for w in a.keys() & b.keys())
    if dot == 0:
        return 0.0
    na = math.sqrt(sum((c * idf[w]) ** 2 for w, c in a.items()))
    nb = math.sqrt(sum((c * idf[w]) ** 2 for w, c in b.items()))
    return dot / (na * nb)


def similar_cases(session: Session, issue_id: int, limit: int = SHOWN) -> list[Case]:
    """Closed issues most like ``issue_id``, with their lessons, actions and documents."""
    issue = load_issue(session, issue_id)
    mine = _words(issue.label, issue.key_phrases)
    if not mine:
        return []
    rows = session.execute(
        select(Issue.id, Issue.label, Issue.key_phrases, Issue.regions)
        .where(Issue.status == "selesai", Issue.id != issue.id, Issue.listed())
        .order_by(Issue.updated_at.desc())
        .limit(CANDIDATES)
    ).all()
    bags = {int(r.id): _words(r.label, r.key_phrases) for r in rows}
    df: Counter[str] = Counter()
    for bag in [mine, *bags.values()]:
        df.update(bag.keys())
    n = len(bags) + 1
    idf = {w: math.log((1 + n) / (1 + d)) + 1.0 for w, d in df.items()}
    my_places = _kabkota(issue.regions)
    scored: list[tuple[float, int]] = []
    for r in rows:
        bag = bags[int(r.id)]
        score = _cosine(mine, bag, idf)
        if score < MIN_SIMILARITY:
            continue
        places = _kabkota(r.regions)
        if my_places and places:
            score += REGION_BONUS * len(my_places & places) / len(my_places | places)
        scored.append((score, int(r.id)))
    scored.sort(key=lambda t: (-t[0], -t[1]))
    return [
        _case(session, case_id, score, mine, bags[case_id]) for score, case_id in scored[:limit]
    ]


def _case(
    session: Session, issue_id: int, score: float, mine: Counter[str], theirs: Counter[str]
) -> Case:
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
    lessons = [a.note for a in actions if a.kind == "pelajaran" and a.note]
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
        shared=sorted(mine.keys() & theirs.keys()),
        closed_at=closed[-1] if closed else issue.updated_at,
        agency=agency.name if agency else None,
        lessons=lessons,
        actions=sorted(done.items(), key=lambda kv: (-kv[1], kv[0])),
        documents=[(int(d.id), str(d.kind), str(d.title), str(d.status)) for d in docs],
    )
