"""Report kinds: the ``pantau.report_kinds`` plugin group, the daily report and weekly brief in it.

A kind says everything the rest of pantau needs to know about a report: how to build it, its
title and file name, when it is due and which parts the renderers show. Pages, the command line,
delivery and the renderers look a kind up here instead of branching on its name, so an office
that adds, say, a monthly brief as a plugin gets downloads, subscriptions and e-mail with it.

>>> report_kind("daily").file_name(date(2026, 11, 20), "pdf")
'laporan-harian-2026-11-20.pdf'
>>> [k.name for k in report_kinds().values() if k.due(date(2026, 11, 22))]  # a Sunday
['daily', 'weekly']
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from pantau.i18n import N_
from pantau.plugins import PluginGroup, PluginNotFound
from pantau.reports.documents import (
    DAILY_TITLE,
    WEEKLY_TITLE,
    Report,
    daily_report,
    weekly_report,
)

__all__ = [
    "DAILY",
    "REPORT_KINDS",
    "WEEKLY",
    "WEEKLY_WEEKDAY",
    "ReportKind",
    "ReportKindNotFound",
    "report_kind",
    "report_kinds",
]

logger = logging.getLogger(__name__)

#: The weekly brief covers Monday to Sunday and goes out for the Sunday (Monday morning's read).
WEEKLY_WEEKDAY = 6


class ReportKindNotFound(PluginNotFound):
    """No report kind of that name is installed."""


@dataclass(frozen=True)
class ReportKind:
    """One kind of report: how it is built, named and scheduled, and what the renderers show.

    ``label`` and ``help`` are message ids (English) the web pages translate; the other words are
    the report's own, in Indonesian.
    """

    name: str
    title: str
    #: File names: ``{stem}-{day}.{format}``.
    stem: str
    build: Callable[[Session, date, str], Report]
    #: Whether the report for local ``day`` goes out to subscribers (the day it covers last).
    due: Callable[[date], bool]
    label: str
    help: str
    #: How the change sentence names the span before: "hari sebelumnya".
    previous_period: str
    issues_heading: str
    #: The parts only some kinds show: a recommended action per issue, the issues' trend chart,
    #: the newsroom view (outlets and the items that may need a clarification).
    recommendations: bool = False
    trend: bool = False
    newsroom: bool = False

    def file_name(self, day: date, fmt: str) -> str:
        """The report's file name for ``day`` in ``fmt``."""
        return f"{self.stem}-{day.isoformat()}.{fmt}"


def _every_day(day: date) -> bool:
    return True


def _week_end(day: date) -> bool:
    return day.weekday() == WEEKLY_WEEKDAY


DAILY = ReportKind(
    name="daily",
    title=DAILY_TITLE,
    stem="laporan-harian",
    build=daily_report,
    due=_every_day,
    label=N_("Daily media monitoring report"),
    help=N_(
        "Mentions per channel, sentiment, top issues with summaries, outlets and items that "
        "need clarification, for one day."
    ),
    previous_period="hari sebelumnya",
    issues_heading="Isu teratas",
    newsroom=True,
)

WEEKLY = ReportKind(
    name="weekly",
    title=WEEKLY_TITLE,
    stem="isu-aktual",
    build=weekly_report,
    due=_week_end,
    label=N_("Weekly current issues brief"),
    help=N_(
        "The top five issues of the seven days ending on the date, with trend charts and "
        "recommended actions."
    ),
    previous_period="pekan sebelumnya",
    issues_heading="Lima isu teratas",
    recommendations=True,
    trend=True,
)

REPORT_KINDS = PluginGroup(
    "pantau.report_kinds",
    "jenis laporan",
    {"daily": "pantau.reports.kinds:DAILY", "weekly": "pantau.reports.kinds:WEEKLY"},
    ReportKindNotFound,
)


def report_kind(name: str) -> ReportKind:
    """The kind called ``name``; raises :class:`ReportKindNotFound` naming the ones there are."""
    kind: ReportKind = REPORT_KINDS.load(name)
    return kind


def report_kinds() -> dict[str, ReportKind]:
    """Every report kind by name, built-in or installed."""
    return REPORT_KINDS.load_all()
