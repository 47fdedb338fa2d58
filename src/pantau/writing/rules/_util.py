"""Small helpers shared by the rule modules: case-keeping replacement and term regexes."""

from __future__ import annotations

import re
from collections.abc import Iterable

__all__ = ["keep_case", "term_pattern", "word_set"]


def keep_case(original: str, replacement: str) -> str:
    """``replacement`` in the case pattern of ``original`` (lower, Capitalized or UPPER).

    >>> keep_case("Silahkan", "silakan"), keep_case("RESIKO", "risiko"), keep_case("x", "Mei")
    ('Silakan', 'RISIKO', 'Mei')
    """
    if original.isupper() and len(original) > 1:
        return replacement.upper()
    if original[:1].isupper():
        return replacement[:1].upper() + replacement[1:]
    return replacement


def term_pattern(terms: Iterable[str]) -> re.Pattern[str]:
    """A case-insensitive whole-word regex for ``terms``, longest first (multi-word allowed)."""
    ordered = sorted(set(terms), key=len, reverse=True)
    body = "|".join(re.escape(t).replace(r"\ ", r"\s+") for t in ordered)
    return re.compile(rf"(?<![\w-])(?:{body})(?![\w-])", re.IGNORECASE)


def word_set(text: str) -> frozenset[str]:
    """The whitespace-separated words of ``text`` as a set (for long word lists in source)."""
    return frozenset(text.split())
