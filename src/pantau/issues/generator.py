"""Synthetic Indonesian mention streams where an issue starts on social media and reaches news.

Used by the tests and benchmarks: everyday chatter and unrelated news run in the background; each
planted :class:`PlantedIssue` begins with citizens' posts at ``start``, grows, and is picked up by
online media exactly ``news_lag`` later. Each record carries ``truth`` (the planted issue's name,
or None) so measures can be taken; the tracker ignores that field. Same seed, same stream.

>>> rows = generate_stream(seed=1, hours=2, background_per_hour=30, issues=[])
>>> len(rows) > 40, rows[0]["channel"] in {"social", "news"}
(True, True)
"""

from __future__ import annotations

import logging
import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

__all__ = ["DEFAULT_ISSUES", "PlantedIssue", "generate_stream"]

logger = logging.getLogger(__name__)

PLACES = (
    "Samarinda", "Balikpapan", "Bontang", "Tenggarong", "Sangatta", "Tanah Grogot", "Penajam",
    "Sendawar", "Tanjung Redeb", "Loa Janan", "Sungai Pinang", "Palaran", "Sempaja",
)  # fmt: skip
OUTLETS = ("Kaltim Post", "Tribun Kaltim", "Kompas Regional", "detikSulsel", "Antara Kaltim")

#: Everyday words; chatter posts draw a few at random, so no topic bursts by accident (the noise
#: an officer must not see). Real chatter is as scattered: most posts share no content word.
_CHATTER_TEXT = """
pagi siang sore malam kopi teh nasi goreng soto bakso sate mie ayam ikan sayur buah
pisang mangga durian kue roti susu gula garam cabai bawang tomat beras minyak telur
warung pasar toko mal kantor sekolah kampus kos rumah kamar dapur taman pantai sungai
jembatan jalan gang simpang terminal bandara pelabuhan kapal motor mobil sepeda angkot
ojek bensin parkir macet antre libur cuti gajian belanja diskon promo sepatu baju celana
tas jam ponsel laptop wifi sinyal pulsa kuota game film musik konser lagu drama bola
futsal badminton voli renang lari senam gym sehat sakit flu batuk dokter obat vitamin
tidur mimpi capek santai bosan senang sedih marah kangen rindu teman sahabat pacar
keluarga ibu bapak adik kakak nenek kakek anak bayi kucing anjing burung ikan hias
tanaman bunga hujan panas mendung cerah angin dingin gerah ulang tahun nikahan arisan
pengajian ronda kerja bakti lembur rapat tugas ujian nilai wisuda skripsi dosen guru
murid buku novel komik foto video vlog resep masak kue lebaran natal imlek tahun baru
mudik pulang kampung jalan-jalan
"""
CHATTER_WORDS: tuple[str, ...] = tuple(_CHATTER_TEXT.split())
#: Unrelated news headlines (the news channel is never silent).
BACKGROUND_NEWS = (
    "Pemprov Kaltim Gelar Rapat Koordinasi Inflasi Daerah di {place}",
    "Festival Budaya Dayak Meriahkan Akhir Pekan di {place}",
    "Harga Batu Bara Acuan Bulan Ini Turun Tipis",
    "Tim Sepak Bola {place} Menang Tipis di Laga Kandang",
    "Dinas Pendidikan {place} Buka Pendaftaran Beasiswa",
    "Pelabuhan {place} Catat Kenaikan Arus Barang",
)


#: Ceiling of a planted issue's posting rate, a busy local issue (keeps streams small).
MAX_POSTS_PER_HOUR = 120.0


@dataclass(frozen=True)
class PlantedIssue:
    """An issue that starts on social media and reaches the news after ``news_lag``."""

    name: str
    social: tuple[str, ...]  # post templates ({place}, {n} are filled in)
    news: tuple[str, ...]  # headline templates
    place: str
    start: timedelta  # from the stream's start
    news_lag: timedelta  # first news minus first social
    posts_per_hour: float = 12.0
    growth: float = 1.6  # hourly multiplier of the posting rate
    news_items: int = 6


