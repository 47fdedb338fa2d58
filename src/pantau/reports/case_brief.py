"""A case as a one-page brief (HTML or PDF): for a meeting, a handover, a new officer's reading.

What happened (dates, volume, channels, regions, crossover), what was done (the action log and the
documents), how it ended, and the lessons, on one A4 page in Indonesian.
"""

from __future__ import annotations

from pantau.i18n import format_dt, format_number
from pantau.reports.render import template_env
from pantau.workflow.lessons import LESSON_KINDS
from pantau.workflow.library import CaseDetail

__all__ = ["case_brief_html", "case_brief_pdf"]


def case_brief_html(detail: CaseDetail, tz: str) -> str:
    """The brief as one self-contained HTML page (every text from the case escaped)."""
    return (
        template_env()
        .get_template("case_brief.html.j2")
        .render(
            d=detail,
            c=detail.case,
            lesson_kinds=LESSON_KINDS,
            num=format_number,
            dt=lambda v: format_dt(v, tz, "id", weekday=False) if v else "-",
        )
    )


def case_brief_pdf(detail: CaseDetail, tz: str) -> bytes:
    """The brief as a PDF (WeasyPrint, imported only when a PDF is asked for)."""
    from weasyprint import HTML

    pdf = HTML(string=case_brief_html(detail, tz)).write_pdf()
    if pdf is None:
        raise RuntimeError("WeasyPrint returned no PDF")
    return bytes(pdf)
