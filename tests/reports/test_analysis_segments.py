"""The analysis page's day-segment counts: the same figures as the mentions, kept by triggers."""

from __future__ import annotations

import random
import sys
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

import pytest
from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import delete, select, text

from pantau.reports.analysis import Analysis, analysis
from pantau.reports.filters import DashFilter
from pantau.store import Database, Mention, Source, tenancy
from pantau.store.reports_models import SegmentOutlet, SegmentPlace
from tests.support.migrations import upgrade_below

MIGRATION = "0013_anal4_analysis_segments"
T0 = datetime(2026, 11, 1, tzinfo=UTC)
DAYS = 40
TZ = "Asia/Makassar"
#: Places as stored: kab/kota, kecamatan, a province alone, objects, repeats and junk elements.
REGIONS: list[object] = [
    [],
    ["64.72"],
    ["64.72.01"],
    ["64.72.01", "64.72"],
    ["64.72.02", "64.71.05"],
    [{"code": "64.71"}, "64.72.01"],
    ["64"],
    ["64.02", "63.71"],
    [{"name": "tanpa kode"}, 7, "", {"code": 64}],
    ["63.71.03"],
]
OUTLETS = [None, None, "Kaltim Post", "Tribun Kaltim", "Antara"]
TENANTS = {"64.72": "64", "64.71": "64", "64.02": "64", "63.71": "63"}


def _tenant(regions: object) -> str | None:
    for r in regions if isinstance(regions, list) else []:
        code = r.get("code") if isinstance(r, dict) else r
        if isinstance(code, str) and code[:5] in TENANTS:
            return TENANTS[code[:5]]
    return None


def _add(db: Database, rng: random.Random, count: int, issues: list[int]) -> None:
    with db.writer() as s:
        src = s.scalar(select(Source).where(Source.name == "feed"))
        if src is None:
            src = Source(name="feed", kind="rss", channel="news")
            s.add(src)
            s.flush()
        start = s.scalar(select(Mention.id).order_by(Mention.id.desc()).limit(1)) or 0
        for i in range(count):
            regions = rng.choice(REGIONS)
            s.add(
                Mention(
                    source_id=src.id,
                    external_id=f"m{start + i}",
                    text="banjir",
                    channel=rng.choice(["news", "social"]),
                    published_at=T0 + timedelta(seconds=rng.uniform(0, DAYS * 86400)),
                    outlet=rng.choice(OUTLETS),
                    author=f"akun{rng.randint(1, 30)}",
                    regions=regions,
                    issue_id=rng.choice([None, *issues]),
                    tenant=_tenant(regions),
                )
            )


def _issues(db: Database) -> list[int]:
    from pantau.store import Issue

    with db.writer() as s:
        rows = [Issue(label=f"isu {n}", key=f"isu-{n}") for n in range(6)]
        s.add_all(rows)
        s.flush()
        return [r.id for r in rows]


@pytest.fixture
def store(store_url: str) -> Iterator[Database]:
    db = Database(store_url)
    db.upgrade()
    rng = random.Random(20)
    _add(db, rng, 400, _issues(db))
    yield db
    db.dispose()


def _figures(an: Analysis) -> dict[str, object]:
    return {
        "places": [(p.key, p.now, p.before, p.issues) for p in an.places],
        "outlets": [(o.key, o.now, o.before) for o in an.outlets],
        "authors": [(a.name, a.mentions, a.before, a.reach) for a in an.authors],
        "total": (an.total, an.previous_total),
        "level": an.level,
    }


def _both(
    s: object, monkeypatch: pytest.MonkeyPatch, f: DashFilter, anchor: datetime
) -> tuple[dict[str, object], dict[str, object]]:
    """The figures through the segment tables, then through the mentions alone."""
    module = sys.modules[analysis.__module__]
    by_segments = _figures(analysis(s, f, TZ, anchor=anchor))  # type: ignore[arg-type]
    with monkeypatch.context() as m:
        m.setattr(module, "held_region", lambda *_: None)
        m.setattr(module, "rollup_scope", lambda *_: None)
        by_mentions = _figures(analysis(s, f, TZ, anchor=anchor))  # type: ignore[arg-type]
    return by_segments, by_mentions


def _random_filters(rng: random.Random, n: int) -> Iterator[tuple[DashFilter, datetime]]:
    for _ in range(n):
        params: dict[str, str] = {}
        kind = rng.choice(["24h", "7d", "30d", "custom"])
        if kind == "custom":
            first = date(2026, 11, 1) + timedelta(days=rng.randint(0, DAYS))
            params |= {"since": str(first), "until": str(first + timedelta(rng.randint(0, 12)))}
        else:
            params["range"] = kind
        if rng.random() < 0.5:
            params["region"] = rng.choice(["64.72", "64.71", "63.71"])
        anchor = T0 + timedelta(seconds=rng.uniform(0, (DAYS + 3) * 86400))
        yield DashFilter.from_params(params), anchor


