"""Ethics rules (Kode Etik Jurnalistik, Pedoman Pemberitaan Ramah Anak): identities of children and
victims, unverified claims presented as fact, and SARA provocation."""

from __future__ import annotations

import re
from collections.abc import Iterator

from pantau.writing.linter import Context, rule
from pantau.writing.model import Finding, Severity

#: Age under which a named person is a child (UU 35/2014 Perlindungan Anak: under 18).
ADULT_AGE = 18

_NAME = r"[A-Z][a-z]+(?: [A-Z][a-z]+){0,3}"
_NAMED_AGE = re.compile(rf"\b(?P<name>{_NAME}) \((?P<age>\d{{1,2}})( tahun)?\)")
_NAMED_BY = re.compile(rf"\bbernama (?P<name>{_NAME})")
_VULNERABLE = re.compile(
    r"\b(anak|balita|bocah|siswa|siswi|pelajar|murid|santri|santriwati|bayi|remaja|"
    r"korban (?:kekerasan|pelecehan|pemerkosaan|pencabulan|perundungan|rudapaksa|"
    r"perdagangan orang|asusila))\b",
    re.IGNORECASE,
)
_RUMOUR = re.compile(
    r"\b(kabarnya|konon|desas-desus|(?:kabar|informasi|isu|info) yang beredar|"
    r"beredar (?:luas |kabar )?di media sosial|viral di media sosial|menurut sumber yang|"
    r"sumber yang enggan disebut|sumber yang tidak mau disebut)\b",
    re.IGNORECASE,
)
_HEDGE = re.compile(
    r"\b(belum (?:terverifikasi|dapat dipastikan|dipastikan|dikonfirmasi|tentu benar)|"
    r"masih (?:didalami|diverifikasi|diselidiki|ditelusuri|dicek)|tidak benar|hoaks|diduga|"
    r"dugaan|klarifikasi|membantah|dibantah|keliru|disinformasi|tidak sesuai (?:dengan )?fakta|"
    r"sedang (?:didalami|diverifikasi|ditelusuri|dicek)|menyesatkan|meluruskan)\b",
    re.IGNORECASE,
)
#: Terms that provoke along ethnic, religious or racial lines, with the neutral wording to use.
#: "Cina" for people and "pribumi" follow Keppres 12/2014 and Inpres 26/1998.
SARA_TERMS: dict[str, str] = {
    "kafir": "Hapus label keagamaan yang merendahkan.",
    "aseng": "Hapus sebutan etnis yang merendahkan.",
    "antek asing": "Hapus tuduhan tanpa dasar.",
    "pribumi": 'Sebut "warga" atau "masyarakat".',
    "nonpribumi": 'Sebut "warga" atau "masyarakat".',
    "non-pribumi": 'Sebut "warga" atau "masyarakat".',
    "orang cina": "Tionghoa",
    "etnis cina": "etnis Tionghoa",
    "warga cina": "warga Tionghoa",
}
_SARA_TERM = re.compile(
    r"(?<![\w-])(" + "|".join(re.escape(t) for t in SARA_TERMS) + r")(?![\w-])", re.IGNORECASE
)
#: A call to drive out or destroy a group named by ethnicity, religion, race or origin. "Serang"
#: and a bare "warga" are left out: "buaya serang warga" is news (false positives on real
#: headlines, streams/narasipal_headlines).
_SARA_CALL = re.compile(
    r"\b(usir|ganyang|basmi|bantai|habisi|perangi|sikat)\s+(?:para\s+|semua\s+|kaum\s+)?"
    r"(etnis|suku|kaum|umat|agama|pendatang|(?:warga|orang)\s+(?:pendatang|keturunan|asing|"
    r"etnis|suku))\b",
    re.IGNORECASE,
)


def _sentence_of(ctx: Context, pos: int) -> tuple[int, int]:
    span = ctx.doc.sentence_at(pos)
    return (span.start, span.end) if span else (pos, pos)


@rule("etika.identitas_anak", Severity.ERROR, "Identitas anak atau korban tidak boleh dibuka.")
def child_identity(ctx: Context) -> Iterator[Finding]:
    """A child named with an age, or a child or victim of violence named outright."""
    text = ctx.text
    seen: set[int] = set()
    for m in _NAMED_AGE.finditer(text):
        if int(m.group("age")) < ADULT_AGE:
            seen.add(m.start())
            yield ctx.finding(
                "etika.identitas_anak",
                (m.start("name"), m.end()),
                "Identitas anak (di bawah 18 tahun) tidak boleh disebut; pakai inisial.",
                f'Inisial, mis. "{_initials(m.group("name"))} ({m.group("age")})".',
            )
    for m in _NAMED_BY.finditer(text):
        start, end = _sentence_of(ctx, m.start())
        if m.start("name") in seen or not _VULNERABLE.search(text, start, end):
            continue
        yield ctx.finding(
            "etika.identitas_anak",
            (m.start("name"), m.end("name")),
            "Nama anak atau korban kekerasan tidak boleh disebut; pakai inisial.",
            f'Inisial, mis. "{_initials(m.group("name"))}".',
        )


def _initials(name: str) -> str:
    return "".join(part[0] for part in name.split())


@rule(
    "etika.belum_terverifikasi",
    Severity.WARNING,
    "Informasi yang beredar disajikan seolah fakta tanpa tanda belum terverifikasi.",
)
def unverified(ctx: Context) -> Iterator[Finding]:
    """A rumour marker in a sentence that neither hedges nor refutes it."""
    for sentence in ctx.doc.all_sentences():
        m = _RUMOUR.search(ctx.text, sentence.start, sentence.end)
        if m is None or _HEDGE.search(ctx.text, sentence.start, sentence.end):
            continue
        yield ctx.finding(
            "etika.belum_terverifikasi",
            (m.start(), m.end()),
            "Informasi yang belum terverifikasi harus ditandai sebagai belum terverifikasi "
            "atau dikonfirmasi dulu.",
            'Tambahkan "belum terverifikasi" atau sebutkan sumber resmi yang mengonfirmasi.',
        )


@rule("etika.sara", Severity.ERROR, "Ungkapan bernuansa SARA yang provokatif atau merendahkan.")
def sara(ctx: Context) -> Iterator[Finding]:
    """Derogatory ethnic or religious labels and calls to act against a group."""
    for m in _SARA_TERM.finditer(ctx.text):
        advice = SARA_TERMS[m.group().lower()]
        yield ctx.finding(
            "etika.sara",
            (m.start(), m.end()),
            f'"{m.group()}" bernuansa SARA dan dapat memicu konflik.',
            advice,
        )
    for m in _SARA_CALL.finditer(ctx.text):
        yield ctx.finding(
            "etika.sara",
            (m.start(), m.end()),
            "Ajakan bertindak terhadap kelompok suku, agama, atau ras dilarang.",
            "Hapus ajakan ini; tulis fakta dan imbauan menjaga kerukunan.",
        )
