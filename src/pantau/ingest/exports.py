"""Reading export files record by record, with line numbers, and checking their values.

Platform exports come as one JSON document (an API response saved to disk), JSON Lines (one
response page or one record per line, as twarc and most collectors write them) or CSV. Readers
here yield ``(line, record)`` or ``(line, RecordError)``, so a broken line is reported with its
number and the rest of the file still imports. The small ``get_*`` helpers turn a field into a
typed value or raise :class:`~pantau.ingest.connector.RecordError` naming the field.
"""

from __future__ import annotations

import csv
import io
import json
import logging
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

from pantau.ingest.connector import ParsedItem, RecordError
from pantau.ingest.dates import parse_date
from pantau.records import MentionIn, QuarantineItem

__all__ = [
    "Converted",
    "ExportConnector",
    "get_count",
    "get_date",
    "get_str",
    "iter_csv",
    "iter_json_documents",
    "parse_records",
    "retry_records",
]

logger = logging.getLogger(__name__)

Line = tuple[int, Any]
#: Payloads kept in quarantine are cut to this many characters (enough to see and fix a record).
QUARANTINE_PAYLOAD_CHARS = 20_000


def iter_json_documents(path: Path) -> Iterator[Line]:
    """JSON Lines, or a single JSON document spread over many lines (given line 1)."""
    with path.open("r", encoding="utf-8-sig", errors="replace") as fh:
        head = fh.read(1)
        while head.isspace():
            head = fh.read(1)
        fh.seek(0)
        text_start = fh.read(4096)
        fh.seek(0)
        if head in "[{" and _single_document(text_start):
            try:
                yield 1, json.load(fh)
            except json.JSONDecodeError as exc:
                yield exc.lineno, RecordError(f"JSON rusak: {exc.msg} (kolom {exc.colno})")
            return
        for number, raw in enumerate(fh, start=1):
            if not raw.strip():
                continue
            try:
                yield number, json.loads(raw)
            except json.JSONDecodeError as exc:
                reason = f"JSON rusak: {exc.msg} (kolom {exc.colno})"
                yield number, RecordError(reason, payload=raw.rstrip("\n"))


def _single_document(start: str) -> bool:
    """Whether the file's first line is not a complete JSON value (a pretty-printed document)."""
    first = start.split("\n", 1)[0].strip()
    try:
        json.loads(first)
    except json.JSONDecodeError:
        return True
    return False


def iter_csv(path: Path, delimiter: str | None = None) -> Iterator[Line]:
    """CSV rows as dicts keyed by header; the line is where the row starts in the file."""
    raw = path.read_text(encoding="utf-8-sig", errors="replace")
    if delimiter is None:
        first = raw.split("\n", 1)[0]
        delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(io.StringIO(raw, newline=""), delimiter=delimiter)
    header: list[str] | None = None
    start = 1
    for row in reader:
        if header is None:
            header = [h.strip() for h in row]
            start = reader.line_num + 1
            continue
        line, start = start, reader.line_num + 1
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            reason = f"{len(row)} kolom, header punya {len(header)}"
            yield line, RecordError(reason, payload=json.dumps(row, ensure_ascii=False))
            continue
        yield line, dict(zip(header, row, strict=True))


def get_str(obj: Any, key: str, *, required: bool = True, where: str = "") -> str | None:
    """``obj[key]`` as a non-empty string (numbers accepted: ids are often numbers)."""
    name = f"{where}{key}"
    value = obj.get(key) if isinstance(obj, dict) else None
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise RecordError("wajib diisi, tetapi kosong atau tidak ada", name)
        return None
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise RecordError(f"harus teks, bukan {type(value).__name__}", name)
    return str(value).strip()


def get_count(obj: Any, key: str, *, where: str = "") -> int:
    """``obj[key]`` as a non-negative count (missing means 0; "1.234" and "1,2rb" read too)."""
    value = obj.get(key) if isinstance(obj, dict) else None
    if value is None or value == "":
        return 0
    if isinstance(value, bool):
        raise RecordError("harus bilangan", f"{where}{key}")
    if isinstance(value, str):
        value = _count_text(value, f"{where}{key}")
    if not isinstance(value, int | float) or value < 0:
        raise RecordError(f"harus bilangan tidak negatif, bukan {value!r}", f"{where}{key}")
    return int(value)


def _count_text(raw: str, name: str) -> float:
    text = raw.strip().lower().replace(" ", "")
    scale = 1
    for suffix, mult in (("rb", 1_000), ("k", 1_000), ("jt", 1_000_000), ("m", 1_000_000)):
        if text.endswith(suffix):
            text, scale = text[: -len(suffix)].replace(",", "."), mult
            break
    else:
        text = text.replace(".", "").replace(",", "")  # "1.234" is Indonesian for 1234
    try:
        return float(text) * scale
    except ValueError:
        raise RecordError(f"bukan bilangan: {raw!r}", name) from None