def test_segments_give_the_mentions_figures_on_random_windows(
    store: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    rng = random.Random(4)
    seen_places = seen_outlets = 0
    with store.session() as s:
        for f, anchor in _random_filters(rng, 40):
            by_segments, by_mentions = _both(s, monkeypatch, f, anchor)
            assert by_segments == by_mentions, (f.params(), anchor)
            seen_places += bool(by_segments["places"])
            seen_outlets += bool(by_segments["outlets"])
    assert seen_places > 20 and seen_outlets > 20  # the windows were not empty


def test_a_provinces_page_adds_up_its_own_segments(
    store: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    f = DashFilter.from_params({"range": "30d"})
    anchor = T0 + timedelta(days=DAYS)
    with store.session() as s, tenancy.scope(frozenset({"63"})):
        by_segments, by_mentions = _both(s, monkeypatch, f, anchor)
    assert by_segments == by_mentions
    assert [p[0] for p in by_segments["places"]] == ["63.71"]  # type: ignore[index]


def _tables(db: Database) -> dict[str, set[tuple[object, ...]]]:
    with db.session() as s:
        return {
            "outlets": {
                (r.region, str(r.segment), r.outlet, r.tenant, r.n)
                for r in s.scalars(select(SegmentOutlet).where(SegmentOutlet.n != 0))
            },
            "places": {
                (str(r.segment), r.place, r.issue_id, r.tenant, r.n)
                for r in s.scalars(select(SegmentPlace).where(SegmentPlace.n != 0))
            },
        }


def _recounted(db: Database) -> dict[str, set[tuple[object, ...]]]:
    """The tables as the migration counts the stored mentions afresh."""
    migration = _migration(db)
    with db.writer() as s:
        s.execute(delete(SegmentOutlet))
        s.execute(delete(SegmentPlace))
        for sql in migration.backfill(db.dialect):
            s.execute(text(sql))
    return _tables(db)


def _migration(db: Database) -> object:
    script = ScriptDirectory.from_config(db.alembic_config())
    return script.get_revision(MIGRATION).module


def test_triggers_follow_inserts_updates_and_deletes(store: Database) -> None:
    rng = random.Random(9)
    with store.writer() as s:
        rows = list(s.scalars(select(Mention).order_by(Mention.id)))
        for m in rng.sample(rows, 120):
            change = rng.choice(["regions", "outlet", "issue", "time", "text"])
            if change == "regions":
                m.regions = rng.choice(REGIONS)
            elif change == "outlet":
                m.outlet = rng.choice(OUTLETS)
            elif change == "issue":
                m.issue_id = None
            elif change == "time":
                m.published_at = m.published_at + timedelta(hours=rng.randint(-30, 30))
            else:
                m.text = "banjir lagi"  # counts nothing: no segment row moves
        for m in rng.sample(rows, 40):
            s.delete(m)
    _add(store, rng, 50, [])
    kept = _tables(store)
    assert kept == _recounted(store)
    assert len(kept["outlets"]) > 50 and len(kept["places"]) > 100


def test_the_migration_counts_the_mentions_already_stored(store_url: str) -> None:
    db = Database(store_url)
    upgrade_below(db, MIGRATION)
    _add(db, random.Random(5), 200, [])
    db.upgrade()
    counted = _tables(db)
    assert counted == _recounted(db) and counted["outlets"]
    command.downgrade(db.alembic_config(), _migration(db).down_revision)  # type: ignore[attr-defined]
    with db.engine.connect() as conn:
        gone = conn.execute(text("SELECT count(*) FROM mentions")).scalar_one()
    assert gone == 200
    db.upgrade()
    assert _tables(db) == counted
    db.dispose()


def test_a_province_filter_counts_only_its_own_places(store: Database) -> None:
    """A mention naming a kab/kota of the province and one elsewhere passes the province
    filter; only the province's kab/kota are counted (the mention path, by author)."""
    anchor = T0 + timedelta(days=DAYS)
    seen = set()
    with store.session() as s:
        for n in range(1, 31):
            f = DashFilter.from_params({"range": "30d", "region": "64", "author": f"akun{n}"})
            seen |= {p.key for p in analysis(s, f, TZ, anchor=anchor).places}
    assert seen and all(k.startswith("64.") for k in seen), seen
