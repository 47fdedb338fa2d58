"""Migration 0012_precise_sentiment_tier on both backends (PostgreSQL's mentions partitioned by
month): the three columns come and go with the stored mentions kept, and rewriting a stored
sentiment, as the precise tier does, keeps the rollup right."""

from __future__ import annotations

from datetime import UTC, datetime

from alembic import command
from sqlalchemy import func, inspect, select, text

from pantau.store import Database, Mention, Source
from pantau.store.reports_models import MentionRollup as R

BEFORE = "0010_scale3_rollup_per_statement"
COLUMNS = {"sentiment_tier", "sentiment_fast", "sentiment_fast_score"}
T0 = datetime(2026, 11, 20, 3, 0, tzinfo=UTC)


def _columns(db: Database) -> set[str]:
    db.engine.dispose()
    return {c["name"] for c in inspect(db.engine).get_columns("mentions")}


def _rolled(db: Database) -> dict[str, int]:
    with db.session() as s:
        rows = s.execute(
            select(R.sentiment, func.sum(R.n))
            .where(R.region == "*", R.issue_id == 0)
            .group_by(R.sentiment)
        )
        return {k: int(v) for k, v in rows if v}


def test_the_tier_columns_come_and_go_and_the_rollup_follows_a_rewrite(store_url: str) -> None:
    db = Database(store_url)
    db.upgrade()
    assert _columns(db) >= COLUMNS
    with db.writer() as s:
        src = Source(name="uji", kind="rss", channel="news")
        s.add(src)
        s.flush()
        s.add(
            Mention(
                source_id=src.id,
                external_id="a",
                channel="news",
                text="banjir",
                published_at=T0,
                sentiment="negative",
                sentiment_score=0.8,
                sentiment_tier="fast",
            )
        )
    assert _rolled(db) == {"negative": 1}
    with db.writer() as s:
        m = s.scalar(select(Mention))
        m.sentiment_fast, m.sentiment_fast_score = m.sentiment, m.sentiment_score
        m.sentiment, m.sentiment_score, m.sentiment_tier = "neutral", 0.7, "precise"
    assert _rolled(db) == {"neutral": 1}
    command.downgrade(db.alembic_config(), BEFORE)
    assert not COLUMNS & _columns(db)
    with db.session() as s:
        assert s.execute(text("SELECT sentiment FROM mentions")).scalar() == "neutral"
    db.upgrade()
    assert _columns(db) >= COLUMNS
    with db.session() as s:
        m = s.scalar(select(Mention))
        assert (m.sentiment, m.sentiment_tier, m.sentiment_fast) == ("neutral", None, None)
    assert _rolled(db) == {"neutral": 1}
    db.dispose()