def get_date(
    obj: Any, key: str, *, required: bool = False, where: str = "", default_tz: str = "UTC"
) -> datetime | None:
    """``obj[key]`` parsed as a publication time (any format :func:`parse_date` reads)."""
    raw = get_str(obj, key, required=required, where=where)
    if raw is None:
        return None
    parsed = parse_date(raw, default_tz=default_tz)
    if parsed is None:
        raise RecordError(f"tanggal tidak terbaca: {raw!r}", f"{where}{key}")
    return parsed


def _payload(record: Any) -> str:
    text = record if isinstance(record, str) else json.dumps(record, ensure_ascii=False)
    return text[:QUARANTINE_PAYLOAD_CHARS]


def parse_records(
    origin: str,
    lines: Iterator[Line],
    convert: Callable[[Any], Iterator[MentionIn | RecordError | tuple[RecordError, Any]]],
) -> Iterator[ParsedItem]:
    """Run ``convert`` over each line; every failure becomes a :class:`QuarantineItem`.

    ``convert`` yields mentions, or errors (optionally with the sub-record that failed, so
    that one bad tweet in a page of a hundred is quarantined alone).
    """
    for line, record in lines:
        if isinstance(record, RecordError):
            yield QuarantineItem(origin, record.reason, record.payload, line, record.field)
            continue
        try:
            for item in convert(record):
                if isinstance(item, MentionIn):
                    yield item
                else:
                    err, sub = item if isinstance(item, tuple) else (item, record)
                    yield QuarantineItem(origin, err.reason, _payload(sub), line, err.field)
        except RecordError as exc:
            yield QuarantineItem(origin, exc.reason, _payload(record), line, exc.field)


def retry_records(
    origin: str,
    payload: str,
    convert: Callable[[Any], Iterator[MentionIn | RecordError | tuple[RecordError, Any]]],
) -> Iterator[ParsedItem]:
    """Convert a quarantined JSON payload again, with the same error handling as an import."""
    try:
        record: Any = json.loads(payload)
    except json.JSONDecodeError as exc:
        record = RecordError(f"JSON rusak: {exc.msg} (kolom {exc.colno})", payload=payload)
    return parse_records(origin, iter([(1, record)]), convert)


Converted = Iterator[MentionIn | RecordError | tuple[RecordError, Any]]


class ExportConnector:
    """Base of the platform-export connectors: read the file, convert each record, quarantine.

    Subclasses set ``name``, ``channel``, ``reader`` (``"json"`` or ``"csv"``) and write
    :meth:`convert`, which turns one decoded record (an API response page or one item) into
    mentions, yielding ``(RecordError, item)`` for an item that fails on its own.
    """

    name = ""
    kind = "file"
    channel = "social"
    reader = "json"

    def convert(self, record: Any) -> Converted:
        """Mentions from one decoded record."""
        raise NotImplementedError

    def parse(self, path: Path, options: dict[str, Any]) -> Iterator[ParsedItem]:
        """Every mention and quarantine item of the export ``path``, in file order."""
        lines = iter_csv(path) if self.reader == "csv" else iter_json_documents(path)
        return parse_records(path.name, lines, self.convert)

    def retry(self, payload: str, options: dict[str, Any]) -> Iterator[ParsedItem]:
        """Convert one quarantined record again."""
        return retry_records(f"retry:{self.name}", payload, self.convert)

    @classmethod
    def each(cls, items: Any, one: Callable[[Any], MentionIn], where: str) -> Converted:
        """Apply ``one`` to every item of a list, isolating each item's failure."""
        return cls.each_many(items, lambda item: iter([one(item)]), where)

    @staticmethod
    def each_many(items: Any, many: Callable[[Any], Converted], where: str) -> Converted:
        """Apply ``many`` (item -> mentions) to every item of a list, isolating failures."""
        if not isinstance(items, list):
            raise RecordError("harus daftar (list)", where)
        for index, item in enumerate(items):
            prefix = f"{where}[{index}]"
            try:
                for out in many(item):
                    if isinstance(out, tuple):  # a nested item failed: name it from the top
                        err, sub = out
                        yield (
                            RecordError(err.reason, f"{prefix}.{err.field or ''}".rstrip(".")),
                            sub,
                        )
                    else:
                        yield out
            except RecordError as exc:
                yield RecordError(exc.reason, f"{prefix}.{exc.field or ''}".rstrip(".")), item
