"""Exports of any mention result set as CSV or JSON Lines, streamed with flat memory.

Only the exported columns are read, in one query whose rows are streamed in chunks of
:data:`EXPORT_CHUNK` (``yield_per``: a server-side cursor on PostgreSQL, SQLite's own stepping
cursor), and written one at a time, so an export of a million mentions holds one chunk in
memory, never the whole result (benchmarks/results/reports.md measures the peak). The export is
one consistent snapshot; on SQLite (WAL) writers go on meanwhile and the log is checkpointed
once it ends.

>>> list(csv_safe(["=SUM(A1)", "biasa", "-5", None]))
["'=SUM(A1)", 'biasa', "'-5", '']
"""

from __future__ import annotations

import csv
import io
import json
import logging
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Row, Select, select
from sqlalchemy.orm import Session

from pantau.i18n import tz_abbrev
from pantau.privacy.sealing import reveal
from pantau.store.db import Database
from pantau.store.models import Mention, Region

# The search page's own filter and full-text match, so that an export holds exactly the rows the
# search shows; store.search offers them only around whole ORM objects, which cost half of an
# export's time (2,900 rows/s at 1,000,000 mentions).
from pantau.store.search import MentionFilter, filter_select

__all__ = [
    "CSV_HEADERS",
    "EXPORT_FIELDS",
    "FORMATS",
    "csv_safe",
    "export_lines",
    "export_select",
    "mention_record",
]

logger = logging.getLogger(__name__)

EXPORT_FIELDS = (
    "id",
    "published_at",
    "channel",
    "platform",
    "source_id",
    "outlet",
    "author",
    "title",
    "text",
    "url",
    "lang",
    "sentiment",
    "sentiment_score",
    "sentiment_tier",
    "sentiment_fast",
    "regions",
    "issue_id",
    "likes",
    "shares",
    "comments",
    "views",
)
#: CSV column headers, for people opening the file in a spreadsheet (JSON Lines keeps the
#: field names, for programs). The time header names the zone, filled in per export.
CSV_HEADERS = {
    "id": "ID",
    "published_at": "Waktu terbit ({zone})",
    "channel": "Kanal",
    "platform": "Platform",
    "source_id": "ID sumber",
    "outlet": "Media",
    "author": "Penulis",
    "title": "Judul",
    "text": "Teks",
    "url": "URL",
    "lang": "Bahasa",
    "sentiment": "Sentimen",
    "sentiment_score": "Skor sentimen",
    "sentiment_tier": "Dibaca oleh",
    "sentiment_fast": "Sentimen model cepat",
    "regions": "Kode wilayah",
    "region_names": "Wilayah",
    "issue_id": "ID isu",
    "likes": "Suka",
    "shares": "Dibagikan",
    "comments": "Komentar",
    "views": "Dilihat",
}
#: Excel reads a CSV file as the machine's legacy code page unless it starts with a byte-order
#: mark: without it every emoji and "é" in a citizen's post came out garbled.
UTF8_BOM = "\ufeff"
FORMATS = {"csv": "text/csv; charset=utf-8", "jsonl": "application/x-ndjson; charset=utf-8"}
#: Rows fetched per step of the streamed result: large enough to amortise round trips, small
#: enough that memory stays flat (2,000 mentions of up to 100 kB text each is the ceiling held
#: at once).
EXPORT_CHUNK = 2_000
#: The columns read for an export, in :data:`EXPORT_FIELDS` order.
_COLUMNS = tuple(getattr(Mention, name) for name in EXPORT_FIELDS)
#: Rows written into one piece of the stream (fewer, larger writes to the socket or file).
LINES_PER_PIECE = 200
#: Cells starting with these are formulas to a spreadsheet; a leading quote keeps them text.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def mention_record(m: Mention | Row[Any]) -> dict[str, Any]:
    """A mention (or a row of its exported columns) as a flat, JSON-safe record."""
    codes = [r.get("code") if isinstance(r, dict) else r for r in (m.regions or [])]
    return {
        "id": m.id,
        "published_at": m.published_at.isoformat() if m.published_at else None,
        "channel": m.channel,
        "platform": m.platform,
        "source_id": m.source_id,
        "outlet": m.outlet,
        "author": m.author,
        "title": m.title,
        "text": m.text,
        "url": m.url,
        "lang": m.lang,
        "sentiment": m.sentiment,
        "sentiment_score": m.sentiment_score,
        "sentiment_tier": m.sentiment_tier,
        "sentiment_fast": m.sentiment_fast,
        "regions": [c for c in codes if c],
        "issue_id": m.issue_id,
        "likes": m.likes,
        "shares": m.shares,
        "comments": m.comments,
        "views": m.views,
    }


