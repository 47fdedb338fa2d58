"""The report as a Word document (python-docx), for offices that edit before they sign.

The content and its order follow the HTML/PDF template; page numbers are a PAGE field in the
footer, so Word shows them on every page.
"""

from __future__ import annotations

import io
import logging
from typing import Any

from docx import Document
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from docx.text.paragraph import Paragraph

from pantau.i18n import format_dt, format_number, tz_abbrev
from pantau.records import CHANNELS
from pantau.reports.charts import CHANNEL_NAMES, Charts
from pantau.reports.documents import Report
from pantau.reports.kinds import report_kind
from pantau.reports.overview import SENTIMENTS
from pantau.reports.wording import STAGE_NAMES, change_text, pct, period_text
from pantau.workflow.ledger import LedgerRow
from pantau.writing.letterhead import Letterhead, add_to_docx

__all__ = ["report_docx"]

logger = logging.getLogger(__name__)

#: Width of chart images on an A4 page with 2 cm margins.
IMAGE_WIDTH = Cm(16)


def _field(paragraph: Paragraph, instruction: str) -> None:
    """Append a Word field (PAGE, NUMPAGES) to ``paragraph``."""
    run = paragraph.add_run()
    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = instruction
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    run._r.append(begin)
    run._r.append(instr)
    run._r.append(end)


def _table(doc: Any, header: tuple[str, str], rows: list[tuple[str, str]]) -> None:
    table = doc.add_table(rows=1, cols=2)
    table.style = "Light List"
    table.rows[0].cells[0].text, table.rows[0].cells[1].text = header
    for a, b in rows:
        cells = table.add_row().cells
        cells[0].text, cells[1].text = a, b


def report_docx(
    report: Report, charts: Charts, *, base_url: str = "", letterhead: Letterhead | None = None
) -> bytes:
    """The report as DOCX bytes, with the charts drawn for it, under ``letterhead``."""
    tz = report.tz
    kind = report_kind(report.kind)
    doc = Document()
    section = doc.sections[0]
    section.left_margin = section.right_margin = Cm(2)
    style = doc.styles["Normal"]
    style.font.name = "DejaVu Sans"
    style.font.size = Pt(10)
    footer = section.footer.paragraphs[0]
    footer.add_run("Halaman ")
    _field(footer, "PAGE")
    footer.add_run(" dari ")
    _field(footer, "NUMPAGES")

    if letterhead is not None:
        add_to_docx(doc, letterhead)
    doc.add_heading(report.title, level=0)
    made = format_dt(report.generated_at, tz, "id")
    doc.add_paragraph(f"{period_text(report)} · {tz_abbrev(tz)} · dibuat {made}")

    doc.add_heading("Ringkasan", level=1)
    doc.add_paragraph(
        f"{format_number(report.total)} sebutan; sentimen negatif {pct(report.negative_share)}."
    )
    doc.add_paragraph(change_text(report))
    doc.add_heading("Sebutan per kanal", level=1)
    doc.add_picture(io.BytesIO(charts.volume), width=IMAGE_WIDTH)
    _table(
        doc,
        ("Kanal", "Sebutan"),
        [(CHANNEL_NAMES[c], format_number(report.by_channel.get(c, 0))) for c in CHANNELS],
    )
    doc.add_heading("Sentimen", level=1)
    if charts.sentiment:
        doc.add_picture(io.BytesIO(charts.sentiment), width=IMAGE_WIDTH)
    _table(
        doc,
        ("Sentimen", "Sebutan"),
        [(CHANNEL_NAMES[s], format_number(report.by_sentiment.get(s, 0))) for s in SENTIMENTS],
    )

    doc.add_heading(kind.issues_heading, level=1)
    if charts.trend:
        doc.add_picture(io.BytesIO(charts.trend), width=IMAGE_WIDTH)
    for n, i in enumerate(report.issues, start=1):
        doc.add_heading(f"{n}. {i.label}", level=2)
        facts = (
            f"Tahap: {STAGE_NAMES.get(i.stage, i.stage)} · risiko {round(i.risk)}/100 · "
            f"{format_number(i.window_mentions)} sebutan dalam periode ini"
        )
        if i.crossover:
            facts += " · sudah masuk media arus utama"
            if i.lead_hours is not None:
                facts += f" {format_number(i.lead_hours, 'id', 1)} jam setelah muncul di medsos"
        if i.regions:
            facts += " · " + ", ".join(i.regions)
        doc.add_paragraph(facts)
        if i.summary:
            doc.add_paragraph(i.summary)
        if report.handling.get(i.id):
            p = doc.add_paragraph()
            p.add_run("Penanganan: ").bold = True
            p.add_run(report.handling[i.id])
        if kind.recommendations:
            p = doc.add_paragraph()
            p.add_run("Rekomendasi: ").bold = True
            p.add_run(report.actions[i.id])
    if not report.issues:
        doc.add_paragraph("Tidak ada isu dalam periode ini.")

    if report.regions:
        doc.add_heading("Sebaran wilayah", level=1)
        _table(
            doc,
            ("Kabupaten/kota", "Sebutan"),
            [(name, format_number(n)) for _, name, n in report.regions],
        )
    if report.closed:
        doc.add_heading("Isu selesai dan pelajarannya", level=1)
        for done in report.closed:
            doc.add_heading(done.label, level=2)
            doc.add_paragraph(
                f"Selesai {format_dt(done.closed_at, report.tz, 'id')}"
                + (f" · {done.agency}" if done.agency else "")
            )
            p = doc.add_paragraph()
            p.add_run("Pelajaran: ").bold = True
            p.add_run(done.lessons)
    if report.response_times:
        doc.add_heading("Waktu tanggap", level=1)
        _table(
            doc,
            ("Instansi", "Median jam sejak peringatan"),
            [(t.name, _response_line(t)) for t in report.response_times],
        )
    if kind.newsroom:
        doc.add_heading("Media terbanyak", level=1)
        _table(doc, ("Media", "Sebutan"), [(o, format_number(n)) for o, n in report.outlets])
        doc.add_heading("Perlu klarifikasi", level=1)
        for c in report.clarifications:
            when = format_dt(c.published_at, tz, "id", weekday=False)
            source = CHANNEL_NAMES.get(c.channel, c.channel) + (
                f" · {c.outlet}" if c.outlet else ""
            )
            doc.add_paragraph(f"{when} · {source}: {c.title}", style="List Bullet")
        if not report.clarifications:
            doc.add_paragraph("Tidak ada butir yang perlu klarifikasi.")
    doc.add_paragraph(f"Dibuat oleh pantau · {base_url}")
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def _response_line(row: LedgerRow) -> str:
    def hours(h: float | None) -> str:
        return "-" if h is None else f"{h} jam"

    line = (
        f"{row.issues} isu · klaim {hours(row.hours_to_claim)} · pernyataan pertama "
        f"{hours(row.hours_to_statement)} · selesai {hours(row.hours_to_close)}"
    )
    if row.outlets:
        line += (
            f" · rilis dimuat {row.outlets} media ({', '.join(row.outlet_names)}), "
            f"pertama dalam {hours(row.hours_to_pickup)}"
        )
    return line
