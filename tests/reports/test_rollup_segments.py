"""The rollup readers add whole segments and hourly edges: on random windows and filters (a
watchlist among them) their totals, daily charts (WIB, WITA, WIT and UTC) and kab/kota lists
equal a count of the mentions themselves, on both backends."""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import insert

from pantau.reports.filters import Window
from pantau.reports.rollup import RollupScope, rollup_regions, rollup_series, rollup_total
from pantau.reports.timeseries import utc_offset_minutes
from pantau.store import Database, Issue, Mention, Region, Source
from pantau.store.reports_models import MentionRollup as R
from pantau.store.search import NOISE_HIDDEN, NOISE_ONLY

T0 = datetime(2026, 11, 1, tzinfo=UTC)
DAYS = 12
PLACES = ("64.71", "64.72", "64.74")
ZONES = ("Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura", "UTC")


@dataclass
class Row:
    published_at: datetime
    channel: str
    sentiment: str | None
    lang: str | None
    noise: str | None
    places: list[str]
    issue_id: int | None
    watch: list[str]


def _rows(rng: random.Random, n: int) -> list[Row]:
    return [
        Row(
            published_at=T0 + timedelta(minutes=rng.randrange(DAYS * 24 * 60)),
            channel=rng.choice(("social", "news")),
            sentiment=rng.choice(("negative", "neutral", "positive", None)),
            lang=rng.choice(("id", "en", None)),
            noise=rng.choice((None, None, "judi")),
            places=rng.sample(PLACES, rng.randrange(3)),
            issue_id=rng.choice((1, 2, None)),
            watch=rng.choice(([], [], ["banjir"], ["banjir", "jalan rusak"])),
        )
        for _ in range(n)
    ]


@pytest.fixture
def store(store_url: str) -> Iterator[tuple[Database, list[Row]]]:
    rows = _rows(random.Random(20), 900)
    db = Database(store_url)
    db.upgrade()
    with db.writer() as s:
        s.add(Source(id=1, name="impor", kind="import", channel="social"))
        s.add_all(Issue(id=k, key=f"isu-{k}", label=f"isu {k}") for k in (1, 2))
        s.add_all(Region(code=c, name=f"Kota {c}", level=2, parent_code="64") for c in PLACES)
        s.flush()
        s.execute(
            insert(Mention),
            [
                {
                    "source_id": 1,
                    "external_id": f"m{k}",
                    "text": "banjir",
                    "channel": r.channel,
                    "published_at": r.published_at,
                    "sentiment": r.sentiment,
                    "lang": r.lang,
                    "noise": r.noise,
                    "regions": [f"{p}.0{k % 3 + 1}" for p in r.places],
                    "issue_id": r.issue_id,
                    # hits as the text stage writes them
                    "watch": [{"name": w, "terms": w.split()} for w in r.watch],
                }
                for k, r in enumerate(rows)
            ],
        )
    yield db, rows
    db.dispose()


def _scope(rng: random.Random) -> tuple[RollupScope, dict[str, Any]]:
    spec: dict[str, Any] = {
        "regions": rng.choice((None, [rng.choice(PLACES)])),
        "channel": rng.choice((None, "news")),
        "issue_id": rng.choice((None, 1, 2)),
        "sentiment": rng.choice((None, "negative")),
        "lang": rng.choice((None, "id")),
        "noise": rng.choice((None, NOISE_HIDDEN, NOISE_ONLY)),
        "watch": rng.choice((None, None, "banjir", "jalan rusak")),
    }
    return RollupScope(**spec), spec


def _matches(r: Row, spec: dict[str, Any], *, by_region: bool = False) -> bool:
    noise = spec["noise"]
    return (
        (spec["channel"] is None or r.channel == spec["channel"])
        and (spec["issue_id"] is None or r.issue_id == spec["issue_id"])
        and (spec["sentiment"] is None or r.sentiment == spec["sentiment"])
        and (spec["lang"] is None or r.lang == spec["lang"])
        and (noise != NOISE_HIDDEN or r.noise is None)
        and (noise != NOISE_ONLY or r.noise is not None)
        and (spec["watch"] is None or spec["watch"] in r.watch)
        and (by_region or spec["regions"] is None or spec["regions"][0] in r.places)
    )


def _cases(seed: int, n: int) -> Iterator[tuple[datetime, datetime, RollupScope, dict[str, Any]]]:
    """``n`` random windows of whole hours (1 hour to 8 days) and filters."""
    rng = random.Random(seed)
    for _ in range(n):
        start = T0 + timedelta(hours=rng.randrange(DAYS * 24 - 1))
        end = min(start + timedelta(hours=rng.randrange(1, 8 * 24)), T0 + timedelta(DAYS))
        yield start, end, *_scope(rng)


def test_totals_and_regions_equal_a_count_of_the_mentions(
    store: tuple[Database, list[Row]],
) -> None:
    db, rows = store
    with db.session() as s:
        for start, end, scope, spec in _cases(7, 60):
            inside = [r for r in rows if start <= r.published_at < end]
            want = sum(1 for r in inside if _matches(r, spec))
            assert rollup_total(s, start, end, scope) == want, (start, end, spec)
            places = Counter(
                p
                for r in inside
                if _matches(r, spec, by_region=True)
                for p in r.places
                if spec["regions"] is None or p in spec["regions"]
            )
            regions = rollup_regions(s, Window(start, end, 1), scope)
            assert {code: n for code, _, n in regions} == dict(places), (start, end, spec)


def test_daily_charts_equal_a_count_of_the_mentions_in_every_zone(
    store: tuple[Database, list[Row]],
) -> None:
    db, rows = store
    zones = random.Random(3)
    with db.session() as s:
        for start, end, scope, spec in _cases(11, 40):
            tz = zones.choice(ZONES)
            shift = timedelta(minutes=utc_offset_minutes(tz, end))
            (volume,) = rollup_series(s, Window(start, end, 24), tz, (R.channel,), scope)
            got = {
                (key, line): n
                for line, values in volume.lines.items()
                for key, n in zip(volume.keys, values, strict=True)
                if n
            }
            want = Counter(
                ((r.published_at + shift).strftime("%Y-%m-%d"), r.channel)
                for r in rows
                if start <= r.published_at < end and _matches(r, spec)
            )
            assert got == dict(want), (start, end, tz, spec)
