"""Spelling rules: KBBI standard forms (silahkan -> silakan) and words unknown to hunspell-id."""

from __future__ import annotations

from collections.abc import Iterator

from pantau.writing.linter import Context, rule
from pantau.writing.model import Finding, Severity
from pantau.writing.rules._util import keep_case, phrases
from pantau.writing.spelling import (
    SUGGESTION_BUDGET,
    foreign_terms,
    speller,
    standard_forms,
)

#: Shorter lower-case tokens are mostly particles and abbreviations (yg, dgn) that other
#: rules or editors catch; three letters keeps "tdk"-style typos in.
MIN_WORD_LENGTH = 3


def _in_address(text: str, start: int, end: int) -> bool:
    lo = max(text.rfind(" ", 0, start), text.rfind("\n", 0, start)) + 1
    hi_space = [i for i in (text.find(" ", end), text.find("\n", end)) if i != -1]
    token = text[lo : min(hi_space) if hi_space else len(text)]
    return any(mark in token for mark in ("@", "/", "www.", ".id", ".com", "#"))


@rule("ejaan.baku", Severity.ERROR, "Bentuk kata tidak baku; pakai bentuk baku KBBI.")
def standard(ctx: Context) -> Iterator[Finding]:
    """Common non-standard spellings replaced by their KBBI form."""
    table = standard_forms()
    for start, end, key in phrases(ctx.doc, table, 1):
        written = ctx.text[start:end]
        right = table[key]
        fixed = right if right[:1].isupper() else keep_case(written, right)
        yield ctx.finding(
            "ejaan.baku",
            (start, end),
            f'"{written}" tidak baku; bentuk baku KBBI: "{fixed}".',
            fixed,
            fix=fixed,
        )


@rule("ejaan.kbbi", Severity.WARNING, "Kata tidak dikenal kamus KBBI (hunspell-id).")
def unknown_words(ctx: Context) -> Iterator[Finding]:
    """Lower-case words neither hunspell-id nor the project's lists know (names are skipped)."""
    checker = speller()
    known_elsewhere = standard_forms().keys() | foreign_terms().keys()
    text = ctx.text
    budget_end = checker.computed + SUGGESTION_BUDGET
    for span in ctx.doc.tokens:
        word = span.text(text)
        if not word[0].islower() or len(word) < MIN_WORD_LENGTH or "'" in word or "’" in word:
            continue
        lower = word.lower()
        if lower in known_elsewhere or lower in ctx.extra_words:
            continue
        parts = [p.lower() for p in word.split("-") if p and p[0].islower()]
        if all(checker.check(p) or p in ctx.extra_words or p == "se" for p in parts):
            continue
        if checker.check(lower) or _in_address(text, span.start, span.end):
            continue
        suggestion = checker.suggest(word, compute=checker.computed < budget_end)
        yield ctx.finding(
            "ejaan.kbbi",
            span,
            f'"{word}" tidak ditemukan di kamus KBBI; periksa ejaannya.',
            suggestion or "Periksa ejaan kata ini.",
        )
