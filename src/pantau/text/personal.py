"""Finding and masking citizens' personal data in mention text (UU PDP 27/2022).

Five kinds are found: ``nik`` (the 16-digit Nomor Induk Kependudukan), ``phone`` (Indonesian
mobile numbers in their +62, 62 and 08 forms, and landlines written with +62 or an area code in
brackets), ``email``, ``plate`` (vehicle registration, e.g. ``KT 1234 AB``) and ``bank`` (an account
number, only where words like *rek*, *rekening* or *no. rek* introduce it). Each is recognised by
its shape *and* a check that rules out the numbers that merely look like it: a NIK must start with
a real kab/kota code and carry a possible birth date, a phone number must have the length of one,
a plate must start with a real registration area. Dates, prices, times and long platform ids are
left alone (the hand-written set in ``tests/text/personal_cases.jsonl`` measures this).

:func:`mask` replaces each one with a masked form that keeps just enough to tell values apart
when reading (``6472********0001``, ``0812****5678``, ``b***@gmail.com``) and returns where each
masked form now sits, so that a store can keep the originals sealed beside the text.

>>> masked, spans = mask("NIK 6472031208900001, WA 0812-3456-5678, surel budi@gmail.com")
>>> masked
'NIK 6472********0001, WA 0812****5678, surel b***@gmail.com'
>>> [(s.kind, s.value, masked[s.start:s.end]) for s in spans]  # doctest: +NORMALIZE_WHITESPACE
[('nik', '6472031208900001', '6472********0001'), ('phone', '0812-3456-5678', '0812****5678'),
 ('email', 'budi@gmail.com', 'b***@gmail.com')]
>>> mask("Harga Rp 1.250.000 pada 12-08-2023 pukul 08.00, tweet 1734567890123456789")[1]
[]
"""

from __future__ import annotations

import calendar
import csv
import gzip
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

__all__ = [
    "KINDS",
    "Found",
    "Masked",
    "find",
    "mask",
    "mask_value",
    "nik_valid",
    "normalize_value",
    "unmask",
    "unmask_excerpt",
]

KINDS = ("nik", "phone", "email", "plate", "bank")

#: The masking character; never part of any kind's shape, so masked text finds nothing again.
STAR = "*"

_DIGIT_RUN = r"(?<![\w+])(?<!\d[ .-])"  # not glued to a word, a '+' or a longer digit run
_NOT_MORE = r"(?![\w@])(?![ .-]?\d)"

# NIK: 16 digits, whole or in 4-4-4-4 groups with one kind of separator ("6472 0312 0890 0001").
_NIK = re.compile(_DIGIT_RUN + r"(\d{16}|\d{4}([ .-])\d{4}\2\d{4}\2\d{4})" + _NOT_MORE)
# Words that introduce a NIK; with one of them, a 16-digit number counts even if its codes
# do not check out (a mistyped NIK is still someone's).
_NIK_CONTEXT = re.compile(
    r"\b(?:nik|e-?ktp|ktp|nomor\s+induk(?:\s+kependudukan)?)\b(?:\W{0,3}\w{1,8}){0,2}\W{0,3}$", re.I
)
#: Characters before a 16-digit number searched for a word that introduces a NIK ("NIK saya:").
_NIK_CONTEXT_CHARS = 40

