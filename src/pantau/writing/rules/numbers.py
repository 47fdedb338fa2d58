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
