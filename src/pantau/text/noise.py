"""Noise and spam: posts that are not about any public matter, and what kind they are.

Online-gambling promotion ("slot gacor maxwin, daftar sekarang"), sales, job ads, giveaways,
greetings and chatter would otherwise join issues and swell the negative share. Each is found by
its cue words, checked in this order (:meth:`NoiseDetector.kind`):

1. a post that reports, warns about or acts against the thing ("Polisi tangkap bandar judi
   online", "Waspada loker palsu mengatasnamakan Pupuk Kaltim") is genuine, whatever it names;
2. a promotion (``judi``, ``giveaway``, ``loker``, ``iklan``): its topic words, and either a
   second topic word or a call to action (daftar, link di bio, kirim CV, hubungi WA...);
3. a greeting (``sapaan``) or chatter (``obrolan``) only when nothing in the post speaks of a
   public matter (no issue word: banjir, jalan, harga, pelayanan, ...);
4. an automatic location check-in (``checkin``: Foursquare/Swarm and the like write "I'm at
   Bandara Sepinggan (Balikpapan) w/ 3 others http://..." for a person who only tapped a
   venue): the template and a link, nothing the person wrote. A check-in with the person's own
   words ("Banjir setinggi lutut (@ Simpang Lembuswana) http://...") is a post like any other.

Rules, not a trained model: the cues are the vocabulary of the trade and the set they were
written against is small (``tests/text/data/noise_labelled.tsv``, 330 posts written for pantau);
a hashed n-gram model fitted to it learned the topic words and flagged the posts *about*
gambling (see ``benchmarks/results/text.md``).

>>> d = NoiseDetector()
>>> d.kind("Slot gacor hari ini maxwin, daftar sekarang")
'judi'
>>> print(d.kind("Polisi tangkap bandar judi online di Samarinda"))
None
>>> d.kind("Selamat pagi semua, semangat beraktivitas!")
'sapaan'
>>> d.kind("I'm at Bandara Sepinggan (Balikpapan, Kalimantan Timur) w/ 4 others http://t.co/x")
'checkin'
>>> print(d.kind("Banjir setinggi lutut (@ Simpang Lembuswana) http://t.co/x"))
None
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from pantau.text.normalize import normalize_tokens

__all__ = ["NOISE_KINDS", "NoiseDetector", "is_checkin"]

logger = logging.getLogger(__name__)

_WORD_RE = re.compile(r"[a-z0-9]+")
# Letters that digits stand for in promotion spellings ("g4c0r", "m4xw1n"), applied only to
# words that mix letters and digits and are not amounts ("10k", "50rb", "4d").
_LEET = str.maketrans({"4": "a", "3": "e", "1": "i", "0": "o", "5": "s", "7": "t", "9": "g"})
_AMOUNT_RE = re.compile(r"^\d+(?:k|rb|ribu|jt|juta|m|d|x|an|gb|mb|pcs|th|thn|tahun)?$")
_ELONG_RE = re.compile(r"([a-z])\1{2,}")
# A brand with a number, as gambling sites name themselves ("slot88", "gacor777", "togel4d").
_SITE_NUMBER_RE = re.compile(r"^([a-z]{3,}?)(?:4d|\d{2,})$")
# A price in a seller's spelling ("Rp6.000/kg", "99rb", "150k"): one more word of a sale.
_PRICE_RE = re.compile(r"\brp\s?\d|\b\d+(?:rb|k)\b", re.IGNORECASE)
_PHONE_RE = re.compile(r"(?:\+62|\b0)8\d{1,3}[\s.-]?\d{3,4}[\s.-]?\d{2,5}|\b08\d{2}x+")


@dataclass(frozen=True)
class _Cues:
    """Words and phrases of one kind of promotion: what it is about and how it calls to act."""

    kind: str
    topic: frozenset[str]
    action: frozenset[str]
    # Topic words that name the trade itself ("slot", "togel", "lowongan"): one of them must be
    # there; the others ("menang", "gaji", "harga") are common in genuine posts.
    core: frozenset[str]
    # A single topic word with a call to action is enough when True ("daftar slot"); otherwise
    # two topic words are needed as well ("dijual" + "murah" + "hubungi").
    one_topic_suffices: bool = True


def _cues(words: str) -> frozenset[str]:
    return frozenset(w.strip().lstrip("*") for w in words.split(",") if w.strip())


def _core(words: str) -> frozenset[str]:
    """The cues marked with a star in a topic list."""
    return frozenset(w.strip()[1:] for w in words.split(",") if w.strip().startswith("*"))


def _promo(kind: str, topic: str, action: frozenset[str], one_topic_suffices: bool) -> _Cues:
    return _Cues(kind, _cues(topic), action, _core(topic), one_topic_suffices)


# Calls to action shared by every kind of promotion.
_ACTION = _cues(
    "daftar, daftar sekarang, link, klik, bio, link di bio, cek bio, wa, whatsapp, dm, inbox, "
    "hubungi, join, gabung, buruan, segera, terbatas, langsung, sekarang juga, chat, kontak, "
    "telegram, info lebih lanjut, cek ig, follow, order, pesan sekarang, minat, cp, kunjungi, "
    "linknya, info wa, wa aja, hub wa, booking, japri"
)
_PROMOTIONS = (
    _promo(
        "judi",
        "*slot, *gacor, *maxwin, *max win, *togel, *toto, *rtp, *scatter, *jackpot, *jp, *zeus, "
        "*olympus, *mahjong, *mahjong ways, *sbobet, *kasino, *casino, *judol, *judi, bandar, "
        "*parlay, *taruhan, *betting, bet, spin, *freespin, *free spin, *pragmatic, *bonanza, *4d,"
        " sgp, hk, pola, *rungkad, *anti rungkad, *wede, *wd, *depo, deposit, withdraw, situs, "
        "*link alternatif, new member, *bonus new member, *anti blokir, cuan, menang, kemenangan, "
        "modal receh, hoki, sensasional, *angka jitu, bocoran, prediksi, tembus",
        _ACTION
        | _cues(
            "bonus, promo, dijamin, pasti, terpercaya, resmi, auto, gampang, mudah, tanpa "
            "potongan, cair, min depo, minimal depo, garansi, kalah, tiap hari, hari ini, modal, "
            "coba, jadi, bos, bosku, main, main di sini, login"
        ),
        one_topic_suffices=False,
    ),
    _promo(
        "giveaway",
        "*giveaway, *give away, *kuis, *undian, *bagi-bagi, *bagi bagi, hadiah, pemenang, *saldo "
        "gratis, *pulsa gratis, voucher, e-wallet, *dana kaget",
        _cues(
            "follow, like, share, repost, retweet, rt, tag, mention, komen, komentar, syarat, "
            "caranya, diumumkan, umumkan, ikuti, klaim, klik, link, tebak, jawab, jawaban"
        ),
        one_topic_suffices=True,
    ),
    _promo(
        "loker",
        "*loker, *lowongan, *lowongan kerja, *dicari, *dibutuhkan, butuh, *rekrutmen, *hiring, "
        "karyawan, karyawati, staf, staff, admin, kurir, pekerja, freelance, part time, paruh "
        "waktu, gaji, *lamaran, *cv, posisi, penempatan, *vacancy, *kerja dari rumah, tukang, "
        "harian, operator, kasir, sopir, driver, penjaga, *interview, helper, gudang, security, "
        "satpam",
        _ACTION
        | _cues(
            "kirim cv, kirim lamaran, syarat, persyaratan, usia, maksimal, minimal, lulusan, sma, "
            "smk, pendidikan, domisili, pengalaman, interview, apply, email, kualifikasi, bawa "
            "berkas, berkas"
        ),
        one_topic_suffices=False,
    ),
    _promo(
        "iklan",
        "*jual, *dijual, jualan, *promo, *diskon, murah, meriah, ready, *ready stok, stok, *open "
        "po, *po, order, *grosir, ecer, ongkir, *cod, *bisa cod, *free ongkir, shopee, tokopedia, "
        "checkout, *sale, *flash sale, *jasa, terima, menerima, *sedia, menyediakan, *rental, "
        "*sewa, *disewakan, kredit, cicilan, dp, agen, *reseller, *dropship, produk, original, "
        "ori, harga, *pinjaman, *dana cair, *tanpa jaminan, endorse, paket, laris, dapatkan, "
        "servis, service, *laundry, kontrakan, kos, kost, *bimbel, privat, kursus, *testimoni, "
        "ampuh, kiloan, *terima pesanan, *dana tunai, *jaminan bpkb, bpkb, gadai, cair",
        _ACTION
        | _cues(
            "hub, pesan, pemesanan, cek, tersedia, ready, kak, sis, gan, chat, terbatas, info, "
            "bisa kirim, antar jemput, kuota, nego, testimoni"
        ),
        one_topic_suffices=False,
    ),
)

# Words that make a post a report, a warning or an act against the thing it names: with any
# of them it is genuine, not a promotion ("Polisi tangkap bandar judi online").
_ABOUT = _cues(
    "polisi, polres, polresta, polda, polsek, kapolres, kapolda, ditangkap, tangkap, menangkap, "
    "penangkapan, ungkap, mengungkap, diamankan, tersangka, pelaku, kasus, sindikat, diblokir, "
    "blokir, memblokir, pemblokiran, kominfo, komdigi, diskominfo, berantas, memberantas, "
    "pemberantasan, razia, penipuan, tertipu, menipu, korban, kecanduan, terjerat, menjerat, "
    "bahaya, dampak, waspada, hati-hati, hindari, palsu, hoaks, hoax, modus, mengatasnamakan, "
    "catut, mencatut, dicatut, lapor, laporkan, melapor, melaporkan, dilaporkan, ilegal, haram, "
    "larangan, melarang, dilarang, sanksi, pidana, dipidana, ditahan, terlibat, marak, maraknya, "
    "imbauan, mengimbau, imbau, edukasi, sosialisasi, satgas, ojk, pengangguran, phk, disnaker, "
    "cpns, pppk, dprd, gubernur, wali kota, walikota, bupati, pemerintah, pemprov, pemkot, pemkab,"
    " dinas, disperindag, bulog, operasi pasar, pasar murah, inflasi, kenaikan, keluhan, mengeluh,"
    " mengeluhkan, protes, resah, meresahkan, keluhkan, terdakwa, vonis, dihukum"
)
# Words before a cue of :data:`_ABOUT` that turn it into a selling point ("anti blokir").
_NEGATING = frozenset({"anti", "tanpa", "bebas"})
# Words of public matters: a greeting or a chatty post with any of them is genuine.
_ISSUE = _cues(
    "banjir, longsor, kebakaran, terbakar, kecelakaan, tabrakan, macet, kemacetan, jalan, "
    "jembatan, rusak, berlubang, lubang, listrik, padam, pemadaman, pln, air, pdam, mati, sampah, "
    "bau, harga, mahal, naik, kenaikan, langka, kelangkaan, antre, antri, antrean, bbm, solar, "
    "pertalite, elpiji, gas, sembako, beras, minyak, cabai, pasar, sekolah, guru, murid, siswa, "
    "rumah sakit, rsud, puskesmas, bpjs, pasien, dokter, obat, pelayanan, layanan, izin, pungli, "
    "korupsi, bansos, bantuan, blt, mbg, gizi, keracunan, demo, unjuk rasa, tambang, lubang "
    "tambang, banjir rob, pemerintah, pemkot, pemkab, pemprov, dprd, gubernur, walikota, wali "
    "kota, bupati, camat, lurah, polisi, dinas, proyek, anggaran, pajak, tarif, tagihan, internet,"
    " sinyal, angkot, bus, kapal, pelabuhan, bandara, penerbangan, banjir lagi, genangan, "
    "drainase, parit, gorong-gorong, perbaikan, diperbaiki, perbaiki, kapan, tolong, keluhan, "
    "mengeluh, protes, kecewa, korban, tewas, meninggal, hilang, pencurian, begal, maling, "
    "narkoba, judi, kriminal, asap, karhutla, kabut, stunting, kemiskinan, pengangguran, phk, "
    "gaji, upah, umr, ump, tanah, lahan, sengketa, gusur, penggusuran, relokasi, ikn, nusantara, "
    "rapat, sidang, kebijakan, program, pembangunan, infrastruktur, wabah, dbd, demam, covid, "
    "vaksin, bencana, gempa, angin, puting beliung, evakuasi, mengungsi, pengungsi, kekeringan, "
    "krisis, ktp, e-ktp, kk, akta, dukcapil, samsat, sim, paspor, mau tanya, belum jadi, lapor"
)
_GREETING = _cues(
    "selamat pagi, selamat siang, selamat sore, selamat malam, pagi semua, pagi warga, met pagi, "
    "assalamualaikum, assalamu alaikum, wassalam, halo, hallo, hai, good morning, selamat hari "
    "raya, selamat idul fitri, selamat idul adha, selamat natal, selamat tahun baru, mohon maaf "
    "lahir dan batin, mohon maaf lahir batin, minal aidin, minal aidzin, happy, selamat ulang "
    "tahun, selamat hari jadi, selamat hut, dirgahayu, selamat berakhir pekan, selamat "
    "beraktivitas, selamat berlibur, selamat menunaikan, selamat menjalankan, salam sehat, salam "
    "kenal, semangat pagi, semangat senin, jumat berkah, selamat hari, tetap semangat, have a nice"
    " day, selamat istirahat, selamat tidur, sugeng enjing, salam"
)
_CHATTER = _cues(
    "wkwk, wkwkwk, wkwkwkwk, wk, follback, siap min, sip, oke, haha, hahaha, hehe, hehehe, xixi, "
    "awokawok, lol, lmao, gabut, nyimak, menyimak, otw, mantul, mantap, mantab, first, pertamax, "
    "sundul, up, cmiiw, followback, follow back, mutualan, mutual, ngopi, ngopi dulu, ngantuk, "
    "galau, bosen, bosan, kangen, rindu, selfie, anjay, anjir, bjir, bestie, gan, sis, bro, cuy, "
    "sob, lapar, laper, makan siang, rebahan, healing, mager, capek, cape, pulang, santuy, santai,"
    " turu, bobo, tidur, begadang, hadir, absen, mampir, semangat, aamiin, amin, amiin, wkwkw, "
    "hmm, hmmm, yuk, lagi apa, ngapain, weekend, malam minggu, jomblo, ngegame, mabar, main game, "
    "nonton"
)
# Function words and fillers: what is left of a post without them and its greeting or chatter
# cues is what it says.
_FILLER = _cues(
    "aja, saja, ya, yah, ye, yuk, ayo, nih, ni, sih, deh, dong, kok, lah, kan, tuh, loh, lho, "
    "gitu, begitu, gini, banget, bgt, bener, benar, pol, sekali, sangat, juga, jg, lagi, lg, dulu,"
    " udah, sudah, belum, mau, pengen, ingin, ada, yang, yg, dan, di, ke, dari, untuk, buat, utk, "
    "bagi, dengan, sama, ini, itu, semua, semuanya, kita, kami, kalian, saya, aku, kamu, kau, dia,"
    " mereka, gaes, guys, gengs, kak, kakak, min, admin, bang, mas, mbak, pak, bu, sob, sobat, "
    "sahabat, teman, temen, hari, pagi, siang, sore, malam, ini, sumpah, parah, pun, para, yang, "
    "the, a, to, for, you, all, everyone, jangan, lupa, tetap, selalu, kok, ah, eh, oh, wah, wow"
)
# A greeting with more than this many other words is a message, not noise: the greetings of the
# labelled set carry at most 4 (a place, an occasion: "Selamat hari jadi Kota Samarinda").
GREETING_MAX_CONTENT = 5
# Chatter says at most this much besides its cues ("otw ngopi", "anjir bestie"): with 5 words
# allowed, 3.2% of the replies in the MBG stream came out as chatter, most of them opinions with
# a "wkwk" ("kasian bgt anjay gk dibayar"); with 2, 1.4%.
CHATTER_MAX_CONTENT = 2
# A greeting opens the post: "Jumat Berkah" at the end of a complaint is sarcasm, not a greeting.
GREETING_MAX_START = 2
NOISE_KINDS: tuple[str, ...] = (
    *(c.kind for c in _PROMOTIONS),
    "sapaan",
    "obrolan",
    "checkin",
)

# Check-in apps write the whole post when the person adds nothing: "I'm at <venue>" (or "Saya
# di", "Estoy en", ... in the app's language) with the venue's city in parentheses, "w/ N
# others", a "[pic]", and always the link; or "(@ <venue>) <link>" alone. A venue is a name, not
# a sentence: at most VENUE_MAX_WORDS words and no sentence punctuation outside the parentheses.
VENUE_MAX_WORDS = 7
_LINK = r"(?:https?://|www\.)\S+"
_CHECKIN_RE = re.compile(
    r"^\s*(?:i['’]?m at|i am at|just checked in at|saya (?:sedang )?di|aku di|estoy en|"
    r"estou em|sono a|nasa)\s+(?P<venue>[^.,!?;\n()]{1,120}?)\s*(?:\([^()\n]{0,120}\))?\s*"
    r"(?:(?:w/|with|bersama|dengan)\s+\d+\s+\w+)?\s*(?:\[pic\])?\s*[:\-–]?\s*"
    + _LINK
    + r"(?:\s+"
    + _LINK
    + r")*\s*$",
    re.IGNORECASE,
)
_BARE_CHECKIN_RE = re.compile(
    r"^\s*(?:\[pic\]\s*)?(?:—\s*)?\(@\s*[^()\n]{1,120}\)\s*" + _LINK + r"\s*$",
    re.IGNORECASE,
)


def is_checkin(text: str) -> bool:
    """Whether ``text`` is a check-in app's own words around a venue and a link, nothing more."""
    found = _CHECKIN_RE.match(text)
    if found is not None:
        return len(found.group("venue").split()) <= VENUE_MAX_WORDS
    return _BARE_CHECKIN_RE.match(text) is not None


