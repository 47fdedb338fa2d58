"""The precise sentiment tier in the flow: mentions officers read, read again, within a budget.

The fast path reads every mention as it arrives. Once an issue is at stage emerging or hotter
(:data:`HOT_STAGES`), officers read its mentions, so those are read again by the precise tier
(:mod:`pantau.text.precise`), newest first, at most ``precise_per_round`` a round and
``precise_per_minute`` a minute (:class:`Budget`): its work stays bounded whatever the stream
does. A mention read again keeps the fast reading beside the precise one
(``sentiment_fast``); ``sentiment``, which the dashboard, the rollup (its update trigger) and
the reports count, becomes the precise reading, and the issue's risk is recomputed from it.

Never read again: a mention an officer corrected, noise, a mention the tier already read. An
install without the encoder keeps the fast readings (logged once) and the stream goes on.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass

from sqlalchemy import exists, or_, select
from sqlalchemy.orm import Session

from pantau.flow.storing import apply_summary
from pantau.issues import IssueTracker
from pantau.store.models import Issue, Mention
from pantau.store.tenancy import NATIONAL_WORD, tenant_in
from pantau.store.workflow_models import MentionLabel
from pantau.text.precise import FAST, PRECISE, PreciseSentiment, Reading

__all__ = ["HOT_STAGES", "Budget", "apply_reading", "due_mentions", "follow_rereads", "reread_hot"]

logger = logging.getLogger(__name__)

#: "Emerging or hotter": the stages at which officers read an issue's mentions.
HOT_STAGES = ("emerging", "current", "crisis")


class Budget:
    """How many mentions the tier may read now: a bucket of ``per_minute`` that refills
    continuously, and never more than ``per_round`` at once.

    >>> b = Budget(per_minute=60, per_round=10, clock=lambda: 0.0)
    >>> b.available()
    10
    >>> b.spend(10); b.available()
    10
    >>> b.spend(50); b.available()
    0
    """

    def __init__(
        self, per_minute: int, per_round: int, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.per_minute = max(0, per_minute)
        self.per_round = max(0, per_round)
        self.clock = clock
        self.tokens = float(self.per_minute)
        self.at = clock()

    def available(self) -> int:
        now = self.clock()
        self.tokens = min(
            float(self.per_minute), self.tokens + (now - self.at) * self.per_minute / 60.0
        )
        self.at = now
        return min(self.per_round, int(self.tokens))

    def spend(self, n: int) -> None:
        self.tokens -= n


def due_mentions(
    session: Session, limit: int, partitions: Collection[str] | None = None
) -> list[Mention]:
    """The mentions the tier should read next: of issues at a hot stage (of ``partitions``
    only, when given: a worker's own provinces), analyzed, not noise, not read by it yet and
    not corrected by an officer, newest first."""
    if limit <= 0:
        return []
    corrected = exists().where(
        MentionLabel.mention_id == Mention.id, MentionLabel.field == "sentiment"
    )
    query = (
        select(Mention)
        .join(Issue, Issue.id == Mention.issue_id)
        .where(
            Issue.stage.in_(HOT_STAGES),
            Mention.analyzed_at.is_not(None),
            Mention.noise.is_(None),
            or_(Mention.sentiment_tier.is_(None), Mention.sentiment_tier == FAST),
            ~corrected,
        )
        .order_by(Mention.published_at.desc().nulls_last(), Mention.id.desc())
        .limit(limit)
    )
    if partitions is not None:
        query = query.where(tenant_in(Issue.tenant, partitions))
    return list(session.scalars(query))


def apply_reading(m: Mention, reading: Reading) -> str | None:
    """Store the precise ``reading`` on ``m``, the fast one kept beside it; returns the
    sentiment it replaced."""
    before = m.sentiment
    if m.sentiment_tier != PRECISE:
        m.sentiment_fast, m.sentiment_fast_score = m.sentiment, m.sentiment_score
    m.sentiment, m.sentiment_score, m.sentiment_tier = reading.label, reading.score, PRECISE
    return before


@dataclass
class Reread:
    """One mention the tier read: its issue and its sentiment before and after."""

    issue_id: int
    before: str | None
    after: str


def reread_hot(
    session: Session,
    tier: PreciseSentiment,
    limit: int,
    partitions: Collection[str] | None = None,
) -> list[Reread]:
    """Read up to ``limit`` due mentions (of ``partitions``' issues, when given) with ``tier``
    and store the readings (in the caller's transaction)."""
    rows = due_mentions(session, limit, partitions)
    if not rows:
        return []
    readings = tier.predict([_text(m) for m in rows])
    out = []
    for m, reading in zip(rows, readings, strict=True):
        before = apply_reading(m, reading)
        if m.issue_id is not None:
            out.append(Reread(m.issue_id, before, reading.label))
    logger.debug("precise tier read %d mentions of hot issues", len(rows))
    return out


def follow_rereads(
    session: Session, reread: list[Reread], trackers: Mapping[str, IssueTracker]
) -> set[str]:
    """Tell the trackers (partition -> tracker) the sentiments ``reread`` changed and store
    their issues' new sentiment mix and risk; returns the partitions whose trackers changed."""
    issues = {
        i.id: i
        for i in session.scalars(select(Issue).where(Issue.id.in_({r.issue_id for r in reread})))
    }
    partitions: set[str] = set()
    for r in reread:
        issue = issues[r.issue_id]
        partition = issue.tenant or NATIONAL_WORD
        tracker = trackers.get(partition)
        if tracker and issue.key and tracker.reread(issue.key, r.before, r.after):
            partitions.add(partition)
    for issue in issues.values():
        tracker = trackers.get(issue.tenant or NATIONAL_WORD)
        summary = tracker.summary(issue.key) if tracker and issue.key else None
        if summary is not None:
            apply_summary(issue, summary)
    return partitions


def _text(m: Mention) -> str:
    from pantau.text.analyzer import analyzed_text

    return analyzed_text(m.title, m.text)
