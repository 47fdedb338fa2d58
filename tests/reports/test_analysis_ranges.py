"""The analysis page's authors and places from the range counts: the one-pass figures, kept
by triggers and slides."""

from __future__ import annotations

import random
import sys
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import String, cast, delete, func, select, text
from sqlalchemy.orm import Session

from pantau.reports import analysis_authors
from pantau.reports.analysis import analysis
from pantau.reports.analysis_authors import top_authors
from pantau.reports.analysis_ranges import slide_to_newest
from pantau.reports.analysis_segments import place_keys
from pantau.reports.filters import DashFilter
from pantau.reports.overview import latest_mention
from pantau.store import Database, Issue, Mention, Source, tenancy
from pantau.store.range_counts import as_utc, slide
from pantau.store.reports_models import (
    ALL_TENANTS,
    AuthorCount,
    AuthorScope,
    RangePlace,
    RangeStart,
)
from tests.reports.test_analysis_segments import REGIONS
from tests.support.migrations import upgrade_below

#: The migrations that made the range counts: the national ones, then per province and kab/kota.
MIGRATIONS = ("0015_anal5_range_counts", "0016_pg7_range_tenants")
T0 = datetime(2026, 11, 1, tzinfo=UTC)
DAYS = 40
#: Few authors, so that the tenth's count is shared and the reach breaks the tie.
AUTHORS = [None, *(f"akun{n}" for n in range(1, 25)), "Akun1", "zz"]


def _add(db: Database, rng: random.Random, count: int) -> None:
    with db.writer() as s:
        issues = list(s.scalars(select(Issue.id)))
        if not issues:
            rows = [Issue(label=f"isu {n}", key=f"isu-{n}") for n in range(6)]
            s.add_all(rows)
            s.flush()
            issues = [r.id for r in rows]
        src = s.scalar(select(Source).where(Source.name == "feed"))
        if src is None:
            src = Source(name="feed", kind="rss", channel="social")
            s.add(src)
            s.flush()
        start = s.scalar(select(func.count()).select_from(Mention)) or 0
        for i in range(count):
            s.add(
                Mention(
                    source_id=src.id,
                    external_id=f"a{start + i}-{rng.random()}",
                    text="banjir",
                    channel="social",
                    published_at=T0 + timedelta(seconds=rng.uniform(0, DAYS * 86400)),
                    author=rng.choice(AUTHORS),
                    author_followers=rng.choice([None, 10, 500, 20_000]),
                    likes=rng.choice([None, 0, 3, 40]),
                    shares=rng.randint(0, 5),
                    tenant=rng.choice([None, "64", "64", "63"]),
                    regions=rng.choice(REGIONS),
                    issue_id=rng.choice([None, *issues]),
                )
            )


@pytest.fixture
def store(store_url: str) -> Iterator[Database]:
    db = Database(store_url)
    db.upgrade()
    _add(db, random.Random(20), 600)
    yield db
    db.dispose()


def _both(s: Session, f: DashFilter, anchor: datetime) -> tuple[list[object], list[object]]:
    """Top authors through the range counts (asserted used), then through the mentions alone."""
    win = f.window(anchor)
    conds = f.mention_conditions(s)
    used = analysis_authors._candidates(s, f, win, conds)
    fast = top_authors(s, f, win, win.previous(), conds)
    original = analysis_authors._candidates
    analysis_authors._candidates = lambda *_: None  # type: ignore[assignment]
    try:
        slow = top_authors(s, f, win, win.previous(), conds)
    finally:
        analysis_authors._candidates = original
    return [used is not None, fast], [True, slow]


#: The pages whose authors the counts give: (the filter's kab/kota, the principal's provinces).
COUNTED_VIEWS = [(None, None), ("64.72", None), ("64.71", None), (None, "64"), (None, "63")]


