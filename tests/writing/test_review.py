"""Review flow and the editor's highlighted view."""

from __future__ import annotations

from datetime import datetime

import pytest

from pantau.writing import lint
from pantau.writing.composer import EXAMPLE_FIELDS, compose
from pantau.writing.highlight import annotate_html
from pantau.writing.review import Manuscript, ReviewError, ReviewStatus

AT = datetime(2024, 9, 24, 9, 0)
CLEAN = compose("siaran_pers", EXAMPLE_FIELDS).text
WITH_ERROR = CLEAN.replace("Posko dibuka karena", "Silahkan dicatat, posko dibuka karena")


def test_full_flow_from_draft_to_published() -> None:
    doc = Manuscript.start("siaran_pers", WITH_ERROR, "rina", AT, issue_id=12)
    doc = doc.transition(ReviewStatus.REVIEW, "rina", AT)
    with pytest.raises(ReviewError, match=r"ejaan\.baku"):
        doc.transition(ReviewStatus.APPROVED, "faisal", AT)
    doc = doc.edit(CLEAN, "rina", AT, "ejaan diperbaiki")
    assert doc.status == ReviewStatus.DRAFT and doc.latest.number == 2
    doc = doc.transition(ReviewStatus.REVIEW, "rina", AT)
    doc = doc.transition(ReviewStatus.APPROVED, "faisal", AT)
    doc = doc.transition(ReviewStatus.PUBLISHED, "faisal", AT)
    assert [e.status for e in doc.history] == [
        ReviewStatus.DRAFT,
        ReviewStatus.REVIEW,
        ReviewStatus.DRAFT,
        ReviewStatus.REVIEW,
        ReviewStatus.APPROVED,
        ReviewStatus.PUBLISHED,
    ]
    assert doc.issue_id == 12 and doc.versions[0].text == WITH_ERROR


def test_flow_refuses_skips_self_approval_and_edits_after_publishing() -> None:
    doc = Manuscript.start("siaran_pers", CLEAN, "rina", AT)
    with pytest.raises(ReviewError, match="tidak dapat berpindah"):
        doc.transition(ReviewStatus.PUBLISHED, "faisal", AT)
    doc = doc.transition(ReviewStatus.REVIEW, "rina", AT)
    with pytest.raises(ReviewError, match="orang lain"):
        doc.transition(ReviewStatus.APPROVED, "rina", AT)
    published = doc.transition(ReviewStatus.APPROVED, "faisal", AT).transition(
        ReviewStatus.PUBLISHED, "faisal", AT
    )
    with pytest.raises(ReviewError, match="diterbitkan"):
        published.edit(CLEAN + "Tambahan.\n", "rina", AT)


def test_saving_the_same_text_adds_no_version() -> None:
    doc = Manuscript.start("siaran_pers", CLEAN, "rina", AT)
    assert doc.edit(CLEAN, "rina", AT) is doc


def test_highlight_marks_findings_and_escapes_text() -> None:
    text = "Judul <Baru>\nSAMARINDA - Warga & petugas silahkan berkumpul di Sempaja hari ini.\n"
    html = annotate_html(text, lint(text))
    assert "Judul &lt;Baru&gt;" in html
    assert "Warga &amp; petugas" in html
    assert '<mark class="temuan temuan-error" data-rule="ejaan.baku"' in html
    assert ">silahkan</mark>" in html
    assert html.count("<p>") == 2


def test_highlight_keeps_the_most_severe_of_overlapping_findings() -> None:
    text = "Judul\nSAMARINDA - Petugas berjaga dikantor kelurahan di Sempaja hari ini.\n"
    found = lint(text)
    assert {f.rule for f in found} >= {"eyd.di_pisah"}
    html = annotate_html(text, found)
    assert html.count("<mark") == 1 and 'data-rule="eyd.di_pisah"' in html


def test_missing_headline_is_a_point_marker() -> None:
    text = "SAMARINDA - Petugas berjaga di kantor kelurahan di Sempaja, Selasa (24/9/2024).\n"
    html = annotate_html(text, lint(text))
    assert '<span class="temuan temuan-error" data-rule="struktur.judul"' in html
