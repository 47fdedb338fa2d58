"""Small helpers shared by the rule modules: case-keeping replacement and term regexes."""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Iterator

from pantau.writing.document import Document

__all__ = [
    "at_sentence_start",
    "keep_case",
    "phrases",
    "previous_word",
    "term_pattern",
    "word_set",
]


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


def phrases(doc: Document, table: Collection[str], longest: int) -> Iterator[tuple[int, int, str]]:
    """``(start, end, key)`` for each run of up to ``longest`` words whose lower-cased form,
    words joined by one space, is in ``table``; longest match first, no overlaps.

    One pass over the document's tokens with dictionary look-ups: a regex alternation of a few
    hundred terms costs seconds on 1 MB (benchmarks/writing_lint.py).
    """
    heads: dict[str, int] = {}
    for key in table:
        parts = key.split(" ")
        if len(parts) > 1:
            heads[parts[0]] = min(longest, max(heads.get(parts[0], 1), len(parts)))
    lower, tight, tokens = doc.lower_tokens, doc.tight, doc.tokens
    candidates = heads.keys() | set(table)
    n = len(lower)
    last_end = -1
    for i in [i for i, w in enumerate(lower) if w in candidates]:
        if i < last_end:
            continue  # inside a longer phrase already reported
        size = 0
        for k in range(min(heads.get(lower[i], 1), n - i), 1, -1):
            if all(tight[i : i + k - 1]) and " ".join(lower[i : i + k]) in table:
                size = k
                break
        if not size and lower[i] in table:
            size = 1
        if size:
            last_end = i + size
            yield tokens[i].start, tokens[i + size - 1].end, " ".join(lower[i : i + size])


def previous_word(text: str, pos: int) -> str:
    """The lower-cased word just before offset ``pos`` (punctuation skipped)."""
    m = re.search(r"([\w-]+)\W*$", text[max(0, pos - 30) : pos])
    return m.group(1).lower() if m else ""


def at_sentence_start(text: str, pos: int) -> bool:
    """Whether offset ``pos`` begins a sentence or a paragraph (quotes and brackets skipped)."""
    before = text[:pos].rstrip(' \t"“(')
    return not before or before[-1] in ".!?\n:"
