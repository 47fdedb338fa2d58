"""Reading export files record by record, with line numbers, whatever state the file is in.

Platform exports come as one JSON document (an API response saved to disk), JSON Lines (one
response page or one record per line, as twarc and most collectors write them) or CSV. The
readers here yield ``(line, record)`` or ``(line, RecordError)``: a broken line is reported with
its number and the rest of the file still reads. Two kinds of damage are recovered from rather
than reported once for the whole file:

- JSON Lines whose lines are long (a collector's page of 100 tweets is 300 KB on one line) or
  whose first line is broken are still read line by line: the format is told by content, never
  by how much of the file fits in a buffer;
- a CSV quote left open (``"Jalan rusak`` with no closing quote) would make the csv module read
  every later row into one field; the row where it opens is quarantined and the rows after it
  are read again.
"""

from __future__ import annotations

import csv
import io
import json
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from pantau.ingest.connector import RecordError

__all__ = [
    "QUARANTINE_PAYLOAD_CHARS",
    "Line",
    "decode_json",
    "iter_csv",
    "iter_json_documents",
]

logger = logging.getLogger(__name__)

Line = tuple[int, Any]
#: Payloads kept in quarantine are cut to this many characters (enough to see and fix a record).
QUARANTINE_PAYLOAD_CHARS = 20_000
#: Longest CSV field read when the caller names no limit (the ``import_max_field_chars`` default).
DEFAULT_MAX_FIELD_CHARS = 1_000_000


def decode_json(text: str, payload: bool = True) -> Any:
    """``text`` decoded as JSON, or a :class:`RecordError` saying why it is not JSON we read."""
    return _decode_at(text, payload)[1]


def _decode_at(text: str, payload: bool = True) -> Line:
    """(line of the failure within ``text``, value or :class:`RecordError`)."""
    kept = text.rstrip("\r\n")[:QUARANTINE_PAYLOAD_CHARS] if payload else ""
    try:
        return 1, json.loads(text)
    except json.JSONDecodeError as exc:
        return exc.lineno, RecordError(f"JSON rusak: {exc.msg} (kolom {exc.colno})", payload=kept)
    except RecursionError:
        return 1, RecordError("JSON bersarang terlalu dalam untuk dibaca", payload=kept)
    except ValueError as exc:  # an integer of more than 4,300 digits, say
        return 1, RecordError(f"JSON tidak terbaca: {exc}", payload=kept)


def iter_json_documents(path: Path) -> Iterator[Line]:
    """JSON Lines, or one JSON document spread over many lines (given as line 1).

    The cascade, by content alone:
    1. the first non-blank line, read whole however long, decodes on its own: JSON Lines;
    2. else, when it opens an object or a list, the whole file decoding as one document: that
       document (a pretty-printed API response);
    3. else JSON Lines after all, so that a broken first line does not cost the good ones;
       when no line decodes either, the file is one broken document and gets one error.
    """
    with path.open("r", encoding="utf-8-sig", errors="replace") as fh:
        first = next((raw for raw in fh if raw.strip()), None)
        if first is None:
            return
        broken: Line | None = None
        opens = first.lstrip()[:1] in ("[", "{")
        if opens and isinstance(decode_json(first, payload=False), RecordError):
            fh.seek(0)
            broken = _decode_at(fh.read(), payload=False)
            if not isinstance(broken[1], RecordError):
                yield broken
                return
        fh.seek(0)
        yield from _json_lines(fh, broken)


def _json_lines(fh: IO[str], broken: Line | None) -> Iterator[Line]:
    """Each non-blank line decoded; ``broken`` stands in for them all if none decodes."""
    waiting: list[Line] = []  # errors held back until one line proves the file is JSON Lines
    proven = broken is None
    for number, raw in enumerate(fh, start=1):
        if not raw.strip():
            continue
        value = decode_json(raw)
        if not proven:
            if isinstance(value, RecordError):
                waiting.append((number, value))
                continue
            proven = True
            yield from waiting
            waiting.clear()
        yield number, value
    if not proven and broken is not None:
        yield broken


def _sniff_delimiter(first_line: str) -> str:
    return ";" if first_line.count(";") > first_line.count(",") else ","


def _row_alone(line: str, delimiter: str) -> list[str]:
    """One physical line parsed as a row on its own (an open quote runs to its end)."""
    try:
        return next(csv.reader([line], delimiter=delimiter), [])
    except csv.Error:
        return []


def iter_csv(
    path: Path, delimiter: str | None = None, max_field_chars: int = DEFAULT_MAX_FIELD_CHARS
) -> Iterator[Line]:
    """CSV rows as dicts keyed by header; the line is where the row starts in the file.

    A row over several lines that breaks the quoting rules (a quote left open pairs with the
    next row's opening quote, and text follows it), has the wrong number of columns or holds a
    field longer than ``max_field_chars`` began with a quote left open: its first line is
    quarantined and reading starts again on the line after it, so every later row is kept. A
    quoting slip within one line costs nothing: that line is read leniently, as spreadsheets do.
    """
    raw = path.read_text(encoding="utf-8-sig", errors="replace")
    lines = list(io.StringIO(raw, newline=""))  # split where the csv module splits: \r, \n
    del raw
    if not lines:
        return
    delim = delimiter or _sniff_delimiter(lines[0])
    # the module-wide limit only ever rises, so concurrent imports never cut each other's rows;
    # each import applies its own limit below
    csv.field_size_limit(max(csv.field_size_limit(), max_field_chars + 1))
    header: list[str] | None = None
    base = 0
    reader = _reader(lines, base, delim)
    while True:
        start = base + reader.line_num
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            row, failure = [], str(exc)
        else:
            failure = ""
        end = base + reader.line_num
        if failure and end - start <= 1:
            # a stray quote within one line (`"Jalan" rusak`): that line read the lenient way
            row, failure = _row_alone(lines[start], delim), ""
        if header is None and not failure:
            header = [h.strip() for h in row]
            continue
        width = len(header or ())
        too_long = next((i for i, cell in enumerate(row) if len(cell) > max_field_chars), None)
        runaway = end - start > 1 and (len(row) != width or too_long is not None)
        if failure or runaway:
            detail = f" ({failure})" if failure else ""
            reason = (
                f"tanda kutip tidak tertutup{detail}: baris ini dikarantina, "
                "baris sesudahnya dibaca ulang"
            )
            yield start + 1, RecordError(reason, payload=lines[start][:QUARANTINE_PAYLOAD_CHARS])
            base = start + 1
            reader = _reader(lines, base, delim)
            continue
        if not any(cell.strip() for cell in row):
            continue
        payload = json.dumps(row, ensure_ascii=False)[:QUARANTINE_PAYLOAD_CHARS]
        if len(row) != width:
            yield start + 1, RecordError(f"{len(row)} kolom, header punya {width}", payload=payload)
        elif too_long is not None:
            reason = f"lebih dari {max_field_chars} karakter ({len(row[too_long])})"
            yield start + 1, RecordError(reason, (header or [])[too_long], payload=payload)
        else:
            yield start + 1, dict(zip(header or [], row, strict=True))


def _reader(lines: list[str], start: int, delimiter: str) -> Any:
    """A strict reader from line ``start``: a closing quote followed by anything but a
    delimiter or a line end, the mark of a quote that opened too early, is an error here."""
    rows = (lines[i] for i in range(start, len(lines)))
    return csv.reader(rows, delimiter=delimiter, strict=True)