# Mobile numbers are 08 + 8..11 digits (10-13 in all); +62 and 62 drop the 0. One separator
# (space, dot, hyphen) may stand between any two digits, and the operator code may be bracketed.
_PHONE = re.compile(
    _DIGIT_RUN
    + r"((?:\+62[ .-]?\(?|62[ .-]?\(?|\(?0)8[1-9]\d?\)?(?:[ .-]?\d){6,10}"
    + r"|\+62[ .-]?\(?[2-7]\d{1,2}\)?(?:[ .-]?\d){5,8}"  # landline: +62 541 741234
    + r"|\(0[2-7]\d{1,2}\)[ ]?\d{3,4}[ .-]?\d{3,4}"  # landline: (0541) 741234
    + r"|0[2-7]\d{1,2}-\d{3,4}[ .-]?\d{3,4}"  # landline: 0541-741234, 021-5551-234
    + r"|0[2-7]\d{1,2} \d{6,8})"  # landline: 021 1500755
    + _NOT_MORE
)
_EMAIL = re.compile(
    r"(?<![\w.+-])([A-Za-z0-9](?:[\w.+-]{0,62}[\w+-])?@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*"
    r"\.[A-Za-z]{2,24})(?![\w-])"
)
# Registration areas (kode wilayah pelat nomor) of the Korlantas list; one or two letters.
PLATE_AREAS = frozenset(
    [
        "A", "B", "D", "E", "F", "G", "H", "K", "L", "M", "N", "P", "R", "S",
        "T", "W", "Z", "AA", "AB", "AD", "AE", "AG", "BA", "BB", "BD", "BE", "BG", "BH",
        "BK", "BL", "BM", "BN", "BP", "DA", "DB", "DC", "DD", "DE", "DG", "DH", "DK", "DL",
        "DM", "DN", "DR", "DT", "EA", "EB", "ED", "KB", "KH", "KT", "KU", "PA", "PB", "PG",
    ]
)  # fmt: skip
# Upper-case, as printed; the letters after the number are what tell a plate from "B 12".
# Not after '@', '#', '/' or '.': handles, hashtags and URL paths ("@B105LSA", "t.co/K5064MTD").
_PLATE = re.compile(r"(?<![\w@#/.-])([A-Z]{1,2})( ?)([1-9]\d{0,3})( ?)([A-Z]{1,3})(?![\w-])")
#: Words that say a vehicle is meant; with one nearby, short plates ("KT 77 A") count too.
_VEHICLE = re.compile(
    r"\b(?:no\.?\s*pol|nopol|plat|pelat|mobil|motor|truk|bus|kendaraan|sepeda\s+motor|"
    r"angkot|taksi|pikap|pick\s*up)\b",
    re.I,
)
#: Characters before a plate searched for a vehicle word.
_VEHICLE_CHARS = 40
#: Digits a plate needs without a vehicle word: one- and two-digit forms ("F4F", "T 90 US",
#: "P3K") were all false alarms in 66,773 real tweets, reviews and headlines (see
#: benchmarks/privacy_detection.py), while private plates mostly carry 3-4 digits.
_PLATE_DIGITS = 3
# An account number needs its introducing word: "no. rek BRI 0123-01-000123-50-1", "rekening:".
_BANK = re.compile(
    r"\b(?:no(?:mor)?\.?\s*rek(?:ening)?|norek|rekening|rek)\b\.?"
    r"(?:\s*(?:bank\s+)?[A-Za-z]{2,10}(?:\s+syariah)?)?\s*(?:a\.?n\.?\s+\S+\s+)?[:.=]?\s*"
    r"(\d(?:[ .-]?\d){7,19})" + _NOT_MORE,
    re.I,
)
# Bank account numbers in Indonesia run from 10 (BCA) to 16 digits (some BPD); 8 is the least.
_BANK_DIGITS = (8, 20)


@dataclass(frozen=True)
class Found:
    """One piece of personal data in a text: its kind, where it is and how it was written."""

    kind: str
    start: int
    end: int
    value: str


@dataclass(frozen=True)
class Masked:
    """Where a masked value sits in the masked text, and the original it stands for."""

    kind: str
    start: int
    end: int
    value: str


@lru_cache(maxsize=1)
def _kabkota_codes() -> frozenset[str]:
    """The 4-digit kab/kota codes (``6472`` for Samarinda) of the shipped Kemendagri list."""
    data = resources.files("pantau.data") / "regions" / "wilayah_2025.csv.gz"
    with data.open("rb") as raw, gzip.open(raw, "rt", encoding="utf-8") as fh:
        return frozenset(
            row["kode"].replace(".", "") for row in csv.DictReader(fh) if row["level"] == "2"
        )


