"""The reports' wording, shared by every format: stage names, percentages, the volume sentence.

The HTML/PDF template and the Word writer say the same things in the same words; both take them
from here.
"""

from __future__ import annotations

from pantau.i18n import format_number
from pantau.reports.documents import Report

__all__ = ["STAGE_NAMES", "change_text", "pct"]

STAGE_NAMES = {
    "potential": "potensial",
    "emerging": "muncul",
    "current": "aktual",
    "crisis": "krisis",
    "dormant": "mereda",
}


def pct(share: float) -> str:
    """A share as Indonesian percent: 0.425 -> '42,5%'.

    >>> pct(0.425)
    '42,5%'
    """
    return f"{share * 100:.1f}%".replace(".", ",")


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
