"""The editor flow a Pranata Humas clicks, in headless Chromium: from an issue to an approved,
exported release (DOCX read back with python-docx, PDF with pdftotext)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from docx import Document as WordDocument

from tests.conftest import AppEnv, LiveServer, browser_login
from tests.writing_web.desk_fixtures import add_issue

pytestmark = pytest.mark.browser

HEADLINE = "Banjir Sempaja Rendam Ratusan Rumah"
#: Typed into the editor: two errors the linter must mark, both with safe fixes.
TYPED = "\nSilahkan warga menghubungi posko tanpa biaya Rp 5.000 seperti kabar yang beredar.\n"


def _fill_facts(page) -> None:  # type: ignore[no-untyped-def]
    page.fill("input[name=what]", "membuka posko pengungsian bagi warga terdampak banjir")
    page.fill("input[name=why]", "Posko dibuka karena air belum surut di tiga kelurahan.")
    page.fill("input[name=how]", "Warga dapat datang langsung ke posko atau melapor lewat telepon.")
    page.fill("input[name=quote1_text]", "Kami memastikan setiap warga terdampak mendapat tempat")
    page.fill("input[name=quote1_speaker]", "Muhammad Faisal")
    page.fill("input[name=quote1_position]", "Kepala Dinas Komunikasi dan Informatika Samarinda")
    page.fill("input[name=contact_position]", "Pranata Humas")
    page.fill("input[name=contact_phone]", "0812-0000-0000")


def test_editor_flow_from_issue_to_approved_exports(
    app_env: AppEnv, live_server: LiveServer, browser, tmp_path: Path
) -> None:
    issue_id = add_issue(app_env, label=HEADLINE)
    errors: list[str] = []
    author = browser.new_context(accept_downloads=True)
    page = author.new_page()
    page.on("pageerror", lambda e: errors.append(str(e)))
    browser_login(page, live_server.url, "rina")

    # 1. from the issue page to a composer pre-filled from the issue
    page.goto(f"{live_server.url}/issues/{issue_id}")
    page.click("#create-document")
    page.wait_for_url("**/tulis/baru?**")
    assert page.input_value("input[name=headline]") == HEADLINE
    assert page.input_value("input[name=city]") == "Samarinda"
    assert page.input_value("input[name=when]") == "2026-11-20T10:00"
    _fill_facts(page)
    page.click("#compose")
    page.wait_for_url(f"{live_server.url}/tulis/*")
    doc_url = page.url
    assert page.locator("#doc-title").inner_text() == HEADLINE
    assert page.locator("#findings-list li.sev-error").count() == 0

    # 2. findings shown as one types (htmx, keyup, 500 ms)
    textarea = page.locator("#text")
    textarea.fill(textarea.input_value() + TYPED)
    textarea.press("End")
    page.wait_for_selector('#findings-list li[data-rule="ejaan.baku"]')
    assert page.locator('#findings-list li[data-rule="eyd.rupiah"]').count() == 1
    assert page.locator("#findings mark.temuan-error").count() >= 2

    # 3. the safe fixes, saved as version 2
    page.click("#apply-fixes")
    page.wait_for_selector("#doc-version:text('2')")
    assert "Silakan warga" in textarea.input_value()
    assert "Rp5.000" in textarea.input_value()
    assert page.locator("#findings-list li.sev-error").count() == 0
    page.click("#move-ditinjau")
    page.wait_for_selector("#doc-status:text('ditinjau')")
    assert page.locator("#move-disetujui").count() == 0  # the author may not approve

    # 4. a coordinator approves and downloads
    reviewer = browser.new_context(accept_downloads=True)
    other = reviewer.new_page()
    other.on("pageerror", lambda e: errors.append(str(e)))
    browser_login(other, live_server.url, "koord")
    other.goto(doc_url)
    other.click("#move-disetujui")
    other.wait_for_selector("#doc-status:text('disetujui')")
    with other.expect_download() as got:
        other.click("#download-docx")
    docx_path = tmp_path / "rilis.docx"
    got.value.save_as(docx_path)
    paragraphs = [p.text for p in WordDocument(str(docx_path)).paragraphs]
    assert HEADLINE in paragraphs
    assert any(p.startswith("SAMARINDA - ") for p in paragraphs)
    assert any("Silakan warga menghubungi posko" in p for p in paragraphs)
    with other.expect_download() as got:
        other.click("#download-pdf")
    pdf_path = tmp_path / "rilis.pdf"
    got.value.save_as(pdf_path)
    pdftotext = shutil.which("pdftotext")
    assert pdftotext, "pdftotext (Debian poppler-utils) is needed to read the PDF back"
    text = subprocess.run(
        [pdftotext, "-layout", str(pdf_path), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert HEADLINE in text
    assert "Silakan warga menghubungi posko" in " ".join(text.split())
    assert errors == []
    author.close()
    reviewer.close()