def _digits(value: str) -> str:
    return "".join(ch for ch in value if ch.isdigit())


def nik_valid(digits: str) -> bool:
    """Whether 16 digits read as a NIK: a real kab/kota, a kecamatan, a birth date (day + 40 for
    women) and a serial number above zero.

    >>> nik_valid("6472031208900001"), nik_valid("6472034208900001")  # a man, a woman
    (True, True)
    >>> nik_valid("6472033102900001"), nik_valid("9972031208900001")  # 31 Feb; no such region
    (False, False)
    """
    if len(digits) != 16 or not digits.isdigit() or digits[:4] not in _kabkota_codes():
        return False
    if digits[4:6] == "00" or digits[12:] == "0000":
        return False
    day, month = int(digits[6:8]), int(digits[8:10])
    if day > 40:
        day -= 40
    # the two-digit year leaves the century open, so 29 February is allowed in any year
    return 1 <= month <= 12 and 1 <= day <= calendar.monthrange(2000, month)[1]


def normalize_value(kind: str, value: str) -> str:
    """The one spelling of ``value`` that lookups compare: digits only, phones as ``62...``,
    e-mail lower-case, plates without spaces.

    >>> normalize_value("phone", "+62 812-3456-5678"), normalize_value("phone", "0812 3456 5678")
    ('6281234565678', '6281234565678')
    >>> normalize_value("email", " Budi@Gmail.COM"), normalize_value("plate", "kt 1234 ab")
    ('budi@gmail.com', 'KT1234AB')
    """
    if kind == "email":
        return value.strip().lower()
    if kind == "plate":
        return re.sub(r"\s+", "", value).upper()
    digits = _digits(value)
    if kind == "phone":
        if digits.startswith("0"):
            return "62" + digits[1:]
        return digits if digits.startswith("62") else "62" + digits
    if kind in ("nik", "bank"):
        return digits
    raise ValueError(f"unknown kind of personal data {kind!r}; use one of {', '.join(KINDS)}")


def mask_value(kind: str, value: str) -> str:
    """The masked form of ``value``; it keeps the ends only.

    >>> mask_value("nik", "6472031208900001"), mask_value("phone", "+62 812-3456-5678")
    ('6472********0001', '0812****5678')
    >>> mask_value("email", "budi.santoso@gmail.com"), mask_value("plate", "KT 1234 AB")
    ('b***@gmail.com', 'KT ****')
    >>> mask_value("bank", "0123-01-000123-50-1")
    '***********3501'
    """
    norm = normalize_value(kind, value)
    if kind == "nik":
        return norm[:4] + STAR * 8 + norm[-4:]
    if kind == "phone":
        national = "0" + norm[2:]
        return national[:4] + STAR * 4 + national[-4:]
    if kind == "email":
        local, _, domain = norm.partition("@")
        return local[:1] + STAR * 3 + "@" + domain
    if kind == "plate":
        area = re.match(r"[A-Z]+", norm)
        return (area.group(0) if area else "") + " " + STAR * 4
    return STAR * (len(norm) - 4) + norm[-4:]


def _nik(text: str) -> list[Found]:
    out = []
    for m in _NIK.finditer(text):
        digits = _digits(m.group(1))
        before = max(0, m.start() - _NIK_CONTEXT_CHARS)
        if nik_valid(digits) or _NIK_CONTEXT.search(text, before, m.start()):
            out.append(Found("nik", m.start(1), m.end(1), m.group(1)))
    return out


def _phone(text: str) -> list[Found]:
    out = []
    for m in _PHONE.finditer(text):
        value = m.group(1)
        if value.count("(") != value.count(")"):
            continue
        national = "0" + normalize_value("phone", value)[2:]
        if 10 <= len(national) <= 13 or (national[1] != "8" and 9 <= len(national) <= 12):
            out.append(Found("phone", m.start(1), m.end(1), value))
    return out


