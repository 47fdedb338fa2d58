"""Exports: DOCX reopened with python-docx, PDF read back with pdftotext, HTML and text."""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import docx

from pantau.writing.composer import EXAMPLE_FIELDS, compose
from pantau.writing.export import EXPORTERS, to_docx, to_html, to_pdf, to_text

DRAFT = compose("siaran_pers", EXAMPLE_FIELDS)


def test_docx_reopens_with_headline_as_heading() -> None:
    document = docx.Document(io.BytesIO(to_docx(DRAFT)))
    paragraphs = [(p.style.name if p.style else "", p.text) for p in document.paragraphs]
    assert paragraphs[0] == ("Normal", "UNTUK DISIARKAN SEGERA")
    assert paragraphs[1] == ("Heading 1", DRAFT.headline)
    assert any(text.startswith("SAMARINDA - Pemerintah Provinsi") for _, text in paragraphs)


def test_pdf_reads_back_with_pdftotext(tmp_path: Path) -> None:
    pdftotext = shutil.which("pdftotext")
    assert pdftotext, "poppler-utils (pdftotext) is needed to read the PDF back"
    path = tmp_path / "rilis.pdf"
    path.write_bytes(to_pdf(DRAFT))
    text = subprocess.run(
        [pdftotext, "-layout", str(path), "-"], capture_output=True, check=True, text=True
    ).stdout
    flat = " ".join(text.split())
    assert "UNTUK DISIARKAN SEGERA" in flat
    assert DRAFT.headline in flat
    assert "Selasa (24/9/2024)" in flat


def test_html_escapes_and_marks_the_parts() -> None:
    page = to_html("Judul <b>Tebal</b>\nSAMARINDA - Warga & petugas membersihkan sungai hari ini.")
    assert "<h1>Judul &lt;b&gt;Tebal&lt;/b&gt;</h1>" in page
    assert "Warga &amp; petugas" in page
    assert page.startswith("<!DOCTYPE html>")
    fragment = to_html(DRAFT, standalone=False)
    assert fragment.startswith('<p class="penanda">UNTUK DISIARKAN SEGERA</p>')


def test_text_export_keeps_every_paragraph() -> None:
    text = to_text(DRAFT)
    assert [p.strip() for p in text.split("\n\n") if p.strip()] == [
        line for line in DRAFT.text.splitlines() if line.strip()
    ]
    assert EXPORTERS["text"](DRAFT) == text.encode("utf-8")
