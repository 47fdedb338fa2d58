"""Export a draft as plain text, HTML, PDF (WeasyPrint) or DOCX (python-docx).

All four read the text the same way :func:`pantau.writing.document.parse` does: marker lines
("UNTUK DISIARKAN SEGERA"), the headline, then one paragraph per line.

>>> "<h1>Posko Dibuka</h1>" in to_html("UNTUK DISIARKAN SEGERA\\nPosko Dibuka\\nSAMARINDA - "
...                                     "Posko banjir dibuka di Samarinda hari ini.")
True
"""

from __future__ import annotations

import html
import io
import logging
from typing import Protocol

from pantau.writing.document import MARKER, parse
from pantau.writing.letterhead import LETTERHEAD_CSS, Letterhead, add_to_docx
from pantau.writing.model import Draft

__all__ = ["EXPORTERS", "to_docx", "to_html", "to_pdf", "to_text"]

logger = logging.getLogger(__name__)

_CSS = """
@page { size: A4; margin: 2.5cm 2.2cm; }
body { font-family: "DejaVu Serif", serif; font-size: 11.5pt; line-height: 1.5; color: #111; }
p.penanda { font-family: "DejaVu Sans", sans-serif; font-size: 9.5pt; font-weight: bold;
            letter-spacing: 0.05em; margin: 0 0 0.3em 0; }
h1 { font-family: "DejaVu Sans", sans-serif; font-size: 17pt; margin: 0.8em 0 0.8em 0; }
p { margin: 0 0 0.8em 0; text-align: justify; }
"""


class Exporter(Protocol):
    """Writes a draft, under an agency's letterhead when given, as a file's bytes."""

    def __call__(self, draft: Draft | str, letterhead: Letterhead | None = None) -> bytes: ...


def _text(draft: Draft | str) -> str:
    return draft.text if isinstance(draft, Draft) else draft


def _blocks(draft: Draft | str) -> list[tuple[str, str]]:
    """(role, text) per paragraph: ``marker``, ``headline`` or ``body``."""
    text = _text(draft)
    doc = parse(text)
    header = {(s.start, s.end) for s in doc.header}
    out = []
    for span in doc.paragraphs:
        chunk = span.text(text)
        if span == doc.headline:
            out.append(("headline", chunk))
        elif (span.start, span.end) in header and MARKER.match(chunk):
            out.append(("marker", chunk))
        else:
            out.append(("body", chunk))
    return out


def to_text(draft: Draft | str) -> str:
    """The draft as UTF-8 plain text, a blank line between paragraphs."""
    return "\n\n".join(chunk for _, chunk in _blocks(draft)) + "\n"


def to_html(
    draft: Draft | str, *, standalone: bool = True, letterhead: Letterhead | None = None
) -> str:
    """The draft as HTML: a whole page with print styles (under ``letterhead`` when given), or
    only the body's fragment."""
    parts = [letterhead.html()] if letterhead and standalone else []
    for role, chunk in _blocks(draft):
        safe = html.escape(chunk)
        if role == "headline":
            parts.append(f"<h1>{safe}</h1>")
        elif role == "marker":
            parts.append(f'<p class="penanda">{safe}</p>')
        else:
            parts.append(f"<p>{safe}</p>")
    fragment = "\n".join(parts)
    if not standalone:
        return fragment
    title = html.escape(next((c for r, c in _blocks(draft) if r == "headline"), "Dokumen"))
    return (
        '<!DOCTYPE html>\n<html lang="id">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{title}</title>\n<style>{_CSS}{LETTERHEAD_CSS}</style>\n</head>\n"
        f"<body>\n{fragment}\n"
        "</body>\n</html>\n"
    )


def to_pdf(draft: Draft | str, letterhead: Letterhead | None = None) -> bytes:
    """The draft as an A4 PDF rendered by WeasyPrint from :func:`to_html`."""
    from weasyprint import HTML  # heavy import: only when a PDF is asked for

    pdf = HTML(string=to_html(draft, letterhead=letterhead)).write_pdf()
    if pdf is None:  # write_pdf returns None only when given a target
        raise RuntimeError("WeasyPrint tidak menghasilkan PDF.")
    return bytes(pdf)


def to_docx(draft: Draft | str, letterhead: Letterhead | None = None) -> bytes:
    """The draft as a Word document: the letterhead when given, markers in bold capitals,
    headline as Heading 1."""
    from docx import Document as WordDocument
    from docx.shared import Pt

    word = WordDocument()
    style = word.styles["Normal"]
    style.font.size = Pt(11.5)
    if letterhead is not None:
        add_to_docx(word, letterhead)
    for role, chunk in _blocks(draft):
        if role == "headline":
            word.add_heading(chunk, level=1)
        elif role == "marker":
            run = word.add_paragraph().add_run(chunk)
            run.bold = True
            run.font.size = Pt(9.5)
        else:
            word.add_paragraph(chunk)
    buffer = io.BytesIO()
    word.save(buffer)
    return buffer.getvalue()


#: Export formats by name, for the CLI and the web editor: (draft, letterhead or None) -> bytes.
#: Plain text carries no letterhead (it is pasted into mail and chat).
EXPORTERS: dict[str, Exporter] = {
    "text": lambda d, letterhead=None: to_text(d).encode("utf-8"),
    "html": lambda d, letterhead=None: to_html(d, letterhead=letterhead).encode("utf-8"),
    "pdf": to_pdf,
    "docx": to_docx,
}
