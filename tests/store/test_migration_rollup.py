"""The hourly rollup's migrations on both backends: ``0009_daily2_rollup_lang_noise`` only adds
``mentions.noise`` (and takes it away again), ``0010_tenants_rollup`` counts the stored mentions
by language and noise kind once."""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import command
from sqlalchemy import select, text

from pantau.store import Database, Mention
from pantau.store.reports_models import MentionRollup

T0 = datetime(2026, 11, 20, 3, 0, tzinfo=UTC)
BEFORE = "0008_learning_playbook_versions"
NOISE = "0009_daily2_rollup_lang_noise"


def _columns(db: Database) -> set[str]:
    return {c["name"] for c in sa.inspect(db.engine).get_columns("mentions")}


def _counted(db: Database) -> dict[str, int]:
    """Mentions the rollup holds by channel, for every place and no issue."""
    query = (
        "SELECT channel, sum(n) FROM mention_rollup WHERE region = '*' AND issue_id = 0 "
        "GROUP BY channel HAVING sum(n) > 0"
    )
    with db.engine.connect() as conn:
        return {channel: int(n) for channel, n in conn.execute(text(query))}


def test_the_noise_column_goes_down_and_up_and_the_rollup_counts_it_once(store_url: str) -> None:
    db = Database(store_url)
    cfg = db.alembic_config()
    command.upgrade(cfg, NOISE)
    with db.writer() as s:
        s.execute(
            text(
                "INSERT INTO sources (name, kind, channel, config, state, interval_seconds, "
                "enabled, error_streak, health, created_at) "
                "VALUES ('lama', 'rss', 'social', '{}', '{}', 900, true, 0, 'ok', :t)"
            ),
            {"t": T0},
        )
        for ext, noise in (("judi", "judi"), ("asli", None)):
            s.execute(
                text(
                    "INSERT INTO mentions (source_id, external_id, channel, text, published_at, "
                    "fetched_at, likes, shares, comments, views, regions, watch, coordinated, "
                    "extra, notes, lang, noise) SELECT id, :ext, 'social', 'slot gacor', :t, :t, "
                    "0, 0, 0, 0, '[\"64.72\"]', '[]', false, '{}', '[]', 'id', :noise "
                    "FROM sources"
                ),
                {"t": T0, "ext": ext, "noise": noise},
            )
    assert "noise" in _columns(db)
    assert _counted(db) == {"social": 2}  # 0004's triggers still count, by channel

    command.downgrade(cfg, BEFORE)
    assert "noise" not in _columns(db)
    assert _counted(db) == {"social": 2}  # the older triggers and their counts are untouched
    with db.writer() as s:  # and they still move a mention
        s.execute(text("UPDATE mentions SET channel = 'news' WHERE external_id = 'asli'"))
    assert _counted(db) == {"news": 1, "social": 1}

    command.upgrade(cfg, NOISE)
    with db.writer() as s:
        s.execute(text("UPDATE mentions SET noise = 'judi' WHERE external_id = 'judi'"))
    db.upgrade()

    with db.session() as s:
        rows = s.execute(
            select(MentionRollup.channel, MentionRollup.lang, MentionRollup.noise, MentionRollup.n)
            .where(MentionRollup.region == "*", MentionRollup.issue_id == 0)
            .order_by(MentionRollup.channel)
        ).all()
    # counted once each, by the head's key; nothing left over from an earlier count
    assert [tuple(r) for r in rows] == [("news", "id", "", 1), ("social", "id", "judi", 1)]
    with db.writer() as s:  # the head's triggers move a mention the text stage calls noise
        asli = s.scalar(select(Mention).where(Mention.external_id == "asli"))
        asli.noise = "iklan"
    with db.session() as s:
        news = s.execute(
            select(MentionRollup.noise, MentionRollup.n).where(
                MentionRollup.region == "64.72",
                MentionRollup.issue_id == 0,
                MentionRollup.channel == "news",
            )
        ).all()
    assert {noise: n for noise, n in news if n} == {"iklan": 1}
    db.dispose()
