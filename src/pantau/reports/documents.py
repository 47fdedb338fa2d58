"""What the daily "Laporan Monitoring Media" and the weekly "Isu Aktual" say, as plain records.

:func:`daily_report` and :func:`weekly_report` read the store for one local day or the seven days
ending on it and return a :class:`Report`; :mod:`pantau.reports.render` turns that into HTML, PDF
or DOCX. Figures come from the same queries as the dashboard, so the paper and the screen agree.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pantau.records import CHANNELS
from pantau.reports.filters import Window
from pantau.reports.overview import (
    SENTIMENTS,
    IssueRow,
    add_sparklines,
    issue_rows,
)
from pantau.reports.response_times import response_rows
from pantau.reports.rollup import RollupScope, rollup_regions, rollup_series, rollup_total
from pantau.reports.timeseries import Series, bucket_keys, utc_offset_minutes
from pantau.store.models import Agency, Issue, Mention, User
from pantau.store.reports_models import MentionRollup as R
from pantau.store.types import utcnow
from pantau.store.workflow_models import IssueAction, IssueClaim
from pantau.text.analyzer import analyzed_text
from pantau.text.precise import FAST, PRECISE, PreciseSentiment, shared_tier
from pantau.workflow.ledger import LedgerRow
from pantau.workflow.playbook_versions import current_playbooks
from pantau.workflow.playbooks import Playbook, playbook_for

__all__ = [
    "DAILY_TITLE",
    "WEEKLY_TITLE",
    "ClarificationItem",
    "ClosedItem",
    "Report",
    "daily_report",
    "default_day",
    "recommended_action",
    "weekly_report",
]

logger = logging.getLogger(__name__)

DAILY_TITLE = "Laporan Monitoring Media"
WEEKLY_TITLE = "Isu Aktual"
#: Issues in the daily report (one page) and in the weekly brief (the "top five" leaders ask for).
DAILY_ISSUES = 10
WEEKLY_ISSUES = 5
#: Outlets and clarification items listed in the daily report.
DAILY_OUTLETS = 10
CLARIFICATIONS = 10
#: Closed issues (with their lessons learned) listed in a report.
CLOSED_SHOWN = 10
#: Candidates the fast path calls negative that the precise tier reads for the clarification
#: list: it reads 26 of the fast path's 392 negatives on SmSA valid as neutral or positive (and
#: only a positive reading drops one), so twice the list's length leaves it full.
CLARIFY_CANDIDATES = 2 * CLARIFICATIONS
#: Channels whose negative items may need a clarification: the press and public complaints.
CLARIFY_CHANNELS = ("news", "complaint")
#: Share of negative mentions from which an issue's recommendation turns to counter-narrative.
NEGATIVE_SHARE_ACTION = 0.4


@dataclass
class ClarificationItem:
    """A negative news item or complaint of the day that may need a clarification."""

    id: int
    channel: str
    outlet: str | None
    title: str
    url: str | None
    published_at: datetime | None
    engagement: int
    issue_id: int | None
    #: Which tier read it as negative: the samples are read again by the precise one.
    sentiment_tier: str | None = None


@dataclass
class ClosedItem:
    """An issue closed in the period, with its lessons learned (the next similar issue's case)."""

    id: int
    label: str
    agency: str | None
    closed_at: datetime
    lessons: str


@dataclass
class Report:
    """One report's content, independent of its format."""

    kind: str
    title: str
    day: date
    start: datetime
    end: datetime
    generated_at: datetime
    tz: str
    total: int
    previous_total: int
    by_channel: dict[str, int]
    by_sentiment: dict[str, int]
    volume: Series
    issues: list[IssueRow]
    actions: dict[int, str] = field(default_factory=dict)
    outlets: list[tuple[str, int]] = field(default_factory=list)
    regions: list[tuple[str, str, int]] = field(default_factory=list)
    clarifications: list[ClarificationItem] = field(default_factory=list)
    spark_keys: list[str] = field(default_factory=list)
    #: Who handles each listed issue: "ditangani · Diskominfo Samarinda · Rina Kartika".
    handling: dict[int, str] = field(default_factory=dict)
    closed: list[ClosedItem] = field(default_factory=list)
    #: "Waktu tanggap": response times per agency over the issues alerted in the period (weekly).
    response_times: list[LedgerRow] = field(default_factory=list)

    @property
    def negative_share(self) -> float:
        rated = sum(self.by_sentiment.get(s, 0) for s in SENTIMENTS)
        return self.by_sentiment.get("negative", 0) / rated if rated else 0.0


def default_day(session: Session, tz: str, now: datetime | None = None) -> date:
    """The report day when none is asked: the last complete local day that has mentions.

    A morning report covers yesterday. When yesterday is empty (a store filled from an archive,
    the demo's sample week, a source that went quiet) the latest earlier day with mentions is
    the one worth reading, not a blank page; with nothing before today at all, yesterday. The
    lookup is one ``max`` on the indexed ``published_at``.
    """
    zone = ZoneInfo(tz)
    local = (now or utcnow()).astimezone(zone)
    today = datetime.combine(local.date(), time(0), tzinfo=zone)
    latest = session.scalar(
        select(func.max(Mention.published_at)).where(Mention.published_at < today)
    )
    if latest is None:
        return local.date() - timedelta(days=1)
    return latest.astimezone(zone).date()


def _span(day: date, days: int, tz: str) -> tuple[datetime, datetime]:
    end = datetime.combine(day + timedelta(days=1), time(0), tzinfo=ZoneInfo(tz))
    return end - timedelta(days=days), end


def recommended_action(row: IssueRow, playbooks: dict[str, Playbook] | None = None) -> str:
    """A first recommended action for an issue: its category's playbook advice where it has one,
    else from its stage, spread and tone.

    >>> r = IssueRow(1, "x", "crisis", "baru", 80, 10, True, None, None, None, None, None, {}, [],
    ...              [], "", {})
    >>> recommended_action(r).split(".")[0]
    'Terbitkan holding statement segera dan laporkan kepada pimpinan'
    """
    playbook = playbook_for([row.label, *row.key_phrases], playbooks)
    if playbook is not None:  # the category's own advice: a flood is not answered like a hoax
        urgent = "Terbitkan holding statement segera dan laporkan kepada pimpinan. "
        return (urgent if row.stage == "crisis" else "") + playbook.advice
    rated = sum(row.sentiment.get(s, 0) for s in SENTIMENTS)
    negative = row.sentiment.get("negative", 0) / rated if rated else 0.0
    if row.stage == "crisis":
        return (
            "Terbitkan holding statement segera dan laporkan kepada pimpinan. "
            "Tunjuk juru bicara dan siapkan konferensi pers."
        )
    if row.crossover and negative >= NEGATIVE_SHARE_ACTION:
        return (
            "Siapkan klarifikasi atau siaran pers untuk media arus utama; pertimbangkan hak jawab."
        )
    if row.crossover:
        return "Sampaikan informasi resmi kepada media arus utama dan pantau pemberitaannya."
    if negative >= NEGATIVE_SHARE_ACTION:
        return (
            "Siapkan kontra-narasi dan informasi faktual di kanal resmi; "
            "koordinasi dengan OPD terkait."
        )
    if row.stage == "emerging":
        return "Pantau intensif dan siapkan bahan informasi bersama OPD terkait."
    if row.stage == "dormant":
        return "Cukup dipantau; tidak perlu tindakan baru."
    return "Publikasikan informasi resmi di kanal pemerintah dan pantau perkembangannya."


def _issues_in(session: Session, start: datetime, end: datetime, limit: int) -> list[IssueRow]:
    stmt = (
        select(Issue)
        .where(Issue.listed())
        .where(Issue.last_seen >= start, Issue.first_seen < end)
        .order_by(Issue.risk.desc(), Issue.size.desc(), Issue.id)
    )
    return issue_rows(session, stmt, limit)


def _build(
    session: Session, kind: str, title: str, day: date, tz: str, *, days: int, limit: int
) -> Report:
    """The content every kind shares: ``days`` local days ending on ``day``, drawn per hour for
    one day and per day for longer spans, with the top ``limit`` issues."""
    bucket = 1 if days == 1 else 24
    start, end = _span(day, days, tz)
    win = Window(start, end, bucket)
    everything = RollupScope()
    volume, sentiment = rollup_series(
        session, win, tz, (R.channel, R.sentiment), everything, (CHANNELS, SENTIMENTS)
    )
    previous = rollup_total(session, start - (end - start), start, everything)
    issues = _issues_in(session, start, end, limit)
    books = current_playbooks(session)
    add_sparklines(session, issues, win, tz)
    report = Report(
        kind=kind,
        title=title,
        day=day,
        start=start,
        end=end,
        generated_at=utcnow(),
        tz=tz,
        total=sum(volume.total(c) for c in volume.lines),
        previous_total=int(previous or 0),
        by_channel={c: volume.total(c) for c in volume.lines if volume.total(c)},
        by_sentiment={s: sentiment.total(s) for s in sentiment.lines if sentiment.total(s)},
        volume=volume,
        issues=issues,
        actions={r.id: recommended_action(r, books) for r in issues},
        regions=rollup_regions(session, win, everything, limit=10),
    )
    report.spark_keys = bucket_keys(win, utc_offset_minutes(tz, end))
    report.handling = handling(session, [i.id for i in issues])
    report.closed = closed_items(session, start, end)
    return report


def handling(session: Session, issue_ids: list[int]) -> dict[int, str]:
    """Status, agency and the person handling each issue, as one line each."""
    if not issue_ids:
        return {}
    stmt = (
        select(
            Issue.id,
            Issue.status,
            func.coalesce(Agency.short_name, Agency.name),
            User.full_name,
            User.username,
        )
        .outerjoin(Agency, Agency.id == Issue.agency_id)
        .outerjoin(IssueClaim, IssueClaim.issue_id == Issue.id)
        .outerjoin(User, User.id == IssueClaim.user_id)
        .where(Issue.id.in_(issue_ids))
    )
    out = {}
    for issue_id, status, agency, full_name, username in session.execute(stmt):
        parts = [str(status).capitalize(), agency or "belum ditugaskan"]
        if full_name or username:
            parts.append(f"ditangani {full_name or username}")
        out[int(issue_id)] = " · ".join(parts)
    return out


def closed_items(session: Session, start: datetime, end: datetime) -> list[ClosedItem]:
    """Issues closed in the span with their lessons learned, the latest first."""
    stmt = (
        select(
            IssueAction.issue_id,
            IssueAction.at,
            IssueAction.note,
            Issue.label,
            func.coalesce(Agency.short_name, Agency.name),
        )
        .join(Issue, Issue.id == IssueAction.issue_id)
        .outerjoin(Agency, Agency.id == Issue.agency_id)
        .where(IssueAction.kind == "pelajaran", IssueAction.at >= start, IssueAction.at < end)
        .where(Issue.status == "selesai")
        .order_by(IssueAction.at.desc(), IssueAction.id.desc())
        .limit(CLOSED_SHOWN)
    )
    return [
        ClosedItem(int(i), label or f"Isu #{i}", agency, at, note or "")
        for i, at, note, label, agency in session.execute(stmt)
    ]


def daily_report(session: Session, day: date, tz: str) -> Report:
    """The daily media-monitoring report for local ``day``."""
    report = _build(session, "daily", DAILY_TITLE, day, tz, days=1, limit=DAILY_ISSUES)
    in_span = [Mention.published_at >= report.start, Mention.published_at < report.end]
    report.outlets = [
        (str(name), int(n))
        for name, n in session.execute(
            select(Mention.outlet, func.count())
            .where(*in_span, Mention.outlet.is_not(None))
            .group_by(Mention.outlet)
            .order_by(func.count().desc(), Mention.outlet)
            .limit(DAILY_OUTLETS)
        )
    ]
    report.clarifications = clarification_items(session, report.start, report.end)
    return report


def weekly_report(session: Session, day: date, tz: str) -> Report:
    """The weekly "Isu Aktual" brief for the seven local days ending on ``day``."""
    report = _build(session, "weekly", WEEKLY_TITLE, day, tz, days=7, limit=WEEKLY_ISSUES)
    times = response_rows(session, report.start, report.end)
    report.response_times = [r for r in times if r.kind == "instansi"]
    return report


def clarification_items(
    session: Session, start: datetime, end: datetime, tier: PreciseSentiment | None = None
) -> list[ClarificationItem]:
    """Negative news items and complaints in the span, the most engaged-with first.

    What officers read from a report is read by the precise tier (``tier``, by default the
    process-wide one when installed): the fast path's negatives not read by it yet are read
    again; one it reads as positive (a plain contradiction: thanks, praise) leaves the list, one
    it reads as neutral stays as the fast path read it (a complaint missed costs an office more
    than one read twice); a reading an officer corrected or the tier already stored stands.
    """
    engagement: Any = (
        func.coalesce(Mention.likes, 0)
        + func.coalesce(Mention.shares, 0)
        + func.coalesce(Mention.comments, 0)
    )
    stmt = (
        select(Mention, engagement.label("eng"))
        .where(Mention.published_at >= start, Mention.published_at < end)
        .where(Mention.sentiment == "negative", Mention.channel.in_(CLARIFY_CHANNELS))
        .order_by(engagement.desc(), Mention.published_at.desc(), Mention.id)
        .limit(CLARIFY_CANDIDATES)
    )
    rows = list(session.execute(stmt))
    tier = tier or shared_tier()
    tiers = {m.id: m.sentiment_tier or FAST for m, _ in rows}
    unread = [m for m, _ in rows if tiers[m.id] == FAST]
    if tier is not None and unread:
        texts = [analyzed_text(m.title, m.text) for m in unread]
        for m, reading in zip(unread, tier.predict(texts), strict=True):
            if reading.label == "negative":
                tiers[m.id] = PRECISE
            elif reading.label == "positive":
                tiers[m.id] = ""
    items = []
    for m, eng in rows:
        if not tiers[m.id]:  # the precise tier reads it as positive
            continue
        items.append(
            ClarificationItem(
                id=m.id,
                channel=m.channel,
                outlet=m.outlet or m.author,
                title=(m.title or m.text)[:160],
                url=m.url,
                published_at=m.published_at,
                engagement=int(eng or 0),
                issue_id=m.issue_id,
                sentiment_tier=tiers[m.id],
            )
        )
    return items[:CLARIFICATIONS]
