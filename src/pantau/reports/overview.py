"""The overview's figures: top issues by risk, volume and sentiment over time, kab/kota, sources.

:func:`overview` reads the store once per view and returns a plain :class:`Overview` record that
the web page, the JSON partial and the reports draw. Everything is bounded by the filter's time
window, so the cost follows the window, not the size of the archive.
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Select, func, or_, select, union_all
from sqlalchemy.orm import Session

from pantau.records import CHANNELS
from pantau.reports.filters import DashFilter, Window
from pantau.reports.issue_ranking import (
    CROSSOVER_ORDER,
    CROSSOVERS,
    RISK_ORDER,
    TOP_ISSUES,
    matching_issues,
)
from pantau.reports.rollup import (
    RollupScope,
    Table,
    rollup_issue_series,
    rollup_regions,
    rollup_series,
    rollup_spans,
)
from pantau.reports.timeseries import (
    KABKOTA_CODE_CHARS,
    Series,
    count_window,
    region_names,
)
from pantau.store.models import AgencyRegion, Issue, Mention, Quarantine, Source, Watchlist
from pantau.store.reports_models import ROLLUP_ALL_ISSUES
from pantau.store.reports_models import MentionRollup as R
from pantau.store.search import NOISE_HIDDEN
from pantau.store.types import utcnow

__all__ = ["SENTIMENTS", "IssueRow", "Overview", "SourceHealth", "latest_mention", "overview"]

logger = logging.getLogger(__name__)

SENTIMENTS = ("negative", "neutral", "positive")
#: The workflow status of a closed issue (handled, with its lessons learned).
CLOSED_STATUS = "selesai"
#: Matching issue ids above which the issue list is filtered in Python, not by an IN list: a
#: week's watchlist at 1,000,000 benchmark mentions names ~8,000 issues, and binding and
#: planning them took 126 ms on PostgreSQL; the window's own issues are ~5,000 light rows.
MANY_IDS = 500
#: Mentions stamped more than this far in the future (bad clocks, bad feeds) do not anchor views.
FUTURE_TOLERANCE = timedelta(hours=1)


@dataclass
class IssueRow:
    """One issue as lists and reports show it."""

    id: int
    label: str
    stage: str
    status: str
    risk: float
    size: int
    crossover: bool
    first_seen: datetime | None
    last_seen: datetime | None
    first_social_at: datetime | None
    first_news_at: datetime | None
    lead_time_seconds: float | None
    channels: dict[str, int]
    regions: list[str]
    key_phrases: list[str]
    summary: str
    sentiment: dict[str, int]
    spark: list[int] = field(default_factory=list)
    window_mentions: int = 0

    @property
    def lead_hours(self) -> float | None:
        """Hours from the first social post to the first news, rounded as pages show them:
        the stored lead time, which is exactly ``first_news_at - first_social_at``."""
        if not self.crossover or self.lead_time_seconds is None:
            return None
        return round(self.lead_time_seconds / 3600.0, 1)


@dataclass
class SourceHealth:
    """How the sources are doing: counts per health state and the ones that need a look."""

    counts: dict[str, int]
    attention: list[tuple[str, str, datetime | None]]  # name, health, last item


@dataclass
class Overview:
    """Everything the overview page shows for one filter."""

    filter: DashFilter
    window: Window
    anchor: datetime
    total: int
    previous_total: int
    #: The window before, of the same length: mentions per sentiment, and all mentions per
    #: bucket in the current window's bucket order (the charts' comparison line).
    previous_sentiment: dict[str, int]
    previous_volume: list[int]
    by_channel: dict[str, int]
    by_sentiment: dict[str, int]
    volume: Series
    sentiment: Series
    regions: list[tuple[str, str, int]]
    top: list[IssueRow]
    crossovers: list[IssueRow]
    sources: SourceHealth
    active_issues: int
    crises: int
    quarantined: int

    @property
    def negative_share(self) -> float:
        rated = sum(self.by_sentiment.get(s, 0) for s in SENTIMENTS)
        return self.by_sentiment.get("negative", 0) / rated if rated else 0.0

    @property
    def previous_negative_share(self) -> float | None:
        """The negative share of the window before (None when nothing was rated then)."""
        rated = sum(self.previous_sentiment.get(s, 0) for s in SENTIMENTS)
        return self.previous_sentiment.get("negative", 0) / rated if rated else None

    @property
    def change(self) -> float | None:
        """Relative change of volume against the window before (None when nothing before)."""
        if not self.previous_total:
            return None
        return (self.total - self.previous_total) / self.previous_total


def latest_mention(session: Session, now: datetime | None = None) -> datetime | None:
    """The newest publication time not in the future: where views of the data end."""
    limit = (now or utcnow()) + FUTURE_TOLERANCE
    return session.scalar(
        select(func.max(Mention.published_at)).where(Mention.published_at < limit)
    )


def overview(
    session: Session, f: DashFilter, tz: str, *, anchor: datetime | None = None
) -> Overview:
    """Compute the overview for ``f`` over the window ending at ``anchor`` (default: newest)."""
    anchor = anchor or latest_mention(session) or utcnow()
    win = f.window(anchor, tz)
    prev = win.previous()
    scope = rollup_scope(session, f, watchlists=True)
    conds = f.mention_conditions(session)
    if scope is not None:
        volume, sentiment = rollup_series(
            session, win, tz, (R.channel, R.sentiment), scope, (CHANNELS, SENTIMENTS)
        )
        (earlier,) = rollup_series(session, prev, tz, (R.sentiment,), scope, (SENTIMENTS,))
        regions = rollup_regions(session, win, scope)
        # only a filter narrows the issue list to those with mentions (see _issue_query)
        matching: ColumnElement[bool] | list[int] = _rollup_matching(win, scope)
    else:  # an author, outlet or kecamatan: count the mentions themselves
        counts = count_window(session, win, tz, conds, (CHANNELS, SENTIMENTS), previous=prev)
        volume, sentiment = counts.volume, counts.sentiment
        matching = sorted(counts.issue_ids)
        earlier = counts.previous_sentiment or Series(volume.keys, {})
        regions = counts.top_regions(session)
    by_channel = {k: v for k in volume.lines if (v := volume.total(k))}
    by_sentiment = {k: v for k in sentiment.lines if (v := sentiment.total(k))}
    # many issues matched by id: read the window's issues and keep those in Python, rather than
    # bind and plan thousands of ids (a week's watchlist at 1,000,000 mentions: 8,000 ids)
    listed = set(matching) if isinstance(matching, list) and len(matching) > MANY_IDS else None
    # a closed issue keeps its last risk score: it must not rank, or count, among the open ones
    issues = _issue_query(f, win, conds, matching if listed is None else None)
    issues = issues.where(Issue.status != CLOSED_STATUS)
    if conds:  # read which issues match once, not once per list and count
        issues, active, crises = matching_issues(session, issues, listed, f.agency_id)
    else:
        active = _count(session, issues.where(Issue.stage != "dormant"))
        crises = _count(session, issues.where(Issue.stage == "crisis"))
    top = issue_rows(session, issues.order_by(*RISK_ORDER), TOP_ISSUES)
    crossed = issues.where(Issue.crossover.is_(True)).order_by(*CROSSOVER_ORDER)
    crossovers = issue_rows(session, crossed, CROSSOVERS)
    add_sparklines(session, top, win, tz)
    return Overview(
        filter=f,
        window=win,
        anchor=anchor,
        total=sum(by_channel.values()),
        previous_total=sum(earlier.total(k) for k in earlier.lines),
        previous_sentiment={k: v for k in earlier.lines if (v := earlier.total(k))},
        previous_volume=_aligned(earlier, len(volume.keys)),
        by_channel=by_channel,
        by_sentiment=by_sentiment,
        volume=volume,
        sentiment=sentiment,
        regions=regions,
        top=top,
        crossovers=crossovers,
        sources=source_health(session),
        # the same issues as the list: the period's and the filter's, open ones only
        active_issues=active,
        crises=crises,
        quarantined=int(
            session.scalar(select(func.count(Quarantine.id)).where(Quarantine.resolved.is_(False)))
            or 0
        ),
    )


def _aligned(series: Series, buckets: int) -> list[int]:
    """All lines of ``series`` added per bucket, cut or padded to ``buckets`` (a window's keys
    may number one more or less than the window before when it does not start at midnight)."""
    totals = [sum(values) for values in zip(*series.lines.values(), strict=True)]
    return (totals + [0] * buckets)[:buckets]


def _count(session: Session, stmt: Select[Any]) -> int:
    return int(session.scalar(select(func.count()).select_from(stmt.subquery())) or 0)


def rollup_scope(
    session: Session, f: DashFilter, *, watchlists: bool = False
) -> RollupScope | None:
    """The rollup rows that answer ``f``, or None when only the mentions can (author, outlet,
    kecamatan, and a watchlist unless ``watchlists``: a reader of the watchlists' rollups).
    An agency's mandate is the kab/kota it covers; a province code covers all.
    """
    watch: str | None = None
    if watchlists and f.watchlist_id is not None:
        watch = session.scalar(select(Watchlist.name).where(Watchlist.id == f.watchlist_id))
        if watch is None:  # no such watchlist: the mentions' filter matches nothing
            return None
        f = replace(f, watchlist_id=None)
    if f.by_mention_only:
        return None
    regions: list[str] | None = [f.region] if f.region else None
    if f.agency_id is not None:
        codes = session.scalars(
            select(AgencyRegion.region_code).where(AgencyRegion.agency_id == f.agency_id)
        ).all()
        mandate = {c[:KABKOTA_CODE_CHARS] for c in codes}
        if not any(len(c) < KABKOTA_CODE_CHARS for c in codes):
            regions = sorted(mandate & set(regions)) if regions is not None else sorted(mandate)
    return RollupScope(
        regions=regions,
        channel=f.channel,
        issue_id=f.issue_id,
        sentiment=f.sentiment,
        lang=f.lang,
        noise=f.noise,
        watch=watch,
    )


def _rollup_matching(win: Window, scope: RollupScope) -> ColumnElement[bool] | list[int]:
    """Whether an issue has mentions in ``win`` and ``scope``, from the rollups (whole segments
    and the hours at the edges), as a condition of the issue list (see :func:`_probed`).

    Otherwise the union of the spans' issue ids is wrapped in a derived table: as ``IN (SELECT
    .. UNION ALL SELECT ..)`` PostgreSQL ran it as a subplan for every issue (30 s for one
    kab/kota's negative week at 1,000,000 mentions); wrapped, it is one hashed semi-join (60 ms),
    and read as ids first it cost more on both backends (one kab/kota's ~1,000 issues kept in
    Python: 300 against 85 ms on PostgreSQL)."""
    spans = rollup_spans(win.start, win.end, watched=scope.watched)
    if not spans:
        return []
    if _probed(scope):
        # the longest span first: the likeliest to hold a mention, so the OR stops there
        spans.sort(key=lambda span: span[2] - span[1], reverse=True)
        return or_(*(_has_rows(table, start, end, scope) for table, start, end in spans))
    parts = [
        select(table.issue_id.label("issue_id")).where(
            table.bucket >= start,
            table.bucket < end,
            # one issue's view: only that issue can match (not all the window's issues)
            table.issue_id != ROLLUP_ALL_ISSUES
            if scope.issue_id == ROLLUP_ALL_ISSUES
            else table.issue_id == scope.issue_id,
            table.n > 0,
            *scope.conditions(table=table)[1:],
        )
        for table, start, end in spans
    ]
    union = (parts[0] if len(parts) == 1 else union_all(*parts)).subquery()
    return Issue.id.in_(select(union.c.issue_id))


def _probed(scope: RollupScope) -> bool:
    """Whether the issue list asks each of the window's issues for a row of ``scope`` (an
    index probe that stops at the first) instead of reading all the scope's rows.

    That pays only where nearly every issue's first row matches: "noise hidden" of every
    kab/kota together, the one filter that keeps nearly all rows. Over a week at 1,000,000
    benchmark mentions it read 97,313 rows (89% of the week's, noise being 8% of the mentions)
    to find 5,249 issues of the 6,024 seen; probed, its statement took 40-74 ms against
    64-109 on PostgreSQL (load 4-5, alternating runs). A filter that keeps few rows makes each
    probe walk an issue's rows in vain (news in English, 2%: 57-83 ms probed against 18-25
    read), and one kab/kota's rows are few: those are read whole, as are watchlists.
    """
    plain = not (scope.channel or scope.sentiment or scope.lang or scope.watched)
    return (
        plain
        and scope.noise == NOISE_HIDDEN
        and scope.regions is None
        and scope.issue_id == ROLLUP_ALL_ISSUES
    )


def _has_rows(table: Table, start: datetime, end: datetime, scope: RollupScope) -> Any:
    """``EXISTS`` a row of ``scope`` for the outer issue in ``[start, end)`` of ``table``, one
    index probe per issue (the covering index led by issue, region and bucket). The ``OFFSET
    0`` keeps PostgreSQL from turning the probes back into a hashed read of every row (it pulls
    up, or hashes, an ``EXISTS`` it can simplify, and an offset is what it cannot)."""
    return (
        select(table.issue_id)
        .where(
            table.issue_id == Issue.id,
            *scope.conditions(table=table)[1:],
            table.bucket >= start,
            table.bucket < end,
            table.n > 0,
        )
        .offset(0)
        .exists()
    )


def _issue_query(
    f: DashFilter,
    win: Window,
    conds: list[Any],
    matching: ColumnElement[bool] | list[int] | None,
) -> Select[Any]:
    """Live (not merged) issues seen in the window; with filters, those with ``matching``
    mentions (``None``: the caller keeps those itself). An issue passes the agency filter also
    when it is assigned to that agency.
    """
    stmt = select(Issue).where(Issue.listed(), Issue.last_seen >= win.start)
    stmt = stmt.where(Issue.first_seen < win.end)
    if f.issue_id is not None:
        stmt = stmt.where(Issue.id == f.issue_id)
    if not conds or matching is None:
        return stmt
    has = Issue.id.in_(matching) if isinstance(matching, list) else matching
    if f.agency_id is not None:
        return stmt.where(or_(Issue.agency_id == f.agency_id, has))
    return stmt.where(has)


def _codes(values: list[Any]) -> list[str]:
    out = []
    for v in values or []:
        code = v.get("code") if isinstance(v, dict) else v
        if code:
            out.append(str(code))
    return out


def issue_summary_text(issue: Issue) -> str:
    """A short summary: the issue stage's own text when it wrote one, else its key phrases."""
    summary = issue.summary or {}
    for key in ("text", "summary", "short"):
        value = summary.get(key)
        if isinstance(value, str) and value.strip():
            return value.strip()
    phrases = ", ".join(str(p) for p in (issue.key_phrases or [])[:6])
    return f"Kata kunci: {phrases}." if phrases else ""


