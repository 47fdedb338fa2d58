"""The shipped Kemendagri 2025 region codes: reading them and loading them into the store."""

from __future__ import annotations

import csv
import gzip
import io
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from importlib import resources

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from pantau.store.models import Region

__all__ = ["RegionRow", "kab_kota_of", "load_regions", "read_regions", "region_name"]

#: Rows per INSERT when loading ~92k regions (keeps SQLite's variable limit far away).
LOAD_CHUNK = 5_000


@dataclass(frozen=True)
class RegionRow:
    code: str
    name: str
    level: int

    @property
    def parent_code(self) -> str | None:
        return self.code.rsplit(".", 1)[0] if "." in self.code else None


@cache
def _raw() -> bytes:
    ref = resources.files("pantau.data").joinpath("regions/wilayah_2025.csv.gz")
    return gzip.decompress(ref.read_bytes())


def read_regions(prefix: str | None = None) -> Iterator[RegionRow]:
    """Yield every shipped region, or those whose code is ``prefix`` or starts with ``prefix.``.

    >>> next(read_regions("64")).name
    'Kalimantan Timur'
    """
    reader = csv.DictReader(io.StringIO(_raw().decode("utf-8")))
    for row in reader:
        code = row["kode"]
        if prefix and not (code == prefix or code.startswith(prefix + ".")):
            continue
        yield RegionRow(code, row["nama"], int(row["level"]))


@cache
def _names() -> dict[str, str]:
    return {r.code: r.name for r in read_regions() if r.level <= 3}


def region_name(code: str) -> str:
    """Name of a province, kab/kota or kecamatan code (the code itself when unknown)."""
    return _names().get(code, code)


def kab_kota_of(code: str) -> str | None:
    """The kab/kota code (two segments) of any code at level 2 or below."""
    parts = code.split(".")
    return ".".join(parts[:2]) if len(parts) >= 2 else None


def load_regions(session: Session) -> int:
    """Insert all regions once; returns how many were added (0 when already loaded)."""
    if session.scalar(select(func.count()).select_from(Region)):
        return 0
    batch: list[dict[str, object]] = []
    added = 0
    for row in read_regions():
        batch.append(
            {"code": row.code, "name": row.name, "level": row.level, "parent_code": row.parent_code}
        )
        if len(batch) >= LOAD_CHUNK:
            session.execute(insert(Region), batch)
            added += len(batch)
            batch = []
    if batch:
        session.execute(insert(Region), batch)
        added += len(batch)
    return added
