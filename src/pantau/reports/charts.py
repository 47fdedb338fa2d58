"""Charts for the printed reports, drawn with matplotlib's Agg backend into PNG bytes.

The dashboard draws its charts in the browser with ECharts; paper needs images, so the reports
draw the same series here. Labels are Indonesian; no chart needs a display or a network.
"""

from __future__ import annotations

import io
import logging
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from types import ModuleType
from typing import TYPE_CHECKING

from pantau.records import CHANNELS
from pantau.reports.documents import Report
from pantau.reports.kinds import report_kind
from pantau.reports.overview import SENTIMENTS
from pantau.reports.timeseries import Series

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["CHANNEL_COLORS", "CHANNEL_NAMES", "Charts", "bar_chart", "draw_charts", "line_chart"]

logger = logging.getLogger(__name__)

CHANNEL_NAMES = {
    "news": "Berita",
    "social": "Media sosial",
    "complaint": "Pengaduan",
    "official": "Kanal resmi",
    "negative": "Negatif",
    "neutral": "Netral",
    "positive": "Positif",
    "unknown": "Belum dinilai",
}
CHANNEL_COLORS = {
    "news": "#0b5cab",
    "social": "#f59e0b",
    "complaint": "#b42318",
    "official": "#067647",
    "negative": "#b42318",
    "neutral": "#6b7280",
    "positive": "#067647",
    "unknown": "#c4c9d0",
}
#: Resolution of chart images: sharp on paper at the width the report gives them (about 16 cm).
DPI = 150
FIGSIZE = (7.0, 2.6)


def _tick_labels(keys: Sequence[str]) -> list[str]:
    """'2024-09-24 14' -> '14.00', '2024-09-24' -> '24/09' (short, Indonesian style)."""
    out = []
    for k in keys:
        if len(k) > 10:
            out.append(f"{k[11:13]}.00")
        else:
            out.append(f"{k[8:10]}/{k[5:7]}")
    return out


#: Emoji presentation selectors (U+FE0E, U+FE0F and the rest of the block): nothing to draw.
_SELECTORS = frozenset(map(chr, range(0xFE00, 0xFE10)))


def chart_text(text: str) -> str:
    r"""``text`` (an issue label: words from the internet) as matplotlib draws it literally:
    ``$`` escaped so it never starts mathtext (``$\frac{`` would abort the whole report), and
    emoji and other pictographs left out (the chart font has none; the PDF's text keeps them).

    >>> chart_text("harga $5 naik 😡🔥 parah")
    'harga \\$5 naik parah'
    """
    kept = "".join(
        c
        for c in unicodedata.normalize("NFC", text)
        if unicodedata.category(c) not in ("So", "Sk", "Cs", "Co", "Cf") and c not in _SELECTORS
    )
    return " ".join(kept.replace("$", r"\$").split())


@cache
def _pyplot() -> ModuleType:
    """matplotlib's pyplot on the Agg backend, imported by the first chart drawn: it takes about
    half a second to import, which every process that imports ``pantau.reports`` (the web app,
    ``pantau run``) would pay for charts that only a printed report draws."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def _png(fig: Figure) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=DPI, bbox_inches="tight")
    _pyplot().close(fig)
    return buf.getvalue()


def line_chart(series: Series, title: str, names: Sequence[str] | None = None) -> bytes:
    """Lines over time, one per named line of ``series`` (all non-empty lines by default)."""
    fig, ax = _pyplot().subplots(figsize=FIGSIZE)
    x = list(range(len(series.keys)))
    for name in names or [n for n, v in series.lines.items() if any(v)]:
        values = series.lines.get(name, [0] * len(x))
        ax.plot(
            x,
            values,
            marker="o",
            markersize=2.5,
            linewidth=1.6,
            label=CHANNEL_NAMES.get(name) or chart_text(name),
            color=CHANNEL_COLORS.get(name),
        )
    labels = _tick_labels(series.keys)
    step = max(1, len(labels) // 12)
    ax.set_xticks(x[::step], labels[::step], fontsize=7)
    ax.tick_params(axis="y", labelsize=7)
    ax.set_title(title, fontsize=9, loc="left")
    ax.grid(axis="y", color="#e5e7eb", linewidth=0.6)
    ax.spines[["top", "right"]].set_visible(False)
    if ax.get_legend_handles_labels()[0]:
        ax.legend(fontsize=7, frameon=False, ncol=4, loc="upper left")
    ax.set_ylim(bottom=0)
    return _png(fig)


def bar_chart(values: dict[str, int], title: str) -> bytes:
    """Horizontal bars, largest on top (channel or sentiment split, kab/kota)."""
    items = sorted(values.items(), key=lambda kv: kv[1])
    fig, ax = _pyplot().subplots(figsize=(FIGSIZE[0], max(1.2, 0.32 * len(items) + 0.6)))
    names = [CHANNEL_NAMES.get(k, k) for k, _ in items]
    counts = [v for _, v in items]
    colors = [CHANNEL_COLORS.get(k, "#0b5cab") for k, _ in items]
    bars = ax.barh(names, counts, color=colors)
    ax.bar_label(bars, labels=[f"{c:,}".replace(",", ".") for c in counts], fontsize=7, padding=2)
    ax.tick_params(labelsize=7)
    ax.set_title(title, fontsize=9, loc="left")
    ax.spines[["top", "right"]].set_visible(False)
    ax.set_xticks([])
    return _png(fig)


@dataclass
class Charts:
    """The report's chart images as PNG bytes (None when there is nothing to draw)."""

    volume: bytes
    sentiment: bytes | None
    trend: bytes | None


def draw_charts(report: Report) -> Charts:
    """Draw the volume, sentiment and (weekly) issue-trend charts."""
    volume = line_chart(
        report.volume,
        "Sebutan per kanal",
        [c for c in CHANNELS if c in report.by_channel] or ["news"],
    )
    sentiment = (
        bar_chart({s: report.by_sentiment.get(s, 0) for s in SENTIMENTS}, "Sentimen")
        if report.by_sentiment
        else None
    )
    trend = None
    if report_kind(report.kind).trend and report.issues:
        lines = {f"{n}. {i.label[:40]}": i.spark for n, i in enumerate(report.issues, start=1)}
        trend = line_chart(Series(report.spark_keys, lines), "Tren harian lima isu teratas")
    return Charts(volume, sentiment, trend)
