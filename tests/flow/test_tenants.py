"""Each province is clustered apart, tagged by its own watchlists, and an existing store is filed
under the installation's province by the migration, on both backends."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select, text

from pantau.flow.pipeline import Pipeline
from pantau.scale.reanalyze import Reanalyzer
from pantau.settings import Settings
from pantau.store import Agency, Database, Issue, Mention, Source, Watchlist
from pantau.store.models import StageState
from pantau.store.regions import load_regions
from pantau.store.reports_models import MentionRollup

T0 = datetime(2026, 11, 2, 6, 0, tzinfo=UTC)
#: The same flood told in two provinces, naming no place: only the source says where.
FLOOD = "banjir merendam rumah warga sejak subuh, air setinggi lutut masuk dapur"


@pytest.fixture
def db(store_url: str) -> Database:
    db = Database(store_url)
    db.upgrade()
    return db


def _add(db: Database, source: str, texts: list[str], start: int = 0) -> None:
    with db.writer() as s:
        src = s.scalar(select(Source).where(Source.name == source))
        for i, body in enumerate(texts, start):
            s.add(
                Mention(
                    source_id=src.id,
                    external_id=f"{source}-{i}",
                    channel="social",
                    text=f"{body} ({i})",
                    published_at=T0 + timedelta(minutes=i),
                )
            )


def _two_sources(db: Database) -> None:
    with db.writer() as s:
        s.add(Source(name="kaltim", kind="mapping", channel="social", province="64"))
        s.add(Source(name="kalsel", kind="mapping", channel="social", province="63"))


def test_two_provinces_floods_never_share_an_issue(db: Database) -> None:
    settings = Settings.from_env({})
    _two_sources(db)
    _add(db, "kaltim", [FLOOD] * 6)
    _add(db, "kalsel", [FLOOD] * 6, start=100)
    Pipeline(db, settings).run_pending(batch_size=5)
    with db.session() as s:
        issues = s.scalars(select(Issue).order_by(Issue.id)).all()
        by_tenant = {(i.tenant, i.key.split("isu-")[0]) for i in issues if i.size}
        assert by_tenant == {("64", ""), ("63", "63/")}
        for m in s.scalars(select(Mention)):
            assert s.get(Issue, m.issue_id).tenant == m.tenant
        names = set(s.scalars(select(StageState.name)))
        assert {"issue_tracker", "issue_tracker:63"} <= names
        before = {i.tenant: i.id for i in issues if i.size}
    # a new process restores both trackers: each province's next post joins its own issue
    _add(db, "kalsel", [FLOOD], start=200)
    _add(db, "kaltim", [FLOOD], start=201)
    Pipeline(db, settings).run_pending()
    with db.session() as s:
        latest = {m.tenant: m.issue_id for m in s.scalars(select(Mention).order_by(Mention.id))}
    assert latest == before


def test_a_provinces_watchlist_tags_its_own_mentions_only(db: Database) -> None:
    _two_sources(db)
    with db.writer() as s:
        kalsel = Agency(name="BPBD Kalsel", short_name="BPBD Kalsel", level="opd", province="63")
        everyone = Agency(name="BNPB", short_name="BNPB", level="vertikal", province=None)
        s.add_all([kalsel, everyone])
        s.flush()
        s.add(Watchlist(agency_id=kalsel.id, name="banjir", query="banjir"))
        s.add(Watchlist(agency_id=everyone.id, name="bencana", query="banjir"))
    _add(db, "kaltim", [FLOOD])
    _add(db, "kalsel", [FLOOD], start=1)
    settings = Settings.from_env({})
    Pipeline(db, settings).run_pending()
    expected = {"64": ["BNPB/bencana"], "63": ["BNPB/bencana", "BPBD Kalsel/banjir"]}

    def watch() -> dict[str | None, list[str]]:
        with db.session() as s:
            mentions = s.scalars(select(Mention)).all()
            return {m.tenant: sorted(hit["name"] for hit in m.watch) for m in mentions}

    assert watch() == expected
    # analyzing again after a model change keeps each province to its own watchlists
    assert Reanalyzer(db, settings).run(restart=True).changed == 0
    assert watch() == expected


def test_the_migration_files_an_existing_store_under_the_province_setting(
    store_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from alembic import command

    db = Database(store_url)
    command.upgrade(db.alembic_config(), "0008_learning_playbook_versions")
    with db.writer() as s:
        load_regions(s)
        s.execute(
            text(
                "INSERT INTO agencies (name, level, region_code, created_at) VALUES "
                "('Diskominfo Banjarmasin', 'kota', '63.71', :t), ('PUPR', 'opd', NULL, :t)"
            ),
            {"t": T0},
        )
        s.execute(
            text(
                "INSERT INTO sources (name, kind, channel, config, state, interval_seconds, "
                "enabled, error_streak, health, created_at) "
                "VALUES ('lama', 'rss', 'news', '{}', '{}', 900, true, 0, 'ok', :t)"
            ),
            {"t": T0},
        )
        s.execute(
            text(
                "INSERT INTO mentions (source_id, external_id, channel, text, published_at, "
                "fetched_at, likes, shares, comments, views, regions, watch, coordinated, extra, "
                "notes) SELECT id, 'x', 'news', 'banjir', :t, :t, 0, 0, 0, 0, '[\"64.72\"]', "
                "'[]', false, '{}', '[]' FROM sources"
            ),
            {"t": T0},
        )
    monkeypatch.setenv("PANTAU_PROVINCE", "62")
    db.upgrade()
    with db.session() as s:
        provinces = dict(s.execute(select(Agency.name, Agency.province)).all())
        assert provinces == {"Diskominfo Banjarmasin": "63", "PUPR": "62"}
        assert s.scalar(select(Source.province)) == "62"
        assert s.scalar(select(Mention.tenant)) == "62"
        assert set(s.scalars(select(MentionRollup.tenant))) == {"62"}
        assert sum(s.scalars(select(MentionRollup.n).where(MentionRollup.region == "*"))) == 1
    # new rows get their tenant from the code, not from the column's default
    with db.writer() as s:
        s.add(Source(name="nasional", kind="rss", channel="news", province=None))
    with db.session() as s:
        assert s.scalar(select(Source.province).where(Source.name == "nasional")) is None