def _words(text: str) -> list[str]:
    """Lowercased words with promotion spellings undone: styled letters ("𝗦𝗟𝗢𝗧" -> "slot"),
    site numbers ("gacor77" -> "gacor"), digits for letters ("G4C0R" -> "gacor"), elongation
    ("mantulll" -> "mantul")."""
    out = []
    for word in _WORD_RE.findall(unicodedata.normalize("NFKC", text).lower()):
        if not word.isalpha() and not word.isdigit() and not _AMOUNT_RE.match(word):
            site = _SITE_NUMBER_RE.match(word)
            word = site.group(1) if site else word.translate(_LEET)
        out.append(_ELONG_RE.sub(r"\1", word))
    return out


class _Lexicons:
    """Several named cue lists matched in one pass over a post's words: which cues of each."""

    def __init__(self, lists: dict[str, frozenset[str]], negatable: frozenset[str]) -> None:
        self.negatable = negatable
        self.phrases: dict[str, list[tuple[tuple[str, ...], str, str]]] = {}
        for name, cues in lists.items():
            for cue in cues:
                key = tuple(_WORD_RE.findall(cue))  # "bagi-bagi" and "bagi bagi" are one cue
                self.phrases.setdefault(key[0], []).append((key, name, " ".join(key)))

    def match(self, *sequences: Sequence[str]) -> dict[str, dict[str, int]]:
        """Per list, each cue found and the first word position where it starts."""
        found: dict[str, dict[str, int]] = {}
        for seq in sequences:
            for i, word in enumerate(seq):
                for key, name, cue in self.phrases.get(word, ()):
                    if name in self.negatable and i > 0 and seq[i - 1] in _NEGATING:
                        continue  # "anti blokir" sells what "diblokir" reports
                    if len(key) == 1 or tuple(seq[i : i + len(key)]) == key:
                        cues = found.setdefault(name, {})
                        cues[cue] = min(i, cues.get(cue, i))
        return found


