"""Generated mention streams for the scale tests: many topics, places and authors, with
near-duplicate copies and copy-paste bursts spread over many batches (written here, so no corpus
text enters the repository)."""

from __future__ import annotations

import json
import random
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from pantau.store import Database, Mention, Source

PLACES = ["Samarinda", "Balikpapan", "Bontang", "Kukar", "Kutim", "Berau", "Paser", "PPU"]
TOPICS = [
    "banjir rob merendam rumah warga di {p}, bantuan belum datang",
    "jalan rusak parah di {p} bikin macet tiap pagi, kapan diperbaiki?",
    "program makan bergizi gratis di sekolah {p} sudah jalan, anak2 senang bgt",
    "harga cabai di pasar {p} naik lagi, emak2 pusing",
    "pemadaman listrik bergilir di {p} sampai malam, pelayanan pln mengecewakan",
    "slot gacor maxwin hari ini daftar sekarang link di bio {p}",
    "selamat pagi warga {p}, semoga harinya menyenangkan",
    "vaksinasi gratis di puskesmas {p} ramai, antre sejak subuh",
    "lowongan kerja operator tambang di {p}, kirim cv segera",
    "air pdam di {p} keruh dan bau, sudah tiga hari tidak ada perbaikan",
]
WORDS = ["sangat", "tolong", "pak", "bu", "segera", "gak", "bener", "banget", "mohon", "cek"]
START = datetime(2026, 11, 2, 0, 0, tzinfo=UTC)


def generate(count: int, seed: int = 19) -> list[str]:
    """``count`` JSON lines in time order; about a third are (near-)copies of an earlier line,
    some of them copied by many authors within minutes (a coordinated burst), some lines have no
    id, a title, a long text, or cannot be read at all."""
    rng = random.Random(seed)
    lines: list[str] = []
    originals: list[str] = []
    for i in range(count):
        when = START + timedelta(seconds=20 * i)
        roll = rng.random()
        if roll < 0.01:
            lines.append("{tidak valid" if i % 2 else json.dumps({"id": f"m{i}"}))
            continue
        if originals and roll < 0.35:
            # a copy of a text seen long ago (another batch), sometimes with a word added
            text = rng.choice(originals)
            if rng.random() < 0.5:
                text = f"{text} {rng.choice(WORDS)}"
        else:
            extra = " ".join(rng.choice(WORDS) for _ in range(rng.randint(0, 6)))
            text = f"{rng.choice(TOPICS).format(p=rng.choice(PLACES))} {extra} #{i}"
            originals.append(text)
        record: dict[str, object] = {"text": text, "published_at": when.isoformat()}
        if rng.random() > 0.05:
            record["id"] = f"m{i}" if rng.random() < 0.8 else i
        record["author"] = f"akun{rng.randint(1, 40)}"
        if rng.random() < 0.05:
            record["title"] = "Berita " + rng.choice(PLACES)
        lines.append(json.dumps(record, ensure_ascii=False))
    return lines


def store(db: Database, source: str, rows: Iterable[tuple[str, str, datetime, str]]) -> None:
    """Store ``(external id, text, published, author)`` rows from one social source in one
    transaction, as an import or a push request does."""
    with db.writer() as s:
        src = s.scalar(select(Source).where(Source.name == source))
        if src is None:
            src = Source(name=source, kind="mapping", channel="social")
            s.add(src)
            s.flush()
        for ext, text, at, author in rows:
            s.add(
                Mention(
                    source_id=src.id,
                    external_id=ext,
                    text=text,
                    channel="social",
                    published_at=at,
                    author=author,
                )
            )