DEFAULT_ISSUES: tuple[PlantedIssue, ...] = (
    PlantedIssue(
        name="banjir",
        social=(
            "banjir lagi di {place}, air masuk rumah setinggi {n} cm #banjir{place}",
            "tolong, jalan ke {place} terendam banjir, motor mogok semua",
            "banjir {place} makin parah, warga mulai mengungsi ke masjid",
            "sudah {n} jam banjir belum surut di {place}, pemkot ke mana?",
            "drainase {place} mampet, tiap hujan pasti banjir, capek",
        ),
        news=(
            "Banjir Rendam Ratusan Rumah di {place}, BPBD Kerahkan Perahu Karet",
            "Warga {place} Mengungsi Akibat Banjir Setinggi {n} Sentimeter",
            "Pemkot Tinjau Lokasi Banjir di {place}, Drainase Jadi Sorotan",
        ),
        place="Sempaja",
        start=timedelta(hours=6),
        news_lag=timedelta(hours=5),
    ),
)


def _fill(template: str, rnd: random.Random, place: str) -> str:
    return template.format(place=place, n=rnd.randint(20, 90))


def generate_stream(
    seed: int = 0,
    hours: float = 24.0,
    background_per_hour: float = 60.0,
    issues: tuple[PlantedIssue, ...] | list[PlantedIssue] = DEFAULT_ISSUES,
    start: datetime | None = None,
) -> list[dict[str, Any]]:
    """A time-ordered stream of replay records (``pantau replay`` format plus ``truth``)."""
    rnd = random.Random(seed)
    t0 = start or datetime(2025, 3, 3, 0, 0, tzinfo=UTC)
    end = hours * 3600.0
    events: list[tuple[float, dict[str, Any]]] = []
    t = 0.0
    while True:
        t += rnd.expovariate(background_per_hour / 3600.0)
        if t >= end:
            break
        if rnd.random() < 0.1:
            text = _fill(rnd.choice(BACKGROUND_NEWS), rnd, rnd.choice(PLACES))
            events.append((t, {"channel": "news", "title": text, "text": text,
                               "outlet": rnd.choice(OUTLETS), "truth": None}))  # fmt: skip
        else:
            words = rnd.sample(CHATTER_WORDS, rnd.randint(4, 8))
            text = " ".join(words)
            events.append((t, {"channel": "social", "text": text, "truth": None}))
    for issue in issues:
        begin = issue.start.total_seconds()
        t = begin
        while t < end:
            rate = issue.posts_per_hour * issue.growth ** ((t - begin) / 3600.0)
            events.append((t, {"channel": "social", "text": _fill(rnd.choice(issue.social), rnd,
                               issue.place), "truth": issue.name}))  # fmt: skip
            t += rnd.expovariate(min(rate, MAX_POSTS_PER_HOUR) / 3600.0)
        first_news = begin + issue.news_lag.total_seconds()
        for k in range(issue.news_items):
            when = first_news + (0.0 if k == 0 else rnd.uniform(0, 3 * 3600.0))
            if when < end:
                title = _fill(issue.news[k % len(issue.news)], rnd, issue.place)
                record = {"channel": "news", "title": title, "text": title, "truth": issue.name}
                events.append((when, {**record, "outlet": rnd.choice(OUTLETS)}))
    events.sort(key=lambda e: e[0])
    rows = []
    for i, (when, record) in enumerate(events):
        social = record["channel"] == "social"
        rows.append(
            {
                "id": f"m{i:07d}",
                "published_at": (t0 + timedelta(seconds=when)).isoformat().replace("+00:00", "Z"),
                "author": f"@warga{rnd.randint(1, 5000)}" if social else None,
                "author_followers": int(rnd.paretovariate(1.2) * 50) if social else 0,
                "likes": rnd.randint(0, 40) if social else 0,
                "shares": rnd.randint(0, 10) if social else 0,
                **record,
            }
        )
    logger.debug("generated %d mentions", len(rows))
    return rows
