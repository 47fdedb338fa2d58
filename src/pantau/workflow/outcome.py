"""How a case ended: volume and sentiment of its mentions before and after the first statement.

The first public statement (holding statement, press release, clarification, right of reply in
the action log) splits the conversation in two. :data:`WINDOW` on each side of it, the mentions
are counted and their net sentiment taken (share positive minus share negative); the change
says whether speaking helped: "respons cepat, sentimen membaik dalam 24 jam". Computed from the
stored mentions and action log, never typed, so it is the same whoever reads the case.

>>> before, after = Window(40, -0.45), Window(12, -0.1)
>>> Outcome(None, 1.5, before, after).phrase()
'respons cepat, sentimen membaik dalam 24 jam, volume turun 70%'
>>> Outcome(None, 30.0, Window(2, 0.0), Window(1, -1.0)).phrase()
'respons setelah 30 jam'
>>> Outcome(None, 420.0, Window(0, None), Window(0, None)).phrase()
'respons setelah 18 hari'
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from pantau.store.models import Issue, Mention
from pantau.store.workflow_models import IssueAction
from pantau.workflow.ledger import STATEMENT_KINDS

__all__ = ["WINDOW", "Outcome", "Window", "outcomes"]

logger = logging.getLogger(__name__)

#: Each side of the first statement: a day holds a news cycle and the evening's social peak,
#: and a government statement that changes nothing in a day has not changed the story.
WINDOW = timedelta(hours=24)
#: Fewest mentions on each side for a change in sentiment or volume to be named: with fewer, one
#: angry post moves the share by a fifth or more.
MIN_MENTIONS = 5
#: Change of net sentiment (on -1..1) named as better or worse: a tenth of the scale is three
#: of thirty mentions turning, more than the sentiment model's own wobble between near-duplicates.
SENTIMENT_SHIFT = 0.1
#: Change of volume named (as a share of the day before): smaller moves are day-to-day noise.
VOLUME_SHIFT = 0.2
#: A first statement within this many hours of the issue being seen is "respons cepat": the
#: golden hours the playbooks' holding-statement targets are set in.
FAST_HOURS = 3.0


@dataclass(frozen=True)
class Window:
    """The mentions on one side of the first statement: how many and their net sentiment."""

    mentions: int
    net_sentiment: float | None  # share positive minus share negative; None without mentions


@dataclass(frozen=True)
class Outcome:
    """A case's first statement and the conversation a day before and after it."""

    statement_at: datetime | None
    response_hours: float | None  # first seen -> first statement
    before: Window
    after: Window

    @property
    def sentiment_change(self) -> str | None:
        """``membaik``, ``memburuk`` or ``stabil``; None when either side is too thin to say."""
        a, b = self.before, self.after
        if min(a.mentions, b.mentions) < MIN_MENTIONS:
            return None
        if a.net_sentiment is None or b.net_sentiment is None:
            return None
        shift = b.net_sentiment - a.net_sentiment
        if shift >= SENTIMENT_SHIFT:
            return "membaik"
        return "memburuk" if shift <= -SENTIMENT_SHIFT else "stabil"

    @property
    def volume_change(self) -> float | None:
        """After relative to before (-0.7: down 70%); None when the day before is too thin."""
        if self.before.mentions < MIN_MENTIONS:
            return None
        return round(self.after.mentions / self.before.mentions - 1, 2)

    def phrase(self) -> str:
        """How it ended in the officer's words; empty when nothing was said publicly."""
        if self.response_hours is None:
            return ""
        hours = self.response_hours
        late = f"{hours / 24:.0f} hari" if hours >= 48 else f"{hours:.0f} jam"
        parts = ["respons cepat" if hours <= FAST_HOURS else f"respons setelah {late}"]
        window = f"dalam {WINDOW.total_seconds() / 3600:.0f} jam"
        if self.sentiment_change in ("membaik", "memburuk"):
            parts.append(f"sentimen {self.sentiment_change} {window}")
        elif self.sentiment_change == "stabil":
            parts.append(f"sentimen stabil {window}")
        change = self.volume_change
        if change is not None and abs(change) >= VOLUME_SHIFT:
            parts.append(f"volume {'turun' if change < 0 else 'naik'} {abs(change):.0%}")
        return ", ".join(parts)


def _first_statements(session: Session, ids: list[int]) -> dict[int, datetime]:
    rows = session.execute(
        select(IssueAction.issue_id, func.min(IssueAction.at))
        .where(IssueAction.issue_id.in_(ids), IssueAction.kind.in_(STATEMENT_KINDS))
        .group_by(IssueAction.issue_id)
    )
    return {int(i): at for i, at in rows}


def _window(counts: tuple[int, int, int]) -> Window:
    total, positive, negative = counts
    return Window(total, round((positive - negative) / total, 2) if total else None)


def outcomes(session: Session, ids: Iterable[int]) -> dict[int, Outcome]:
    """The outcome of each issue in ``ids`` that made a public statement.

    One query for the first statements, one per issue over its mentions' (issue, time) index:
    called for one case or the handful offered, never for the whole library.
    """
    firsts = _first_statements(session, list(ids))
    if not firsts:
        return {}
    seen = {
        int(i): at
        for i, at in session.execute(select(Issue.id, Issue.first_seen).where(Issue.id.in_(firsts)))
    }
    counts: dict[int, list[int]] = {i: [0] * 6 for i in firsts}
    for issue_id, at in firsts.items():
        rows = session.execute(
            select(
                (Mention.published_at >= at).label("after"),
                func.count(),
                func.sum(case((Mention.sentiment == "positive", 1), else_=0)),
                func.sum(case((Mention.sentiment == "negative", 1), else_=0)),
            )
            .where(
                Mention.issue_id == issue_id,
                Mention.published_at >= at - WINDOW,
                Mention.published_at < at + WINDOW,
            )
            .group_by("after")
        )
        for is_after, n, pos, neg in rows:
            after = 3 if is_after else 0
            counts[issue_id][after : after + 3] = [int(n), int(pos or 0), int(neg or 0)]
    out = {}
    for issue_id, at in firsts.items():
        first_seen = seen.get(issue_id)
        hours = (at - first_seen).total_seconds() / 3600 if first_seen is not None else None
        c = counts[issue_id]
        out[issue_id] = Outcome(
            statement_at=at,
            response_hours=round(max(0.0, hours), 1) if hours is not None else None,
            before=_window((c[0], c[1], c[2])),
            after=_window((c[3], c[4], c[5])),
        )
    return out
