"""Turn a :class:`~pantau.reports.documents.Report` into HTML, PDF (WeasyPrint) or DOCX bytes.

Dates and numbers are written the Indonesian way ("Senin, 24 September 2024", "1.234"); the PDF
carries page numbers ("Halaman 1 dari 3") in its footer.
"""

from __future__ import annotations

import base64
import logging
from dataclasses import dataclass
from datetime import timedelta
from functools import cache
from importlib import resources
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape

from pantau.i18n import format_date, format_dt, format_number, format_percent, tz_abbrev
from pantau.records import CHANNELS
from pantau.reports.charts import CHANNEL_NAMES, bar_chart, line_chart
from pantau.reports.documents import Report
from pantau.reports.overview import SENTIMENTS
from pantau.reports.timeseries import Series

__all__ = ["FORMATS", "MEDIA_TYPES", "STAGE_NAMES", "Charts", "draw_charts", "render_report"]

logger = logging.getLogger(__name__)

FORMATS = ("pdf", "html", "docx")
MEDIA_TYPES = {
    "pdf": "application/pdf",
    "html": "text/html; charset=utf-8",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
STAGE_NAMES = {
    "potential": "potensial",
    "emerging": "muncul",
    "current": "aktual",
    "crisis": "krisis",
    "dormant": "mereda",
}


@dataclass
class Charts:
    """The report's chart images as PNG bytes (None when there is nothing to draw)."""

    volume: bytes
    sentiment: bytes | None
    trend: bytes | None


def pct(share: float) -> str:
    """A share as Indonesian percent: 0.425 -> '42,5%'.

    >>> pct(0.425)
    '42,5%'
    """
    return format_percent(share, "id")


def change_text(report: Report) -> str:
    """A sentence comparing the volume with the period before."""
    period = "hari sebelumnya" if report.kind == "daily" else "pekan sebelumnya"
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


def draw_charts(report: Report) -> Charts:
    """Draw the volume, sentiment and (weekly) issue-trend charts."""
    volume = line_chart(
        report.volume,
        "Sebutan per kanal",
        [c for c in CHANNELS if c in report.by_channel] or ["news"],
    )
    sentiment = (
        bar_chart({s: report.by_sentiment.get(s, 0) for s in SENTIMENTS}, "Sentimen")
        if report.by_sentiment
        else None
    )
    trend = None
    if report.kind == "weekly" and report.issues:
        lines = {f"{n}. {i.label[:40]}": i.spark for n, i in enumerate(report.issues, start=1)}
        trend = line_chart(Series(report.spark_keys, lines), "Tren harian lima isu teratas")
    return Charts(volume, sentiment, trend)


def _data_uri(png: bytes | None) -> str | None:
    return None if png is None else "data:image/png;base64," + base64.b64encode(png).decode()


@cache
def _env() -> Environment:
    folder = str(resources.files("pantau.reports").joinpath("templates"))
    return Environment(
        loader=FileSystemLoader(folder),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )


def render_html(report: Report, charts: Charts, *, base_url: str = "") -> str:
    """The report as one self-contained HTML page (charts embedded as data URIs)."""
    tz = report.tz
    last_day = report.end - timedelta(seconds=1)
    ctx: dict[str, Any] = {
        "r": report,
        "day_text": format_date(last_day, tz, "id"),
        "day_short": format_date(last_day, tz, "id").split(", ", 1)[-1],
        "start_text": format_date(report.start, tz, "id"),
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
    }
    return _env().get_template("report.html.j2").render(ctx)


def render_report(report: Report, fmt: str, *, base_url: str = "") -> bytes:
    """The report in ``fmt`` (pdf, html or docx) as bytes."""
    if fmt not in FORMATS:
        raise ValueError(f"format {fmt!r} tidak dikenal; pilih pdf, html atau docx")
    charts = draw_charts(report)
    if fmt == "docx":
        from pantau.reports.docx_writer import report_docx

        return report_docx(report, charts, base_url=base_url)
    html = render_html(report, charts, base_url=base_url)
    if fmt == "html":
        return html.encode("utf-8")
    from weasyprint import HTML  # heavy import: only when a PDF is asked for

    pdf = HTML(string=html).write_pdf()
    if pdf is None:
        raise RuntimeError("WeasyPrint returned no PDF")
    return bytes(pdf)