class NoiseDetector:
    """Tells promotion, greetings and chatter from posts about public matters."""

    kinds = NOISE_KINDS

    def __init__(self) -> None:
        lists = {"about": _ABOUT, "issue": _ISSUE, "greeting": _GREETING, "chatter": _CHATTER}
        for cues in _PROMOTIONS:
            lists[f"{cues.kind}:topic"] = cues.topic
            lists[f"{cues.kind}:action"] = cues.action
        self.lexicons = _Lexicons(lists, negatable=frozenset({"about"}))

    def kind(self, text: str, normalized: Sequence[str] | None = None) -> str | None:
        """The noise kind of ``text`` (``"judi"``, ``"iklan"``, ...) or None for a genuine post.

        ``normalized`` are its tokens from :func:`normalize_tokens`, when already at hand."""
        raw = _words(text)
        norm = normalize_tokens(text) if normalized is None else normalized
        found = self.lexicons.match(raw, norm)
        if not text.strip():
            return None
        if is_checkin(text):
            return "checkin"
        if "about" not in found:
            promotion = self._promotion(text, found)
            if promotion is not None:
                return promotion
        if "issue" in found:
            return None
        if not any(w.isalpha() for w in raw):
            return "obrolan"  # emoji, punctuation and numbers alone
        greeting = found.get("greeting", {})
        chatter = found.get("chatter", {})
        if not greeting and not chatter:
            return None
        said = {w for w in raw if w not in _FILLER}
        for cue in (*greeting, *chatter):
            said.difference_update(cue.split())
        if greeting and min(greeting.values()) <= GREETING_MAX_START:
            return "sapaan" if len(said) <= GREETING_MAX_CONTENT else None
        return "obrolan" if chatter and len(said) <= CHATTER_MAX_CONTENT else None

    @staticmethod
    def _promotion(text: str, found: dict[str, dict[str, int]]) -> str | None:
        """The kind of promotion with the most topic words among those that qualify."""
        issue = set(found.get("issue", ()))
        phone = _PHONE_RE.search(text) is not None
        price = _PRICE_RE.search(text) is not None
        best: tuple[int, int, str] | None = None
        for cues in _PROMOTIONS:
            words = found.get(f"{cues.kind}:topic", {})
            if cues.core.isdisjoint(words):
                continue
            topic = len(words) + int(price and cues.kind == "iklan")
            action = len(found.get(f"{cues.kind}:action", ())) + phone
            if issue.difference(words):  # it also speaks of a public matter: ask for more
                qualifies = topic >= 2 and action >= 1
            else:
                qualifies = (topic >= 2 and (action >= 1 or topic >= 3)) or (
                    topic == 1 and action >= (1 if cues.one_topic_suffices else 2)
                )
            if qualifies and (best is None or (topic, action) > best[:2]):
                best = (topic, action, cues.kind)
        return best[2] if best else None

    def kinds_of(
        self, texts: Sequence[str], normalized: Iterable[Sequence[str]] | None = None
    ) -> list[str | None]:
        """:meth:`kind` of each text, in order."""
        if normalized is None:
            return [self.kind(t) for t in texts]
        return [self.kind(t, n) for t, n in zip(texts, normalized, strict=True)]