def issue_rows(session: Session, stmt: Select[Any], limit: int) -> list[IssueRow]:
    """Issues of ``stmt`` (up to ``limit``) as plain rows with region names."""
    issues = session.scalars(stmt.limit(limit)).all()
    names = region_names(session, [c for i in issues for c in _codes(i.regions)])
    rows = []
    for i in issues:
        channels = i.channels or {}
        rows.append(
            IssueRow(
                id=i.id,
                label=i.label,
                stage=i.stage,
                status=i.status,
                risk=float(i.risk or 0.0),
                size=int(i.size or 0),
                crossover=bool(i.crossover),
                first_seen=i.first_seen,
                last_seen=i.last_seen,
                first_social_at=i.first_social_at,
                first_news_at=i.first_news_at,
                lead_time_seconds=i.lead_time_seconds,
                channels={
                    str(k): int(v) for k, v in channels.items() if isinstance(v, int | float)
                },
                regions=[names.get(c, c) for c in _codes(i.regions)],
                key_phrases=[str(p) for p in (i.key_phrases or [])],
                summary=issue_summary_text(i),
                sentiment={str(k): int(v) for k, v in (i.sentiment_mix or {}).items()},
            )
        )
    return rows


def add_sparklines(session: Session, rows: list[IssueRow], win: Window, tz: str) -> None:
    """Fill each row's mentions per bucket of ``win`` (one rollup read for all rows)."""
    series = rollup_issue_series(session, win, tz, [r.id for r in rows])
    for r in rows:
        r.spark = series[r.id]
        r.window_mentions = sum(r.spark)


def source_health(session: Session) -> SourceHealth:
    """Counts of enabled sources per health state, and those not ``ok`` (worst first)."""
    counts: Counter[str] = Counter()
    attention: list[tuple[str, str, datetime | None]] = []
    for name, health, last in session.execute(
        select(Source.name, Source.health, Source.last_item_at)
        .where(Source.enabled.is_(True))
        .order_by(Source.name)
    ):
        counts[health or "unknown"] += 1
        if health not in ("ok", "unknown"):
            attention.append((name, health, last))
    return SourceHealth(dict(counts), attention)
