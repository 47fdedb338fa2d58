"""Did the statement turn the conversation? The issue's volume and tone before and after it.

For the first release answering an issue, the mentions of that issue (the agency's own
official ones left out) in the :data:`WINDOW` before publication are compared with those in the
same span after it: how many, and what share negative. A falling volume and a falling negative
share after the statement is what "the clarification outran the hoax" looks like in the data;
the page shows the figures, not a verdict, since a day's news has other causes too.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from pantau.newsroom.releases import PUBLISHED
from pantau.store.models import Mention
from pantau.store.newsroom_models import Release
from pantau.store.types import utcnow

__all__ = ["WINDOW", "Turn", "Window", "statement_turn"]

#: Span compared on each side of the statement: a day covers the news cycle of a local issue.
WINDOW = timedelta(hours=24)


@dataclass(frozen=True)
class Window:
    """Mentions of the issue in one span: how many, and the share with negative sentiment."""

    mentions: int
    negative: int

    @property
    def negative_share(self) -> float:
        return self.negative / self.mentions if self.mentions else 0.0


@dataclass(frozen=True)
class Turn:
    """The issue around its first statement."""

    release_id: int
    published_at: datetime
    before: Window
    after: Window
    complete: bool  # the "after" span is over (otherwise it is still filling)


def _window(s: Session, issue_id: int, start: datetime, end: datetime) -> Window:
    row = s.execute(
        select(
            func.count(Mention.id),
            func.coalesce(func.sum(case((Mention.sentiment == "negative", 1), else_=0)), 0),
        ).where(
            Mention.issue_id == issue_id,
            Mention.channel != "official",
            Mention.published_at >= start,
            Mention.published_at < end,
        )
    ).one()
    return Window(int(row[0]), int(row[1]))


def statement_turn(s: Session, issue_id: int, now: datetime | None = None) -> Turn | None:
    """The issue before and after its first visible release, or ``None`` without one."""
    now = now or utcnow()
    release = s.scalar(
        select(Release)
        .where(
            Release.issue_id == issue_id,
            Release.state == PUBLISHED,
            Release.published_at <= now,
        )
        .order_by(Release.published_at)
        .limit(1)
    )
    if release is None:
        return None
    at = release.published_at
    return Turn(
        release_id=release.id,
        published_at=at,
        before=_window(s, issue_id, at - WINDOW, at),
        after=_window(s, issue_id, at, at + WINDOW),
        complete=at + WINDOW <= now,
    )