@pytest.mark.parametrize("first_read", [analysis_authors.FIRST_READ, 2])
def test_the_counts_give_the_one_pass_authors_on_random_windows(
    store: Database, first_read: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """National, one kab/kota (the kecamatan view) and a province's principal; read in one
    go, or in growing reads of the busiest counts (a first read of two)."""
    monkeypatch.setattr(analysis_authors, "FIRST_READ", first_read)
    rng = random.Random(4)
    compared: Counter[tuple[str | None, str | None]] = Counter()
    for _ in range(60):
        region, province = rng.choice(COUNTED_VIEWS)
        params = {"range": rng.choice(["24h", "7d", "30d"])}
        if region:
            params["region"] = region
        f = DashFilter.from_params(params)
        anchor = T0 + timedelta(seconds=rng.uniform(2 * 86400, (DAYS + 2) * 86400))
        lag = timedelta(hours=rng.choice([0, 0, 1, 3]))  # a slide or a few hours behind
        with store.writer() as s:
            slide(s, f.window(anchor).end - lag)
        if rng.random() < 0.3:  # writes after the slide, before and inside the window
            _add(store, rng, 20)
        with store.session() as s, tenancy.scope(frozenset({province}) if province else None):
            (used, fast), (_, slow) = _both(s, f, anchor)
        assert used, (params, province, anchor, lag)
        assert fast == slow, (params, province, anchor, lag)
        compared[(region, province)] += bool(slow)
    assert all(compared[v] >= 5 for v in COUNTED_VIEWS), compared  # the windows were not empty


def test_another_filter_a_custom_range_or_a_stale_start_read_the_mentions(
    store: Database,
) -> None:
    anchor = T0 + timedelta(days=DAYS)
    week = DashFilter.from_params({"range": "7d"})
    kabkota = DashFilter.from_params({"range": "7d", "region": "64.72"})

    def candidates(s: Session, f: DashFilter) -> set[str] | None:
        return analysis_authors._candidates(s, f, f.window(anchor), f.mention_conditions(s))

    with store.writer() as s:
        slide(s, week.window(anchor).end)
    with store.session() as s:
        for params in (
            {"range": "7d", "region": "64.72.01"},  # a kecamatan
            {"range": "7d", "region": "64.72", "sentiment": "negative"},
            {"since": "2026-11-20", "until": "2026-11-27"},
        ):
            assert candidates(s, DashFilter.from_params(params)) is None, params
        with tenancy.scope(frozenset({"64"})):
            assert candidates(s, week) is not None
            # a kab/kota's count holds the other provinces' mentions of it
            assert candidates(s, kabkota) is None
        with tenancy.scope(frozenset({"63", "64"})):
            assert candidates(s, week) is None
        assert candidates(s, kabkota) is not None
        later = week.window(anchor + timedelta(days=3))  # the start lags by three days
        assert analysis_authors._candidates(s, week, later, []) is None
        assert analysis_authors._candidates(s, week, week.window(anchor), []) is not None


def _table(db: Database) -> set[tuple[object, ...]]:
    with db.session() as s:
        authors = s.execute(select(AuthorCount.hours, AuthorCount.author, AuthorCount.n))
        scopes = s.execute(
            select(AuthorScope.hours, AuthorScope.scope, AuthorScope.author, AuthorScope.n)
        )
        places = s.execute(
            select(
                RangePlace.hours,
                RangePlace.place,
                RangePlace.issue_id,
                RangePlace.tenant,
                RangePlace.n,
            )
        )
        return (
            {(int(h), str(a), int(n)) for h, a, n in authors if n}
            | {("scope", int(h), str(c), str(a), int(n)) for h, c, a, n in scopes if n}
            | {(int(h), str(p), int(i), str(t), int(n)) for h, p, i, t, n in places if n}
        )


def _recounted(db: Database) -> set[tuple[object, ...]]:
    """Each range's counts from the stored mentions afresh (the places as the page reads a
    mention's regions)."""
    out: set[tuple[object, ...]] = set()
    with db.session() as s:
        for hours, start in s.execute(select(RangeStart.hours, RangeStart.start)):
            since = [Mention.published_at >= start]
            rows = s.execute(
                select(Mention.author, func.count())
                .where(*since, Mention.author.is_not(None))
                .group_by(Mention.author)
            )
            out |= {(int(hours), str(a), int(n)) for a, n in rows}
            places: Counter[tuple[str, int, str]] = Counter()
            scopes: Counter[tuple[str, str]] = Counter()
            listed = cast(Mention.regions, String)
            read = select(listed, Mention.issue_id, Mention.tenant, Mention.author).where(*since)
            for regions, issue_id, tenant, author in s.execute(read):
                for code in {c for chars in (5, 8) for c in place_keys(regions, chars, None)}:
                    for t in (tenant or "", ALL_TENANTS):
                        places[(code, 0, t)] += 1
                        if issue_id is not None:
                            places[(code, int(issue_id), t)] += 1
                if author is not None:
                    for scope in {*place_keys(regions, 5, None), *([tenant] if tenant else [])}:
                        scopes[(scope, author)] += 1
            out |= {(int(hours), p, i, t, n) for (p, i, t), n in places.items()}
            out |= {("scope", int(hours), c, a, n) for (c, a), n in scopes.items()}
    return out


def test_triggers_and_slides_keep_the_counts_of_the_mentions(store: Database) -> None:
    rng = random.Random(9)
    with store.writer() as s:
        slide(s, T0 + timedelta(days=DAYS - 3))
    assert _table(store) == _recounted(store) and _table(store)
    with store.writer() as s:
        rows = list(s.scalars(select(Mention).order_by(Mention.id)))
        for m in rng.sample(rows, 150):
            change = rng.choice(["author", "time", "text", "regions", "issue", "tenant"])
            if change == "author":
                m.author = rng.choice(AUTHORS)
            elif change == "tenant":
                m.tenant = rng.choice([None, "64", "63"])
            elif change == "regions":
                m.regions = rng.choice(REGIONS)
            elif change == "issue":
                m.issue_id = None
            elif change == "time":
                m.published_at = m.published_at + timedelta(hours=rng.randint(-200, 200))
            else:
                m.likes = 99  # counts nothing
        for m in rng.sample(rows, 40):
            s.delete(m)
    _add(store, rng, 50)
    assert _table(store) == _recounted(store)
    for end in (DAYS - 2, DAYS - 1.5, DAYS + 6, DAYS - 20):  # forward a little, a lot, back
        with store.writer() as s:
            slide(s, T0 + timedelta(days=end))
        assert _table(store) == _recounted(store), end
    with store.writer() as s:
        s.execute(delete(Mention))
    assert _table(store) == set()


def test_a_start_is_where_the_window_of_the_newest_mention_starts(store: Database) -> None:
    with store.writer() as s:
        slide(s, T0 + timedelta(days=10))
        moved = slide_to_newest(s)
        again = slide_to_newest(s)
        newest = latest_mention(s)  # the newest mention not in the future
        rows = s.execute(select(RangeStart.hours, RangeStart.start))
        starts = {h: as_utc(start) for h, start in rows}
    assert newest is not None
    end = DashFilter().window(newest).end
    assert moved == 3 and again == 0
    assert starts == {h: as_utc(end) - timedelta(hours=h) for h in (24, 168, 720)}


@pytest.mark.parametrize("migration", MIGRATIONS)
def test_the_migration_counts_the_mentions_already_stored(store_url: str, migration: str) -> None:
    db = Database(store_url)
    upgrade_below(db, migration)
    _add(db, random.Random(5), 200)
    db.upgrade()
    counted = _table(db)
    assert counted == _recounted(db) and counted
    script = ScriptDirectory.from_config(db.alembic_config())
    command.downgrade(db.alembic_config(), script.get_revision(migration).down_revision)
    with db.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM mentions")).scalar_one() == 200
    _add(db, random.Random(6), 10)  # counted, if at all, as the migrations below it count
    db.upgrade()
    assert _table(db) == _recounted(db) and len(_table(db)) >= len(counted)
    db.dispose()


def _places(s: Session, f: DashFilter, anchor: datetime) -> list[tuple[str, int, int, int]]:
    an = analysis(s, f, "Asia/Makassar", anchor=anchor)
    return [(p.key, p.now, p.before, p.issues) for p in an.places]


def test_the_counts_give_the_one_pass_places_on_random_windows(
    store: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    rng = random.Random(7)
    module = sys.modules[analysis.__module__]
    seen = 0
    for _ in range(40):
        params = {"range": rng.choice(["24h", "7d", "30d"])}
        if rng.random() < 0.4:
            params["region"] = rng.choice(["64.72", "64.71"])
        # national, one province, or two (their rows added up, each pair counted once)
        provinces = rng.choice([None, None, {"64"}, {"63"}, {"63", "64"}])
        f = DashFilter.from_params(params)
        anchor = T0 + timedelta(seconds=rng.uniform(2 * 86400, (DAYS + 2) * 86400))
        lag = timedelta(hours=rng.choice([0, 0, 1, 3]))
        with store.writer() as s:
            slide(s, f.window(anchor).end - lag)
        if rng.random() < 0.3:
            _add(store, rng, 20)
        with store.session() as s, tenancy.scope(frozenset(provinces) if provinces else None):
            assert module.range_start(s, f, f.window(anchor)) is not None
            by_ranges = _places(s, f, anchor)
            with monkeypatch.context() as m:
                m.setattr(module, "held_region", lambda *_: None)
                m.setattr(module, "rollup_scope", lambda *_: None)
                m.setattr(module, "range_start", lambda *_: None)
                by_mentions = _places(s, f, anchor)
        assert by_ranges == by_mentions, (params, provinces, anchor, lag)
        seen += bool(by_ranges)
    assert seen > 25
