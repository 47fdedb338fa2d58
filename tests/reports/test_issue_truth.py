"""The issue page's figures equal the database truth for a randomised issue (SQLite, PostgreSQL).

The page reads covering indexes and the rollup; this test counts the same things in Python from
the mentions it wrote: timeline and sentiment per local day, regions, top authors, outlets and
mentions (with ties in engagement, undated mentions, mentions without an author).
"""

from __future__ import annotations

import random
from collections import Counter
from datetime import UTC, datetime, timedelta
from itertools import pairwise

import pytest
from sqlalchemy import select

from pantau.reports.issue_view import DETAIL_SCAN, TOP_N, issue_detail
from pantau.store import Database, Issue, Mention, Source
from pantau.store.search import MentionFilter, search_mentions

TZ = "Asia/Makassar"
WITA = timedelta(hours=8)
START = datetime(2026, 11, 1, 3, tzinfo=UTC)
#: Mentions of the issue: fewer than DETAIL_SCAN, so the top lists rank every one of them.
MENTIONS = 400
DAYS = 9  # longer than three days: daily buckets
REGIONS = ["64.01", "64.02", "64.71", "64.72", "64.72.01", "64.74"]
CHANNELS = ["social", "news", "complaint"]
SENTIMENTS = ["negative", "neutral", "positive"]


def _plan(seed: int = 11, mentions: int = MENTIONS, days: int = DAYS) -> list[dict[str, object]]:
    rng = random.Random(seed)
    rows: list[dict[str, object]] = []
    for n in range(mentions):
        channel = rng.choice(CHANNELS)
        undated = rng.random() < 0.03
        regions = rng.sample(REGIONS, rng.randint(0, 2))
        rows.append(
            {
                "external_id": f"t{n}",
                "channel": channel,
                "text": f"sebutan {n}",
                "author": None if rng.random() < 0.1 else f"akun{rng.randint(1, 30):02d}",
                "outlet": f"media{rng.randint(1, 12):02d}" if channel == "news" else None,
                "author_followers": None if rng.random() < 0.2 else rng.randint(0, 50),
                "likes": rng.randint(0, 6),  # small: many ties in engagement
                "shares": rng.randint(0, 2),
                "comments": 0,
                "sentiment": rng.choice(SENTIMENTS),
                "regions": [{"code": c, "name": c} for c in regions] if n % 2 else regions,
                "published_at": None
                if undated
                else START + timedelta(seconds=rng.randint(0, days * 86400)),
            }
        )
    return rows


def _fill(db: Database, plan: list[dict[str, object]]) -> int:
    dated = [r["published_at"] for r in plan if r["published_at"] is not None]
    with db.writer() as s:
        source = Source(name="uji", kind="rss", channel="news", health="ok")
        issue = Issue(
            label="Isu acak",
            stage="current",
            risk=50.0,
            key_phrases=["acak"],
            regions=["64.72"],
            first_seen=min(dated),  # type: ignore[type-var]
            last_seen=max(dated),  # type: ignore[type-var]
        )
        s.add_all([source, issue])
        s.flush()
        for row in plan:
            s.add(Mention(source_id=source.id, issue_id=issue.id, **row))
        return int(issue.id)


def _engagement(m: Mention) -> int:
    return (m.likes or 0) + (m.shares or 0) + (m.comments or 0)


def _actors(mentions: list[Mention], field: str) -> list[tuple[str, int, int]]:
    counts: Counter[str] = Counter()
    followers: dict[str, int] = {}
    engagement: Counter[str] = Counter()
    for m in mentions:
        name = getattr(m, field)
        if name is None:
            continue
        counts[name] += 1
        followers[name] = max(followers.get(name, 0), m.author_followers or 0)
        engagement[name] += _engagement(m)
    reach = {k: followers[k] + engagement[k] for k in counts}
    ranked = sorted(counts, key=lambda k: (-reach[k], -counts[k], k))[:TOP_N]
    return [(k, counts[k], reach[k]) for k in ranked]


