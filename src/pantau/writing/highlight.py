"""Findings marked up in the text as HTML, for the editor's live view (htmx swaps this in).

>>> from pantau.writing import lint
>>> text = "Silahkan datang."
>>> annotate_html(text, lint(text))
'<p><mark class="temuan temuan-error" data-rule="ejaan.baku" title="&quot;Silahkan&quot; \
tidak baku; bentuk baku KBBI: &quot;Silakan&quot;.">Silahkan</mark> datang.</p>'
"""

from __future__ import annotations

from collections.abc import Iterable
from html import escape

from pantau.writing.model import Finding, Severity

__all__ = ["annotate_html"]

_ORDER = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}


def _chosen(findings: Iterable[Finding], text: str) -> list[Finding]:
    """Non-overlapping one-line findings; at one place the most severe, then shortest, wins."""
    size = len(text)
    ranked = sorted(
        (
            f
            for f in findings
            if 0 <= f.start <= f.end <= size and "\n" not in text[f.start : f.end]
        ),
        key=lambda f: (f.start, _ORDER[f.severity], f.end - f.start),
    )
    out: list[Finding] = []
    for item in ranked:
        if out and item.start < out[-1].end:
            continue
        out.append(item)
    return out


def _mark(text: str, f: Finding) -> str:
    attrs = (
        f'class="temuan temuan-{f.severity}" data-rule="{escape(f.rule)}" '
        f'title="{escape(f.message)}"'
    )
    if f.start == f.end:  # something missing here (a headline, a dateline)
        return f"<span {attrs}></span>"
    return f"<mark {attrs}>{escape(text[f.start : f.end])}</mark>"


def annotate_html(text: str, findings: Iterable[Finding]) -> str:
    """``text`` as escaped HTML paragraphs (one per line) with findings in ``<mark>`` tags."""
    pieces: list[str] = []
    pos = 0
    for f in _chosen(findings, text):
        pieces.append(escape(text[pos : f.start]))
        pieces.append(_mark(text, f))
        pos = f.end
    pieces.append(escape(text[pos:]))
    body = "".join(pieces)
    # Marks never span a line break (_chosen drops such findings), so splitting is safe.
    return "\n".join(f"<p>{line}</p>" for line in body.split("\n") if line.strip())
