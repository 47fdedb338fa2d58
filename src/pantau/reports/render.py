"""Turn a :class:`~pantau.reports.documents.Report` into HTML, PDF (WeasyPrint) or DOCX bytes.

Dates and numbers are written the Indonesian way ("Senin, 24 September 2024", "1.234"); the PDF
carries page numbers ("Halaman 1 dari 3") in its footer.
"""

from __future__ import annotations

import base64
import logging
from datetime import timedelta
from functools import cache
from importlib import resources
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape

from pantau.i18n import format_date, format_dt, format_number, tz_abbrev
from pantau.records import CHANNELS
from pantau.reports.charts import CHANNEL_NAMES, Charts, draw_charts
from pantau.reports.documents import Report
from pantau.reports.kinds import report_kind
from pantau.reports.overview import SENTIMENTS
from pantau.reports.wording import STAGE_NAMES, change_text, pct, period_text
from pantau.writing.letterhead import LETTERHEAD_CSS, Letterhead

__all__ = ["FORMATS", "MEDIA_TYPES", "render_html", "render_report", "template_env"]

logger = logging.getLogger(__name__)

FORMATS = ("pdf", "html", "docx")
MEDIA_TYPES = {
    "pdf": "application/pdf",
    "html": "text/html; charset=utf-8",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


def _data_uri(png: bytes | None) -> str | None:
    return None if png is None else "data:image/png;base64," + base64.b64encode(png).decode()


@cache
def template_env() -> Environment:
    """The reports' templates (``pantau/reports/templates``), every value escaped by default."""
    folder = str(resources.files("pantau.reports").joinpath("templates"))
    return Environment(
        loader=FileSystemLoader(folder),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )


def render_html(
    report: Report, charts: Charts, *, base_url: str = "", letterhead: Letterhead | None = None
) -> str:
    """The report as one self-contained HTML page (charts embedded as data URIs), under the
    agency's ``letterhead`` when given."""
    tz = report.tz
    last_day = report.end - timedelta(seconds=1)
    ctx: dict[str, Any] = {
        "r": report,
        "day_text": format_date(last_day, tz, "id"),
        "day_short": format_date(last_day, tz, "id").split(", ", 1)[-1],
        "period_text": period_text(report),
        "kind": report_kind(report.kind),
        "generated_text": format_dt(report.generated_at, tz, "id"),
        "tz_name": tz_abbrev(tz),
        "change_text": change_text(report),
        "charts": {
            "volume": _data_uri(charts.volume),
            "sentiment": _data_uri(charts.sentiment),
            "trend": _data_uri(charts.trend),
        },
        "channels": CHANNELS,
        "sentiments": SENTIMENTS,
        "names": CHANNEL_NAMES,
        "stages": STAGE_NAMES,
        "num": format_number,
        "pct": pct,
        "dt": lambda v: format_dt(v, tz, "id", weekday=False),
        "base_url": base_url,
        "letterhead": letterhead,
        "letterhead_css": LETTERHEAD_CSS if letterhead else "",
    }
    return template_env().get_template("report.html.j2").render(ctx)


def render_report(
    report: Report, fmt: str, *, base_url: str = "", letterhead: Letterhead | None = None
) -> bytes:
    """The report in ``fmt`` (pdf, html or docx) as bytes, under ``letterhead`` when given
    (the reader's agency, or the network's lead agency: see
    :func:`pantau.writing.letterhead.letterhead_for`)."""
    if fmt not in FORMATS:
        raise ValueError(f"format {fmt!r} tidak dikenal; pilih pdf, html atau docx")
    charts = draw_charts(report)
    if fmt == "docx":
        from pantau.reports.docx_writer import report_docx  # python-docx only when asked for

        return report_docx(report, charts, base_url=base_url, letterhead=letterhead)
    html = render_html(report, charts, base_url=base_url, letterhead=letterhead)
    if fmt == "html":
        return html.encode("utf-8")
    from weasyprint import HTML  # heavy import: only when a PDF is asked for

    pdf = HTML(string=html).write_pdf()
    if pdf is None:
        raise RuntimeError("WeasyPrint returned no PDF")
    return bytes(pdf)
