"""The reports' wording, shared by every format: stage names, percentages, the volume sentence.

The HTML/PDF template and the Word writer say the same things in the same words; both take them
from here.
"""

from __future__ import annotations

from datetime import timedelta

from pantau.i18n import format_date, format_number, format_percent
from pantau.reports.documents import Report
from pantau.reports.kinds import report_kind
from pantau.vocabulary import STAGES, stage_name

__all__ = ["STAGE_NAMES", "change_text", "pct", "period_text"]

#: Stage names as every page, report and alert says them (one vocabulary, from the catalogs).
STAGE_NAMES = {stage: stage_name(stage) for stage in STAGES}


def pct(share: float) -> str:
    """A share as Indonesian percent: 0.425 -> '42,5%'.

    >>> pct(0.425)
    '42,5%'
    """
    return format_percent(share, "id")


def change_text(report: Report) -> str:
    """A sentence comparing the volume with the period before."""
    period = report_kind(report.kind).previous_period
    if not report.previous_total:
        return f"Tidak ada sebutan pada {period} sebagai pembanding."
    change = (report.total - report.previous_total) / report.previous_total
    if abs(change) < 0.005:
        return f"Volume sama dengan {period} ({format_number(report.previous_total)} sebutan)."
    word = "naik" if change > 0 else "turun"
    return (
        f"Volume {word} {pct(abs(change))} dibanding {period} "
        f"({format_number(report.previous_total)} sebutan)."
    )


def period_text(report: Report) -> str:
    """The days the report covers, in its time zone: one day, or the first and the last."""
    last = format_date(report.end - timedelta(seconds=1), report.tz, "id")
    if report.end - report.start <= timedelta(days=1):
        return last
    return f"{format_date(report.start, report.tz, 'id')} – {last}"
