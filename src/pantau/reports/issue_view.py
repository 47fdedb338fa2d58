"""The issue page's figures: social vs news timeline, sentiment, top voices, regions, relatives.

:func:`issue_detail` returns a plain :class:`IssueDetail`. Its cost follows the issue's life
span, not its size: timelines and regions come from ``mention_rollup`` and the top lists from
the issue's newest mentions in ``ix_mentions_issue_voices``, both read from covering indexes.
"""

from __future__ import annotations

import logging
from bisect import bisect_right
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Subquery, func, select
from sqlalchemy.orm import Session

from pantau.reports.filters import Window
from pantau.reports.overview import SENTIMENTS, IssueRow, issue_rows
from pantau.reports.rollup import RollupScope, rollup_regions, rollup_series
from pantau.reports.timeseries import Series
from pantau.store.models import Issue, Mention
from pantau.store.reports_models import ROLLUP_ALL_REGIONS
from pantau.store.reports_models import MentionRollup as R

__all__ = ["Actor", "IssueDetail", "TopMention", "issue_detail"]

logger = logging.getLogger(__name__)

#: Issues shorter than this get hourly timeline buckets, longer ones daily buckets.
HOURLY_SPAN = timedelta(days=3)
#: Issues longer than this get weekly buckets: a year of daily ones drew 365 bars, unreadable at
#: phone width, and the chart stays under ~60 bars for any life up to a year.
DAILY_SPAN = timedelta(days=60)
WEEK_HOURS = 7 * 24
#: Rows in the top mentions, authors and outlets lists.
TOP_N = 10
#: Newest mentions of an issue from which top mentions, authors and outlets are taken: bounds
#: the page's cost for issues of any size (a 24,000-mention issue took seconds without it).
DETAIL_SCAN = 5_000
#: Candidate issues compared for relatedness (the most recent ones around this issue).
RELATED_CANDIDATES = 500
#: Related issues shown.
RELATED_SHOWN = 5


@dataclass
class TopMention:
    """A mention worth reading first: the most engaged-with of the issue."""

    id: int
    title: str | None
    text: str
    url: str | None
    channel: str
    author: str | None
    outlet: str | None
    published_at: datetime | None
    engagement: int
    sentiment: str | None
    sentiment_tier: str | None = None  # which tier read ``sentiment``: fast, precise, officer


@dataclass
class Actor:
    """An author or outlet with how many mentions it wrote and how far they reached."""

    name: str
    mentions: int
    reach: int


@dataclass
class IssueDetail:
    """Everything the issue page shows beyond the issue row itself."""

    issue: IssueRow
    window: Window
    timeline: Series
    sentiment: Series
    first_social_key: str | None
    first_news_key: str | None
    top_mentions: list[TopMention]
    authors: list[Actor]
    outlets: list[Actor]
    regions: list[tuple[str, str, int]]
    related: list[IssueRow]
    sampled: bool = False  # top lists come from the DETAIL_SCAN newest mentions only


def _window(first: datetime | None, last: datetime | None) -> Window:
    end = (last or first or datetime.now().astimezone()).replace(minute=0, second=0, microsecond=0)
    end += timedelta(hours=1)
    start = (first or end - timedelta(days=1)).replace(minute=0, second=0, microsecond=0)
    span = end - start
    bucket = 1 if span <= HOURLY_SPAN else 24 if span <= DAILY_SPAN else WEEK_HOURS
    return Window(start, end, bucket)


def _key_of(
    moment: datetime | None, win: Window, series: Series, offset_minutes: int
) -> str | None:
    """The key of the bucket holding ``moment`` (for weekly buckets, the key of its week).

    Rollup hours come back naive (UTC): they are read as UTC.
    """
    if moment is None:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    if not win.start <= moment < win.end:
        return None
    local = moment + timedelta(minutes=offset_minutes)
    key = local.strftime("%Y-%m-%d %H" if win.bucket_hours < 24 else "%Y-%m-%d")
    pos = bisect_right(series.keys, key) - 1
    return series.keys[pos] if pos >= 0 else None


def issue_detail(session: Session, issue: Issue, tz: str) -> IssueDetail:
    """Compute the issue page for ``issue`` (timelines in ``tz``)."""
    from pantau.reports.timeseries import utc_offset_minutes

    bounds = [_bound(session, issue.id, agg) for agg in (func.min, func.max)]
    starts = [t for t in (issue.first_seen, bounds[0]) if t is not None]
    ends = [t for t in (issue.last_seen, bounds[1]) if t is not None]
    win = _window(min(starts, default=None), max(ends, default=None))
    scope = RollupScope(issue_id=issue.id)
    timeline, sentiment = rollup_series(
        session, win, tz, (R.channel, R.sentiment), scope, (("social", "news"), SENTIMENTS)
    )
    offset = utc_offset_minutes(tz, win.end)
    first_social = issue.first_social_at or _first(session, issue.id, "social")
    first_news = issue.first_news_at or _first(session, issue.id, "news")
    row = issue_rows(session, select(Issue).where(Issue.id == issue.id), 1)[0]
    newest = _newest(issue.id)
    return IssueDetail(
        issue=row,
        window=win,
        timeline=timeline,
        sentiment=sentiment,
        first_social_key=_key_of(first_social, win, timeline, offset),
        first_news_key=_key_of(first_news, win, timeline, offset),
        top_mentions=_top_mentions(session, newest),
        authors=_actors(session, newest, "author"),
        outlets=_actors(session, newest, "outlet"),
        regions=rollup_regions(session, win, scope),
        related=related_issues(session, issue),
        sampled=sum(sum(v) for v in timeline.lines.values()) > DETAIL_SCAN,
    )


