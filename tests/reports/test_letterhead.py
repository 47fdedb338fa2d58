"""Each agency's letterhead: the logo cleaned on upload, set in the admin page, and printed on
its releases and on the daily report (PDFs read back with pdftotext)."""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import select

from pantau.reports.kinds import report_kind
from pantau.reports.render import render_report
from pantau.store import Agency, AuditEntry
from pantau.writing.export import to_docx, to_pdf
from pantau.writing.letterhead import (
    LOGO_MAX_SIDE,
    Letterhead,
    LogoError,
    clean_logo,
    letterhead_for,
)
from tests.conftest import AppEnv
from tests.reports.sample import DAY

CAMERA = "KameraRahasia-SN-0042"
RELEASE = "UNTUK DISIARKAN SEGERA\nPosko Banjir Dibuka\nSAMARINDA - Posko banjir dibuka hari ini."


def _photo_with_exif(size: tuple[int, int] = (1600, 900)) -> bytes:
    image = Image.new("RGB", size, (11, 92, 171))
    exif = Image.Exif()
    exif[0x010F] = CAMERA  # Make
    exif[0x0112] = 6  # Orientation: rotated 90 degrees
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


def _pdf_text(pdf: bytes, tmp_path: Path) -> str:
    pdftotext = shutil.which("pdftotext")
    assert pdftotext, "pdftotext (Debian poppler-utils) is needed to read the PDF back"
    path = tmp_path / "doc.pdf"
    path.write_bytes(pdf)
    done = subprocess.run([pdftotext, str(path), "-"], capture_output=True, text=True, check=True)
    return " ".join(done.stdout.split())


def test_a_logo_is_stored_upright_small_and_without_its_exif() -> None:
    raw = _photo_with_exif()
    assert CAMERA.encode() in raw
    stored = clean_logo(raw)
    assert CAMERA.encode() not in stored
    with Image.open(io.BytesIO(stored)) as img:
        assert img.format == "PNG" and "exif" not in img.info
        assert max(img.size) == LOGO_MAX_SIDE and img.height > img.width  # turned upright


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (b"", "kosong"),
        (b"GIF89a not really an image", "bukan gambar"),
        (b"%PDF-1.7 " + b"x" * 100, "bukan gambar"),
    ],
)
def test_what_is_not_a_logo_is_refused_with_a_reason(raw: bytes, reason: str) -> None:
    with pytest.raises(LogoError, match=reason):
        clean_logo(raw)


def test_a_decompression_bomb_is_refused_before_it_is_decoded() -> None:
    out = io.BytesIO()
    Image.new("1", (6000, 5000)).save(out, "PNG")  # 30 megapixels in a few kilobytes
    assert len(out.getvalue()) < 100_000
    with pytest.raises(LogoError, match="terlalu besar"):
        clean_logo(out.getvalue())


def test_release_pdf_and_docx_carry_the_letterhead(tmp_path: Path) -> None:
    from docx import Document

    lh = Letterhead(
        "Dinas Komunikasi dan Informatika Kota Samarinda",
        address="Jl. Basuki Rahmat No. 41, Samarinda",
        phone="(0541) 741000",
        web="diskominfo.samarindakota.go.id",
        logo_png=clean_logo(_photo_with_exif((300, 300))),
    )
    text = _pdf_text(to_pdf(RELEASE, lh), tmp_path)
    assert "DINAS KOMUNIKASI DAN INFORMATIKA KOTA SAMARINDA" in text
    for part in ("Jl. Basuki Rahmat No. 41, Samarinda", "Telp. (0541) 741000", lh.web):
        assert part in text and text.index(part) < text.index("Posko Banjir Dibuka"), part
    word = Document(io.BytesIO(to_docx(RELEASE, lh)))
    lines = [p.text for p in word.paragraphs]
    assert "DINAS KOMUNIKASI DAN INFORMATIKA KOTA SAMARINDA" in lines
    assert len(word.inline_shapes) == 1  # the logo


def test_admin_sets_the_letterhead_and_the_daily_report_prints_it(
    sample_env: AppEnv, tmp_path: Path
) -> None:
    c = sample_env.client()
    sample_env.login(c, "admin")
    with sample_env.db.session() as s:
        samarinda = s.scalar(select(Agency).where(Agency.short_name == "Diskominfo Samarinda"))
        form = {
            "id": str(samarinda.id),
            "name": samarinda.name,
            "short_name": samarinda.short_name,
            "level": samarinda.level,
            "region_code": samarinda.region_code or "",
            "mandate_regions": " ".join(r.region_code for r in samarinda.regions),
        }
    c.get("/admin/instansi")
    letterhead = {"address": "Jl. Basuki Rahmat No. 41", "phone": "0541-741000", "web": "x y"}
    bad = c.post(
        "/admin/instansi",
        data={**form, **letterhead, "csrf_token": sample_env.csrf(c)},
        files={"logo": ("logo.jpg", _photo_with_exif(), "image/jpeg")},
    )
    assert bad.status_code == 422 and "bukan alamat web" in bad.text
    letterhead["web"] = "diskominfo.samarindakota.go.id"
    not_image = c.post(
        "/admin/instansi",
        data={**form, **letterhead, "csrf_token": sample_env.csrf(c)},
        files={"logo": ("logo.png", b"<svg onload=alert(1)>", "image/png")},
    )
    assert not_image.status_code == 422 and "bukan gambar" in not_image.text
    done = c.post(
        "/admin/instansi",
        data={**form, **letterhead, "csrf_token": sample_env.csrf(c)},
        files={"logo": ("logo.jpg", _photo_with_exif(), "image/jpeg")},
        follow_redirects=False,
    )
    assert done.status_code == 303
    page = c.get(f"/admin/instansi?ubah={samarinda.id}").text
    assert 'value="Jl. Basuki Rahmat No. 41"' in page and "logo.png" in page
    logo = c.get(f"/admin/instansi/{samarinda.id}/logo.png")
    assert logo.headers["content-type"] == "image/png" and CAMERA.encode() not in logo.content
    with sample_env.db.session() as s:
        actions = set(
            s.scalars(select(AuditEntry.action).where(AuditEntry.object_id == samarinda.id))
        )
        assert {"agency.update", "agency.logo"} <= actions
    # rina works at Diskominfo Samarinda: her daily report carries its letterhead
    reader = sample_env.client()
    sample_env.login(reader, "rina")
    pdf = reader.get("/reports/daily.pdf", params={"date": DAY.isoformat()})
    text = _pdf_text(pdf.content, tmp_path)
    assert samarinda.name.upper() in text
    for part in letterhead.values():
        assert part in text, part
    # from the command line (no reader) the report is the lead agency's: the province's office
    with sample_env.db.session() as s:
        lead = letterhead_for(s, None)
        report = report_kind("daily").build(s, DAY, "Asia/Makassar")
    assert lead is not None and "Provinsi" in lead.name
    assert lead.name.upper() in _pdf_text(render_report(report, "pdf", letterhead=lead), tmp_path)