def export_select(session: Session, f: MentionFilter) -> Select[Any]:
    """The exported columns of every mention matching ``f``, in id order."""
    return filter_select(session, select(*_COLUMNS), f).order_by(Mention.id)


def csv_safe(values: Iterable[Any]) -> Iterator[str]:
    """Cells as text that no spreadsheet runs as a formula (CSV injection)."""
    for v in values:
        if v is None:
            yield ""
            continue
        if isinstance(v, list):
            v = ";".join(str(x) for x in v)
        s = str(v)
        yield "'" + s if s.startswith(_FORMULA_STARTS) else s


class _RegionNames:
    """Region names by Kemendagri code, read once per code for the length of an export."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.names: dict[str, str] = {}

    def __call__(self, codes: Iterable[str]) -> list[str]:
        missing = [c for c in codes if c not in self.names]
        if missing:
            rows = self.session.execute(
                select(Region.code, Region.name).where(Region.code.in_(missing))
            )
            found = {code: name for code, name in rows}
            self.names.update({c: found.get(c, c) for c in missing})
        return [self.names[c] for c in codes]


def _csv_lines(
    records: Iterable[dict[str, Any]], names: Callable[[Iterable[str]], list[str]], tz: str
) -> Iterator[str]:
    """CSV for a spreadsheet: a BOM, Indonesian headers, local times, region names."""
    zone = ZoneInfo(tz)
    buf = io.StringIO()
    buf.write(UTF8_BOM)
    writer = csv.writer(buf, lineterminator="\r\n")
    fields = [*EXPORT_FIELDS[: EXPORT_FIELDS.index("regions") + 1], "region_names"]
    fields += EXPORT_FIELDS[EXPORT_FIELDS.index("regions") + 1 :]
    writer.writerow([CSV_HEADERS[k].format(zone=tz_abbrev(tz)) for k in fields])
    for count, rec in enumerate(records, start=1):
        row = dict(rec, region_names=names(rec["regions"]))
        if rec["published_at"]:
            local = datetime.fromisoformat(rec["published_at"]).astimezone(zone)
            row["published_at"] = local.strftime("%Y-%m-%d %H:%M:%S")
        writer.writerow(list(csv_safe(row[k] for k in fields)))
        if count % LINES_PER_PIECE == 0:
            yield buf.getvalue()
            buf.seek(0)
            buf.truncate()
    yield buf.getvalue()


def _jsonl_lines(records: Iterable[dict[str, Any]]) -> Iterator[str]:
    piece: list[str] = []
    for rec in records:
        piece.append(json.dumps(rec, ensure_ascii=False))
        if len(piece) == LINES_PER_PIECE:
            yield "\n".join(piece) + "\n"
            piece = []
    if piece:
        yield "\n".join(piece) + "\n"


def export_lines(
    db: Database,
    f: MentionFilter,
    fmt: str,
    *,
    tz: str = "UTC",
    on_row: Callable[[int], None] | None = None,
    unmask: bool = False,
) -> Iterator[str]:
    """The export of every mention matching ``f`` as pieces of text, in id order.

    The session stays open while the caller consumes the iterator (a web response or a file).
    ``on_row`` is called with the running count (for progress bars). CSV shows times in ``tz``
    (the installation's zone); JSON Lines keeps them in UTC with their offset. Personal data
    stays masked unless ``unmask`` (the caller has checked ``pii.view`` and audited the export).
    """
    if fmt not in FORMATS:
        raise ValueError(f"format {fmt!r} tidak dikenal; pilih {' atau '.join(FORMATS)}")

    def records(s: Session) -> Iterator[dict[str, Any]]:
        n = 0
        result = s.execute(export_select(s, f), execution_options={"yield_per": EXPORT_CHUNK})
        for rows in _pieces(result):
            revealed = reveal(s, rows) if unmask else {}
            for row in rows:
                n += 1
                rec = mention_record(row)
                if (r := revealed.get(row.id)) is not None:
                    rec.update(r.values)
                yield rec
            if on_row is not None:
                on_row(n)
        logger.info("export %s done: %d rows", fmt, n)

    with db.session() as s:
        if fmt == "csv":
            # region names come from a second session: the first is busy streaming the rows
            with db.session() as lookup:
                yield from _csv_lines(records(s), _RegionNames(lookup), tz)
        else:
            yield from _jsonl_lines(records(s))


def _pieces(rows: Iterable[Row[Any]]) -> Iterator[list[Row[Any]]]:
    """``rows`` in lists of :data:`LINES_PER_PIECE`, so that originals are read per list."""
    piece: list[Row[Any]] = []
    for row in rows:
        piece.append(row)
        if len(piece) == LINES_PER_PIECE:
            yield piece
            piece = []
    if piece:
        yield piece