def _first(session: Session, issue_id: int, channel: str) -> datetime | None:
    """The hour of the issue's first mention on ``channel`` (the chart marks whole buckets)."""
    return session.scalar(
        select(func.min(R.bucket)).where(
            R.issue_id == issue_id,
            R.region == ROLLUP_ALL_REGIONS,
            R.channel == channel,
            R.n > 0,
        )
    )


def _bound(session: Session, issue_id: int, agg: Any) -> datetime | None:
    """The first or last ``published_at`` of the issue: one index probe (min and max in one
    SELECT made SQLite walk all of a large issue's index entries)."""
    stmt = select(agg(Mention.published_at)).where(Mention.issue_id == issue_id)
    return session.scalar(stmt)


def _newest(issue_id: int) -> Subquery:
    """The issue's :data:`DETAIL_SCAN` newest mentions, with what the top lists rank them by.

    Every column comes from ``ix_mentions_issue_voices``, so the three top lists never read the
    table: a 24,000-mention issue spent ~150 ms reading 5,000 table rows three times, and ~60 ms
    more when those rows were ranked in Python (see benchmarks/results/reports.md).
    """
    engagement = (
        func.coalesce(Mention.likes, 0)
        + func.coalesce(Mention.shares, 0)
        + func.coalesce(Mention.comments, 0)
    )
    return (
        select(
            Mention.id,
            Mention.published_at,
            Mention.author,
            Mention.outlet,
            func.coalesce(Mention.author_followers, 0).label("followers"),
            engagement.label("engagement"),
        )
        .where(Mention.issue_id == issue_id)
        .order_by(Mention.published_at.desc(), Mention.id.desc())
        .limit(DETAIL_SCAN)
        .subquery("newest")
    )


def _top_mentions(session: Session, newest: Subquery) -> list[TopMention]:
    """The most engaged-with mentions; ties go to the earliest, then the lowest id."""
    v = newest.c
    stmt = (
        select(v.id, v.engagement)
        .order_by(v.engagement.desc(), v.published_at.asc().nulls_last(), v.id)
        .limit(TOP_N)
    )
    top = [(int(i), int(e or 0)) for i, e in session.execute(stmt)]
    ids = [i for i, _ in top]
    loaded = {m.id: m for m in session.scalars(select(Mention).where(Mention.id.in_(ids)))}
    out = []
    for mention_id, engagement in top:
        m = loaded[mention_id]
        out.append(
            TopMention(
                m.id,
                m.title,
                m.text[:280],
                m.url,
                m.channel,
                m.author,
                m.outlet,
                m.published_at,
                engagement,
                m.sentiment,
                m.sentiment_tier,
            )
        )
    return out


def _actors(session: Session, newest: Subquery, field: str) -> list[Actor]:
    """Authors or outlets by reach: followers (once per actor) plus engagement of their posts."""
    column = newest.c[field]
    reach = func.max(newest.c.followers) + func.sum(newest.c.engagement)
    stmt = (
        select(column, func.count(), reach.label("reach"))
        .where(column.is_not(None))
        .group_by(column)
        .order_by(reach.desc(), func.count().desc(), column)
        .limit(TOP_N)
    )
    return [Actor(str(name), int(n), int(r or 0)) for name, n, r in session.execute(stmt)]


def _overlap(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


def related_issues(session: Session, issue: Issue) -> list[IssueRow]:
    """Issues sharing key phrases (and regions) with ``issue``, most similar first."""
    mine = {str(p).lower() for p in (issue.key_phrases or [])}
    my_regions = {str(r.get("code") if isinstance(r, dict) else r) for r in issue.regions or []}
    if not mine:
        return []
    around = issue.last_seen or issue.first_seen
    stmt = select(Issue.id, Issue.key_phrases, Issue.regions).where(
        Issue.id != issue.id, Issue.listed()
    )
    if around is not None:
        stmt = stmt.order_by(Issue.risk.desc())  # the riskiest neighbours, by index
        stmt = stmt.where(
            Issue.last_seen >= around - timedelta(days=30),
            Issue.first_seen <= around + timedelta(days=30),
        )
    scored: list[tuple[float, int]] = []
    for other_id, phrases, regions in session.execute(stmt.limit(RELATED_CANDIDATES)):
        theirs = {str(p).lower() for p in (phrases or [])}
        score = _overlap(mine, theirs)
        if score <= 0:
            continue
        codes = {str(r.get("code") if isinstance(r, dict) else r) for r in regions or []}
        score += 0.25 * _overlap(my_regions, codes)
        scored.append((score, int(other_id)))
    scored.sort(key=lambda t: (-t[0], t[1]))
    ids = [i for _, i in scored[:RELATED_SHOWN]]
    if not ids:
        return []
    rows = {r.id: r for r in issue_rows(session, select(Issue).where(Issue.id.in_(ids)), len(ids))}
    return [rows[i] for i in ids if i in rows]
