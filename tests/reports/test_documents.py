"""The printed reports read back: pdftotext for the PDFs, python-docx for DOCX, figures vs SQL."""

from __future__ import annotations

import io
import re
import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from docx import Document
from sqlalchemy import func, select

from pantau.reports.documents import daily_report, default_day, weekly_report
from pantau.reports.render import render_report
from pantau.store import Database, Issue, Mention
from tests.reports.sample import DAY

TZ = "Asia/Makassar"
# 00.00 WITA on the report day, and the day after
DAY_START = datetime(2026, 11, 19, 16, tzinfo=UTC)
DAY_END = DAY_START + timedelta(days=1)


def _pdf_text(data: bytes, tmp_path: Path) -> str:
    path = tmp_path / "r.pdf"
    path.write_bytes(data)
    out = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    )
    return out.stdout


def _pdf_images(data: bytes, tmp_path: Path) -> int:
    path = tmp_path / "i.pdf"
    path.write_bytes(data)
    out = subprocess.run(["pdfimages", "-list", str(path)], capture_output=True, text=True)
    return len([line for line in out.stdout.splitlines()[2:] if line.strip()])


def _count(db: Database, *conds: object) -> int:
    with db.session() as s:
        return int(
            s.scalar(
                select(func.count(Mention.id)).where(
                    Mention.published_at >= DAY_START, Mention.published_at < DAY_END, *conds
                )
            )
            or 0
        )


def _row(text: str, label: str) -> int:
    """The number on the table row that starts with ``label`` (Indonesian thousands)."""
    m = re.search(rf"^\s*{re.escape(label)}\s+([\d.]+)\s*$", text, re.M)
    assert m, f"no row {label!r} in:\n{text}"
    return int(m.group(1).replace(".", ""))


@pytest.mark.slow
def test_daily_pdf_figures_match_the_database(sample_db: Database, tmp_path: Path) -> None:
    with sample_db.session() as s:
        report = daily_report(s, DAY, TZ)
    data = render_report(report, "pdf")
    text = _pdf_text(data, tmp_path)
    assert "Laporan Monitoring Media" in text
    assert "Jumat, 20 November 2026" in text  # Indonesian date of the report day
    assert re.search(r"Halaman 1 dari [23]", text) and "Halaman 2 dari" in text
    assert _row(text, "Berita") == _count(sample_db, Mention.channel == "news")
    assert _row(text, "Media sosial") == _count(sample_db, Mention.channel == "social")
    assert _row(text, "Pengaduan") == _count(sample_db, Mention.channel == "complaint")
    assert _row(text, "Negatif") == _count(sample_db, Mention.sentiment == "negative")
    assert _row(text, "Positif") == _count(sample_db, Mention.sentiment == "positive")
    assert _row(text, "Kaltim Post") == _count(sample_db, Mention.outlet == "Kaltim Post")
    assert "1. Banjir di Sempaja Samarinda" in text and "krisis" in text
    assert "Perlu klarifikasi" in text
    assert _pdf_images(data, tmp_path) >= 2  # volume and sentiment


@pytest.mark.slow
def test_weekly_pdf_has_top_five_trend_and_actions(sample_db: Database, tmp_path: Path) -> None:
    with sample_db.session() as s:
        report = weekly_report(s, DAY, TZ)
        week = int(
            s.scalar(
                select(func.count(Mention.id)).where(
                    Mention.published_at >= DAY_END - timedelta(days=7),
                    Mention.published_at < DAY_END,
                )
            )
            or 0
        )
    data = render_report(report, "pdf")
    text = _pdf_text(data, tmp_path)
    assert "Isu Aktual" in text and "Sabtu, 14 November 2026" in text
    assert "Halaman 1 dari" in text
    assert re.search(rf"^\s*{week}\s", text, re.M)  # the total, first KPI
    assert "Rekomendasi: Terbitkan holding statement segera" in text
    assert _pdf_images(data, tmp_path) >= 3  # volume, sentiment, issue trend


@pytest.mark.slow
def test_a_hostile_issue_label_prints_as_text_in_the_weekly_pdf(
    sample_db: Database, tmp_path: Path
) -> None:
    """An issue label is words from the internet: dollar signs must not start matplotlib's
    mathtext in the trend chart's legend (an unclosed one aborted the whole report), markup
    must print as text, and emoji must not break either the chart or the page."""
    hostile = "Harga $\\frac{cabai$ naik 😡🔥 <b>parah</b>"
    with sample_db.writer() as s:
        issue = s.scalars(select(Issue).where(Issue.label.like("Harga cabai%"))).one()
        issue.label = hostile
    with sample_db.session() as s:
        report = weekly_report(s, DAY, TZ)
    assert any(i.label == hostile for i in report.issues)
    data = render_report(report, "pdf")
    text = _pdf_text(data, tmp_path)
    assert "Harga $\\frac{cabai$ naik" in text and "<b>parah</b>" in text
    assert _pdf_images(data, tmp_path) >= 3  # the trend chart with that legend was drawn


def test_docx_and_html_carry_the_same_figures(sample_db: Database) -> None:
    with sample_db.session() as s:
        report = daily_report(s, DAY, TZ)
    doc = Document(io.BytesIO(render_report(report, "docx")))
    cells = {
        t.rows[i].cells[0].text: t.rows[i].cells[1].text
        for t in doc.tables
        for i in range(1, len(t.rows))
    }
    assert int(cells["Berita"]) == _count(sample_db, Mention.channel == "news")
    assert int(cells["Netral"]) == _count(sample_db, Mention.sentiment == "neutral")
    assert len(doc.inline_shapes) >= 2
    footer_xml = doc.sections[0].footer.paragraphs[0]._p.xml
    assert "PAGE" in footer_xml and "NUMPAGES" in footer_xml
    html = render_report(report, "html").decode()
    assert html.count("data:image/png;base64,") >= 2 and "Jumat, 20 November 2026" in html


def test_unknown_format_is_refused(sample_db: Database) -> None:
    with sample_db.session() as s:
        report = daily_report(s, DAY, TZ)
    with pytest.raises(ValueError, match="pdf, html atau docx"):
        render_report(report, "odt")


def test_the_default_day_is_the_latest_complete_day_with_mentions(sample_db: Database) -> None:
    with sample_db.session() as s:
        # the morning after: yesterday, as a morning report has it
        assert default_day(s, TZ, DAY_END + timedelta(hours=2)) == DAY
        # weeks after the data ends: its last day, not an empty yesterday
        assert default_day(s, TZ, DAY_END + timedelta(days=17)) == DAY
        # during the only day with data, nothing is complete yet: yesterday
        assert default_day(s, TZ, DAY_END - timedelta(hours=1)) == DAY - timedelta(days=1)
