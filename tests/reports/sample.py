"""A small, known store for the reports tests: three issues, their mentions, three sources.

Every figure the tests check is written down here (EXPECTED), so a report's numbers can be read
back and compared with what was put in.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from pantau.store import Database, Issue, Mention, Source

#: The report day (local, WITA) and a moment inside it.
DAY = date(2026, 11, 20)
NOON = datetime(2026, 11, 20, 4, tzinfo=UTC)  # 12.00 WITA

# (issue key, channel, sentiment, hours after NOON, region, engagement, author, outlet)
_PLAN: list[tuple[str, str, str, int, str, int, str | None, str | None]] = []
for n in range(12):  # banjir: social first, negative
    _PLAN.append(
        (
            "banjir",
            "social",
            "negative" if n < 8 else "neutral",
            -6 + n // 3,
            "64.72",
            10 * n,
            f"warga{n % 4}",
            None,
        )
    )
for n in range(5):
    _PLAN.append(
        (
            "banjir",
            "news",
            "negative" if n < 3 else "neutral",
            2 + n,
            "64.72",
            100 + n,
            f"wartawan{n}",
            "Kaltim Post" if n < 3 else "Tribun Kaltim",
        )
    )
for n in range(6):
    _PLAN.append(
        (
            "jalan",
            "social",
            "negative" if n < 2 else "neutral",
            -3 + n,
            "64.71",
            n,
            f"pengguna{n}",
            None,
        )
    )
for n in range(2):
    _PLAN.append(("jalan", "complaint", "negative", -1 + n, "64.71", 0, f"pelapor{n}", None))
for n in range(4):
    _PLAN.append(("cabai", "news", "positive", -5 + n, "64.72", 5, f"redaksi{n}", "Kaltim Post"))
# the day before: five social posts on banjir (for the change against the previous day)
for n in range(5):
    _PLAN.append(("banjir", "social", "neutral", -26 - n, "64.72", 0, "warga9", None))

EXPECTED = {
    "day_total": 29,
    "previous_total": 5,
    "social": 18,
    "news": 9,
    "complaint": 2,
    "negative": 15,
    "neutral": 10,
    "positive": 4,
    "samarinda": 21,
    "balikpapan": 8,
}

ISSUES = {
    "banjir": dict(
        label="Banjir di Sempaja Samarinda",
        stage="crisis",
        risk=82.0,
        key_phrases=["banjir", "samarinda", "sempaja"],
        regions=["64.72"],
        crossover=True,
    ),
    "jalan": dict(
        label="Jalan rusak di Balikpapan Utara",
        stage="emerging",
        risk=55.0,
        key_phrases=["jalan", "rusak", "balikpapan"],
        regions=["64.71"],
        crossover=False,
    ),
    "cabai": dict(
        label="Harga cabai naik di pasar Samarinda",
        stage="current",
        risk=30.0,
        key_phrases=["harga", "cabai", "samarinda"],
        regions=["64.72"],
        crossover=False,
    ),
}


def fill(db: Database) -> dict[str, int]:
    """Write the sample into ``db``; returns the issue ids by key."""
    with db.writer() as s:
        sources = {
            "news": Source(name="Berita Kaltim", kind="rss", channel="news", health="ok"),
            "social": Source(
                name="Ekspor media sosial", kind="x-v2", channel="social", health="silent"
            ),
            "complaint": Source(name="SP4N-LAPOR!", kind="lapor", channel="complaint", health="ok"),
        }
        s.add_all(sources.values())
        s.flush()
        ids: dict[str, int] = {}
        for key, spec in ISSUES.items():
            times = [NOON + timedelta(hours=h) for k, _, _, h, *_ in _PLAN if k == key]
            social = [
                NOON + timedelta(hours=h) for k, c, _, h, *_ in _PLAN if k == key and c == "social"
            ]
            news = [
                NOON + timedelta(hours=h) for k, c, _, h, *_ in _PLAN if k == key and c == "news"
            ]
            issue = Issue(
                size=len(times),
                first_seen=min(times),
                last_seen=max(times),
                first_social_at=min(social) if social else None,
                first_news_at=min(news) if news else None,
                channels={
                    c: sum(1 for k, cc, *_ in _PLAN if k == key and cc == c)
                    for c in ("social", "news", "complaint")
                },
                sentiment_mix={
                    lab: sum(1 for k, _, ss, *_ in _PLAN if k == key and ss == lab)
                    for lab in ("negative", "neutral", "positive")
                },
                **spec,
            )
            s.add(issue)
            s.flush()
            ids[key] = issue.id
        for n, (key, channel, sentiment, hours, region, eng, author, outlet) in enumerate(_PLAN):
            s.add(
                Mention(
                    source_id=sources[channel].id,
                    external_id=f"m{n}",
                    channel=channel,
                    title=f"{ISSUES[key]['label']} ({n})" if channel == "news" else None,
                    text=f"{ISSUES[key]['label']}: laporan nomor {n} dari {author}",
                    url=f"https://contoh.go.id/{key}/{n}",
                    author=author,
                    author_followers=100 * (n % 5),
                    outlet=outlet,
                    published_at=NOON + timedelta(hours=hours, minutes=n % 50),
                    sentiment=sentiment,
                    regions=[{"code": region, "name": "x"}] if n % 2 else [region],
                    likes=eng,
                    issue_id=ids[key],
                )
            )
    return ids
