"""Mapped imports: any tool's CSV or JSON Lines export, through a small TOML mapping file.

``pantau import data.csv --format mapping:brand24.toml`` with::

    [input]
    format = "csv"            # or "jsonl"
    timezone = "Asia/Makassar"  # for times written without a zone

    [defaults]
    channel = "social"
    platform = "brand24"

    [fields]                  # mention field = CSV column, or JSON path for jsonl
    external_id = "ID"
    text = "Content"
    published_at = "Date"
    author = "$.user.screen_name"
    likes = "stats.likes[0]"

Required: ``text`` and one of ``external_id`` or ``url`` (the canonical URL is the id then).
"""

from __future__ import annotations

import logging
import re
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from pantau.ingest.connector import ParsedItem, RecordError
from pantau.ingest.exports import (
    Converted,
    ExportConnector,
    get_count,
    get_date,
    get_str,
    limits_of,
    parse_records,
    retry_records,
)
from pantau.ingest.readers import iter_csv, iter_json_documents
from pantau.ingest.urls import UrlError, canonical_url
from pantau.records import CHANNELS, MentionIn

__all__ = ["Mapping", "MappingConnector", "MappingError", "json_path"]

logger = logging.getLogger(__name__)

TEXT_FIELDS = ("external_id", "text", "title", "url", "author", "outlet", "outlet_tier", "lang")
COUNT_FIELDS = ("likes", "shares", "comments", "views", "author_followers")
DATE_FIELDS = ("published_at",)
_STEP = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


class MappingError(ValueError):
    """The mapping file itself is wrong; the message says which key and how to fix it."""


def json_path(record: Any, path: str) -> Any:
    """Follow a dotted path with list indexes (``$.a.b[0].c``); ``None`` when absent.

    >>> json_path({"a": {"b": [{"c": 5}]}}, "$.a.b[0].c")
    5
    """
    current = record
    for name, index in _STEP.findall(path.removeprefix("$.").removeprefix("$")):
        if index:
            if not isinstance(current, list) or int(index) >= len(current):
                return None
            current = current[int(index)]
        elif isinstance(current, dict):
            current = current.get(name)
        else:
            return None
    return current


class Mapping:
    """A parsed mapping file: input format, defaults and field sources."""

    def __init__(self, path: Path) -> None:
        try:
            spec = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise MappingError(f"berkas pemetaan {path} tidak terbaca: {exc}") from exc
        source = spec.get("input", {})
        self.format = str(source.get("format", "csv")).lower()
        if self.format not in ("csv", "jsonl", "json"):
            raise MappingError(f"{path}: [input] format harus csv atau jsonl, bukan {self.format}")
        self.delimiter: str | None = source.get("delimiter")
        self.timezone = str(source.get("timezone", "UTC"))
        self.defaults: dict[str, Any] = dict(spec.get("defaults", {}))
        self.fields: dict[str, str] = {str(k): str(v) for k, v in spec.get("fields", {}).items()}
        known = set(TEXT_FIELDS + COUNT_FIELDS + DATE_FIELDS)
        unknown = set(self.fields) - known
        if unknown:
            raise MappingError(f"{path}: kolom tujuan tidak dikenal {sorted(unknown)}")
        if "text" not in self.fields or not {"external_id", "url"} & set(self.fields):
            raise MappingError(f"{path}: [fields] perlu text dan external_id atau url")
        if self.defaults.get("channel", "social") not in CHANNELS:
            raise MappingError(f"{path}: [defaults] channel harus salah satu dari {CHANNELS}")

    def values(self, record: Any) -> dict[str, Any]:
        """Source values of one record, keyed by mention field."""
        if not isinstance(record, dict):
            raise RecordError("rekaman harus objek/baris tabel")
        if self.format == "csv":
            return {f: record.get(col) for f, col in self.fields.items()}
        return {f: json_path(record, col) for f, col in self.fields.items()}

    def convert(self, record: Any) -> Converted:
        """One record as a mention, through the mapping."""
        vals = self.values(record)
        kwargs: dict[str, Any] = {}
        for name in TEXT_FIELDS:
            if name in vals:
                kwargs[name] = get_str(vals, name, required=name == "text")
        for name in COUNT_FIELDS:
            if name in vals:
                kwargs[name] = get_count(vals, name)
        if "published_at" in vals:
            kwargs["published_at"] = get_date(vals, "published_at", default_tz=self.timezone)
        if not kwargs.get("external_id"):
            try:
                kwargs["external_id"] = canonical_url(kwargs.get("url") or "")
            except UrlError as exc:
                raise RecordError(f"tanpa external_id dan url tidak sah: {exc}", "url") from None
        yield MentionIn(
            channel=str(self.defaults.get("channel", "social")),
            platform=self.defaults.get("platform"),
            **kwargs,
        )


class MappingConnector(ExportConnector):
    """``--format mapping:FILE``: a CSV/JSONL export read through a mapping file."""

    name = "mapping"
    channel = "social"

    @staticmethod
    def _mapping(options: dict[str, Any]) -> Mapping:
        if not options.get("mapping"):
            raise MappingError("format mapping perlu berkas pemetaan: --format mapping:BERKAS")
        return Mapping(Path(options["mapping"]))

    def parse(self, path: Path, options: dict[str, Any]) -> Iterator[ParsedItem]:
        """Every mention and quarantine item of ``path`` under the mapping in ``options``."""
        mapping = self._mapping(options)
        limits = limits_of(options)
        if mapping.format == "csv":
            lines = iter_csv(path, mapping.delimiter, limits.max_field_chars)
        else:
            lines = iter_json_documents(path)
        return parse_records(path.name, lines, mapping.convert, limits)

    def retry(self, payload: str, options: dict[str, Any]) -> Iterator[ParsedItem]:
        """Convert one quarantined record again under the (possibly corrected) mapping."""
        return retry_records("retry:mapping", payload, self._mapping(options).convert)
