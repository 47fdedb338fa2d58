"""An agency's letterhead (kop surat): name, logo, address, phone and web, on releases and reports.

:class:`Letterhead` is the plain record the documents draw; :func:`letterhead_for` reads it from
the store for an agency, or for the network's lead agency when a document belongs to none (a
report run from the command line). :func:`clean_logo` turns an uploaded image into the stored
logo: checked to be a real image of a known format, its orientation applied, shrunk to
:data:`LOGO_MAX_SIDE` and written again as PNG, so no EXIF (camera, place, time) survives.

>>> lh = Letterhead("Diskominfo <Kaltim>", address="Jl. Basuki Rahmat 41, Samarinda")
>>> "Diskominfo &lt;Kaltim&gt;" in lh.html() and "<img" not in lh.html()
True
"""

from __future__ import annotations

import base64
import html
import io
import logging
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from pantau.store.models import Agency
from pantau.writing.images import ImageLimits, ImageRefused, Refusal, reencode

__all__ = [
    "LETTERHEAD_CSS",
    "LOGO_MAX_BYTES",
    "LOGO_MAX_SIDE",
    "Letterhead",
    "LogoError",
    "add_to_docx",
    "clean_logo",
    "lead_agency_id",
    "letterhead_for",
]

logger = logging.getLogger(__name__)

#: Largest upload accepted: an agency logo is tens of kilobytes; 2 MiB leaves room for a photo
#: taken of a printed one, and refuses a paste accident before it is decoded.
LOGO_MAX_BYTES = 2 * 1024 * 1024
#: Longest side of the stored logo in pixels: 3 cm on A4 at 300 dpi is 354 px.
LOGO_MAX_SIDE = 400
#: Largest image decoded (width x height): far above any logo, far below a decompression bomb
#: (a 50 KB PNG can claim 50,000 x 50,000 pixels and gigabytes of memory).
LOGO_MAX_PIXELS = 25_000_000
#: Formats accepted, as Pillow names them.
LOGO_FORMATS = ("PNG", "JPEG", "GIF", "WEBP")
_LOGO_LIMITS = ImageLimits(LOGO_MAX_BYTES, LOGO_MAX_PIXELS, LOGO_MAX_SIDE, LOGO_FORMATS)


class LogoError(ValueError):
    """An upload that is not a usable logo; the message says why, in Indonesian."""


@dataclass(frozen=True)
class Letterhead:
    """What a letterhead shows: the agency's name and its contact lines, and its logo (PNG)."""

    name: str
    address: str | None = None
    phone: str | None = None
    web: str | None = None
    logo_png: bytes | None = None

    def contact_line(self) -> str:
        """Address, phone and web on one line, as a kop shows them under the name."""
        parts = [self.address, f"Telp. {self.phone}" if self.phone else None, self.web]
        return " · ".join(p for p in parts if p)

    def logo_data_uri(self) -> str | None:
        if not self.logo_png:
            return None
        return "data:image/png;base64," + base64.b64encode(self.logo_png).decode("ascii")

    def html(self) -> str:
        """The letterhead as an HTML block (escaped), styled by the document's own CSS."""
        logo = self.logo_data_uri()
        img = f'<td class="kop-logo"><img src="{logo}" alt=""></td>' if logo else ""
        contact = html.escape(self.contact_line())
        return (
            f'<table class="kop"><tr>{img}<td class="kop-text">'
            f'<p class="kop-name">{html.escape(self.name)}</p>'
            + (f'<p class="kop-contact">{contact}</p>' if contact else "")
            + "</td></tr></table>"
        )


#: Print styles of :meth:`Letterhead.html`, for documents that show it.
LETTERHEAD_CSS = """
table.kop { width: 100%; border-collapse: collapse; border-bottom: 2.5pt double #111;
            margin-bottom: 0.6cm; }
table.kop td { border: 0; padding: 0 0 0.25cm 0; vertical-align: middle; }
td.kop-logo { width: 3.2cm; }
td.kop-logo img { width: auto; max-height: 2.2cm; max-width: 3cm; }
p.kop-name { font-family: "DejaVu Sans", sans-serif; font-size: 14pt; font-weight: bold;
             text-transform: uppercase; margin: 0; }
p.kop-contact { font-family: "DejaVu Sans", sans-serif; font-size: 9pt; margin: 0.1cm 0 0 0;
                text-align: left; }
"""


def add_to_docx(word: Any, letterhead: Letterhead) -> None:
    """Write ``letterhead`` at the top of the python-docx document ``word``."""
    from docx.shared import Cm, Pt

    if letterhead.logo_png:
        word.add_picture(io.BytesIO(letterhead.logo_png), height=Cm(2))
    name = word.add_paragraph().add_run(letterhead.name.upper())
    name.bold = True
    name.font.size = Pt(14)
    if contact := letterhead.contact_line():
        word.add_paragraph(contact).runs[0].font.size = Pt(9)


def clean_logo(raw: bytes) -> bytes:
    """The stored form of an uploaded logo: validated, upright, at most
    :data:`LOGO_MAX_SIDE` px, re-encoded as PNG without any metadata.

    Raises :class:`LogoError` for an empty, oversized, unreadable or unknown image.
    """
    try:
        return reencode(raw, _LOGO_LIMITS, "RGBA", "PNG", optimize=True).data
    except ImageRefused as refused:
        raise LogoError(_logo_refusal(refused)) from None


def _logo_refusal(refused: ImageRefused) -> str:
    """Why an upload is not a logo, in the admin's words."""
    if refused.refusal is Refusal.EMPTY:
        return "Berkas logo kosong."
    if refused.refusal is Refusal.TOO_MANY_BYTES:
        return f"Logo lebih dari {LOGO_MAX_BYTES // (1024 * 1024)} MB; perkecil dulu."
    if refused.refusal is Refusal.FORMAT:
        return f"Format {refused.kind} tidak diterima; pakai PNG, JPEG, GIF atau WEBP."
    if refused.refusal is Refusal.TOO_MANY_PIXELS and refused.size:
        width, height = refused.size
        return f"Gambar {width}x{height} piksel terlalu besar untuk logo."
    if refused.refusal is Refusal.TOO_MANY_PIXELS:
        return "Gambar terlalu besar untuk logo."
    return "Berkas ini bukan gambar yang dapat dibaca."


def lead_agency_id(session: Session) -> int | None:
    """The network's lead agency: the first top-level agency (no parent), province first."""
    stmt = (
        select(Agency.id)
        .where(Agency.parent_id.is_(None))
        .order_by((Agency.level != "provinsi"), Agency.id)
        .limit(1)
    )
    return session.scalar(stmt)


def letterhead_for(session: Session, agency_id: int | None) -> Letterhead | None:
    """The letterhead of ``agency_id``, or of the lead agency when None; None without agencies."""
    agency_id = agency_id if agency_id is not None else lead_agency_id(session)
    agency = session.get(Agency, agency_id) if agency_id is not None else None
    if agency is None:
        return None
    return Letterhead(
        name=agency.name,
        address=agency.letterhead_address,
        phone=agency.letterhead_phone,
        web=agency.letterhead_web,
        logo_png=agency.logo_png,
    )
