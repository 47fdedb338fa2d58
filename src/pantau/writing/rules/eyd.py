"""EYD V rules: di-/ke- as prefix or preposition, capitals, Rp, times and zones, foreign terms.

Each rule follows the 2022 Pedoman Umum Ejaan Bahasa Indonesia (EYD V) as editors apply it in
government releases; fixes are offered only where the correct form is unambiguous.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from pantau.writing.indonesian import ZONE_ABBREVIATIONS
from pantau.writing.linter import Context, rule
from pantau.writing.model import Finding, Severity
from pantau.writing.rules._util import (
    at_sentence_start,
    keep_case,
    phrases,
    previous_word,
    word_set,
)
from pantau.writing.spelling import foreign_terms, speller

#: Words of place, position and time that take the preposition "di" written apart.
PLACE_WORDS: frozenset[str] = word_set(
    """
    atas bawah dalam luar depan belakang samping sebelah sekitar tengah antara sela sisi
    ujung sini sana situ mana manapun muka hadapan seberang dekat pinggir tepi hulu hilir
    muara kantor rumah gedung aula ruang ruangan lapangan jalan kota desa kampung dusun
    kelurahan kecamatan kabupaten provinsi wilayah daerah kawasan lokasi tempat pasar
    sekolah kampus masjid gereja pura balai pendopo halaman lantai kamar kelas posko
    pelabuhan bandara pantai sungai hutan laut pulau lahan perbatasan titik sektor tingkat
    kalangan bidang bagian lingkungan lingkup seluruh berbagai setiap tiap beberapa sejumlah
    masa era awal akhir pagi siang sore malam tahun bulan minggu pekan hari media sosmed
    internet grup forum acara
    """
)
_DI_JOINED = re.compile(r"\b([Dd]i)([a-z]{3,}|[A-Z][a-z]+)\b")
#: Directions after "ke" that never form a verb: "keluar" (to exit) and "kedua" are words, so
#: they are not in this list.
_KE_JOINED = re.compile(
    r"\b([Kk]e)(depan|belakang|atas|bawah|dalam|samping|sini|sana|situ|mana|tengah|"
    r"seberang|hulu|hilir)(nya)?\b"
)
_DI_APART = re.compile(r"\b([Dd]i) ([a-z]{3,})\b")

_TITLES = (
    r"wakil wali kota|wali kota|wakil gubernur|wakil bupati|gubernur|bupati|camat|lurah|kepala|"
    r"menteri|presiden|sekretaris|direktur|ketua|kapolres|kapolda|kapolsek|komandan|asisten"
)
_TITLE = re.compile(rf"\b(?:{_TITLES})\b", re.IGNORECASE)
_QUANTIFIERS = word_set(
    """
    para seorang setiap tiap sejumlah semua seluruh beberapa sang bagi banyak
    """
)
_JOINERS = frozenset(["dan", "serta", "atau", "beserta", "bersama", "maupun", "se"])

#: Function words written in lower case inside a title (EYD V names di, ke, dari, dan, yang,
#: untuk); _EITHER_CASE are prepositions editors capitalise as often as not, left alone.
_FUNCTION_WORDS = word_set(
    """
    di ke dari dan yang untuk pada kepada bagi dengan atau serta oleh si
    """
)
_EITHER_CASE = word_set(
    """
    selama setelah sebelum hingga sampai sejak tentang terhadap antara dalam melalui tanpa
    menjelang jelang usai saat akibat karena agar demi sebagai per
    """
)
_HEADLINE_WORD = re.compile(r"(?<![\w-])[A-Za-z][a-z]*(?![\w-])")
_RP_SPACE = re.compile(r"\b(?:Rp|RP|rp|IDR)(?:\.\s*|\s+)(?=\d)|\brp(?=\d)")
_RP_DASH = re.compile(r"(?<=\bRp)(?:\d{1,3}(?:\.\d{3})+|\d+),-")
_RP_COMMA = re.compile(r"\bRp\d{1,3}(?:,\d{3})+(?![\d,])")

#: Longest foreign term in data/asing.tsv, in words ("on the spot").
FOREIGN_MAX_WORDS = 3
_COLON_TIME = re.compile(r"(?<![\d:/])([01]?\d|2[0-3]):([0-5]\d)(?![\d:])")
_ZONE = re.compile(r"(?<=\d) ?(WIB|WITA|WIT|Wib|Wita|Wit|wib|wita|wit)\b")
_ZONE_CASE = re.compile(r"(?<=\d) ?(Wita|wita|Wib|wib|Wit|wit)\b")
_JAM = re.compile(r"\b([Jj]am|[Pp]kl\.?)(?= ?\d{1,2}[.:]\d{2})")


@rule("eyd.di_pisah", Severity.ERROR, "Kata depan di ditulis terpisah dari kata tempat/waktu.")
def di_apart(ctx: Context) -> Iterator[Finding]:
    """ "dikantor" -> "di kantor": the preposition before a place or time is written apart."""
    for m in _DI_JOINED.finditer(ctx.text):
        rest = m.group(2)
        base = rest[:-3] if rest.endswith("nya") and len(rest) > 5 else rest
        if rest[0].isupper() or base in PLACE_WORDS:
            fixed = f"{m.group(1)} {rest}"
            yield ctx.finding(
                "eyd.di_pisah",
                (m.start(), m.end()),
                f'Kata depan "di" ditulis terpisah: "{fixed}".',
                fixed,
                fix=fixed,
            )


@rule("eyd.ke_pisah", Severity.ERROR, "Kata depan ke ditulis terpisah dari kata arah/tempat.")
def ke_apart(ctx: Context) -> Iterator[Finding]:
    """ "kedepan" -> "ke depan": the preposition before a direction is written apart."""
    for m in _KE_JOINED.finditer(ctx.text):
        fixed = f"{m.group(1)} {m.group(2)}{m.group(3) or ''}"
        yield ctx.finding(
            "eyd.ke_pisah",
            (m.start(), m.end()),
            f'Kata depan "ke" ditulis terpisah: "{fixed}".',
            fixed,
            fix=fixed,
        )


@rule("eyd.di_sambung", Severity.ERROR, "Awalan di- ditulis serangkai dengan kata dasarnya.")
def di_joined(ctx: Context) -> Iterator[Finding]:
    """ "di bangun" -> "dibangun": the passive prefix is joined to its verb."""
    words = speller()
    for m in _DI_APART.finditer(ctx.text):
        rest = m.group(2)
        base = rest[:-3] if rest.endswith("nya") and len(rest) > 5 else rest
        if base in PLACE_WORDS or not words.in_dictionary("di" + rest):
            continue
        fixed = f"{m.group(1)}{rest}"
        yield ctx.finding(
            "eyd.di_sambung",
            (m.start(), m.end()),
            f'Awalan "di-" pada kata kerja pasif ditulis serangkai: "{fixed}".',
            fixed,
            fix=fixed,
        )


def _generic_acronym(text: str, end: int, following: str) -> bool:
    """ "ketua RT setempat": an office named by an acronym alone, with no place or name after."""
    if not following.isupper():
        return False
    rest = text[end + 1 + len(following) : end + 1 + len(following) + 30]
    return not re.match(r" [A-Z]", rest)


@rule("eyd.kapital_jabatan", Severity.WARNING, "Jabatan berhuruf kapital hanya di depan nama.")
def title_capitals(ctx: Context) -> Iterator[Finding]:
    """Titles are capitalised before a name, place or office and lower case otherwise."""
    text = ctx.text
    for chain in _title_chains(text):
        # Titles in a row ("Kepala Kepala gubernur") share one context, so that fixing them
        # once gives a text that needs no further fix.
        first, last = chain[0], chain[-1]
        after = re.match(r" ([\w-]+)", text[last.end() : last.end() + 40])
        following = after.group(1) if after else ""
        previous = previous_word(text, first.start())
        for m in chain:
            yield from _title_case(ctx, m, m is first, previous, following, last.end())


def _title_chains(text: str) -> Iterator[list[re.Match[str]]]:
    chain: list[re.Match[str]] = []
    for m in _TITLE.finditer(text):
        if chain and text[chain[-1].end() : m.start()] != " ":
            yield chain
            chain = []
        chain.append(m)
    if chain:
        yield chain


def _title_case(
    ctx: Context, m: re.Match[str], first: bool, previous: str, following: str, end: int
) -> Iterator[Finding]:
    """The finding, if any, for one title word given the words around its chain."""
    text = ctx.text
    word = m.group()
    if word[0].isupper():
        if first and at_sentence_start(text, m.start()):
            return
        generic = previous in _QUANTIFIERS or (
            following[:1].islower() and following.lower() not in _JOINERS
        )
        if generic and not following.startswith("se-"):
            yield ctx.finding(
                "eyd.kapital_jabatan",
                (m.start(), m.end()),
                f'"{word}" tidak diikuti nama orang, instansi, atau tempat; tulis dengan '
                "huruf kecil.",
                word.lower(),
                fix=word.lower(),
            )
    elif (
        following[:1].isupper()
        and previous not in _QUANTIFIERS
        and not _generic_acronym(text, end, following)
    ):
        fixed = " ".join(w[:1].upper() + w[1:] for w in word.split(" "))
        yield ctx.finding(
            "eyd.kapital_jabatan",
            (m.start(), m.end()),
            f'Jabatan di depan nama orang, instansi, atau tempat ditulis kapital: "{fixed}".',
            fixed,
            fix=fixed,
        )


@rule("eyd.judul_kapital", Severity.WARNING, "Setiap kata judul berhuruf awal kapital.",
      news_only=True)  # fmt: skip
def headline_capitals(ctx: Context) -> Iterator[Finding]:
    """EYD V: every word of a title starts with a capital except function words (di, ke, dari,
    dan, yang, untuk ...) that are not first."""
    span = ctx.doc.headline
    if span is None or ctx.doc.lead is None:
        return
    text = ctx.text
    for i, m in enumerate(_HEADLINE_WORD.finditer(text, span.start, span.end)):
        word = m.group()
        lower = word.lower()
        if i > 0 and lower in _FUNCTION_WORDS and word[0].isupper() and not word.isupper():
            fixed = lower
            message = f'Kata tugas "{word}" di tengah judul ditulis dengan huruf kecil.'
        elif word[0].islower() and (i == 0 or lower not in _FUNCTION_WORDS | _EITHER_CASE):
            fixed = word[0].upper() + word[1:]
            message = f'Kata "{word}" dalam judul diawali huruf kapital.'
        else:
            continue
        yield ctx.finding("eyd.judul_kapital", (m.start(), m.end()), message, fixed, fix=fixed)


@rule("eyd.rupiah", Severity.ERROR, "Lambang rupiah ditulis Rp tanpa titik dan spasi: Rp10.000.")
def rupiah(ctx: Context) -> Iterator[Finding]:
    """ "Rp. 10.000", "Rp 10.000" and "Rp10.000,-" -> "Rp10.000"."""
    for m in _RP_SPACE.finditer(ctx.text):
        yield ctx.finding(
            "eyd.rupiah",
            (m.start(), m.end()),
            'Lambang rupiah ditulis "Rp" tanpa titik dan langsung diikuti angka (Rp10.000).',
            "Rp",
            fix="Rp",
        )
    for m in _RP_DASH.finditer(ctx.text):
        yield ctx.finding(
            "eyd.rupiah",
            (m.end() - 2, m.end()),
            'Tanda ",-" tidak dipakai di belakang nilai rupiah dalam teks.',
            "",
            fix="",
        )
    for m in _RP_COMMA.finditer(ctx.text):
        fixed = m.group().replace(",", ".")
        yield ctx.finding(
            "eyd.rupiah",
            (m.start(), m.end()),
            "Pemisah ribuan dalam bahasa Indonesia adalah titik, bukan koma.",
            fixed,
            fix=fixed,
        )


@rule("eyd.waktu", Severity.WARNING, "Waktu ditulis pukul 13.20 WITA (titik, zona kapital).")
def times(ctx: Context) -> Iterator[Finding]:
    """ "13:20" -> "13.20", "Wita" -> "WITA", "jam 09.00" -> "pukul 09.00"."""
    text = ctx.text
    for m in _COLON_TIME.finditer(text):
        if "://" in text[max(0, m.start() - 40) : m.start()].split(" ")[-1]:
            continue
        fixed = f"{m.group(1)}.{m.group(2)}"
        yield ctx.finding(
            "eyd.waktu",
            (m.start(), m.end()),
            "Jam dan menit dipisahkan dengan titik.",
            fixed,
            fix=fixed,
        )
    for m in _ZONE_CASE.finditer(text):
        fixed = m.group(1).upper()
        yield ctx.finding(
            "eyd.waktu",
            (m.start(1), m.end(1)),
            f'Singkatan zona waktu ditulis kapital: "{fixed}".',
            fixed,
            fix=fixed,
        )
    for m in _JAM.finditer(text):
        fixed = keep_case(m.group(1), "pukul")
        yield ctx.finding(
            "eyd.waktu",
            (m.start(), m.end()),
            'Untuk menyatakan saat, pakai "pukul"; "jam" menyatakan jangka waktu.',
            fixed,
            fix=fixed,
        )


@rule("eyd.zona_waktu", Severity.WARNING, "Zona waktu berbeda dengan zona setempat.")
def time_zone(ctx: Context) -> Iterator[Finding]:
    """ "pukul 10.00 WIB" in a WITA office: usually a template copied from elsewhere."""
    local = ZONE_ABBREVIATIONS.get(ctx.timezone)
    if local is None:
        return  # outside Indonesia's three zones there is nothing to compare with
    for m in _ZONE.finditer(ctx.text):
        zone = m.group(1).upper()
        if zone != local:
            yield ctx.finding(
                "eyd.zona_waktu",
                (m.start(1), m.end(1)),
                f"Zona waktu {zone} berbeda dengan zona setempat ({local}); pastikan jamnya "
                "benar atau tulis juga dalam waktu setempat.",
                local,
            )


@rule("eyd.istilah_asing", Severity.WARNING, "Istilah asing yang sudah punya padanan Indonesia.")
def foreign(ctx: Context) -> Iterator[Finding]:
    """Foreign terms with an established Indonesian equivalent (meeting -> rapat)."""
    table = foreign_terms()
    text = ctx.text
    for start, end, term in phrases(ctx.doc, table, FOREIGN_MAX_WORDS):
        token_start = text.rfind(" ", 0, start) + 1
        if any(c in text[token_start:start] for c in "/@.") or (
            text[end : end + 1] in {"@", "/", "."} and text[end + 1 : end + 2].isalnum()
        ):
            continue  # part of an address, not prose
        written = text[start:end]
        yield ctx.finding(
            "eyd.istilah_asing",
            (start, end),
            f'Istilah asing "{written}" punya padanan bahasa Indonesia: "{table[term]}".',
            keep_case(written, table[term]),
        )
