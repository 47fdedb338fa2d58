"""Quality measures agree with scikit-learn and with hand-worked cases."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pytest
from sklearn.metrics import normalized_mutual_info_score

from pantau.issues.evaluation import CrisisScorer, bcubed_f1, nmi


def test_nmi_matches_scikit_learn_on_random_labels() -> None:
    rnd = random.Random(7)
    truth = [rnd.randint(0, 6) for _ in range(500)]
    pred = [t if rnd.random() < 0.6 else rnd.randint(0, 20) for t in truth]
    assert nmi(truth, pred) == pytest.approx(normalized_mutual_info_score(truth, pred), abs=1e-9)


def test_bcubed_penalises_both_splitting_and_lumping() -> None:
    truth = [1, 1, 1, 1, 2, 2, 2, 2]
    assert bcubed_f1(truth, truth) == pytest.approx(1.0)
    split = bcubed_f1(truth, list(range(8)))
    lump = bcubed_f1(truth, [0] * 8)
    assert split == pytest.approx(2 * 0.25 / 1.25)
    assert lump == pytest.approx(2 * 0.5 / 1.5)


def test_crisis_scorer_judges_majority_at_alert_time_and_follows_merges() -> None:
    t0 = datetime(2025, 1, 1, tzinfo=UTC)
    sc = CrisisScorer()
    for i, (issue, label) in enumerate(
        [("a", "flood"), ("a", None), ("a", "flood"), ("b", None), ("b", None), ("c", "flood")]
    ):
        sc.observe(issue, label, t0 + timedelta(minutes=i))
    sc.alert("b", t0 + timedelta(minutes=6))  # off-topic majority: noise
    sc.merge("c", "a")
    sc.alert("a", t0 + timedelta(minutes=7))  # 3 flood of 4
    sc.alert("a", t0 + timedelta(minutes=8))  # judged once
    rep = sc.report()
    assert rep.noise_issues == 1 and rep.total_alerted == 2
    assert rep.on_topic_by_alert == {"flood": 3}
    assert rep.delay_seconds == {"flood": 420.0}
    assert rep.alerted_issues == {"flood": 1}
    assert rep.noise_share == 0.5