def _email(text: str) -> list[Found]:
    return [Found("email", m.start(1), m.end(1), m.group(1)) for m in _EMAIL.finditer(text)]


def _plate(text: str) -> list[Found]:
    out = []
    for m in _PLATE.finditer(text):
        if m.group(1) not in PLATE_AREAS:
            continue
        spaced = m.group(2) and m.group(4)
        vehicle = _VEHICLE.search(text, max(0, m.start() - _VEHICLE_CHARS), m.start())
        if vehicle or (spaced and len(m.group(3)) >= _PLATE_DIGITS):
            out.append(Found("plate", m.start(), m.end(), m.group(0)))
    return out


def _bank(text: str) -> list[Found]:
    out = []
    for m in _BANK.finditer(text):
        if _BANK_DIGITS[0] <= len(_digits(m.group(1))) <= _BANK_DIGITS[1]:
            out.append(Found("bank", m.start(1), m.end(1), m.group(1)))
    return out


# The order settles overlaps: a NIK is never also read as a bank account or a phone number.
_FINDERS = (_email, _nik, _bank, _phone, _plate)


def find(text: str) -> list[Found]:
    """Every piece of personal data in ``text``, in reading order, none overlapping.

    >>> find("Pelat KT 1234 AB, rek BRI 0123-01-000123-50-1")  # doctest: +NORMALIZE_WHITESPACE
    [Found(kind='plate', start=6, end=16, value='KT 1234 AB'),
     Found(kind='bank', start=26, end=45, value='0123-01-000123-50-1')]
    """
    if not text:
        return []
    taken: list[Found] = []
    covered = bytearray(len(text))  # linear in the text however many pieces a hostile one holds
    for finder in _FINDERS:
        for found in finder(text):
            if not any(covered[found.start : found.end]):
                taken.append(found)
                covered[found.start : found.end] = b"\x01" * (found.end - found.start)
    return sorted(taken, key=lambda f: f.start)


def mask(text: str) -> tuple[str, list[Masked]]:
    """``text`` with each piece of personal data masked, and where the masks now sit."""
    found = find(text)
    if not found:
        return text, []
    parts: list[str] = []
    spans: list[Masked] = []
    pos = 0
    length = 0
    for f in found:
        parts.append(text[pos : f.start])
        length += f.start - pos
        masked = mask_value(f.kind, f.value)
        spans.append(Masked(f.kind, length, length + len(masked), f.value))
        parts.append(masked)
        length += len(masked)
        pos = f.end
    parts.append(text[pos:])
    return "".join(parts), spans


def unmask(masked: str, spans: list[Masked]) -> str:
    """Put the originals back into ``masked``; a span whose place no longer holds its mask (the
    text was edited since) is left masked.

    >>> text = "hubungi +62 812 3456 5678 atau b@x.id"
    >>> unmask(*mask(text)) == text
    True
    """
    out: list[str] = []
    pos = 0
    for s in sorted(spans, key=lambda s: s.start):
        if s.start >= pos and masked[s.start : s.end] == mask_value(s.kind, s.value):
            out += [masked[pos : s.start], s.value]
            pos = s.end
    return "".join(out) + masked[pos:]


def unmask_excerpt(excerpt: str, spans: list[Masked]) -> str:
    """Put the originals back into an excerpt of a masked text (a search snippet, whose offsets
    are not the text's): each mask, in reading order, where it is found whole.

    >>> masked, spans = mask("NIK 6472031208900001 dan 0812-3456-5678 lagi")
    >>> unmask_excerpt("…dan 0812****5678 lagi", spans)
    '…dan 0812-3456-5678 lagi'
    """
    out: list[str] = []
    pos = 0
    for s in sorted(spans, key=lambda s: s.start):
        masked = mask_value(s.kind, s.value)
        at = excerpt.find(masked, pos)
        if at < 0:
            continue
        out += [excerpt[pos:at], s.value]
        pos = at + len(masked)
    return "".join(out) + excerpt[pos:]
