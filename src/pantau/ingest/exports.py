"""Turning decoded export records into mentions, one record's failure isolated from the rest.

The readers (:mod:`pantau.ingest.readers`) yield ``(line, record)``; a connector's ``convert``
turns one record into mentions; :func:`parse_records` runs it and makes every failure, whatever
raised it, a :class:`~pantau.records.QuarantineItem` with the line, the field and the reason, so
that no value in a file stops its import. The small ``get_*`` helpers turn a field into a typed
value or raise :class:`~pantau.ingest.connector.RecordError` naming the field.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pantau.ingest.connector import ParsedItem, RecordError
from pantau.ingest.dates import parse_date
from pantau.ingest.limits import RecordLimits
from pantau.ingest.readers import (
    QUARANTINE_PAYLOAD_CHARS,
    Line,
    decode_json,
    iter_csv,
    iter_json_documents,
)
from pantau.records import MentionIn, QuarantineItem

__all__ = [
    "Converted",
    "ExportConnector",
    "get_count",
    "get_date",
    "get_str",
    "limits_of",
    "parse_records",
    "retry_records",
]

logger = logging.getLogger(__name__)


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
    """``obj[key]`` as a count the store holds (missing means 0; "1.234" and "1,2rb" read too).

    >>> get_count({"likes": "1,2rb"}, "likes")
    1200
    >>> get_count({"likes": 1e999}, "likes")
    Traceback (most recent call last):
    pantau.ingest.connector.RecordError: likes: bukan bilangan terhingga: inf
    """
    value = obj.get(key) if isinstance(obj, dict) else None
    if value is None or value == "":
        return 0
    if isinstance(value, str):
        value = _count_text(value, f"{where}{key}")
    problem = RecordLimits.count_problem(value)
    if problem:
        raise RecordError(problem, f"{where}{key}")
    return int(value)


def _count_text(raw: str, name: str) -> int | float:
    text = raw.strip().lower().replace(" ", "")
    if text.isascii() and text.isdigit() and len(text) <= 19:
        return int(text)  # exactly: a float would round 9223372036854775296 past the maximum
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
    try:
        text = record if isinstance(record, str) else json.dumps(record, ensure_ascii=False)
    except (ValueError, RecursionError):  # too deep to write back out: keep its shape only
        text = f"<{type(record).__name__} yang tidak dapat ditulis ulang sebagai JSON>"
    return text[:QUARANTINE_PAYLOAD_CHARS]


def limits_of(options: dict[str, Any]) -> RecordLimits:
    """The limits an import passed in its read options, else the environment's."""
    given = options.get("limits")
    return given if isinstance(given, RecordLimits) else RecordLimits.current()


def parse_records(
    origin: str,
    lines: Iterator[Line],
    convert: Callable[[Any], Iterator[MentionIn | RecordError | tuple[RecordError, Any]]],
    limits: RecordLimits | None = None,
) -> Iterator[ParsedItem]:
    """Run ``convert`` over each line; every failure becomes a :class:`QuarantineItem`.

    ``convert`` yields mentions, or errors (optionally with the sub-record that failed, so
    that one bad tweet in a page of a hundred is quarantined alone). A mention whose date,
    counts or extra fields fall outside the limits is quarantined with its line (nesting deep
    in a part no converter reads costs nothing and does not cost the page its tweets). Any
    other exception from ``convert`` is a bug in pantau, not in the file: it is logged, and
    the record is quarantined all the same.
    """
    limits = limits or RecordLimits.current()
    now = datetime.now(UTC)
    for line, record in lines:
        if isinstance(record, RecordError):
            yield QuarantineItem(origin, record.reason, record.payload, line, record.field)
            continue
        try:
            for item in convert(record):
                if isinstance(item, MentionIn):
                    problem = limits.mention_problem(item, now)
                    if problem is None:
                        yield item
                        continue
                    field, reason = problem
                    yield QuarantineItem(origin, reason, _payload(record), line, field)
                else:
                    err, sub = item if isinstance(item, tuple) else (item, record)
                    yield QuarantineItem(origin, err.reason, _payload(sub), line, err.field)
        except RecordError as exc:
            yield QuarantineItem(origin, exc.reason, _payload(record), line, exc.field)
        except Exception as exc:  # a converter's bug must not end the import
            logger.warning("%s line %s: converter failed", origin, line, exc_info=True)
            reason = f"tidak dapat diubah menjadi sebutan ({type(exc).__name__}: {exc})"[:500]
            yield QuarantineItem(origin, reason, _payload(record), line, None)


def retry_records(
    origin: str,
    payload: str,
    convert: Callable[[Any], Iterator[MentionIn | RecordError | tuple[RecordError, Any]]],
) -> Iterator[ParsedItem]:
    """Convert a quarantined JSON payload again, with the same error handling as an import."""
    return parse_records(origin, iter([(1, decode_json(payload))]), convert)


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
        limits = limits_of(options)
        if self.reader == "csv":
            lines = iter_csv(path, max_field_chars=limits.max_field_chars)
        else:
            lines = iter_json_documents(path)
        return parse_records(path.name, lines, self.convert, limits)

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
