"""Quality floors on streams shaped like the held-out ones (corpus gates, run by make gates
beside ``test_issues_quality.py``): CrisisLexT6 sampled to 1,000 posts per crisis, two events
of one kind weeks apart, and the demo's issues read against the truth its posts carry.

The streams are built by :mod:`pantau.issues.evaluation` as ``benchmarks/issues_early_warning.py``
and ``benchmarks/issues_demo.py`` build them; those print the full tables. Lowering a floor is a
deliberate, explained commit.
"""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from benchmarks.issues_demo import demo_replay, report

from pantau.issues import IssueTracker
from pantau.issues.evaluation import (
    CrisisReport,
    repeat_after,
    score_crisis_stream,
    subsample,
)
from pantau.settings import Settings

#: Sampled CrisisLexT6 (1,000 posts per crisis, seeds 1-3). Measured: medians 10 / 10.5 / 7
#: on-topic posts by a crisis's first alert (seeds 4-5: 9 / 6), noise 0.00 / 0.13 / 0.00, since
#: an issue whose posts share links more than the stream's do needs no common word (10 / 12 / 7,
#: seeds 4-5 9 / 10, before), and since a thin stream's fresh issue emerges at the support its
#: volume sets (10 / 12.5 / 11.5, seeds 4-5 10.5 / 11, before; 10 / 14 / 13 before a thin
#: stream's volume was weighed against its support); every crisis alerted on seeds 1-3 (seed 5
#: misses Boston: its marathon issue was raised holding 4 off-topic and 4 on-topic posts, a tie
#: judged noise). Before check-ins were noise, Boston was missed on seeds 1 and 4 (its issue
#: raised for the marathon's check-ins before the bombing). Issue 14's target is every crisis
#: and a median of 10.
SAMPLED_MEDIAN_FLOOR = 11
SAMPLED_MAX_MISSED = 0
SAMPLED_NOISE_SHARE_TARGET = 0.2
SAMPLED_SEEDS = (1, 2, 3)
#: Two events of one kind three weeks apart, the first mentioned every 8 hours between. The
#: second's on-topic posts by its first alert, measured: Alberta after Queensland 14 dense and
#: 8 sampled, West Texas after Boston 7 dense and 3 sampled (5 before linked issues were
#: exempt from the cohesion floor; Alberta was 131 before episodes).
REPEAT_SECOND_FLOOR = 20
REPEATS = (
    ("2013_Queensland_Floods", "2013_Alberta_Floods"),
    ("2013_Boston_Bombings", "2013_West_Texas_Explosion"),
)
#: The demo: purity of its ten largest issues and issues per true issue. Measured 0.978 and
#: 1.15 (NMI 0.982, B-cubed 0.969; the stream is fixed, one figure; 0.973 / 1.15 / 0.984 /
#: 0.975 before clusters of two stories were split: the blackout's night-time posts are now an
#: issue of their own): the PDAM outage, the Samarinda flood and the Loa Janan mine are three
#: issues. Issue 14's target purity is 0.95.
DEMO_PURITY_FLOOR = 0.95
DEMO_ISSUES_PER_TRUE_MAX = 1.5


@pytest.fixture(scope="module")
def crisislex(corpora: Path) -> list[dict[str, Any]]:
    path = corpora / "events" / "crisislext6" / "stream.jsonl"
    with path.open(encoding="utf-8") as lines:
        return [json.loads(line) for line in lines]


def _replay(rows: list[dict[str, Any]]) -> CrisisReport:
    return score_crisis_stream(rows, IssueTracker(Settings.from_env({})))


@pytest.mark.parametrize("seed", SAMPLED_SEEDS)
def test_sampled_crisislex_alerts_early(crisislex: list[dict[str, Any]], seed: int) -> None:
    report = _replay(subsample(crisislex, "collected_for", 1000, seed))
    assert len(report.on_topic_by_alert) == 6
    missed = [c for c, n in report.on_topic_by_alert.items() if n is None]
    assert len(missed) <= SAMPLED_MAX_MISSED, report
    assert report.median_on_topic <= SAMPLED_MEDIAN_FLOOR, report
    assert report.noise_share <= SAMPLED_NOISE_SHARE_TARGET, report


@pytest.mark.parametrize("sampled", [False, True], ids=["dense", "sampled"])
@pytest.mark.parametrize(("first", "second"), REPEATS, ids=["floods", "explosions"])
def test_the_second_event_of_a_kind_alerts_though_the_first_is_alive(
    crisislex: list[dict[str, Any]], first: str, second: str, sampled: bool
) -> None:
    a = [r for r in crisislex if r["collected_for"] == first]
    b = [r for r in crisislex if r["collected_for"] == second]
    if sampled:
        a, b = subsample(a, "collected_for", 1000, 1), subsample(b, "collected_for", 1000, 1)
    report = _replay(repeat_after(a, b, timedelta(weeks=3), timedelta(hours=8)))
    by_alert = report.on_topic_by_alert[second]
    assert by_alert is not None and by_alert <= REPEAT_SECOND_FLOOR, report


def test_demo_issues_are_pure_and_whole() -> None:
    truth, issues = demo_replay()
    figures = report(truth, issues)
    assert figures["purity_top10"] >= DEMO_PURITY_FLOOR, figures
    assert figures["issues_per_true"] <= DEMO_ISSUES_PER_TRUE_MAX, figures
