"""Landmarks of a province (bridges, airports, ports, stadiums, hospitals, markets, estates)
and the regions they lie in, read from ``text/data/landmarks/<province>.csv``.

A post names "Bandara Sepinggan" or "Jembatan Mahakam Ulu", not "Kota Balikpapan" or "Kota
Samarinda"; the second even contains the name of another regency. The region tagger
(:mod:`pantau.text.regions`) matches these names before region names, so the landmark wins over
the region it contains. The data is per province, like the regions: a province without a file
has no landmarks, and an administrator can add rows.

>>> [(lm.name, lm.codes) for lm in load_landmarks("64") if lm.name == "Jembatan Mahakam Ulu"]
[('Jembatan Mahakam Ulu', ('64.72',))]
"""

from __future__ import annotations

import csv
import logging
from dataclasses import dataclass
from importlib import resources

__all__ = ["Landmark", "load_landmarks", "read_landmarks"]

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Landmark:
    """One name of a landmark and the Kemendagri codes of where it lies."""

    name: str
    codes: tuple[str, ...]
    kind: str


def read_landmarks(source: str, origin: str) -> list[Landmark]:
    """Rows of a landmark CSV (``name,codes,kind,note``; ``#`` lines are comments). A row
    without a name or a code is skipped with a warning naming it and ``origin``."""
    lines = [ln for ln in source.splitlines() if ln.strip() and not ln.lstrip().startswith("#")]
    out = []
    for row in csv.DictReader(lines):
        name = (row.get("name") or "").strip()
        codes = tuple((row.get("codes") or "").split())
        if not name or not codes:
            logger.warning("%s: landmark row %r has no name or no code; skipped", origin, row)
            continue
        out.append(Landmark(name, codes, (row.get("kind") or "").strip()))
    return out


def load_landmarks(province: str) -> list[Landmark]:
    """The shipped landmarks of ``province`` (none when it has no file)."""
    shipped = resources.files("pantau.text") / "data" / "landmarks" / f"{province}.csv"
    if not shipped.is_file():
        return []
    return read_landmarks(shipped.read_text(encoding="utf-8"), f"landmarks/{province}.csv")