@pytest.mark.slow
def test_issue_page_figures_equal_the_mentions(store_url: str) -> None:
    assert MENTIONS < DETAIL_SCAN
    db = Database(store_url)
    db.upgrade()
    try:
        issue_id = _fill(db, _plan())
        with db.session() as s:
            issue = s.get(Issue, issue_id)
            assert issue is not None
            d = issue_detail(s, issue, TZ)
            mentions = list(s.scalars(select(Mention).where(Mention.issue_id == issue_id)))
            # the issue page lists the issue's mentions as the search does
            newest = search_mentions(s, MentionFilter(issue_id=issue_id), limit=MENTIONS)
    finally:
        db.dispose()
    dated = [m for m in mentions if m.published_at is not None]
    assert d.window.bucket_hours == 24 and not d.sampled
    # newest first, undated mentions last
    order = sorted(dated, key=lambda m: (m.published_at, m.id), reverse=True)
    undated = sorted((m.id for m in mentions if m.published_at is None), reverse=True)
    assert [h.id for h in newest] == ([m.id for m in order] + undated)[:MENTIONS]
    assert newest[-1].published_at is None

    def day(m: Mention) -> str:
        assert m.published_at is not None
        return (m.published_at + WITA).strftime("%Y-%m-%d")

    for name in ("social", "news", "complaint"):
        expected = Counter(day(m) for m in dated if m.channel == name)
        got = dict(zip(d.timeline.keys, d.timeline.lines.get(name, []), strict=False))
        assert {k: v for k, v in got.items() if v} == expected, name
    for label in SENTIMENTS:
        expected = Counter(day(m) for m in dated if m.sentiment == label)
        got = dict(zip(d.sentiment.keys, d.sentiment.lines[label], strict=True))
        assert {k: v for k, v in got.items() if v} == expected, label

    per_region: Counter[str] = Counter()
    for m in dated:
        codes = {(r["code"] if isinstance(r, dict) else r)[:5] for r in m.regions}
        per_region.update(codes)
    assert {code: n for code, _, n in d.regions} == per_region

    assert [(a.name, a.mentions, a.reach) for a in d.authors] == _actors(mentions, "author")
    assert [(a.name, a.mentions, a.reach) for a in d.outlets] == _actors(mentions, "outlet")

    far = datetime.max.replace(tzinfo=UTC)
    ranked = sorted(mentions, key=lambda m: (-_engagement(m), m.published_at or far, m.id))
    expected_top = [(m.id, _engagement(m)) for m in ranked[:TOP_N]]
    assert [(t.id, t.engagement) for t in d.top_mentions] == expected_top


def test_long_lived_issue_gets_weekly_buckets(store_url: str) -> None:
    """An issue of 200 days: weekly buckets, each the sum of its seven local days."""
    db = Database(store_url)
    db.upgrade()
    try:
        issue_id = _fill(db, _plan(seed=5, mentions=150, days=200))
        with db.session() as s:
            issue = s.get(Issue, issue_id)
            assert issue is not None
            d = issue_detail(s, issue, TZ)
            mentions = list(s.scalars(select(Mention).where(Mention.issue_id == issue_id)))
    finally:
        db.dispose()
    assert d.window.bucket_hours == 7 * 24
    keys = d.timeline.keys
    assert 28 <= len(keys) <= 30
    assert all(
        datetime.fromisoformat(b) - datetime.fromisoformat(a) == timedelta(days=7)
        for a, b in pairwise(keys)
    )

    def week(m: Mention) -> str:
        assert m.published_at is not None
        day = (m.published_at + WITA).strftime("%Y-%m-%d")
        return max(k for k in keys if k <= day)

    dated = [m for m in mentions if m.published_at is not None]
    for name in ("social", "news"):
        expected = Counter(week(m) for m in dated if m.channel == name)
        got = dict(zip(keys, d.timeline.lines[name], strict=True))
        assert {k: v for k, v in got.items() if v} == expected, name
    first_social = min((m for m in dated if m.channel == "social"), key=week)
    assert d.first_social_key == week(first_social)
