"""Readability rules: long sentences, ceremonial phrasing that buries the news, and pleonasms."""

from __future__ import annotations

import re
from collections.abc import Iterator

from pantau.writing.linter import Context, rule
from pantau.writing.model import Finding, Severity
from pantau.writing.rules._util import keep_case, phrases

#: Longest sentence, in words, before a reader loses the thread; news style guides (LKBN Antara,
#: Kompas) aim at 15-25, and 35 leaves room for a name with its full title.
SENTENCE_MAX_WORDS = 35

#: Phrases of ceremony rather than news (editors' most common complaint about releases).
CEREMONIAL: tuple[str, ...] = (
    "puji syukur",
    "yang berbahagia",
    "kesempatan yang baik ini",
    "kesempatan yang berbahagia",
    "marilah kita",
    "dengan ini kami",
    "yang terhormat",
    "turut hadir",
    "tampak hadir",
    "acara dibuka dengan",
    "diawali dengan doa",
    "menyampaikan ucapan terima kasih",
    "dalam rangka",
    "berlangsung dengan lancar",
    "berlangsung meriah",
    "berjalan dengan khidmat",
)
#: Pleonasms and their economical form (Badan Bahasa, "kata mubazir").
PLEONASMS: dict[str, str] = {
    "adalah merupakan": "merupakan",
    "agar supaya": "agar",
    "demi untuk": "untuk",
    "sejak dari": "sejak",
    "naik ke atas": "naik",
    "turun ke bawah": "turun",
    "mundur ke belakang": "mundur",
    "maju ke depan": "maju",
    "para hadirin sekalian": "para hadirin",
    "saling bahu-membahu": "bahu-membahu",
    "sangat sekali": "sangat",
    "amat sangat": "sangat",
    "misalnya seperti": "misalnya",
    "seperti misalnya": "misalnya",
    "dan lain sebagainya": "dan sebagainya",
    "mulai sejak": "sejak",
    "hanya semata-mata": "semata-mata",
    "hal tersebut di atas": "hal tersebut",
}
_CEREMONIAL = frozenset(CEREMONIAL)
#: Longest phrase in CEREMONIAL and PLEONASMS, in words.
_PHRASE_MAX_WORDS = 4
_PARA_REDUP = re.compile(r"\b(para|semua|banyak|sejumlah|beberapa) ([a-z]+)-\2\b", re.IGNORECASE)


@rule("keterbacaan.kalimat_panjang", Severity.WARNING, "Kalimat terlalu panjang.")
def long_sentences(ctx: Context) -> Iterator[Finding]:
    """Sentences longer than :data:`SENTENCE_MAX_WORDS` words."""
    for sentence in ctx.doc.all_sentences():
        count = ctx.doc.count_words(sentence)
        if count > SENTENCE_MAX_WORDS:
            yield ctx.finding(
                "keterbacaan.kalimat_panjang",
                sentence,
                f"Kalimat ini {count} kata; pecah menjadi kalimat yang lebih pendek "
                f"(paling banyak {SENTENCE_MAX_WORDS} kata).",
                "Pecah menjadi dua kalimat atau lebih.",
            )


@rule("keterbacaan.seremonial", Severity.WARNING, "Frasa seremonial yang mengubur berita.")
def ceremonial(ctx: Context) -> Iterator[Finding]:
    """Ceremony phrases: news comes first, protocol later or not at all."""
    for start, end, _ in phrases(ctx.doc, _CEREMONIAL, _PHRASE_MAX_WORDS):
        yield ctx.finding(
            "keterbacaan.seremonial",
            (start, end),
            f'Frasa seremonial "{ctx.text[start:end]}" tidak membawa berita; langsung ke fakta.',
            "Hapus atau ganti dengan fakta utama.",
        )


@rule("keterbacaan.boros", Severity.WARNING, "Kata mubazir (pleonasme).")
def pleonasm(ctx: Context) -> Iterator[Finding]:
    """ "adalah merupakan" -> "merupakan", "para tamu-tamu" -> "para tamu"."""
    for start, end, key in phrases(ctx.doc, PLEONASMS, _PHRASE_MAX_WORDS):
        written = ctx.text[start:end]
        fixed = keep_case(written, PLEONASMS[key])
        yield ctx.finding(
            "keterbacaan.boros",
            (start, end),
            f'"{written}" mubazir; cukup "{fixed}".',
            fixed,
            fix=fixed,
        )
    for m in _PARA_REDUP.finditer(ctx.text):
        fixed = f"{m.group(1)} {m.group(2)}"
        yield ctx.finding(
            "keterbacaan.boros",
            (m.start(), m.end()),
            f'Kata "{m.group(1)}" sudah menyatakan jamak; kata ulang tidak perlu.',
            fixed,
            fix=fixed,
        )
