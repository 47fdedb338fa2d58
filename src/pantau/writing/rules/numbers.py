"""Number rules (EYD V): words for numbers of one or two words, digits for longer ones, and no
digits at the start of a sentence.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from pantau.writing.indonesian import spell_number
from pantau.writing.linter import Context, rule
from pantau.writing.model import Finding, Severity
from pantau.writing.rules._util import at_sentence_start, previous_word, word_set

#: Counted nouns after which a one-digit number is written as a word (EYD V: numbers of one or
#: two words in words); measures such as km, kg, persen keep digits.
_COUNTERS = (
    "orang unit buah kali hari pekan minggu bulan tahun desa kecamatan kelurahan kabupaten "
    "sekolah rumah titik posko perahu kapal armada tim ekor lembar kelompok keluarga jiwa "
    "pasien korban warga mobil truk lokasi kegiatan program jam"
)
_SMALL_NUMBER = re.compile(rf"(?<![\d.,/:\w-])([1-9]) (?=(?:{'|'.join(_COUNTERS.split())})\b)")
#: Words after which a digit names something rather than counting it.
_LABELS = word_set(
    """
    nomor no nomer pasal ayat tahap jilid lantai kelas gelombang ke rt rw bab angka poin butir
    huruf seri tipe zona jalur gerbang blok kav kavling unit level
    """
)
_LEADING_NUMBER = re.compile(r"^\d[\d.,]*")
_LIST_ITEM = re.compile(r"^\d{1,2}[.)] ")


@rule("eyd.angka_huruf", Severity.WARNING, "Bilangan satu kata ditulis dengan huruf.")
def small_numbers(ctx: Context) -> Iterator[Finding]:
    """ "3 orang" -> "tiga orang" (EYD V: a number of one or two words is written out)."""
    for m in _SMALL_NUMBER.finditer(ctx.text):
        digit = m.group(1)
        word = spell_number(int(digit))
        if at_sentence_start(ctx.text, m.start()):
            continue  # eyd.angka_awal_kalimat reports it
        if previous_word(ctx.text, m.start()) in _LABELS:
            continue  # "nomor 4 tahun 2024", "RT 3": a label, not a count
        yield ctx.finding(
            "eyd.angka_huruf",
            (m.start(1), m.end(1)),
            f'Bilangan yang dapat ditulis dengan satu kata ditulis dengan huruf: "{word}".',
            word,
            fix=word,
        )


@rule("eyd.angka_awal_kalimat", Severity.WARNING, "Angka di awal kalimat ditulis dengan huruf.")
def leading_numbers(ctx: Context) -> Iterator[Finding]:
    """A sentence does not begin with digits: spell the number or reorder the sentence."""
    for sentence in ctx.doc.all_sentences():
        chunk = sentence.text(ctx.text)
        m = _LEADING_NUMBER.match(chunk)
        if m is None or _LIST_ITEM.match(chunk):
            continue
        token = m.group().rstrip(".,")
        start, end = sentence.start, sentence.start + len(token)
        if token.isdigit() and int(token) < 1000:
            words = spell_number(int(token))
            fixed = words[:1].upper() + words[1:]
            yield ctx.finding(
                "eyd.angka_awal_kalimat",
                (start, end),
                "Angka di awal kalimat ditulis dengan huruf.",
                fixed,
                fix=fixed,
            )
        else:
            yield ctx.finding(
                "eyd.angka_awal_kalimat",
                (start, end),
                "Kalimat tidak diawali angka; ubah susunan kalimatnya.",
                "Ubah susunan kalimat agar tidak diawali angka.",
            )


#: Words that spell numbers; a run of three or more of them is a number EYD V writes in digits.
_NUMBER_WORDS = word_set(
    """
    nol satu dua tiga empat lima enam tujuh delapan sembilan sepuluh sebelas seratus seribu
    belas puluh ratus ribu juta miliar triliun
    """
)
_UNIT_VALUES = {spell_number(n): n for n in (*range(12), 100)}  # nol ... sebelas, seratus
_SCALES = {"ribu": 1_000, "juta": 1_000_000, "miliar": 10**9, "triliun": 10**12}
#: Runs shorter than this are "lima belas", "dua ratus": EYD V writes them in words.
LONG_NUMBER_WORDS = 3


def parse_number(words: list[str]) -> int | None:
    """The value of spelled-out ``words``, or ``None`` unless they spell it the standard way.

    >>> parse_number("dua ribu lima ratus".split()), parse_number("lima dua".split())
    (2500, None)
    """
    total = current = 0
    for word in words:
        if word in _UNIT_VALUES:
            current += _UNIT_VALUES[word]
        elif word == "belas":
            current += 10
        elif word == "puluh":
            current = current % 10 * 10 + current // 10 * 10
        elif word == "ratus":
            current *= 100
        elif word == "seribu":
            total += 1_000
        elif word in _SCALES:
            total += (current or 1) * _SCALES[word]
            current = 0
        else:
            return None
    value = total + current
    # Only a standard spelling round-trips; "lima dua" or "dua ribu seribu" do not.
    return value if spell_number(value) == " ".join(words) else None


@rule("eyd.angka_panjang", Severity.WARNING, "Bilangan lebih dari dua kata ditulis dengan angka.")
def long_numbers(ctx: Context) -> Iterator[Finding]:
    """ "dua ribu lima ratus warga" -> "2.500 warga" (not at the start of a sentence)."""
    doc, text = ctx.doc, ctx.text
    lower, tight, tokens = doc.lower_tokens, doc.tight, doc.tokens
    i = 0
    while i < len(lower):
        j = i
        while j < len(lower) and lower[j] in _NUMBER_WORDS and (j == i or tight[j - 1]):
            j += 1
        if j - i >= LONG_NUMBER_WORDS and not at_sentence_start(text, tokens[i].start):
            value = parse_number(lower[i:j])
            if value is not None:
                digits = f"{value:,}".replace(",", ".")
                yield ctx.finding(
                    "eyd.angka_panjang",
                    (tokens[i].start, tokens[j - 1].end),
                    f"Bilangan yang lebih dari dua kata ditulis dengan angka: {digits}.",
                    digits,
                    fix=digits,
                )
        i = max(j, i + 1)
