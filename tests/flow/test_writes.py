"""A batch of mentions written in one statement reads back as written, on both backends: dated
and undated mentions (PostgreSQL finds each in its month's partition or the undated one), JSON,
flags, times and ids, and the hourly rollup follows."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from pantau.flow.writes import write_mentions
from pantau.store import Database, Mention, Source
from pantau.store.reports_models import MentionRollup as R

T0 = datetime(2026, 11, 20, 3, 0, tzinfo=UTC)
NOW = datetime(2026, 12, 7, 8, 30, 15, tzinfo=UTC)


def test_a_batch_reads_back_as_written(store_url: str) -> None:
    db = Database(store_url)
    db.upgrade()
    with db.writer() as s:
        src = Source(name="uji", kind="rss", channel="news")
        s.add(src)
        s.flush()
        for i in range(6):
            when = None if i == 4 else T0 + timedelta(days=40 * (i % 2))  # two months and none
            s.add(
                Mention(
                    source_id=src.id,
                    external_id=f"m{i}",
                    channel="news",
                    text=f"banjir {i}",
                    published_at=when,
                )
            )
    with db.writer() as s:
        rows = s.scalars(select(Mention).order_by(Mention.id)).all()
        first = rows[0].id
        write_mentions(
            s,
            [
                {
                    "id": m.id,
                    "sentiment": "negative" if m.id % 2 else "neutral",
                    "regions": ["64.72"],
                    "notes": ["teks dipotong \"x\" 'y'"],
                    "coordinated": m.id % 2 == 0,
                    "analyzed_at": NOW,
                    "dup_of_id": first if m.id != first else None,
                    "tenant": "64",
                    "cluster_pending": True if m.id % 3 == 0 else None,
                }
                for m in rows
            ],
            {m.id: m.published_at for m in rows},
        )
    with db.session() as s:
        back = s.scalars(select(Mention).order_by(Mention.id)).all()
        assert len(back) == 6
        for m in back:
            assert m.sentiment == ("negative" if m.id % 2 else "neutral")
            assert (m.regions, m.notes, m.tenant) == (["64.72"], ["teks dipotong \"x\" 'y'"], "64")
            assert m.coordinated is (m.id % 2 == 0)
            assert m.analyzed_at == NOW
            assert m.dup_of_id == (first if m.id != first else None)
            assert m.cluster_pending == (True if m.id % 3 == 0 else None)
        negative = s.scalar(
            select(func.sum(R.n)).where(R.region == "*", R.issue_id == 0, R.sentiment == "negative")
        )
        # the rollup counts dated mentions (an undated one has no hour), each once
        dated_negative = [m for m in back if m.id % 2 and m.published_at is not None]
        assert len(dated_negative) == 2 and negative == 2
    db.dispose()
