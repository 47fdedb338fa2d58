"""Structure rules of a news release: headline, dateline, lead, paragraphs, quotes, day and date.

The rules follow the inverted pyramid as Indonesian newsrooms teach it: a short headline, a
dateline "SAMARINDA -", a lead of at most three sentences (about 30-45 words) answering what,
who, when and where, short paragraphs, quotes attributed with the speaker's full name and
position at first mention, and the day-date form "Selasa (24/9/2024)".
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date

from pantau.writing.document import DATELINE_ANY, words
from pantau.writing.indonesian import DAY_NAMES, MONTH_NAMES, day_date
from pantau.writing.linter import Context, rule
from pantau.writing.model import NEWS_KINDS, Finding, Severity
from pantau.writing.rules._util import word_set

#: Headlines longer than this stop being read whole on a phone; Indonesian online outlets keep
#: titles within 8-12 words.
HEADLINE_MAX_WORDS = 12
#: "About 30-45 words" for a lead: 50 is the point where an editor sends it back.
LEAD_MAX_WORDS = 50
LEAD_MAX_SENTENCES = 3
#: Body paragraphs of news run 2-4 sentences; past 80 words the paragraph is a wall on a phone.
PARAGRAPH_MAX_WORDS = 80
#: Repeated sentences shorter than this are formulas ("Ia berharap demikian.").
REPEAT_MIN_WORDS = 5

_DAYS = "|".join(DAY_NAMES)
_NUMERIC_DAY_DATE = re.compile(
    rf"\b(?P<day>{_DAYS})\b(?P<gap>\s*,?\s*)\(?\s*(?P<d>\d{{1,2}})\s*(?P<s>[/.-])\s*"
    r"(?P<m>\d{1,2})(?:\s*(?P=s)\s*(?P<y>\d{4}|\d{2}))?(?!\d)(?:\s*\))?"
)
_LONG_DAY_DATE = re.compile(
    rf"\b(?P<day>{_DAYS}),?\s+(?:tanggal\s+)?(?P<d>\d{{1,2}})\s+(?P<month>{'|'.join(MONTH_NAMES)})"
    r"\s+(?P<y>\d{4})\b"
)
_WHEN = re.compile(
    rf"\b({_DAYS}|{'|'.join(MONTH_NAMES)}|hari ini|kemarin|besok|lusa|tadi|pekan (?:ini|lalu|"
    r"depan)|bulan (?:ini|lalu|depan)|tahun (?:ini|lalu|depan)|(?:pagi|siang|sore|malam) ini|"
    r"pukul|sejak|(?:19|20)\d\d)\b|\d{1,2}/\d{1,2}"
)
_WHO = re.compile(
    r"\b([A-Z][a-z]+|[A-Z]{2,}|warga|masyarakat|petugas|pemerintah|tim|relawan|pihak|siswa|"
    r"nelayan|petani|pedagang|pengemudi|pasien|korban|peserta|pegawai|aparat)\b"
)
_WHERE = re.compile(r"\b(di|ke|dari) [A-Za-z]|\bse-[A-Z]")
_QUOTE = re.compile(r"[\"“]([^\"”\n]{12,}?)[\"”]")
_SAY = (
    r"ujar|kata|ucap|tutur|jelas|ungkap|tegas|terang|imbuh|tambah|sebut|papar|pungkas|lanjut|"
    r"harap|pesan|ajak|menurut"
)
_ATTRIBUTION = re.compile(
    rf"\b(?:(?:{_SAY})(?:nya)?|mengatakan|menegaskan|menjelaskan|menyampaikan|menuturkan|"
    r"mengungkapkan|menambahkan|menyatakan|mengimbau|berharap|meminta)\b",
    re.IGNORECASE,
)
_NAME_TOKEN = r"(?:[A-Z][a-z]?\.|[A-Z][\w'’-]*)"  # noqa: S105 (a regex, not a secret)
_SPEAKER = re.compile(
    rf"\b(?:{_SAY}) (?P<who>{_NAME_TOKEN}(?: (?:{_NAME_TOKEN}|bin|binti|van|de))*)"
)
_POSITIONS = word_set(
    """
    kepala ketua wakil gubernur bupati wali camat lurah sekretaris direktur dirut kapolres
    kapolda kapolsek komandan asisten kabid kasi kasubag kabag kadis plt plt. plh plh.
    koordinator juru manajer pimpinan sekda staf anggota dosen guru dokter petugas kasatpol
    kalaksa kalak menteri presiden inspektur kasat kapten sekjen rektor dekan pj pj.
    penjabat ketua koordinator analis pranata pengurus pendiri
    """
)
#: Speakers that are bodies, not people: no personal name or position is expected.
_INSTITUTIONS = word_set(
    """
    pemerintah pemprov pemkab pemkot dinas badan kementerian kantor balai biro bagian polres polda
    polsek kodim korem satgas tim pihak panitia dprd rsud puskesmas sekolah universitas perusahaan
    pt cv yayasan lembaga komisi bawaslu kpu ombudsman pengadilan kejaksaan kejari kejati
    """
)
_HONORIFICS = frozenset(
    ["pak", "bu", "bapak", "ibu", "sdr", "saudara", "h", "hj", "dr", "ir", "prof"]
)


def _news(ctx: Context) -> bool:
    return ctx.kind is None or ctx.kind in NEWS_KINDS


@rule("struktur.judul", Severity.WARNING, "Judul ada, pendek, tanpa titik.", news_only=True)
def headline(ctx: Context) -> Iterator[Finding]:
    """A headline is present, at most :data:`HEADLINE_MAX_WORDS` words, without a full stop."""
    doc = ctx.doc
    if doc.lead is None:
        return  # not a release: a title or a note
    if doc.headline is None:
        yield ctx.finding(
            "struktur.judul",
            (doc.lead.start, doc.lead.start),
            "Rilis tidak memiliki judul.",
            "Tulis judul singkat (paling banyak 12 kata) di atas paragraf pembuka.",
            severity=Severity.ERROR,
        )
        return
    title = doc.headline.text(ctx.text)
    count = ctx.doc.count_words(doc.headline)
    if count > HEADLINE_MAX_WORDS:
        yield ctx.finding(
            "struktur.judul",
            doc.headline,
            f"Judul terlalu panjang ({count} kata); paling banyak {HEADLINE_MAX_WORDS} kata.",
            "Ringkas judul menjadi inti berita.",
        )
    if title.endswith(".") and not title.endswith(".."):
        yield ctx.finding(
            "struktur.judul",
            (doc.headline.end - 1, doc.headline.end),
            "Judul tidak diakhiri titik.",
            "",
            fix="",
        )


@rule("struktur.dateline", Severity.WARNING, 'Dateline berbentuk "KOTA - ".', news_only=True)
def dateline(ctx: Context) -> Iterator[Finding]:
    """The lead opens with the place in capitals and a dash: "SAMARINDA - "."""
    doc = ctx.doc
    if doc.lead is None:
        return
    if doc.dateline is None:
        first = words(ctx.text, doc.lead)[:1]
        span = first[0] if first else doc.lead
        yield ctx.finding(
            "struktur.dateline",
            (span.start, span.end),
            "Paragraf pembuka tidak diawali dateline (nama kota, tanda pisah).",
            'Awali dengan dateline, mis. "SAMARINDA - ".',
        )
        return
    m = DATELINE_ANY.match(doc.dateline.text(ctx.text))
    if m is None:  # parse() only sets a dateline that matches
        return
    city, credit, sep = m.group("city"), m.group("credit") or "", m.group("sep")
    if sep.startswith(","):
        yield ctx.finding(
            "struktur.dateline",
            doc.dateline,
            "Dateline cukup nama kota dan tanda pisah; hari dan tanggal ditulis di lead.",
            f"{city.upper()}{credit} - ",
        )
        return
    dash = sep.strip() if sep.strip() in {"-", "–", "—"} else "-"
    canonical = f"{city.upper()}{credit} {dash} "
    if doc.dateline.text(ctx.text) != canonical:
        yield ctx.finding(
            "struktur.dateline",
            doc.dateline,
            "Dateline ditulis dengan nama kota berhuruf kapital diikuti tanda pisah: "
            f'"{canonical.strip()}".',
            canonical,
            fix=canonical,
        )


@rule("struktur.lead_panjang", Severity.WARNING, "Lead paling banyak 3 kalimat, 30-45 kata.",
      news_only=True)  # fmt: skip
def lead_length(ctx: Context) -> Iterator[Finding]:
    """The lead holds at most three sentences and about 30-45 words."""
    doc = ctx.doc
    body = doc.lead_body
    if doc.lead is None or body is None:
        return
    count = ctx.doc.count_words(body)
    n_sentences = len(doc.sentences(doc.lead))
    if n_sentences > LEAD_MAX_SENTENCES or count > LEAD_MAX_WORDS:
        yield ctx.finding(
            "struktur.lead_panjang",
            body,
            f"Lead terlalu panjang ({n_sentences} kalimat, {count} kata); idealnya paling "
            f"banyak {LEAD_MAX_SENTENCES} kalimat dan sekitar 30-45 kata.",
            "Sisakan inti berita di lead; pindahkan rincian ke paragraf berikutnya.",
        )


@rule("struktur.lead_unsur", Severity.WARNING, "Lead menjawab apa, siapa, kapan, di mana.",
      news_only=True)  # fmt: skip
def lead_elements(ctx: Context) -> Iterator[Finding]:
    """The lead says who did what, when and where."""
    doc = ctx.doc
    body = doc.lead_body
    if doc.lead is None or body is None:
        return
    chunk = body.text(ctx.text)
    whole = doc.lead.text(ctx.text)  # a date in a "KOTA, Selasa (24/9) -" dateline counts
    missing = [
        name
        for name, pattern, where in (
            ("siapa", _WHO, chunk),
            ("kapan", _WHEN, whole),
            ("di mana", _WHERE, chunk),
        )
        if pattern.search(where) is None
    ]
    if missing:
        yield ctx.finding(
            "struktur.lead_unsur",
            body,
            f"Lead belum menjawab: {', '.join(missing)}.",
            "Lengkapi lead dengan " + ", ".join(missing) + ".",
        )


@rule("struktur.paragraf_panjang", Severity.WARNING, "Paragraf terlalu panjang.", news_only=True)
def long_paragraphs(ctx: Context) -> Iterator[Finding]:
    """Body paragraphs of at most :data:`PARAGRAPH_MAX_WORDS` words."""
    for para in ctx.doc.body:
        count = ctx.doc.count_words(para)
        if count > PARAGRAPH_MAX_WORDS:
            yield ctx.finding(
                "struktur.paragraf_panjang",
                para,
                f"Paragraf ini {count} kata; pecah menjadi paragraf pendek "
                f"(paling banyak {PARAGRAPH_MAX_WORDS} kata).",
                "Pecah menjadi dua paragraf atau lebih.",
            )


def _year(raw: str | None) -> int | None:
    if raw is None:
        return None
    return 2000 + int(raw) if len(raw) == 2 else int(raw)


@rule("struktur.hari_tanggal", Severity.WARNING, 'Hari dan tanggal ditulis "Selasa (24/9/2024)".')
def day_date_form(ctx: Context) -> Iterator[Finding]:
    """Numeric dates after a day name take the news form "Selasa (24/9/2024)"."""
    for m in _NUMERIC_DAY_DATE.finditer(ctx.text):
        d, mo, y = int(m.group("d")), int(m.group("m")), _year(m.group("y"))
        if not (1 <= d <= 31 and 1 <= mo <= 12):
            continue
        canonical = f"{m.group('day')} ({d}/{mo}" + (f"/{y})" if y else ")")
        if m.group() != canonical:
            yield ctx.finding(
                "struktur.hari_tanggal",
                (m.start(), m.end()),
                f'Penulisan hari dan tanggal dalam berita: "{canonical}".',
                canonical,
                fix=canonical,
            )
    if not _news(ctx):
        return
    for m in _LONG_DAY_DATE.finditer(ctx.text):
        mo = MONTH_NAMES.index(m.group("month")) + 1
        canonical = f"{m.group('day')} ({int(m.group('d'))}/{mo}/{m.group('y')})"
        yield ctx.finding(
            "struktur.hari_tanggal",
            (m.start(), m.end()),
            f'Dalam berita, hari dan tanggal ditulis ringkas: "{canonical}".',
            canonical,
            fix=canonical,
        )


@rule("struktur.hari_tanggal_cocok", Severity.ERROR, "Nama hari cocok dengan tanggalnya.")
def day_matches_date(ctx: Context) -> Iterator[Finding]:
    """The day name agrees with the calendar date (Senin (24/9/2024) is wrong: it was a Tuesday)."""
    found = [
        (m, int(m.group("d")), int(m.group("m")), _year(m.group("y")))
        for m in _NUMERIC_DAY_DATE.finditer(ctx.text)
    ] + [
        (m, int(m.group("d")), MONTH_NAMES.index(m.group("month")) + 1, int(m.group("y")))
        for m in _LONG_DAY_DATE.finditer(ctx.text)
    ]
    for m, d, mo, y in found:
        if y is None:
            continue
        try:
            actual = date(y, mo, d)
        except ValueError:
            yield ctx.finding(
                "struktur.hari_tanggal_cocok",
                (m.start(), m.end()),
                "Tanggal ini tidak ada di kalender.",
                "Periksa tanggalnya.",
            )
            continue
        if DAY_NAMES[actual.weekday()] != m.group("day"):
            yield ctx.finding(
                "struktur.hari_tanggal_cocok",
                (m.start(), m.end()),
                f"{d}/{mo}/{y} jatuh pada hari {DAY_NAMES[actual.weekday()]}, bukan "
                f"{m.group('day')}.",
                day_date(actual),
            )


@rule("struktur.kutipan_atribusi", Severity.WARNING, "Kutipan menyebut siapa yang berbicara.",
      news_only=True)  # fmt: skip
def quote_attribution(ctx: Context) -> Iterator[Finding]:
    """A quotation paragraph names its speaker with a verb of saying (ujar, kata, jelas ...)."""
    text = ctx.text
    for para in [*([ctx.doc.lead] if ctx.doc.lead else []), *ctx.doc.body]:
        quotes = list(_QUOTE.finditer(text, para.start, para.end))
        if not quotes or len(quotes[0].group(1).split()) < 4:
            continue
        outside = _QUOTE.sub(" ", para.text(text))
        if _ATTRIBUTION.search(outside):
            continue
        yield ctx.finding(
            "struktur.kutipan_atribusi",
            (quotes[0].start(), quotes[0].end()),
            "Kutipan tanpa atribusi: sebutkan siapa yang mengatakannya.",
            'Tambahkan atribusi, mis. ", ujar [jabatan] [nama lengkap], Selasa (24/9/2024)."',
        )


@rule("struktur.nama_jabatan", Severity.WARNING, "Nama lengkap dan jabatan saat pertama disebut.",
      news_only=True)  # fmt: skip
def name_and_position(ctx: Context) -> Iterator[Finding]:
    """A speaker's first mention gives the full name and the position."""
    text = ctx.text
    for m in _SPEAKER.finditer(text):
        who = m.group("who").rstrip(".,")
        tokens = who.split()
        head = tokens[0].lower().rstrip(".")
        if head in _POSITIONS or head in _INSTITUTIONS or tokens[0].isupper():
            continue  # a position first, or an institution speaking (BPBD, Pemprov Kaltim)
        if tokens[0].lower().rstrip(".") in _HONORIFICS and len(tokens) > 1:
            tokens = tokens[1:]
        if re.search(rf"\b{re.escape(tokens[0])}\b", text[: m.start("who")]):
            continue  # mentioned before: a short name is the house style after that
        after = text[m.start("who") + len(who) : m.start("who") + len(who) + 40]
        nxt = re.match(r"\s*,\s*([\w.]+)", after)
        has_position = nxt is not None and nxt.group(1).lower() in _POSITIONS
        if len(tokens) > 1 and has_position:
            continue
        lacking = [] if len(tokens) > 1 else ["nama lengkap"]
        lacking += [] if has_position else ["jabatan"]
        yield ctx.finding(
            "struktur.nama_jabatan",
            (m.start("who"), m.start("who") + len(who)),
            f"Narasumber pertama kali disebut tanpa {' dan '.join(lacking)}.",
            'Tulis jabatan dan nama lengkap, mis. "Kepala Dinas Kesehatan Kaltim Jaya Mualimin".',
        )


def _normalized(sentence: str) -> str:
    return re.sub(r"[^\w ]+", "", re.sub(r"\s+", " ", sentence.lower())).strip()


@rule("struktur.kalimat_berulang", Severity.WARNING, "Kalimat yang sama ditulis dua kali.")
def repeated(ctx: Context) -> Iterator[Finding]:
    """The second and later copies of a sentence of :data:`REPEAT_MIN_WORDS` words or more."""
    seen: set[str] = set()
    for sentence in ctx.doc.all_sentences():
        key = _normalized(sentence.text(ctx.text))
        if len(key.split()) < REPEAT_MIN_WORDS:
            continue
        if key in seen:
            yield ctx.finding(
                "struktur.kalimat_berulang",
                sentence,
                "Kalimat ini sudah ditulis sebelumnya.",
                "Hapus kalimat yang berulang.",
            )
        seen.add(key)
